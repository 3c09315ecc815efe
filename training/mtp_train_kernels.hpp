// Training kernels of the MTP (SUPERION_HD, raw pointers, no allocation) shared by the CPU trainer
// backend and a future CUDA one. They work on one central atom i with n cached neighbours:
//   ru[4j..]  = r, ux, uy, uz of neighbour j;   phi[2R j..] = φ_β(r_j) (R values) then φ'_β(r_j).
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

namespace superion {

// Radial functions f_μ, f'_μ (K each) of neighbour j from cached basis values.
SUPERION_HD inline void mtp_train_radial(const MtpView& v, int ti, int tj, const double* phi_j,
                                         double* f, double* df) {
  mtp_radial_functions(v, ti, tj, phi_j, phi_j + v.radial_basis_size, f, df);
}

// Basic moments M_k (k < n_basic) and the complete forward sweep. Scratch: f (2K), mono (n_mono).
SUPERION_HD inline void mtp_train_moments(const MtpView& v, int ti, int n, const int* tj,
                                          const double* ru, const double* phi, double* moments,
                                          double* f, double* mono) {
  const int K = v.radial_funcs_count, R = v.radial_basis_size;
  for (int k = 0; k < v.n_basic; ++k) moments[k] = 0.0;
  for (int j = 0; j < n; ++j) {
    mtp_train_radial(v, ti, tj[j], phi + 2 * R * j, f, f + K);
    mtp_monomials(v, ru[4 * j + 1], ru[4 * j + 2], ru[4 * j + 3], mono);
    mtp_accumulate_basic(v, f, mono, moments);
  }
  mtp_forward(v, moments);
}

// Tangents T (n_moments × L, L = 3n) of all slots w.r.t. every neighbour displacement, given the
// completed moments. Scratch: f (2K), mono (n_mono).
SUPERION_HD inline void mtp_train_tangents(const MtpView& v, int ti, int n, const int* tj,
                                           const double* ru, const double* phi,
                                           const double* moments, double* T, double* f,
                                           double* mono) {
  const int K = v.radial_funcs_count, R = v.radial_basis_size, L = 3 * n;
  for (int j = 0; j < n; ++j) {
    const double r = ru[4 * j], u[3] = {ru[4 * j + 1], ru[4 * j + 2], ru[4 * j + 3]};
    const double inv_r = 1.0 / r;
    mtp_train_radial(v, ti, tj[j], phi + 2 * R * j, f, f + K);
    mtp_monomials(v, u[0], u[1], u[2], mono);
    for (int k = 0; k < v.n_basic; ++k) {
      const MtpBasic& b = v.basic[k];
      const double fk = f[b.mu], dfk = f[K + b.mu];
      const double radial = (dfk - b.nu * fk * inv_r) * mono[b.mono];
      const double t = fk * inv_r;
      double* Tk = T + static_cast<long>(k) * L + 3 * j;
      Tk[0] = radial * u[0] + t * b.a * mono[b.lx];
      Tk[1] = radial * u[1] + t * b.b * mono[b.ly];
      Tk[2] = radial * u[2] + t * b.c * mono[b.lz];
    }
  }
  for (long x = static_cast<long>(v.n_basic) * L; x < static_cast<long>(v.n_moments) * L; ++x)
    T[x] = 0.0;
  // Lanes in blocks so that the working set of one block (n_moments × 16 doubles) stays in the
  // L1/L2 cache during the sweep.
  constexpr int kBlock = 16;
  for (int l0 = 0; l0 < L; l0 += kBlock) {
    const int nl = L - l0 < kBlock ? L - l0 : kBlock;
    for (int e = 0; e < v.n_times; ++e) {
      const MtpTimes& c = v.times[e];
      const double mq = c.m * moments[c.q], mp = c.m * moments[c.p];
      const double* Tp = T + static_cast<long>(c.p) * L + l0;
      const double* Tq = T + static_cast<long>(c.q) * L + l0;
      double* Tt = T + static_cast<long>(c.t) * L + l0;
      for (int l = 0; l < nl; ++l) Tt[l] += Tp[l] * mq + mp * Tq[l];
    }
  }
}

// Gradient of H_i = a_E V_i − Σ_j ∇_{r_ij}V_i·δ_j (δ: 3 per neighbour) w.r.t. the radial
// coefficients of central species ti (accumulated into grad_radial, full C²KR layout) and the
// linear coefficients (grad_linear: C species then A moment coefficients). Returns H_i.
// delta = nullptr means δ = 0 (H_i = a_E V_i: the site-energy gradient of active learning) and
// skips the tangent sweeps; `mono` must then hold n·n_mono values (the monomials of every
// neighbour are kept for the second pass). Scratch: moments, dot, adj, dadj (n_moments each),
// f (2K), mono (n_mono, or n·n_mono with delta = nullptr), acc (2K).
SUPERION_HD inline double mtp_train_atom_gradient(
    const MtpView& v, int ti, int n, const int* tj, const double* ru, const double* phi,
    const double* delta, double a_e, double* grad_radial, double* grad_linear, double* moments,
    double* dot, double* adj, double* dadj, double* f, double* mono, double* acc) {
  const int K = v.radial_funcs_count, R = v.radial_basis_size, C = v.species_count;
  const bool tangent = delta != nullptr;
  if (!tangent) {  // moments only: M_k = Σ_j f_μ(r_j) P_k(û_j), then the contraction sweep
    for (int k = 0; k < v.n_basic; ++k) moments[k] = 0.0;
    for (int j = 0; j < n; ++j) {
      const double* c = v.radial_coeffs + (ti * C + tj[j]) * K * R;
      const double* ph = phi + 2 * R * j;
      for (int mu = 0; mu < K; ++mu, c += R) {
        double x = 0.0;
        for (int b = 0; b < R; ++b) x += c[b] * ph[b];
        f[mu] = v.scaling * x;
      }
      double* mj = mono + static_cast<long>(j) * v.n_mono;
      mtp_monomials(v, ru[4 * j + 1], ru[4 * j + 2], ru[4 * j + 3], mj);
      mtp_accumulate_basic(v, f, mj, moments);
    }
    mtp_forward(v, moments);
  }
  for (int k = 0; tangent && k < v.n_basic; ++k) moments[k] = dot[k] = 0.0;
  for (int j = 0; tangent && j < n; ++j) {
    const double r = ru[4 * j], u[3] = {ru[4 * j + 1], ru[4 * j + 2], ru[4 * j + 3]};
    const double* dj = delta + 3 * j;
    const double inv_r = 1.0 / r, ud = u[0] * dj[0] + u[1] * dj[1] + u[2] * dj[2];
    mtp_train_radial(v, ti, tj[j], phi + 2 * R * j, f, f + K);
    mtp_monomials(v, u[0], u[1], u[2], mono);
    for (int k = 0; k < v.n_basic; ++k) {
      const MtpBasic& b = v.basic[k];
      const double fk = f[b.mu], P = mono[b.mono];
      moments[k] += fk * P;
      const double gP =
          b.a * mono[b.lx] * dj[0] + b.b * mono[b.ly] * dj[1] + b.c * mono[b.lz] * dj[2];
      dot[k] += (f[K + b.mu] - b.nu * fk * inv_r) * P * ud + fk * inv_r * gP;
    }
  }
  for (int s = v.n_basic; tangent && s < v.n_moments; ++s) moments[s] = dot[s] = 0.0;
  for (int e = 0; tangent && e < v.n_times; ++e) {
    const MtpTimes& c = v.times[e];
    moments[c.t] += c.m * moments[c.p] * moments[c.q];
    dot[c.t] += c.m * (dot[c.p] * moments[c.q] + moments[c.p] * dot[c.q]);
  }
  if (!tangent)
    for (int s = 0; s < v.n_moments; ++s) dot[s] = 0.0;
  double h = a_e * v.species_coeffs[ti];
  grad_linear[ti] += a_e;
  for (int s = 0; s < v.n_moments; ++s) adj[s] = dadj[s] = 0.0;
  for (int a = 0; a < v.n_scalar; ++a) {
    const int s = v.mapping[a];
    const double ha = a_e * moments[s] - dot[s];
    h += v.moment_coeffs[a] * ha;
    grad_linear[C + a] += ha;
    adj[s] += a_e * v.moment_coeffs[a];
    dadj[s] -= v.moment_coeffs[a];
  }
  for (int e = v.n_times - 1; tangent && e >= 0; --e) {
    const MtpTimes& c = v.times[e];
    const double wa = c.m * adj[c.t], wd = c.m * dadj[c.t];
    dadj[c.p] += wd * moments[c.q];
    dadj[c.q] += wd * moments[c.p];
    adj[c.p] += wa * moments[c.q] + wd * dot[c.q];
    adj[c.q] += wa * moments[c.p] + wd * dot[c.p];
  }
  for (int e = v.n_times - 1; !tangent && e >= 0; --e) {
    const MtpTimes& c = v.times[e];
    const double wa = c.m * adj[c.t];
    adj[c.p] += wa * moments[c.q];
    adj[c.q] += wa * moments[c.p];
  }
  for (int j = 0; j < n; ++j) {
    const double* ph = phi + 2 * R * j;
    double* g = grad_radial + static_cast<long>(ti * C + tj[j]) * K * R;
    if (!tangent) {  // ∂V_i/∂c_{μβ} = s Σ_k [μ_k = μ] M̄_k P_k φ_β
      const double* mj = mono + static_cast<long>(j) * v.n_mono;
      for (int mu = 0; mu < K; ++mu) {
        double x = 0.0;  // one sum per μ in a register (acc[μ_k] += … chains through memory)
        for (int k = 0; k < v.n_basic; ++k)
          if (v.basic[k].mu == mu) x += adj[k] * mj[v.basic[k].mono];
        x *= v.scaling;
        for (int b = 0; b < R; ++b) g[mu * R + b] += x * ph[b];
      }
      continue;
    }
    const double r = ru[4 * j], u[3] = {ru[4 * j + 1], ru[4 * j + 2], ru[4 * j + 3]};
    const double* dj = delta + 3 * j;
    const double inv_r = 1.0 / r, ud = u[0] * dj[0] + u[1] * dj[1] + u[2] * dj[2];
    mtp_monomials(v, u[0], u[1], u[2], mono);
    for (int x = 0; x < 2 * K; ++x) acc[x] = 0.0;
    // acc[μ]: coefficient of φ_β; acc[K+μ]: coefficient of φ'_β.
    for (int k = 0; k < v.n_basic; ++k) {
      const MtpBasic& b = v.basic[k];
      const double P = mono[b.mono];
      const double gP =
          b.a * mono[b.lx] * dj[0] + b.b * mono[b.ly] * dj[1] + b.c * mono[b.lz] * dj[2];
      acc[b.mu] += adj[k] * P + dadj[k] * (gP - b.nu * P * ud) * inv_r;
      acc[K + b.mu] += dadj[k] * P * ud;
    }
    for (int mu = 0; mu < K; ++mu)
      for (int b = 0; b < R; ++b)
        g[mu * R + b] += v.scaling * (acc[mu] * ph[b] + acc[K + mu] * ph[R + b]);
  }
  return h;
}

// Exact derivatives of the site energy V_i and of its neighbour gradients g_j = ∂V_i/∂r_ij with
// respect to the radial coefficients of central species ti, by forward mode in c (lanes
// l = (t_j·K + μ)·R + β, L = C·K·R; the global coefficient is ti·L + l). Moments are linear in c:
//   ∂M_k/∂c_l = s Σ_{j: t_j = sp(l)} [μ_k = μ(l)] φ_β(r_j) P_k(û_j),
// the tangents Ṁ (n_moments × L) follow the contraction list, the adjoints M̄ = ∂V/∂M of the
// reverse sweep get tangents M̄̇ the same way, and
//   ∂g_j/∂c_l = Σ_k M̄̇_k,l ∂M_k/∂r_j + Σ_k M̄_k ∂²M_k/∂r_j∂c_l,
// where the last factor is s[(φ'_β − ν φ_β/r) P_k û + (φ_β/r) ∇̃P_k] for the lanes of pair (ti, t_j)
// and function μ_k. Outputs: V_i (returned), g (3n), dV (L), dg (lane-major: dg[l·3n + 3j + d]).
// Scratch: moments, adj (n_moments), Tm, Ta (n_moments·L), f (2K), mono (n_mono), acc (3L).
SUPERION_HD inline double mtp_train_radial_jacobian(const MtpView& v, int ti, int n, const int* tj,
                                                    const double* ru, const double* phi, double* g,
                                                    double* dV, double* dg, double* moments,
                                                    double* adj, double* Tm, double* Ta, double* f,
                                                    double* mono, double* acc) {
  const int K = v.radial_funcs_count, R = v.radial_basis_size;
  const long L = static_cast<long>(v.species_count) * K * R, G = 3L * n;
  const double s = v.scaling;
  for (long x = 0; x < static_cast<long>(v.n_moments) * L; ++x) Tm[x] = Ta[x] = 0.0;
  for (int k = 0; k < v.n_basic; ++k) moments[k] = 0.0;
  for (int j = 0; j < n; ++j) {
    const double* ph = phi + 2 * R * j;
    mtp_train_radial(v, ti, tj[j], ph, f, f + K);
    mtp_monomials(v, ru[4 * j + 1], ru[4 * j + 2], ru[4 * j + 3], mono);
    for (int k = 0; k < v.n_basic; ++k) {
      const MtpBasic& b = v.basic[k];
      const double P = mono[b.mono];
      moments[k] += f[b.mu] * P;
      double* T = Tm + k * L + (tj[j] * K + b.mu) * R;
      for (int beta = 0; beta < R; ++beta) T[beta] += s * ph[beta] * P;
    }
  }
  for (int m = v.n_basic; m < v.n_moments; ++m) moments[m] = 0.0;
  for (int e = 0; e < v.n_times; ++e) {
    const MtpTimes& c = v.times[e];
    moments[c.t] += c.m * moments[c.p] * moments[c.q];
    const double mq = c.m * moments[c.q], mp = c.m * moments[c.p];
    const double* Tp = Tm + c.p * L;
    const double* Tq = Tm + c.q * L;
    double* Tt = Tm + c.t * L;
    for (long l = 0; l < L; ++l) Tt[l] += Tp[l] * mq + mp * Tq[l];
  }
  double e_i = v.species_coeffs[ti];
  for (long l = 0; l < L; ++l) dV[l] = 0.0;
  for (int m = 0; m < v.n_moments; ++m) adj[m] = 0.0;
  for (int a = 0; a < v.n_scalar; ++a) {
    const int m = v.mapping[a];
    const double xi = v.moment_coeffs[a];
    e_i += xi * moments[m];
    adj[m] += xi;
    const double* T = Tm + m * L;
    for (long l = 0; l < L; ++l) dV[l] += xi * T[l];
  }
  for (int e = v.n_times - 1; e >= 0; --e) {
    const MtpTimes& c = v.times[e];
    const double w = c.m * adj[c.t];
    adj[c.p] += w * moments[c.q];
    adj[c.q] += w * moments[c.p];
    const double mq = c.m * moments[c.q], mp = c.m * moments[c.p];
    const double* At = Ta + c.t * L;
    const double* Tp = Tm + c.p * L;
    const double* Tq = Tm + c.q * L;
    double* Ap = Ta + c.p * L;
    double* Aq = Ta + c.q * L;
    for (long l = 0; l < L; ++l) {
      Ap[l] += At[l] * mq + w * Tq[l];
      Aq[l] += At[l] * mp + w * Tp[l];
    }
  }
  for (int j = 0; j < n; ++j) {
    const double r = ru[4 * j], u[3] = {ru[4 * j + 1], ru[4 * j + 2], ru[4 * j + 3]};
    const double inv_r = 1.0 / r;
    const double* ph = phi + 2 * R * j;
    mtp_train_radial(v, ti, tj[j], ph, f, f + K);
    mtp_monomials(v, u[0], u[1], u[2], mono);
    for (long x = 0; x < 3 * L; ++x) acc[x] = 0.0;  // acc[d·L + l] = ∂(g_j)_d/∂c_l
    double gj[3] = {0.0, 0.0, 0.0};
    for (int k = 0; k < v.n_basic; ++k) {
      const MtpBasic& b = v.basic[k];
      const double P = mono[b.mono], fk = f[b.mu];
      const double radial = (f[K + b.mu] - b.nu * fk * inv_r) * P;
      const double t = fk * inv_r;
      const double gp[3] = {b.a * mono[b.lx], b.b * mono[b.ly], b.c * mono[b.lz]};
      const double D0 = radial * u[0] + t * gp[0];  // ∂M_k/∂r_j
      const double D1 = radial * u[1] + t * gp[1];
      const double D2 = radial * u[2] + t * gp[2];
      gj[0] += adj[k] * D0;
      gj[1] += adj[k] * D1;
      gj[2] += adj[k] * D2;
      // Σ_k M̄̇_k ∂M_k/∂r_j for all lanes (contiguous in l).
      const double* A = Ta + k * L;
      for (long l = 0; l < L; ++l) {
        acc[l] += A[l] * D0;
        acc[L + l] += A[l] * D1;
        acc[2 * L + l] += A[l] * D2;
      }
      // Σ_k M̄_k ∂²M_k/∂r_j∂c: lanes of (t_j, μ_k), β = 0..R−1.
      const double wk = s * adj[k];
      const long l0 = (static_cast<long>(tj[j]) * K + b.mu) * R;
      for (int beta = 0; beta < R; ++beta) {
        const double rad2 = wk * (ph[R + beta] - b.nu * ph[beta] * inv_r) * P;
        const double t2 = wk * ph[beta] * inv_r;
        for (int d = 0; d < 3; ++d) acc[d * L + l0 + beta] += rad2 * u[d] + t2 * gp[d];
      }
    }
    for (int d = 0; d < 3; ++d) g[3 * j + d] = gj[d];
    for (long l = 0; l < L; ++l)
      for (int d = 0; d < 3; ++d) dg[l * G + 3 * j + d] = acc[d * L + l];
  }
  return e_i;
}

}  // namespace superion
