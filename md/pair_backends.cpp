// Analytic test backends.
#include "pair_backends.hpp"

#include <cmath>
#include <utility>

namespace superion::md {

HarmonicTetherBackend::HarmonicTetherBackend(std::vector<Vec3> sites, std::vector<double> k)
    : sites_(std::move(sites)), k_(std::move(k)) {
  if (k_.size() == 1) k_.assign(sites_.size(), k_[0]);
  if (k_.size() != sites_.size())
    throw Error("harmonic tether: one spring constant per site needed");
}

void HarmonicTetherBackend::compute(const Structure& s, ForceResult& out) {
  if (s.size() != sites_.size()) throw Error("harmonic tether: atom count differs from the sites");
  out.forces.resize(s.size());
  out.energy = 0.0;
  out.virial = Mat3{};
  for (std::size_t i = 0; i < s.size(); ++i) {
    const Vec3 d = s.positions[i] - sites_[i];
    out.energy += 0.5 * k_[i] * norm2(d);
    out.forces[i] = -k_[i] * d;
  }
}

LennardJonesBackend::LennardJonesBackend(double epsilon, double sigma, double cutoff, double skin)
    : epsilon_(epsilon), sigma_(sigma), cutoff_(cutoff), list_(cutoff, skin, 0.0) {
  const double sr6 = std::pow(sigma / cutoff, 6);
  shift_ = 4.0 * epsilon * (sr6 * sr6 - sr6);
}

void LennardJonesBackend::compute(const Structure& s, ForceResult& out) {
  list_.update(s);
  const NeighborList& nl = list_.list();
  out.forces.assign(s.size(), Vec3{});
  out.energy = 0.0;
  double w[3][3] = {{0, 0, 0}, {0, 0, 0}, {0, 0, 0}};
  const double rc2 = cutoff_ * cutoff_, s2 = sigma_ * sigma_;
  for (std::size_t i = 0; i < s.size(); ++i)
    for (int e = nl.offsets[i]; e < nl.offsets[i + 1]; ++e) {
      const Vec3& r = nl.displacements[static_cast<std::size_t>(e)];
      const double r2 = norm2(r);
      if (!(r2 < rc2)) continue;
      const double sr2 = s2 / r2, sr6 = sr2 * sr2 * sr2;
      // Full list: each pair is visited twice, so half of the energy and of the force per visit.
      out.energy += 0.5 * (4.0 * epsilon_ * (sr6 * sr6 - sr6) - shift_);
      const double f_over_r = 24.0 * epsilon_ * (2.0 * sr6 * sr6 - sr6) / r2;  // −dE/dr / r
      const Vec3 f = (0.5 * f_over_r) * r;  // force on j from i, along r_ij
      out.forces[nl.neighbors[static_cast<std::size_t>(e)]] += f;
      out.forces[i] -= f;
      for (int a = 0; a < 3; ++a)
        for (int b = 0; b < 3; ++b) w[a][b] += f[a] * r[b];
    }
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b) out.virial[a][b] = w[a][b];
}

}  // namespace superion::md
