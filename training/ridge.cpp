// Scale-covariant ridge penalty on the moment coefficients (see ridge.hpp).
#include "ridge.hpp"

#include <cmath>

#include "core/error.hpp"

namespace superion {

std::vector<std::vector<int>> linear_radial_degrees(const Mtp& m) {
  const int K = m.radial_funcs_count;
  std::vector<std::vector<int>> slot(m.alpha_moments_count, std::vector<int>(K, 0));
  for (int k = 0; k < m.basic_count(); ++k) slot[k][m.alpha_index_basic[k][0]] = 1;
  std::vector<int> seen(m.alpha_moments_count, 0);
  for (const auto& t : m.alpha_index_times) {
    std::vector<int> d(K);
    for (int mu = 0; mu < K; ++mu) d[mu] = slot[t[0]][mu] + slot[t[1]][mu];
    if (!seen[t[3]]) {
      slot[t[3]] = d;
      seen[t[3]] = 1;
    } else if (slot[t[3]] != d) {
      throw Error("moment slot " + std::to_string(t[3]) +
                  " sums products of different degrees in the radial functions: the ridge "
                  "penalty needs a homogeneous basis");
    }
  }
  std::vector<std::vector<int>> out(m.species_count, std::vector<int>(K, 0));
  for (int s : m.alpha_moment_mapping) out.push_back(slot[s]);
  return out;
}

RidgePenalty::RidgePenalty(const Mtp& model)
    : C_(model.species_count),
      K_(model.radial_funcs_count),
      R_(model.radial_basis_size),
      degrees_(linear_radial_degrees(model)) {}

std::vector<double> RidgePenalty::radial_norms_sq(const std::vector<double>& radial) const {
  std::vector<double> n(K_, 0.0);
  for (int p = 0; p < C_ * C_; ++p)
    for (int mu = 0; mu < K_; ++mu)
      for (int b = 0; b < R_; ++b) {
        const double c = radial[(static_cast<std::size_t>(p) * K_ + mu) * R_ + b];
        n[mu] += c * c;
      }
  return n;
}

void RidgePenalty::set_reference(const std::vector<double>& radial,
                                 const Eigen::VectorXd& normal_diagonal) {
  const std::vector<double> n = radial_norms_sq(radial);
  base_.assign(degrees_.size(), 0.0);
  for (std::size_t l = C_; l < degrees_.size(); ++l) {
    double scale = 1.0;
    for (int mu = 0; mu < K_; ++mu) scale *= std::pow(n[mu], degrees_[l][mu]);
    base_[l] = scale > 0.0 ? normal_diagonal(static_cast<Eigen::Index>(l)) / scale : 0.0;
  }
}

Eigen::VectorXd RidgePenalty::weights(const std::vector<double>& radial) const {
  const std::vector<double> n = radial_norms_sq(radial);
  Eigen::VectorXd w = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(degrees_.size()));
  for (std::size_t l = C_; l < degrees_.size(); ++l) {
    double scale = 1.0;
    for (int mu = 0; mu < K_; ++mu) scale *= std::pow(n[mu], degrees_[l][mu]);
    w(static_cast<Eigen::Index>(l)) = base_[l] * scale;
  }
  return w;
}

double RidgePenalty::value(const Eigen::VectorXd& w, const std::vector<double>& linear) const {
  double s = 0.0;
  for (Eigen::Index l = 0; l < w.size(); ++l) s += w(l) * linear[l] * linear[l];
  return lambda_ * s;
}

void RidgePenalty::add_gradient(const std::vector<double>& radial, const Eigen::VectorXd& w,
                                const std::vector<double>& linear,
                                std::vector<double>& grad) const {
  const std::vector<double> n = radial_norms_sq(radial);
  // ∂/∂c_(pμβ) λ Σ_α ω_α ξ_α² = 2 c_(pμβ)/‖c_μ‖² · λ Σ_α d_αμ ω_α ξ_α².
  std::vector<double> s(K_, 0.0);
  for (std::size_t l = C_; l < degrees_.size(); ++l)
    for (int mu = 0; mu < K_; ++mu)
      s[mu] += degrees_[l][mu] * w(static_cast<Eigen::Index>(l)) * linear[l] * linear[l];
  for (int p = 0; p < C_ * C_; ++p)
    for (int mu = 0; mu < K_; ++mu) {
      if (!(n[mu] > 0.0)) continue;
      for (int b = 0; b < R_; ++b) {
        const std::size_t i = (static_cast<std::size_t>(p) * K_ + mu) * R_ + b;
        grad[i] += 2.0 * lambda_ * s[mu] * radial[i] / n[mu];
      }
    }
}

Eigen::MatrixXd RidgePenalty::residual_jacobian(const std::vector<double>& radial,
                                                const Eigen::VectorXd& w,
                                                const std::vector<double>& linear) const {
  const std::vector<double> n = radial_norms_sq(radial);
  const auto L = static_cast<Eigen::Index>(degrees_.size());
  Eigen::MatrixXd J = Eigen::MatrixXd::Zero(L, static_cast<Eigen::Index>(radial.size()));
  // ∂ρ_α/∂c_(pμβ) = √(λω_α) ξ_α d_αμ c_(pμβ)/‖c_μ‖².
  for (Eigen::Index l = C_; l < L; ++l) {
    const double a = std::sqrt(lambda_ * w(l)) * linear[l];
    for (int mu = 0; mu < K_; ++mu) {
      const int d = degrees_[l][mu];
      if (d == 0 || !(n[mu] > 0.0)) continue;
      for (int p = 0; p < C_ * C_; ++p)
        for (int b = 0; b < R_; ++b) {
          const std::size_t i = (static_cast<std::size_t>(p) * K_ + mu) * R_ + b;
          J(l, static_cast<Eigen::Index>(i)) = a * d * radial[i] / n[mu];
        }
    }
  }
  return J;
}

}  // namespace superion
