// The MTP evaluation split into the passes that the CPU evaluator and the device backend share
// (SUPERION_HD, no allocation). Both run exactly these functions on exactly the same numbers in
// the same order, so the emulated device reproduces the CPU evaluator bit for bit:
//
//   site pass  (per atom i, its neighbours in list order):  basic moments → forward sweep → site
//              energy V_i → reverse sweep (adjoint dV_i/dM) ; wall energy ½ Σ_j E_w(r_ij)
//   pair pass  (per neighbour pair p = (i, j, image)):       g_p = ∂(V_i + ½ E_w)/∂r_ij
//   atom gather (per atom k):                                F_k = Σ_{p of k} g_p − Σ_{p → k} g_p,
//              W_k = −Σ_{p of k} g_p ⊗ r_p (per-atom virial, MLIP PlusStress)
//   totals:    fixed-shape sums over atoms (core/fixed_sum.hpp)
//
// A pair takes part when 0 < |r| < R (R = max(MTP cutoff, largest wall distance)); the MTP terms
// need |r| < max_dist. The neighbour list may hold more pairs (a Verlet skin): they are skipped,
// so the result depends only on the positions, never on when or how the list was built, as long
// as every atom's neighbours are sorted by (j, image) (the CPU list and the device list both are).
//
// Monomials û_x^a û_y^b û_z^c are formed from power tables as (x^a · y^b) · z^c, so the site and
// pair passes need no per-neighbour monomial table (a GPU thread keeps 3·17 powers, not 969
// monomials).
//
// Domain walls (calculators/domain_wall.hpp): E_w = k/3 (r_w − r)^3 for r < r_w per species pair,
// split half to each atom of a pair of the full list.
#pragma once

#include <cmath>
#include <string>

#include "calculators/domain_wall.hpp"
#include "core/error.hpp"
#include "core/hd.hpp"
#include "core/vec3.hpp"
#include "mtp/mtp_kernels.hpp"

namespace superion {

// Largest radial_funcs_count (K) and radial_basis_size (R) of the fixed-size per-neighbour arrays.
constexpr int kMtpMaxRadialFuncs = 16;
constexpr int kMtpMaxRadialBasis = 32;

// Strided access into scratch laid out slot-major ([slot][atom], coalesced on a GPU).
struct MtpStrided {
  double* p;
  long stride;
  SUPERION_HD double& operator[](long s) const { return p[s * stride]; }
};

// Walls per ordered species-type pair: rw[ti · n_types + tj] (Å, 0 = no wall), stiffness k.
struct PairWallView {
  int n_types = 0;
  const double* rw = nullptr;
  double k = 0.0;
  double max_rw = 0.0;
};

// View of host walls for `n_types` species types (throws when the table has fewer types).
inline PairWallView wall_view(const TypeWalls& t, int n_types) {
  if (t.n_types < n_types)
    throw Error("domain walls are given for " + std::to_string(t.n_types) +
                " species types, the potential has " + std::to_string(n_types));
  PairWallView w;
  w.n_types = t.n_types;
  w.rw = t.rw.data();
  w.k = t.k;
  w.max_rw = t.max_rw();
  return w;
}

// Unit-vector powers u^0 … u^max_nu per axis.
struct MtpPowers {
  double x[kMtpMaxNu + 1], y[kMtpMaxNu + 1], z[kMtpMaxNu + 1];
};

SUPERION_HD inline void mtp_powers(int max_nu, double ux, double uy, double uz, MtpPowers& p) {
  p.x[0] = p.y[0] = p.z[0] = 1.0;
  for (int n = 1; n <= max_nu; ++n) {
    p.x[n] = p.x[n - 1] * ux;
    p.y[n] = p.y[n - 1] * uy;
    p.z[n] = p.z[n - 1] * uz;
  }
}

SUPERION_HD inline double mtp_mono(const MtpPowers& p, int a, int b, int c) {
  return p.x[a] * p.y[b] * p.z[c];
}

// One neighbour at displacement d (0 < |d| < max_dist): distance, unit vector, radial functions
// f_μ and (with `derivatives`) f'_μ.
struct MtpNeighbor {
  double r, ux, uy, uz;
  double f[kMtpMaxRadialFuncs], df[kMtpMaxRadialFuncs];
};

SUPERION_HD inline void mtp_neighbor(const MtpView& v, int ti, int tj, const Vec3& d,
                                     bool derivatives, MtpNeighbor& nb) {
  const double r = sqrt(d.x * d.x + d.y * d.y + d.z * d.z);
  const double inv_r = 1.0 / r;
  nb.r = r;
  nb.ux = d.x * inv_r;
  nb.uy = d.y * inv_r;
  nb.uz = d.z * inv_r;
  const int K = v.radial_funcs_count, R = v.radial_basis_size;
  double phi[kMtpMaxRadialBasis], dphi[kMtpMaxRadialBasis];
  mtp_chebyshev(r, v.min_dist, v.max_dist, R, phi, dphi);
  const double* c = v.radial_coeffs + (ti * v.species_count + tj) * K * R;
  for (int mu = 0; mu < K; ++mu, c += R) {
    double s = 0.0;
    for (int b = 0; b < R; ++b) s += c[b] * phi[b];
    nb.f[mu] = v.scaling * s;
    if (derivatives) {
      double ds = 0.0;
      for (int b = 0; b < R; ++b) ds += c[b] * dphi[b];
      nb.df[mu] = v.scaling * ds;
    }
  }
}

// M_k += f_μ(r) û^abc for every basic moment k.
template <class M>
SUPERION_HD inline void mtp_add_moments(const MtpView& v, const MtpNeighbor& nb, const MtpPowers& p,
                                        M moments) {
  for (int k = 0; k < v.n_basic; ++k) {
    const MtpBasic& b = v.basic[k];
    moments[k] += nb.f[b.mu] * mtp_mono(p, b.ia, b.ib, b.ic);
  }
}

// g += Σ_k adj_k ∂(f_μ(r) û^abc)/∂r_ij:
//   ∂/∂r [f P] = (f' − ν f / r) P û + (f / r)(a P_{a−1,b,c}, b P_{a,b−1,c}, c P_{a,b,c−1}).
template <class A>
SUPERION_HD inline void mtp_neighbor_gradient(const MtpView& v, const MtpNeighbor& nb,
                                              const MtpPowers& p, A adj, double* g) {
  const double inv_r = 1.0 / nb.r;
  double su = 0.0, gx = 0.0, gy = 0.0, gz = 0.0;
  for (int k = 0; k < v.n_basic; ++k) {
    const MtpBasic& b = v.basic[k];
    const double w = adj[k];
    const double fw = w * nb.f[b.mu];
    su += (w * nb.df[b.mu] - b.nu * fw * inv_r) * mtp_mono(p, b.ia, b.ib, b.ic);
    const double t = fw * inv_r;
    gx += t * b.a * mtp_mono(p, b.ia > 0 ? b.ia - 1 : 0, b.ib, b.ic);
    gy += t * b.b * mtp_mono(p, b.ia, b.ib > 0 ? b.ib - 1 : 0, b.ic);
    gz += t * b.c * mtp_mono(p, b.ia, b.ib, b.ic > 0 ? b.ic - 1 : 0);
  }
  g[0] += su * nb.ux + gx;
  g[1] += su * nb.uy + gy;
  g[2] += su * nb.uz + gz;
}

// Interaction range of the passes: the MTP cutoff or the largest wall distance.
SUPERION_HD inline double site_range(const MtpView& v, const PairWallView& w) {
  return w.max_rw > v.max_dist ? w.max_rw : v.max_dist;
}

// Whether a pair at squared distance r2 takes part (0 < r < range).
SUPERION_HD inline bool pair_active(double r2, double range) {
  return r2 < range * range && r2 != 0.0;
}

// What the site pass returns besides the adjoint.
struct SiteResult {
  double energy = 0.0;       // V_i (eV)
  double wall_energy = 0.0;  // ½ Σ_j E_w(r_ij) (eV)
  double violation = 0.0;    // largest r_w − r over the atom's pairs (Å), 0 when none
};

// Site pass of atom i (type ti) over pairs [begin, end). `pair(p, d, tj)` gives the displacement
// r_ij and the species of j of pair p. Scratch: moments and adj (n_moments slots each); on return
// adj[0 .. n_basic) holds dV_i/dM_k for the pair pass.
template <class Pair, class M, class A>
SUPERION_HD inline SiteResult mtp_site_pass(const MtpView& v, const PairWallView& w, int ti,
                                            int begin, int end, const Pair& pair, M moments,
                                            A adj) {
  SiteResult out;
  const double range = site_range(v, w), rc2 = v.max_dist * v.max_dist;
  for (int k = 0; k < v.n_basic; ++k) moments[k] = 0.0;
  for (int p = begin; p < end; ++p) {
    Vec3 d;
    int tj;
    pair(p, d, tj);
    const double r2 = norm2(d);
    if (!pair_active(r2, range)) continue;
    if (r2 < rc2) {
      MtpNeighbor nb;
      mtp_neighbor(v, ti, tj, d, false, nb);
      MtpPowers pw;
      mtp_powers(v.max_nu, nb.ux, nb.uy, nb.uz, pw);
      mtp_add_moments(v, nb, pw, moments);
    }
    if (w.n_types > 0) {
      const double rw = w.rw[ti * w.n_types + tj], r = sqrt(r2);
      if (r < rw) {
        double e, f;
        domain_wall_pair(r, rw, w.k, e, f);
        out.wall_energy += 0.5 * e;
        if (rw - r > out.violation) out.violation = rw - r;
      }
    }
  }
  mtp_forward(v, moments);
  out.energy = mtp_site_energy(v, ti, moments);
  mtp_reverse(v, moments, v.moment_coeffs, adj);
  return out;
}

// Pair pass: g = ∂(V_i + ½ E_w(r))/∂r_ij for a pair at displacement d; returns false (g zero,
// pair skipped everywhere) when the pair does not take part. `adj` is atom i's adjoint.
template <class A>
SUPERION_HD inline bool mtp_pair_pass(const MtpView& v, const PairWallView& w, int ti, int tj,
                                      const Vec3& d, A adj, double* g) {
  g[0] = g[1] = g[2] = 0.0;
  const double r2 = norm2(d);
  if (!pair_active(r2, site_range(v, w))) return false;
  if (r2 < v.max_dist * v.max_dist) {
    MtpNeighbor nb;
    mtp_neighbor(v, ti, tj, d, true, nb);
    MtpPowers pw;
    mtp_powers(v.max_nu, nb.ux, nb.uy, nb.uz, pw);
    mtp_neighbor_gradient(v, nb, pw, adj, g);
  }
  if (w.n_types > 0) {
    const double rw = w.rw[ti * w.n_types + tj], r = sqrt(r2);
    if (r < rw) {
      double e, f;
      domain_wall_pair(r, rw, w.k, e, f);
      const double s = -0.5 * f / r;  // ½ dE/dr · d/r
      g[0] += s * d.x;
      g[1] += s * d.y;
      g[2] += s * d.z;
    }
  }
  return true;
}

// Atom gather: force on atom k from the gradients of its own pairs [own_begin, own_end) and of the
// pairs that have k as neighbour (rev_pairs[rev_begin .. rev_end), increasing pair index), and
// its virial W_k = −Σ_own g_p ⊗ r_p (9 numbers, row-major). Pairs with active[p] == 0 are skipped.
template <class Pair>
SUPERION_HD inline void atom_gather(int own_begin, int own_end, int rev_begin, int rev_end,
                                    const int* rev_pairs, const double* g,
                                    const unsigned char* active, const Pair& pair, Vec3& force,
                                    double* virial) {
  Vec3 f{0.0, 0.0, 0.0};
  for (int c = 0; c < 9; ++c) virial[c] = 0.0;
  for (int p = own_begin; p < own_end; ++p) {
    if (!active[p]) continue;
    const double* gp = g + 3 * static_cast<long>(p);
    Vec3 d;
    int tj;
    pair(p, d, tj);
    f.x += gp[0];
    f.y += gp[1];
    f.z += gp[2];
    for (int a = 0; a < 3; ++a) {
      virial[3 * a + 0] -= gp[a] * d.x;
      virial[3 * a + 1] -= gp[a] * d.y;
      virial[3 * a + 2] -= gp[a] * d.z;
    }
  }
  for (int q = rev_begin; q < rev_end; ++q) {
    const long p = rev_pairs[q];
    if (!active[p]) continue;
    const double* gp = g + 3 * p;
    f.x -= gp[0];
    f.y -= gp[1];
    f.z -= gp[2];
  }
  force = f;
}

}  // namespace superion
