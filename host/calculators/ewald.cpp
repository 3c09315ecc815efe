// Ewald summation (real-space part over the neighbour list, reciprocal part over all k-vectors
// inside the cutoff sphere, self and background terms).
#include "calculators/ewald.hpp"

#include <cmath>
#include <complex>

#include "core/error.hpp"
#include "neighbor/neighbor_list.hpp"

namespace superion {

void add_ewald(const Structure& s, const std::vector<double>& q, const EwaldOptions& opt,
               CalcResult& out) {
  if (!(s.pbc[0] && s.pbc[1] && s.pbc[2]))
    throw Error("Ewald summation needs a fully periodic cell");
  const std::size_t n = s.size();
  if (q.size() != n) throw Error("Ewald: one charge per atom expected");
  if (out.forces.size() != n) out.forces.assign(n, Vec3{});
  const double rc = opt.real_cutoff;
  const double log_eps = -std::log(opt.accuracy);
  const double alpha = std::sqrt(log_eps) / rc;
  const double kcut = 2.0 * alpha * std::sqrt(log_eps);
  const double volume = s.volume();
  const double ke = kCoulombEVA;

  // Real space: half list, each pair once.
  const NeighborList nl = build_neighbor_list(s, rc, /*half=*/true);
  const double two_over_sqrt_pi = 2.0 / std::sqrt(M_PI);
  for (std::size_t i = 0; i < n; ++i)
    for (int e = nl.offsets[i]; e < nl.offsets[i + 1]; ++e) {
      const auto j = static_cast<std::size_t>(nl.neighbors[static_cast<std::size_t>(e)]);
      const Vec3& d = nl.displacements[static_cast<std::size_t>(e)];
      const double r = norm(d);
      const double qq = ke * q[i] * q[j];
      const double erfc_term = std::erfc(alpha * r) / r;
      // A self-image pair (i == j) appears once in the half list but stands for the two
      // symmetric images ±n, each contributing ½ q_i² erfc/r: the sum is the same single term.
      out.energy += qq * erfc_term;
      const double dEdr =
          -qq * (erfc_term + two_over_sqrt_pi * alpha * std::exp(-alpha * alpha * r * r)) / r;
      const Vec3 g = (dEdr / r) * d;  // ∂E/∂r_ij, r_ij = r_j − r_i
      out.forces[i] += g;
      out.forces[j] -= g;
      for (int a = 0; a < 3; ++a)
        for (int b = 0; b < 3; ++b) out.virial[a][b] -= g[a] * d[b];
    }

  // Reciprocal space: k = 2π m · B with B = inverse(cell)^T rows (reciprocal vectors as rows).
  const Mat3 recip = (2.0 * M_PI) * transpose(inverse(s.cell));
  int mmax[3];
  for (int k = 0; k < 3; ++k) {
    // |m_k| <= kcut / (2π) · |a_k| is sufficient since the k-th reciprocal row times a_k = 2π.
    mmax[k] = static_cast<int>(std::ceil(kcut * norm(s.cell.row(k)) / (2.0 * M_PI)));
  }
  const double pref = 2.0 * M_PI * ke / volume;
  std::vector<std::complex<double>> phase(n);
  for (int m0 = -mmax[0]; m0 <= mmax[0]; ++m0)
    for (int m1 = -mmax[1]; m1 <= mmax[1]; ++m1)
      for (int m2 = -mmax[2]; m2 <= mmax[2]; ++m2) {
        if (m0 == 0 && m1 == 0 && m2 == 0) continue;
        // Use the k / −k symmetry: only the lexicographically positive half, doubled.
        if (m0 < 0 || (m0 == 0 && (m1 < 0 || (m1 == 0 && m2 < 0)))) continue;
        const Vec3 kv = row_times(Vec3{double(m0), double(m1), double(m2)}, recip);
        const double k2 = norm2(kv);
        if (k2 > kcut * kcut) continue;
        const double f = 2.0 * std::exp(-k2 / (4.0 * alpha * alpha)) / k2;  // factor 2: ±k
        std::complex<double> S = 0.0;
        for (std::size_t i = 0; i < n; ++i) {
          phase[i] = std::polar(1.0, dot(kv, s.positions[i]));
          S += q[i] * phase[i];
        }
        const double s2 = std::norm(S);
        const double ek = pref * f * s2;
        out.energy += ek;
        for (std::size_t i = 0; i < n; ++i) {
          // F_i = (4π k_e/V) q_i f/2·2 k Im[e^{ik·r_i} S*]  (f already holds the ±k factor 2)
          const double im = std::imag(phase[i] * std::conj(S));
          out.forces[i] += (2.0 * pref * f * q[i] * im) * kv;
        }
        const double c = 2.0 * (1.0 / k2 + 1.0 / (4.0 * alpha * alpha));
        for (int a = 0; a < 3; ++a)
          for (int b = 0; b < 3; ++b)
            out.virial[a][b] += ek * ((a == b ? 1.0 : 0.0) - c * kv[a] * kv[b]);
      }

  // Self energy and the neutralising background for charged cells.
  double q2 = 0, qsum = 0;
  for (double qi : q) {
    q2 += qi * qi;
    qsum += qi;
  }
  out.energy -= ke * alpha / std::sqrt(M_PI) * q2;
  if (std::fabs(qsum) > 1e-12) {
    const double eb = -M_PI * ke * qsum * qsum / (2.0 * volume * alpha * alpha);
    out.energy += eb;
    for (int a = 0; a < 3; ++a) out.virial[a][a] += eb;
  }
}

}  // namespace superion
