// Training kernels of the MTP (SUPERION_HD, raw pointers or accessors, no allocation), shared by
// the CPU trainer backend (training/cpu_backend.cpp) and the device one (device/train_*.cpp). They
// work on one central atom i with n cached neighbours:
//   ru[4j..]  = r, ux, uy, uz of neighbour j;   phi[2R j..] = φ_β(r_j) (R values) then φ'_β(r_j).
// Each kernel is split into steps (a site step per atom, a step per neighbour, a step per block of
// "lanes") so that the CPU runs them for a whole atom in one thread while the device runs each step
// in its own launch (one thread per atom, per pair or per lane block). Both perform the same
// floating-point operations in the same order on every output, so the emulated device reproduces
// the CPU's design rows, Jacobian rows and gradients bit for bit. Scratch passed as template
// accessors is a double* on the CPU and MtpStrided (slot-major, coalesced) on the device; the
// monomials û^abc come from a per-neighbour table (MtpMonoTable, CPU) or from power tables
// (MtpMonoPowers, device: no per-thread table of up to 969 values); both give the same numbers.
//
// Design rows (forward-mode tangents). The model is linear in the species and moment coefficients
// ξ: V_i = ξ^sp_{t_i} + Σ_α ξ_α B_α(i), B_α(i) = M_{map α}(i). For the linear least squares we need
// B_α(i) and D_α(j,d) = ∂B_α(i)/∂(r_ij)_d for every neighbour j and direction d. They are the
// tangents T_s = ∂M_s/∂(r_ij)_d of every slot, propagated through the contraction list
//   T_t += m (T_p M_q + M_p T_q)
// with the 3n "lanes" (j, d) stored contiguously per slot (T[s·L + 3j + d], L = 3n).
//
// Radial gradient (dual numbers). With residual weights held fixed, the loss gradient equals the
// gradient of G = Σ_i [a_E V_i − Σ_j ∇_{r_ij} V_i · δ_ij] (δ_ij = a_j − a_i + S r_ij combines the
// force and virial residuals, see cpu_backend.cpp). The directional derivative V̇_i along δ is
// carried by the tangent slots Ṁ, the reverse sweep of the pair (M, Ṁ) gives adjoints M̄, Ṁ̄ of
// the basic moments, and M_k, Ṁ_k are linear in the radial coefficients c:
//   ∂M_k/∂c_β = s Σ_j φ_β P_k,   ∂Ṁ_k/∂c_β = s Σ_j [(φ'_β − ν φ_β / r) P_k (û·δ) + φ_β/r ∇̃P_k·δ],
// with P_k = û_x^a û_y^b û_z^c and ∇̃P_k = (a P_{a−1,b,c}, b P_{a,b−1,c}, c P_{a,b,c−1}).
#pragma once

#include "mtp/mtp_kernels.hpp"
#include "mtp/mtp_site_kernels.hpp"

namespace superion {

// ---- monomials of one neighbour ----

// From the table filled by mtp_monomials (index b.mono, and b.lx/ly/lz for a lowered exponent).
struct MtpMonoTable {
  const double* m;
  SUPERION_HD double value(const MtpBasic& b) const { return m[b.mono]; }
  SUPERION_HD double lx(const MtpBasic& b) const { return m[b.lx]; }
  SUPERION_HD double ly(const MtpBasic& b) const { return m[b.ly]; }
  SUPERION_HD double lz(const MtpBasic& b) const { return m[b.lz]; }
};

// From the powers of the unit vector: the table's products (x^a·y^b)·z^c, formed on the fly. A
// lowered exponent of 0 gives a finite stand-in that is multiplied by the weight a = 0, as the
// table's entry 0.
struct MtpMonoPowers {
  MtpPowers p;
  SUPERION_HD double value(const MtpBasic& b) const { return mtp_mono(p, b.ia, b.ib, b.ic); }
  SUPERION_HD double lx(const MtpBasic& b) const {
    return mtp_mono(p, b.ia > 0 ? b.ia - 1 : 0, b.ib, b.ic);
  }
  SUPERION_HD double ly(const MtpBasic& b) const {
    return mtp_mono(p, b.ia, b.ib > 0 ? b.ib - 1 : 0, b.ic);
  }
  SUPERION_HD double lz(const MtpBasic& b) const {
    return mtp_mono(p, b.ia, b.ib, b.ic > 0 ? b.ic - 1 : 0);
  }
};

SUPERION_HD inline void mtp_mono_powers(const MtpView& v, const double* ru_j, MtpMonoPowers& out) {
  mtp_powers(v.max_nu, ru_j[1], ru_j[2], ru_j[3], out.p);
}

// Radial functions f_μ, f'_μ (K each) of neighbour j from cached basis values.
SUPERION_HD inline void mtp_train_radial(const MtpView& v, int ti, int tj, const double* phi_j,
                                         double* f, double* df) {
  mtp_radial_functions(v, ti, tj, phi_j, phi_j + v.radial_basis_size, f, df);
}

// ---- design rows ----

// M_k += f_μ P_k of one neighbour for every basic moment k.
template <class M, class Mono>
SUPERION_HD inline void mtp_train_add_basic(const MtpView& v, const double* f, const Mono& mono,
                                            M moments) {
  for (int k = 0; k < v.n_basic; ++k) {
    const MtpBasic& b = v.basic[k];
    moments[k] += f[b.mu] * mono.value(b);
  }
}

// Basic moments M_k (k < n_basic) and the complete forward sweep (mtp_forward). Scratch: f (2K),
// mono (n_mono). (The whole-atom functions taking a monomial table are the CPU's; host only.)
inline void mtp_train_moments(const MtpView& v, int ti, int n, const int* tj, const double* ru,
                              const double* phi, double* moments, double* f, double* mono) {
  const int K = v.radial_funcs_count, R = v.radial_basis_size;
  for (int k = 0; k < v.n_basic; ++k) moments[k] = 0.0;
  for (int j = 0; j < n; ++j) {
    mtp_train_radial(v, ti, tj[j], phi + 2 * R * j, f, f + K);
    mtp_monomials(v, ru[4 * j + 1], ru[4 * j + 2], ru[4 * j + 3], mono);
    mtp_train_add_basic(v, f, MtpMonoTable{mono}, moments);
  }
  mtp_forward(v, moments);
}

// The same with powers instead of a monomial table and any scratch accessor (device).
template <class M>
SUPERION_HD inline void mtp_train_moments_powers(const MtpView& v, int ti, int n, const int* tj,
                                                 const double* ru, const double* phi, M moments) {
  const int K = v.radial_funcs_count, R = v.radial_basis_size;
  double f[2 * kMtpMaxRadialFuncs];
  MtpMonoPowers mono;
  for (int k = 0; k < v.n_basic; ++k) moments[k] = 0.0;
  for (int j = 0; j < n; ++j) {
    mtp_train_radial(v, ti, tj[j], phi + 2 * R * j, f, f + K);
    mtp_mono_powers(v, ru + 4 * j, mono);
    mtp_train_add_basic(v, f, mono, moments);
  }
  mtp_forward(v, moments);
}

// Tangents of the basic moments for neighbour j in its 3 lanes d = x, y, z:
//   T(k, d) = ∂M_k/∂(r_j)_d = (f' − ν f/r) P û_d + (f/r) a_d P_{lowered d}.
// `T(k)` returns a pointer to the 3 lanes of slot k. f: f (K) then f' (K) of neighbour j.
template <class Lanes, class Mono>
SUPERION_HD inline void mtp_train_basic_tangents(const MtpView& v, const double* ru_j,
                                                 const double* f, const Mono& mono,
                                                 const Lanes& T) {
  const int K = v.radial_funcs_count;
  const double r = ru_j[0], u[3] = {ru_j[1], ru_j[2], ru_j[3]};
  const double inv_r = 1.0 / r;
  for (int k = 0; k < v.n_basic; ++k) {
    const MtpBasic& b = v.basic[k];
    const double fk = f[b.mu], dfk = f[K + b.mu];
    const double radial = (dfk - b.nu * fk * inv_r) * mono.value(b);
    const double t = fk * inv_r;
    double* Tk = T(k);
    Tk[0] = radial * u[0] + t * b.a * mono.lx(b);
    Tk[1] = radial * u[1] + t * b.b * mono.ly(b);
    Tk[2] = radial * u[2] + t * b.c * mono.lz(b);
  }
}

// Propagates the tangents of nl lanes through the contraction list: slot s of lane l is
// T[s·stride + l]. The derived slots must be zero on entry.
template <class M>
SUPERION_HD inline void mtp_train_tangent_sweep(const MtpView& v, M moments, double* T, long stride,
                                                int nl) {
  for (int e = 0; e < v.n_times; ++e) {
    const MtpTimes& c = v.times[e];
    const double mq = c.m * moments[c.q], mp = c.m * moments[c.p];
    const double* Tp = T + static_cast<long>(c.p) * stride;
    const double* Tq = T + static_cast<long>(c.q) * stride;
    double* Tt = T + static_cast<long>(c.t) * stride;
    for (int l = 0; l < nl; ++l) Tt[l] += Tp[l] * mq + mp * Tq[l];
  }
}

// Tangents T (n_moments × L, L = 3n) of all slots w.r.t. every neighbour displacement, given the
// completed moments. Scratch: f (2K), mono (n_mono).
inline void mtp_train_tangents(const MtpView& v, int ti, int n, const int* tj, const double* ru,
                               const double* phi, const double* moments, double* T, double* f,
                               double* mono) {
  const int K = v.radial_funcs_count, R = v.radial_basis_size, L = 3 * n;
  for (int j = 0; j < n; ++j) {
    mtp_train_radial(v, ti, tj[j], phi + 2 * R * j, f, f + K);
    mtp_monomials(v, ru[4 * j + 1], ru[4 * j + 2], ru[4 * j + 3], mono);
    double* Tj = T + 3 * j;
    mtp_train_basic_tangents(v, ru + 4 * j, f, MtpMonoTable{mono},
                             [Tj, L](int k) { return Tj + static_cast<long>(k) * L; });
  }
  for (long x = static_cast<long>(v.n_basic) * L; x < static_cast<long>(v.n_moments) * L; ++x)
    T[x] = 0.0;
  // Lanes in blocks so that the working set of one block (n_moments × 16 doubles) stays in the
  // L1/L2 cache during the sweep.
  constexpr int kBlock = 16;
  for (int l0 = 0; l0 < L; l0 += kBlock)
    mtp_train_tangent_sweep(v, moments, T + l0, L, L - l0 < kBlock ? L - l0 : kBlock);
}

// Prediction of one design row: Σ_c A(r, c) ξ_c, left to right from 0.0 (the row's entries are
// `stride` apart, as in a column-major matrix). Shared so that the CPU's cached predictions and the
// device's are the same numbers: they cancel strongly (Σ|A ξ| can be 1e6 × |A ξ| for a fresh
// high-level basis), and a library GEMV may group the sum differently (Eigen's column blocking
// depends on the leading dimension).
SUPERION_HD inline double mtp_train_predict_row(const double* A, long stride, const double* xi,
                                                int P) {
  double s = 0.0;
  for (int c = 0; c < P; ++c) s += A[c * stride] * xi[c];
  return s;
}

// ---- loss gradient ----

// Site step of the gradient of H_i = a_E V_i − Σ_j ∇_{r_ij}V_i·δ_j (δ: 3 per neighbour): moments
// M and directional derivatives Ṁ along δ, the linear part (H_i returned; per scalar basis
// function a: ha(a, a_E M − Ṁ)) and the adjoints adj = ∂H/∂M, dadj = ∂H/∂Ṁ (the basic slots are
// what the pair step needs). `mono_of(j, mono)` provides the monomials of neighbour j.
template <class M, class MonoOf, class HA>
SUPERION_HD inline double mtp_train_gradient_site(const MtpView& v, int ti, int n, const int* tj,
                                                  const double* ru, const double* phi,
                                                  const double* delta, double a_e, M moments, M dot,
                                                  M adj, M dadj, double* f, const MonoOf& mono_of,
                                                  const HA& ha) {
  const int K = v.radial_funcs_count, R = v.radial_basis_size;
  for (int k = 0; k < v.n_basic; ++k) moments[k] = dot[k] = 0.0;
  for (int j = 0; j < n; ++j) {
    const double r = ru[4 * j], u[3] = {ru[4 * j + 1], ru[4 * j + 2], ru[4 * j + 3]};
    const double* dj = delta + 3 * j;
    const double inv_r = 1.0 / r, ud = u[0] * dj[0] + u[1] * dj[1] + u[2] * dj[2];
    mtp_train_radial(v, ti, tj[j], phi + 2 * R * j, f, f + K);
    const auto mono = mono_of(j);
    for (int k = 0; k < v.n_basic; ++k) {
      const MtpBasic& b = v.basic[k];
      const double fk = f[b.mu], P = mono.value(b);
      moments[k] += fk * P;
      const double gP =
          b.a * mono.lx(b) * dj[0] + b.b * mono.ly(b) * dj[1] + b.c * mono.lz(b) * dj[2];
      dot[k] += (f[K + b.mu] - b.nu * fk * inv_r) * P * ud + fk * inv_r * gP;
    }
  }
  for (int s = v.n_basic; s < v.n_moments; ++s) moments[s] = dot[s] = 0.0;
  for (int e = 0; e < v.n_times; ++e) {
    const MtpTimes& c = v.times[e];
    moments[c.t] += c.m * moments[c.p] * moments[c.q];
    dot[c.t] += c.m * (dot[c.p] * moments[c.q] + moments[c.p] * dot[c.q]);
  }
  double h = a_e * v.species_coeffs[ti];
  for (int s = 0; s < v.n_moments; ++s) adj[s] = dadj[s] = 0.0;
  for (int a = 0; a < v.n_scalar; ++a) {
    const int s = v.mapping[a];
    const double h_a = a_e * moments[s] - dot[s];
    h += v.moment_coeffs[a] * h_a;
    ha(a, h_a);
    adj[s] += a_e * v.moment_coeffs[a];
    dadj[s] -= v.moment_coeffs[a];
  }
  for (int e = v.n_times - 1; e >= 0; --e) {
    const MtpTimes& c = v.times[e];
    const double wa = c.m * adj[c.t], wd = c.m * dadj[c.t];
    dadj[c.p] += wd * moments[c.q];
    dadj[c.q] += wd * moments[c.p];
    adj[c.p] += wa * moments[c.q] + wd * dot[c.q];
    adj[c.q] += wa * moments[c.p] + wd * dot[c.p];
  }
  return h;
}

// Pair step: the coefficients of neighbour j's basis values in the radial gradient,
// acc[μ] (of φ_β) and acc[K+μ] (of φ'_β), from the basic adjoints of the site step.
template <class A, class Mono>
SUPERION_HD inline void mtp_train_gradient_pair(const MtpView& v, const double* ru_j,
                                                const double* delta_j, A adj, A dadj,
                                                const Mono& mono, double* acc) {
  const int K = v.radial_funcs_count;
  const double r = ru_j[0], u[3] = {ru_j[1], ru_j[2], ru_j[3]};
  const double* dj = delta_j;
  const double inv_r = 1.0 / r, ud = u[0] * dj[0] + u[1] * dj[1] + u[2] * dj[2];
  for (int x = 0; x < 2 * K; ++x) acc[x] = 0.0;
  for (int k = 0; k < v.n_basic; ++k) {
    const MtpBasic& b = v.basic[k];
    const double P = mono.value(b);
    const double gP =
        b.a * mono.lx(b) * dj[0] + b.b * mono.ly(b) * dj[1] + b.c * mono.lz(b) * dj[2];
    acc[b.mu] += adj[k] * P + dadj[k] * (gP - b.nu * P * ud) * inv_r;
    acc[K + b.mu] += dadj[k] * P * ud;
  }
}

// Contribution of one neighbour (basis values ph, pair coefficients acc) to radial coefficient
// (μ, β) of its species pair.
SUPERION_HD inline double mtp_train_gradient_term(const MtpView& v, const double* acc,
                                                  const double* ph, int mu, int beta) {
  const int K = v.radial_funcs_count, R = v.radial_basis_size;
  return v.scaling * (acc[mu] * ph[beta] + acc[K + mu] * ph[R + beta]);
}

// Gradient of H_i w.r.t. the radial coefficients of central species ti (accumulated into
// grad_radial, full C²KR layout) and the linear coefficients (grad_linear: C species then A moment
// coefficients). Returns H_i. Scratch: moments, dot, adj, dadj (n_moments each), f (2K), mono
// (n_mono), acc (2K).
inline double mtp_train_atom_gradient(const MtpView& v, int ti, int n, const int* tj,
                                      const double* ru, const double* phi, const double* delta,
                                      double a_e, double* grad_radial, double* grad_linear,
                                      double* moments, double* dot, double* adj, double* dadj,
                                      double* f, double* mono, double* acc) {
  const int K = v.radial_funcs_count, R = v.radial_basis_size, C = v.species_count;
  auto mono_of = [&v, ru, mono](int j) {
    mtp_monomials(v, ru[4 * j + 1], ru[4 * j + 2], ru[4 * j + 3], mono);
    return MtpMonoTable{mono};
  };
  grad_linear[ti] += a_e;
  const double h = mtp_train_gradient_site(
      v, ti, n, tj, ru, phi, delta, a_e, moments, dot, adj, dadj, f, mono_of,
      [grad_linear, C](int a, double x) { grad_linear[C + a] += x; });
  for (int j = 0; j < n; ++j) {
    const MtpMonoTable mono_j = mono_of(j);
    mtp_train_gradient_pair(v, ru + 4 * j, delta + 3 * j, adj, dadj, mono_j, acc);
    const double* ph = phi + 2 * R * j;
    double* g = grad_radial + static_cast<long>(ti * C + tj[j]) * K * R;
    for (int mu = 0; mu < K; ++mu)
      for (int b = 0; b < R; ++b) g[mu * R + b] += mtp_train_gradient_term(v, acc, ph, mu, b);
  }
  return h;
}

// ---- exact radial Jacobian (Levenberg–Marquardt) ----
//
// Exact derivatives of the site energy V_i and of its neighbour gradients g_j = ∂V_i/∂r_ij with
// respect to the radial coefficients of central species ti, by forward mode in c (lanes
// l = (t_j·K + μ)·R + β, L = C·K·R; the global coefficient is ti·L + l). Moments are linear in c:
//   ∂M_k/∂c_l = s Σ_{j: t_j = sp(l)} [μ_k = μ(l)] φ_β(r_j) P_k(û_j),
// the tangents Ṁ (n_moments × L) follow the contraction list, the adjoints M̄ = ∂V/∂M of the
// reverse sweep get tangents M̄̇ the same way, and
//   ∂g_j/∂c_l = Σ_k M̄̇_k,l ∂M_k/∂r_j + Σ_k M̄_k ∂²M_k/∂r_j∂c_l,
// where the last factor is s[(φ'_β − ν φ_β/r) P_k û + (φ_β/r) ∇̃P_k] for the lanes of pair (ti, t_j)
// and function μ_k. A block of lanes [l0, l0 + nl) is processed at a time (the CPU: all L lanes;
// the device: one (species, μ) block of R lanes per thread); slot s of lane l0 + x is
// T[s·stride + x].

// Site step: moments (plain forward sweep), V_i (returned) and the adjoints adj = ∂V_i/∂M of all
// slots. `mono_of(j)` provides the monomials of neighbour j.
template <class M, class MonoOf>
SUPERION_HD inline double mtp_train_jacobian_site(const MtpView& v, int ti, int n, const int* tj,
                                                  const double* phi, M moments, M adj, double* f,
                                                  const MonoOf& mono_of) {
  const int K = v.radial_funcs_count, R = v.radial_basis_size;
  for (int k = 0; k < v.n_basic; ++k) moments[k] = 0.0;
  for (int j = 0; j < n; ++j) {
    mtp_train_radial(v, ti, tj[j], phi + 2 * R * j, f, f + K);
    const auto mono = mono_of(j);
    for (int k = 0; k < v.n_basic; ++k) {
      const MtpBasic& b = v.basic[k];
      moments[k] += f[b.mu] * mono.value(b);
    }
  }
  for (int m = v.n_basic; m < v.n_moments; ++m) moments[m] = 0.0;
  for (int e = 0; e < v.n_times; ++e) {
    const MtpTimes& c = v.times[e];
    moments[c.t] += c.m * moments[c.p] * moments[c.q];
  }
  double e_i = v.species_coeffs[ti];
  for (int m = 0; m < v.n_moments; ++m) adj[m] = 0.0;
  for (int a = 0; a < v.n_scalar; ++a) {
    const int m = v.mapping[a];
    e_i += v.moment_coeffs[a] * moments[m];
    adj[m] += v.moment_coeffs[a];
  }
  for (int e = v.n_times - 1; e >= 0; --e) {
    const MtpTimes& c = v.times[e];
    const double w = c.m * adj[c.t];
    adj[c.p] += w * moments[c.q];
    adj[c.q] += w * moments[c.p];
  }
  return e_i;
}

// Gradient of the site energy V_i alone (δ = 0, a_E = 1: the rows of active learning's MaxVol
// grades) w.r.t. the radial coefficients of central species ti (accumulated into grad_radial, full
// C²KR layout) and the linear coefficients (grad_linear: C species then A moment coefficients).
// Returns V_i. The Jacobian's site step gives the moments and the adjoints ∂V_i/∂M; the
// monomials of every neighbour are kept for the radial pass. Scratch: moments, adj (n_moments
// each), f (2K), mono (n·n_mono).
inline double mtp_site_energy_gradient(const MtpView& v, int ti, int n, const int* tj,
                                       const double* ru, const double* phi, double* grad_radial,
                                       double* grad_linear, double* moments, double* adj, double* f,
                                       double* mono) {
  const int K = v.radial_funcs_count, R = v.radial_basis_size, C = v.species_count;
  auto mono_of = [&v, ru, mono](int j) {
    double* mj = mono + static_cast<long>(j) * v.n_mono;
    mtp_monomials(v, ru[4 * j + 1], ru[4 * j + 2], ru[4 * j + 3], mj);
    return MtpMonoTable{mj};
  };
  const double e_i = mtp_train_jacobian_site(v, ti, n, tj, phi, moments, adj, f, mono_of);
  grad_linear[ti] += 1.0;
  for (int a = 0; a < v.n_scalar; ++a) grad_linear[C + a] += moments[v.mapping[a]];
  for (int j = 0; j < n; ++j) {  // ∂V_i/∂c_{μβ} = s Σ_k [μ_k = μ] M̄_k P_k φ_β
    const double* ph = phi + 2 * R * j;
    const double* mj = mono + static_cast<long>(j) * v.n_mono;
    double* g = grad_radial + static_cast<long>(ti * C + tj[j]) * K * R;
    for (int mu = 0; mu < K; ++mu) {
      double x = 0.0;  // one sum per μ in a register (acc[μ_k] += … chains through memory)
      for (int k = 0; k < v.n_basic; ++k)
        if (v.basic[k].mu == mu) x += adj[k] * mj[v.basic[k].mono];
      x *= v.scaling;
      for (int b = 0; b < R; ++b) g[mu * R + b] += x * ph[b];
    }
  }
  return e_i;
}

// ∂M_k/∂r_j (3 components) of basic moment k for neighbour j (the Jacobian kernel's grouping).
template <class Mono>
SUPERION_HD inline void mtp_train_jacobian_dm(const MtpBasic& b, const double* f, int K,
                                              double inv_r, const double* u, const Mono& mono,
                                              double* D, double* gp) {
  const double P = mono.value(b), fk = f[b.mu];
  const double radial = (f[K + b.mu] - b.nu * fk * inv_r) * P;
  const double t = fk * inv_r;
  gp[0] = b.a * mono.lx(b);
  gp[1] = b.b * mono.ly(b);
  gp[2] = b.c * mono.lz(b);
  D[0] = radial * u[0] + t * gp[0];
  D[1] = radial * u[1] + t * gp[1];
  D[2] = radial * u[2] + t * gp[2];
}

// Pair step: g_j = ∂V_i/∂r_ij = Σ_k adj_k ∂M_k/∂r_j.
template <class A, class Mono>
SUPERION_HD inline void mtp_train_jacobian_pair(const MtpView& v, const double* ru_j,
                                                const double* f, A adj, const Mono& mono,
                                                double* g) {
  const int K = v.radial_funcs_count;
  const double u[3] = {ru_j[1], ru_j[2], ru_j[3]};
  const double inv_r = 1.0 / ru_j[0];
  double gj[3] = {0.0, 0.0, 0.0};
  for (int k = 0; k < v.n_basic; ++k) {
    double D[3], gp[3];
    mtp_train_jacobian_dm(v.basic[k], f, K, inv_r, u, mono, D, gp);
    gj[0] += adj[k] * D[0];
    gj[1] += adj[k] * D[1];
    gj[2] += adj[k] * D[2];
  }
  for (int d = 0; d < 3; ++d) g[d] = gj[d];
}

// Lane step, forward: tangents Tm of all slots for lanes [l0, l0 + nl) (basic slots from the
// neighbours, then the contraction list with the completed moments), and dV_l = ∂V_i/∂c_l.
template <class M, class MonoOf>
SUPERION_HD inline void mtp_train_jacobian_forward(const MtpView& v, int n, const int* tj,
                                                   const double* phi, M moments, long l0, int nl,
                                                   double* Tm, long stride, double* dV,
                                                   const MonoOf& mono_of) {
  const int K = v.radial_funcs_count, R = v.radial_basis_size;
  const double s = v.scaling;
  for (long x = 0; x < static_cast<long>(v.n_moments) * stride; x += stride)
    for (int l = 0; l < nl; ++l) Tm[x + l] = 0.0;
  for (int j = 0; j < n; ++j) {
    const double* ph = phi + 2 * R * j;
    const auto mono = mono_of(j);
    for (int k = 0; k < v.n_basic; ++k) {
      const MtpBasic& b = v.basic[k];
      const long lb = (static_cast<long>(tj[j]) * K + b.mu) * R;  // lanes of (t_j, μ_k)
      if (lb + R <= l0 || lb >= l0 + nl) continue;
      const double P = mono.value(b);
      double* T = Tm + static_cast<long>(k) * stride;
      for (int beta = 0; beta < R; ++beta) {
        const long l = lb + beta - l0;
        if (l >= 0 && l < nl) T[l] += s * ph[beta] * P;
      }
    }
  }
  mtp_train_tangent_sweep(v, moments, Tm, stride, nl);
  for (int l = 0; l < nl; ++l) dV[l] = 0.0;
  for (int a = 0; a < v.n_scalar; ++a) {
    const double xi = v.moment_coeffs[a];
    const double* T = Tm + static_cast<long>(v.mapping[a]) * stride;
    for (int l = 0; l < nl; ++l) dV[l] += xi * T[l];
  }
}

// Lane step, reverse: tangents Ta of the adjoints for the lanes of Tm (adj: the site step's).
template <class M>
SUPERION_HD inline void mtp_train_jacobian_reverse(const MtpView& v, M moments, M adj,
                                                   const double* Tm, double* Ta, long stride,
                                                   int nl) {
  for (long x = 0; x < static_cast<long>(v.n_moments) * stride; x += stride)
    for (int l = 0; l < nl; ++l) Ta[x + l] = 0.0;
  for (int e = v.n_times - 1; e >= 0; --e) {
    const MtpTimes& c = v.times[e];
    const double w = c.m * adj[c.t];
    const double mq = c.m * moments[c.q], mp = c.m * moments[c.p];
    const double* At = Ta + static_cast<long>(c.t) * stride;
    const double* Tp = Tm + static_cast<long>(c.p) * stride;
    const double* Tq = Tm + static_cast<long>(c.q) * stride;
    double* Ap = Ta + static_cast<long>(c.p) * stride;
    double* Aq = Ta + static_cast<long>(c.q) * stride;
    for (int l = 0; l < nl; ++l) {
      Ap[l] += At[l] * mq + w * Tq[l];
      Aq[l] += At[l] * mp + w * Tp[l];
    }
  }
}

// Lane step, per neighbour j: acc[d·nl + x] = ∂(g_j)_d/∂c_{l0+x} for the lanes of Ta.
template <class A, class Mono>
SUPERION_HD inline void mtp_train_jacobian_neighbor(const MtpView& v, int tj, const double* ru_j,
                                                    const double* phi_j, const double* f, A adj,
                                                    const Mono& mono, const double* Ta, long stride,
                                                    long l0, int nl, double* acc) {
  const int K = v.radial_funcs_count, R = v.radial_basis_size;
  const double u[3] = {ru_j[1], ru_j[2], ru_j[3]};
  const double inv_r = 1.0 / ru_j[0];
  const double s = v.scaling;
  for (long x = 0; x < 3L * nl; ++x) acc[x] = 0.0;
  for (int k = 0; k < v.n_basic; ++k) {
    const MtpBasic& b = v.basic[k];
    double D[3], gp[3];
    mtp_train_jacobian_dm(b, f, K, inv_r, u, mono, D, gp);
    // Σ_k M̄̇_k ∂M_k/∂r_j for all lanes (contiguous in l).
    const double* Ak = Ta + static_cast<long>(k) * stride;
    for (int l = 0; l < nl; ++l) {
      acc[l] += Ak[l] * D[0];
      acc[nl + l] += Ak[l] * D[1];
      acc[2 * nl + l] += Ak[l] * D[2];
    }
    // Σ_k M̄_k ∂²M_k/∂r_j∂c: lanes of (t_j, μ_k), β = 0..R−1.
    const long lb = (static_cast<long>(tj) * K + b.mu) * R;
    if (lb + R <= l0 || lb >= l0 + nl) continue;
    const double wk = s * adj[k];
    const double P = mono.value(b);
    for (int beta = 0; beta < R; ++beta) {
      const long l = lb + beta - l0;
      if (l < 0 || l >= nl) continue;
      const double rad2 = wk * (phi_j[R + beta] - b.nu * phi_j[beta] * inv_r) * P;
      const double t2 = wk * phi_j[beta] * inv_r;
      for (int d = 0; d < 3; ++d) acc[d * nl + l] += rad2 * u[d] + t2 * gp[d];
    }
  }
}

// The whole Jacobian of one atom on the CPU: V_i (returned), g (3n), dV (L), dg (lane-major:
// dg[l·3n + 3j + d]). Scratch: moments, adj (n_moments), Tm, Ta (n_moments·L), f (2K), mono
// (n_mono), acc (3L).
inline double mtp_train_radial_jacobian(const MtpView& v, int ti, int n, const int* tj,
                                        const double* ru, const double* phi, double* g, double* dV,
                                        double* dg, double* moments, double* adj, double* Tm,
                                        double* Ta, double* f, double* mono, double* acc) {
  const int K = v.radial_funcs_count, R = v.radial_basis_size;
  const long L = static_cast<long>(v.species_count) * K * R, G = 3L * n;
  auto mono_of = [&v, ru, mono](int j) {
    mtp_monomials(v, ru[4 * j + 1], ru[4 * j + 2], ru[4 * j + 3], mono);
    return MtpMonoTable{mono};
  };
  const double e_i = mtp_train_jacobian_site(v, ti, n, tj, phi, moments, adj, f, mono_of);
  mtp_train_jacobian_forward(v, n, tj, phi, moments, 0, static_cast<int>(L), Tm, L, dV, mono_of);
  mtp_train_jacobian_reverse(v, moments, adj, Tm, Ta, L, static_cast<int>(L));
  for (int j = 0; j < n; ++j) {
    mtp_train_radial(v, ti, tj[j], phi + 2 * R * j, f, f + K);
    const MtpMonoTable mono_j = mono_of(j);
    mtp_train_jacobian_pair(v, ru + 4 * j, f, adj, mono_j, g + 3 * j);
    mtp_train_jacobian_neighbor(v, tj[j], ru + 4 * j, phi + 2 * R * j, f, adj, mono_j, Ta, L, 0,
                                static_cast<int>(L), acc);
    for (long l = 0; l < L; ++l)
      for (int d = 0; d < 3; ++d) dg[l * G + 3 * j + d] = acc[d * L + l];
  }
  return e_i;
}

}  // namespace superion
