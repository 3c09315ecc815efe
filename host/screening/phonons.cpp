// Finite-displacement force constants and dynamical matrices.
#include "screening/phonons.hpp"

#include <Eigen/Dense>
#include <cmath>
#include <complex>

#include "core/error.hpp"
#include "core/geometry.hpp"

namespace superion {
namespace {

Structure make_supercell(const Structure& unit, const std::array<int, 3>& m) {
  Structure s;
  for (int k = 0; k < 3; ++k) {
    if (m[static_cast<std::size_t>(k)] < 1) throw Error("supercell multiples must be >= 1");
    s.cell.set_row(k, unit.cell.row(k) * double(m[static_cast<std::size_t>(k)]));
  }
  s.pbc = unit.pbc;
  s.species_symbols = unit.species_symbols;
  const auto masses = unit.atom_masses();
  for (int a = 0; a < m[0]; ++a)
    for (int b = 0; b < m[1]; ++b)
      for (int c = 0; c < m[2]; ++c) {
        const Vec3 t = row_times(Vec3{double(a), double(b), double(c)}, unit.cell);
        for (std::size_t i = 0; i < unit.size(); ++i) {
          s.positions.push_back(unit.positions[i] + t);
          s.types.push_back(unit.types[i]);
          s.masses.push_back(masses[i]);
        }
      }
  return s;
}

}  // namespace

ForceConstants compute_force_constants(const Calculator& calc, const Structure& unit,
                                       std::array<int, 3> supercell, double d) {
  if (!(unit.pbc[0] && unit.pbc[1] && unit.pbc[2]))
    throw Error("phonons need a fully periodic cell");
  if (!(d > 0)) throw Error("displacement must be positive");
  ForceConstants fc;
  fc.unit = unit;
  fc.supercell = supercell;
  fc.super = make_supercell(unit, supercell);
  const std::size_t nu = unit.size(), ns = fc.super.size();
  fc.phi.assign(nu * ns * 9, 0.0);
  // Unit atom i sits at supercell index i (translation 0,0,0 comes first).
  for (std::size_t i = 0; i < nu; ++i)
    for (int a = 0; a < 3; ++a) {
      Structure plus = fc.super, minus = fc.super;
      plus.positions[i][a] += d;
      minus.positions[i][a] -= d;
      const CalcResult fp = calc.compute(plus), fm = calc.compute(minus);
      for (std::size_t j = 0; j < ns; ++j)
        for (int b = 0; b < 3; ++b)
          fc.at(i, j, a, b) = -(fp.forces[j][b] - fm.forces[j][b]) / (2.0 * d);
    }
  return fc;
}

void apply_acoustic_sum_rule(ForceConstants& fc) {
  for (std::size_t i = 0; i < fc.n_unit(); ++i)
    for (int a = 0; a < 3; ++a)
      for (int b = 0; b < 3; ++b) {
        double sum = 0;
        for (std::size_t j = 0; j < fc.n_super(); ++j)
          if (j != i) sum += fc.at(i, j, a, b);
        fc.at(i, i, a, b) = -sum;
      }
}

std::vector<double> phonon_frequencies(const ForceConstants& fc, const std::array<double, 3>& q) {
  const std::size_t nu = fc.n_unit(), ns = fc.n_super();
  const Structure& sc = fc.super;
  const Mat3 inv_sc = inverse(sc.cell);
  const auto masses = fc.unit.atom_masses();
  // q in cartesian (rad/Å): q_cart = 2π q_red · B, B = inverse(cell)^T rows.
  const Vec3 q_cart =
      row_times(Vec3{q[0], q[1], q[2]}, (2.0 * M_PI) * transpose(inverse(fc.unit.cell)));
  Eigen::MatrixXcd D = Eigen::MatrixXcd::Zero(static_cast<long>(3 * nu), static_cast<long>(3 * nu));
  for (std::size_t i = 0; i < nu; ++i)
    for (std::size_t js = 0; js < ns; ++js) {
      const std::size_t j = js % nu;  // unit atom of supercell atom js
      // Shortest supercell images of the vector i → js (phonopy: average over ties).
      const Vec3 d0 = sc.positions[js] - sc.positions[i];
      Vec3 f = row_times(d0, inv_sc);
      for (int k = 0; k < 3; ++k) f[k] -= std::round(f[k]);
      std::vector<Vec3> candidates;
      double best = 1e300;
      for (int a = -2; a <= 2; ++a)
        for (int b = -2; b <= 2; ++b)
          for (int c = -2; c <= 2; ++c) {
            const Vec3 v = row_times(Vec3{f.x + a, f.y + b, f.z + c}, sc.cell);
            const double l = norm(v);
            if (l < best - 1e-5) {
              best = l;
              candidates.assign(1, v);
            } else if (std::fabs(l - best) <= 1e-5) {
              candidates.push_back(v);
            }
          }
      std::complex<double> phase = 0.0;
      for (const Vec3& v : candidates) phase += std::polar(1.0, dot(q_cart, v));
      phase /= static_cast<double>(candidates.size());
      const double inv_m = 1.0 / std::sqrt(masses[i] * masses[j]);
      for (int a = 0; a < 3; ++a)
        for (int b = 0; b < 3; ++b)
          D(static_cast<long>(3 * i + a), static_cast<long>(3 * j + b)) +=
              fc.at(i, js, a, b) * inv_m * phase;
    }
  // Hermitian part (removes round-off asymmetry of the finite differences).
  const Eigen::MatrixXcd H = 0.5 * (D + D.adjoint());
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXcd> es(H, Eigen::EigenvaluesOnly);
  std::vector<double> nu_thz;
  for (long k = 0; k < es.eigenvalues().size(); ++k) {
    const double w2 = es.eigenvalues()[k];
    nu_thz.push_back((w2 < 0 ? -1.0 : 1.0) * std::sqrt(std::fabs(w2)) * kPhononTHz);
  }
  return nu_thz;
}

StabilityVerdict dynamic_stability(const ForceConstants& fc, std::array<int, 3> mesh, double tol) {
  StabilityVerdict v;
  v.min_frequency = 1e300;
  for (int a = 0; a < mesh[0]; ++a)
    for (int b = 0; b < mesh[1]; ++b)
      for (int c = 0; c < mesh[2]; ++c) {
        const std::array<double, 3> q{double(a) / mesh[0], double(b) / mesh[1],
                                      double(c) / mesh[2]};
        const auto f = phonon_frequencies(fc, q);
        if (f.front() < v.min_frequency) {
          v.min_frequency = f.front();
          v.worst_q = q;
        }
      }
  v.stable = v.min_frequency >= -tol;
  return v;
}

}  // namespace superion
