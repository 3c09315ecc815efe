// MTP math as SUPERION_HD inline functions on raw pointers (no allocation, no exceptions), shared
// by the CPU evaluator and the CUDA kernels. MTP_FACTS §3:
//   φ_β(r) = T_β(ξ)(r − R_cut)², ξ = (2r − R_min − R_cut)/(R_cut − R_min)
//   f_μ(r) = s Σ_β c^{(z_i z_j)}_{μβ} φ_β(r)
//   M_k(i) = Σ_j f_{μ_k}(r_ij) · û_x^a û_y^b û_z^c          (unit vectors)
//   M_t += m · M_p · M_q  (contraction list, file order)
//   V_i = ξ^{sp}_{z_i} + Σ_α ξ_α M_{map[α]}
//   g_ij = ∂V_i/∂r_ij by a reverse sweep giving dV/dM and differentiation of the basic moments.
#pragma once

#include <cmath>

#include "core/hd.hpp"

namespace superion {

// One basic moment {μ, a, b, c}, flattened for the hot loop. `mono` indexes the monomial
// û_x^a û_y^b û_z^c in the per-neighbour monomial table; lx/ly/lz index the monomials with a, b or
// c lowered by one (0 when that exponent is 0; its weight a/b/c is then 0).
struct MtpBasic {
  int mu, mono, lx, ly, lz;
  double nu, a, b, c;
  int ia, ib, ic;  // the exponents as integers (mtp_site_kernels.hpp builds monomials from powers)
};

// One contraction M_t += m·M_p·M_q.
struct MtpTimes {
  int p, q, t;
  double m;
};

// Read-only view of a model in flat arrays (host or device memory).
struct MtpView {
  int species_count;       // C
  int radial_funcs_count;  // K
  int radial_basis_size;   // R
  double min_dist, max_dist, scaling;
  const double* radial_coeffs;  // [((i*C + j)*K + mu)*R + beta]
  int n_basic;
  const MtpBasic* basic;
  int n_times;
  const MtpTimes* times;
  int n_moments;                 // alpha_moments_count
  int n_scalar;                  // A
  const int* mapping;            // A slot indices
  const double* moment_coeffs;   // A
  const double* species_coeffs;  // C
  int max_nu;                    // max a+b+c
  int n_mono;                    // monomials with a+b+c <= max_nu
  const int* mono_abc;           // 3 per monomial: a, b, c
};

// Maximal tensor rank supported by the fixed-size power tables below.
constexpr int kMtpMaxNu = 16;

// Chebyshev radial basis values and r-derivatives, β = 0..R-1 (R >= 2).
SUPERION_HD inline void mtp_chebyshev(double r, double rmin, double rmax, int R, double* phi,
                                      double* dphi) {
  const double mult = 2.0 / (rmax - rmin);
  const double ksi = (2.0 * r - (rmin + rmax)) / (rmax - rmin);
  const double d = r - rmax;
  phi[0] = d * d;
  dphi[0] = 2.0 * d;
  phi[1] = ksi * d * d;
  dphi[1] = mult * d * d + 2.0 * ksi * d;
  for (int b = 2; b < R; ++b) {
    phi[b] = 2.0 * ksi * phi[b - 1] - phi[b - 2];
    dphi[b] = 2.0 * (mult * phi[b - 1] + ksi * dphi[b - 1]) - dphi[b - 2];
  }
}

// Radial functions f_μ and f'_μ (μ = 0..K-1) of one ordered species pair from the basis values.
SUPERION_HD inline void mtp_radial_functions(const MtpView& v, int type_i, int type_j,
                                             const double* phi, const double* dphi, double* f,
                                             double* df) {
  const int K = v.radial_funcs_count, R = v.radial_basis_size;
  const double* c = v.radial_coeffs + (type_i * v.species_count + type_j) * K * R;
  for (int mu = 0; mu < K; ++mu, c += R) {
    double s = 0.0, ds = 0.0;
    for (int b = 0; b < R; ++b) {
      s += c[b] * phi[b];
      ds += c[b] * dphi[b];
    }
    f[mu] = v.scaling * s;
    df[mu] = v.scaling * ds;
  }
}

// Monomials û_x^a û_y^b û_z^c for all (a,b,c) of the view's monomial table.
SUPERION_HD inline void mtp_monomials(const MtpView& v, double ux, double uy, double uz,
                                      double* mono) {
  double px[kMtpMaxNu + 1], py[kMtpMaxNu + 1], pz[kMtpMaxNu + 1];
  px[0] = py[0] = pz[0] = 1.0;
  for (int n = 1; n <= v.max_nu; ++n) {
    px[n] = px[n - 1] * ux;
    py[n] = py[n - 1] * uy;
    pz[n] = pz[n - 1] * uz;
  }
  const int* abc = v.mono_abc;
  for (int m = 0; m < v.n_mono; ++m, abc += 3) mono[m] = px[abc[0]] * py[abc[1]] * pz[abc[2]];
}

// Adds one neighbour's contribution to the basic moments M_k += f_μ · monomial.
SUPERION_HD inline void mtp_accumulate_basic(const MtpView& v, const double* f, const double* mono,
                                             double* moments) {
  for (int k = 0; k < v.n_basic; ++k) {
    const MtpBasic& b = v.basic[k];
    moments[k] += f[b.mu] * mono[b.mono];
  }
}

// Forward sweep: clears the derived slots and applies the contraction list in order. `moments` is a
// double* or any accessor with operator[](int) -> double& (e.g. MtpStrided for device scratch).
template <class M>
SUPERION_HD inline void mtp_forward(const MtpView& v, M moments) {
  for (int s = v.n_basic; s < v.n_moments; ++s) moments[s] = 0.0;
  // Consecutive entries usually share the output slot: sum them in a register (avoids a
  // store-to-load dependency chain). Safe because no entry reads a slot before its last write.
  int cur = -1;
  double acc = 0.0;
  for (int e = 0; e < v.n_times; ++e) {
    const MtpTimes& t = v.times[e];
    if (t.t != cur) {
      if (cur >= 0) moments[cur] += acc;
      cur = t.t;
      acc = 0.0;
    }
    acc += t.m * moments[t.p] * moments[t.q];
  }
  if (cur >= 0) moments[cur] += acc;
}

// Site energy V_i from the completed moments.
template <class M>
SUPERION_HD inline double mtp_site_energy(const MtpView& v, int type_i, M moments) {
  double e = v.species_coeffs[type_i];
  for (int a = 0; a < v.n_scalar; ++a) e += v.moment_coeffs[a] * moments[v.mapping[a]];
  return e;
}

// Reverse sweep: adj = dV/dM for every slot (the basic slots 0..n_basic-1 are what the gradient
// needs). `seed` (size A) weights the scalar basis functions, normally the moment coefficients.
template <class M, class A>
SUPERION_HD inline void mtp_reverse(const MtpView& v, M moments, const double* seed, A adj) {
  for (int s = 0; s < v.n_moments; ++s) adj[s] = 0.0;
  for (int a = 0; a < v.n_scalar; ++a) adj[v.mapping[a]] += seed[a];
  for (int e = v.n_times - 1; e >= 0; --e) {
    const MtpTimes& t = v.times[e];
    const double w = t.m * adj[t.t];
    adj[t.p] += w * moments[t.q];
    adj[t.q] += w * moments[t.p];
  }
}

// g_ij = Σ_k adj_k ∂(f_μ(r) û^abc)/∂r_ij for one neighbour at distance r along unit vector u:
//   ∂/∂r [f P] = (f' − ν f / r) P û + (f / r)(a P_{a−1,b,c}, b P_{a,b−1,c}, c P_{a,b,c−1}).
SUPERION_HD inline void mtp_pair_gradient(const MtpView& v, double r, double ux, double uy,
                                          double uz, const double* f, const double* df,
                                          const double* mono, const double* adj, double* g) {
  const double inv_r = 1.0 / r;
  double su = 0.0, gx = 0.0, gy = 0.0, gz = 0.0;
  for (int k = 0; k < v.n_basic; ++k) {
    const MtpBasic& b = v.basic[k];
    const double w = adj[k];
    const double fw = w * f[b.mu];
    su += (w * df[b.mu] - b.nu * fw * inv_r) * mono[b.mono];
    const double t = fw * inv_r;
    gx += t * b.a * mono[b.lx];
    gy += t * b.b * mono[b.ly];
    gz += t * b.c * mono[b.lz];
  }
  g[0] = su * ux + gx;
  g[1] = su * uy + gy;
  g[2] = su * uz + gz;
}

// Size of the per-neighbour cache used by mtp_atom: r, ux, uy, uz, f[K], df[K].
SUPERION_HD inline int mtp_cache_stride(const MtpView& v) {
  return 4 + 2 * v.radial_funcs_count;
}

// Everything for one central atom: its site energy and the gradients g_j = ∂V_i/∂r_ij of its n
// neighbours (displacements d, 3 per neighbour; species tj). Scratch: moments and adj
// (n_moments each), mono (n_mono), basis (2R), cache (n · mtp_cache_stride).
// Neighbours must satisfy 0 < r < max_dist.
SUPERION_HD inline double mtp_atom(const MtpView& v, int ti, int n, const int* tj, const double* d,
                                   double* g, double* moments, double* adj, double* mono,
                                   double* basis, double* cache) {
  const int K = v.radial_funcs_count, R = v.radial_basis_size, stride = mtp_cache_stride(v);
  for (int k = 0; k < v.n_basic; ++k) moments[k] = 0.0;
  for (int j = 0; j < n; ++j) {
    double* c = cache + j * stride;
    const double x = d[3 * j], y = d[3 * j + 1], z = d[3 * j + 2];
    const double r = sqrt(x * x + y * y + z * z);
    const double inv_r = 1.0 / r;
    c[0] = r;
    c[1] = x * inv_r;
    c[2] = y * inv_r;
    c[3] = z * inv_r;
    mtp_chebyshev(r, v.min_dist, v.max_dist, R, basis, basis + R);
    mtp_radial_functions(v, ti, tj[j], basis, basis + R, c + 4, c + 4 + K);
    mtp_monomials(v, c[1], c[2], c[3], mono);
    mtp_accumulate_basic(v, c + 4, mono, moments);
  }
  mtp_forward(v, moments);
  const double e = mtp_site_energy(v, ti, moments);
  mtp_reverse(v, moments, v.moment_coeffs, adj);
  for (int j = 0; j < n; ++j) {
    const double* c = cache + j * stride;
    mtp_monomials(v, c[1], c[2], c[3], mono);
    mtp_pair_gradient(v, c[0], c[1], c[2], c[3], c + 4, c + 4 + K, mono, adj, g + 3 * j);
  }
  return e;
}

}  // namespace superion
