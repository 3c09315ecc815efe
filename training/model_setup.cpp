// Model construction, seeded radial initialisation and the scaling heuristic.
#include "model_setup.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "core/error.hpp"

namespace superion {

Mtp mtp_from_basis(const mtp::MtpBasisTable& t, int species_count, double min_dist, double max_dist,
                   int radial_basis_size) {
  Mtp m;
  m.species_count = 1;
  m.min_dist = min_dist;
  m.max_dist = max_dist;
  m.radial_basis_size = radial_basis_size;
  m.radial_funcs_count = t.radial_funcs_count;
  m.alpha_moments_count = t.alpha_moments_count;
  m.alpha_index_basic = t.basic;
  for (const auto& x : t.times)
    m.alpha_index_times.push_back({static_cast<int>(x[0]), static_cast<int>(x[1]),
                                   static_cast<int>(x[2]), static_cast<int>(x[3])});
  m.alpha_moment_mapping = t.mapping;
  m.set_placeholder_coefficients();
  m.set_species_count(species_count);
  m.validate();
  return m;
}

void init_radial_coefficients(Mtp& m, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  // Explicit uniform from the raw 64-bit stream (std::uniform_real_distribution is not
  // specified bit-for-bit across standard libraries).
  auto u = [&rng]() { return 2.0 * (static_cast<double>(rng() >> 11) * 0x1.0p-53) - 1.0; };
  const int C = m.species_count, K = m.radial_funcs_count, R = m.radial_basis_size;
  m.radial_coeffs.assign(static_cast<std::size_t>(C) * C * K * R, 0.0);
  for (int p = 0; p < C * C; ++p)
    for (int mu = 0; mu < K; ++mu)
      for (int b = 0; b < R; ++b)
        m.radial_coeffs[(static_cast<std::size_t>(p) * K + mu) * R + b] =
            0.1 * u() + (b == mu ? 1.0 : 0.0);
  m.species_coeffs.assign(C, 0.0);
  m.moment_coeffs.assign(m.alpha_moment_mapping.size(), 0.0);
  m.scaling = 1.0;
}

std::vector<int> scalar_factor_counts(const Mtp& m) {
  std::vector<int> f(m.alpha_moments_count, 0);
  for (int k = 0; k < m.basic_count(); ++k) f[k] = 1;
  std::vector<int> seen(m.alpha_moments_count, 0);
  for (const auto& t : m.alpha_index_times) {
    // All terms of one output slot have the same factor count; take the first.
    if (!seen[t[3]]) f[t[3]] = f[t[0]] + f[t[1]];
    seen[t[3]] = 1;
  }
  std::vector<int> out;
  for (int s : m.alpha_moment_mapping) out.push_back(f[s]);
  return out;
}

void choose_scaling(Mtp& m) {
  const std::vector<int> nf = scalar_factor_counts(m);
  const std::size_t A = m.moment_coeffs.size();
  auto quality = [&](double log_lambda) {
    std::vector<double> a;
    double sq = 0.0;
    for (double s : m.species_coeffs) {
      a.push_back(std::fabs(s));
      sq += s * s;
    }
    for (std::size_t k = 0; k < A; ++k) {
      const double x = m.moment_coeffs[k] * std::exp(-nf[k] * log_lambda);
      a.push_back(std::fabs(x));
      sq += x * x;
    }
    std::nth_element(a.begin(), a.begin() + a.size() / 2, a.end());
    const double med = a[a.size() / 2];
    return med > 0.0 ? std::sqrt(sq) / med : std::numeric_limits<double>::infinity();
  };
  double best = 0.0, best_q = quality(0.0);
  for (int g = -2000; g <= 2000; ++g) {  // λ from e^-10 to e^10, steps of 0.5 %
    const double q = quality(0.005 * g);
    if (q < best_q) {
      best_q = q;
      best = 0.005 * g;
    }
  }
  const double lambda = std::exp(best);
  m.scaling *= lambda;
  for (std::size_t k = 0; k < A; ++k) m.moment_coeffs[k] *= std::pow(lambda, -nf[k]);
}

}  // namespace superion
