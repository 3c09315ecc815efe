// Cluster detection, orientation vectors, angular velocities, C_l(t), relaxation fits, ρ(θ,φ).
#include "mechanism/rotation.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "core/geometry.hpp"
#include "core/units.hpp"

namespace superion::mechanism {
namespace {
const bool kPbc[3] = {true, true, true};

Vec3 bond(const FrameSeries& s, std::size_t t, int c, int l, const Mat3& inv) {
  return minimum_image(s.wrapped[t][l] - s.wrapped[t][c], s.cells[t], inv, kPbc);
}

// Solve the symmetric 3x3 system A x = b (Cramer; A is positive definite for non-collinear u).
Vec3 solve3(const Mat3& A, const Vec3& b) {
  const double d = det(A);
  if (std::fabs(d) < 1e-12) return {0, 0, 0};
  return row_times(b, transpose(inverse(A)));
}
}  // namespace

std::vector<Cluster> find_clusters(const FrameSeries& s, const std::string& centre_species,
                                   const std::string& ligand_species, double bond_cutoff) {
  if (!(bond_cutoff > 0.0)) throw InputError(s.source, 0, "bond cutoff must be > 0 Å");
  s.require_frames(1, "cluster detection");
  const auto centres = s.atoms_of(centre_species);
  const auto ligands = s.atoms_of(ligand_species);
  const Mat3 inv = inverse(s.cells[0]);
  std::vector<Cluster> out;
  for (int c : centres) out.push_back({c, {}});
  for (int l : ligands) {
    int owner = -1;
    for (std::size_t k = 0; k < centres.size(); ++k)
      if (norm(bond(s, 0, centres[k], l, inv)) < bond_cutoff) {
        if (owner >= 0)
          throw InputError(s.source, 0,
                           "ligand atom " + std::to_string(l) +
                               " is within the bond cutoff of two centres (" +
                               std::to_string(centres[owner]) + ", " + std::to_string(centres[k]) +
                               "); use a smaller --bond-cutoff");
        owner = static_cast<int>(k);
      }
    if (owner >= 0) out[owner].ligands.push_back(l);
  }
  for (const auto& c : out)
    if (c.ligands.empty())
      throw InputError(s.source, 0,
                       "centre atom " + std::to_string(c.centre) + " (" + centre_species +
                           ") has no " + ligand_species +
                           " within the bond cutoff; increase --bond-cutoff");
  return out;
}

std::vector<std::vector<Vec3>> orientation_vectors(const FrameSeries& s,
                                                   const std::vector<Cluster>& clusters) {
  std::vector<std::pair<int, int>> pairs;
  for (const auto& c : clusters)
    for (int l : c.ligands) pairs.emplace_back(c.centre, l);
  const std::size_t T = s.n_frames();
  std::vector<std::vector<Vec3>> u(pairs.size(), std::vector<Vec3>(T));
#pragma omp parallel for
  for (long t = 0; t < static_cast<long>(T); ++t) {
    const Mat3 inv = inverse(s.cells[t]);
    for (std::size_t p = 0; p < pairs.size(); ++p) {
      const Vec3 d = bond(s, t, pairs[p].first, pairs[p].second, inv);
      u[p][t] = d * (1.0 / norm(d));
    }
  }
  return u;
}

std::vector<std::vector<Vec3>> angular_velocities(const FrameSeries& s,
                                                  const std::vector<Cluster>& clusters) {
  s.require_frames(2, "angular velocities");
  const auto u = orientation_vectors(s, clusters);
  const std::size_t T = s.n_frames();
  std::vector<std::vector<Vec3>> w(clusters.size(), std::vector<Vec3>(T));
  std::vector<std::size_t> first(clusters.size() + 1, 0);
  for (std::size_t c = 0; c < clusters.size(); ++c)
    first[c + 1] = first[c] + clusters[c].ligands.size();
#pragma omp parallel for
  for (long c = 0; c < static_cast<long>(clusters.size()); ++c)
    for (std::size_t t = 0; t < T; ++t) {
      const std::size_t a = t == 0 ? 0 : t - 1, b = t + 1 >= T ? T - 1 : t + 1;
      const double inv_dt = 1.0 / (static_cast<double>(b - a) * s.dt_ps);
      Mat3 A;
      Vec3 rhs;
      for (std::size_t k = first[c]; k < first[c + 1]; ++k) {
        const Vec3& uk = u[k][t];
        const Vec3 du = (u[k][b] - u[k][a]) * inv_dt;
        rhs += cross(uk, du);
        for (int i = 0; i < 3; ++i)
          for (int j = 0; j < 3; ++j) A[i][j] += (i == j ? 1.0 : 0.0) - uk[i] * uk[j];
      }
      w[c][t] = solve3(A, rhs);
    }
  return w;
}

std::vector<double> reorientation_acf(const std::vector<std::vector<Vec3>>& u, int l,
                                      std::size_t max_lag) {
  if (u.empty()) throw Error("reorientation_acf: no orientation vectors");
  if (l == 1) return vector_acf(u, max_lag);
  if (l != 2) throw Error("reorientation_acf: l must be 1 or 2");
  const std::size_t T = u[0].size();
  if (max_lag >= T) max_lag = T - 1;
  std::vector<double> total(max_lag + 1, 0.0);
#pragma omp parallel
  {
    std::vector<double> raw(max_lag + 1, 0.0), x(T);
#pragma omp for
    for (long p = 0; p < static_cast<long>(u.size()); ++p)
      for (int a = 0; a < 3; ++a)
        for (int b = a; b < 3; ++b) {
          const double weight = a == b ? 1.0 : 2.0;
          std::vector<double> r(max_lag + 1, 0.0);
          for (std::size_t t = 0; t < T; ++t) x[t] = u[p][t][a] * u[p][t][b];
          accumulate_raw_acf(x, r);
          for (std::size_t k = 0; k <= max_lag; ++k) raw[k] += weight * r[k];
        }
#pragma omp critical
    for (std::size_t k = 0; k <= max_lag; ++k) total[k] += raw[k];
  }
  for (std::size_t k = 0; k <= max_lag; ++k)
    total[k] = 1.5 * total[k] / static_cast<double>(u.size() * (T - k)) - 0.5;
  return total;
}

RelaxationFit fit_relaxation(const std::vector<double>& c, double dt_ps, double c_min,
                             double c_max) {
  RelaxationFit f;
  if (c.size() < 2) return f;
  f.window_ps = static_cast<double>(c.size() - 1) * dt_ps;
  const double inv_e = std::exp(-1.0);
  f.c_end = *std::min_element(c.begin(), c.end());
  for (std::size_t k = 1; k < c.size(); ++k)
    if (c[k] <= inv_e) {
      const double x = (c[k - 1] - inv_e) / (c[k - 1] - c[k]);  // in (0, 1]
      f.tau_1e_ps = (static_cast<double>(k - 1) + x) * dt_ps;
      f.resolved = true;
      break;
    }
  if (!f.resolved) {
    f.lower_bound_ps = f.window_ps;
    return f;
  }
  double stt = 0, stl = 0;                  // exponential: ln C = -t/τ
  double sx = 0, sy = 0, sxx = 0, sxy = 0;  // KWW: ln(-ln C) = β ln t − β ln τ
  for (std::size_t k = 1; k < c.size(); ++k) {
    if (!(c[k] > c_min && c[k] < c_max)) {
      if (c[k] <= c_min) break;  // stop at the first decay below c_min (noise floor)
      continue;
    }
    const double t = static_cast<double>(k) * dt_ps, lc = std::log(c[k]);
    stt += t * t;
    stl += t * lc;
    const double x = std::log(t), y = std::log(-lc);
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
    ++f.points;
  }
  if (f.points < 2) {  // crossed 1/e within two lags: only the crossing time is supported
    f.points = 0;
    return f;
  }
  f.tau_exp_ps = -stt / stl;
  const double n = f.points, beta = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  const double intercept = (sy - beta * sx) / n;
  f.beta = beta;
  f.tau_kww_ps = std::exp(-intercept / beta);
  f.tau_mean_ps = f.tau_kww_ps / beta * std::tgamma(1.0 / beta);
  return f;
}

AngularMap angular_map(const std::vector<std::vector<Vec3>>& u, int n_theta, int n_phi,
                       double temperature_k) {
  if (n_theta < 1 || n_phi < 1) throw Error("angular_map: need >= 1 bin per angle");
  AngularMap m;
  m.n_theta = n_theta;
  m.n_phi = n_phi;
  std::vector<std::vector<double>> counts(n_theta, std::vector<double>(n_phi, 0.0));
  double total = 0;
  for (const auto& series : u)
    for (const Vec3& v : series) {
      const double th = std::acos(std::max(-1.0, std::min(1.0, v.z / norm(v))));
      const double ph = std::atan2(v.y, v.x);
      const int i = std::min(n_theta - 1, static_cast<int>(th / M_PI * n_theta));
      const int j = std::min(n_phi - 1, static_cast<int>((ph + M_PI) / (2 * M_PI) * n_phi));
      counts[i][j] += 1.0;
      total += 1.0;
    }
  const double kT = units::kBoltzmann_eV_K * temperature_k;
  m.rho.assign(n_theta, std::vector<double>(n_phi, 0.0));
  m.free_energy.assign(n_theta,
                       std::vector<double>(n_phi, std::numeric_limits<double>::infinity()));
  double amin = std::numeric_limits<double>::infinity();
  for (int i = 0; i < n_theta; ++i) {
    const double dOmega =
        (2 * M_PI / n_phi) * (std::cos(M_PI * i / n_theta) - std::cos(M_PI * (i + 1) / n_theta));
    for (int j = 0; j < n_phi; ++j) {
      m.rho[i][j] = counts[i][j] / (total * dOmega);
      if (counts[i][j] > 0) {
        m.free_energy[i][j] = -kT * std::log(m.rho[i][j]);
        amin = std::min(amin, m.free_energy[i][j]);
      }
    }
  }
  for (auto& row : m.free_energy)
    for (double& a : row)
      if (std::isfinite(a)) a -= amin;
  return m;
}

}  // namespace superion::mechanism
