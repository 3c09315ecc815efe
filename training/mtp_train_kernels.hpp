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
// Scratch: moments, dot, adj, dadj (n_moments each), f (2K), mono (n_mono), acc (2K).
SUPERION_HD inline double mtp_train_atom_gradient(
    const MtpView& v, int ti, int n, const int* tj, const double* ru, const double* phi,
    const double* delta, double a_e, double* grad_radial, double* grad_linear, double* moments,
    double* dot, double* adj, double* dadj, double* f, double* mono, double* acc) {
  const int K = v.radial_funcs_count, R = v.radial_basis_size, C = v.species_count;
  for (int k = 0; k < v.n_basic; ++k) moments[k] = dot[k] = 0.0;
  for (int j = 0; j < n; ++j) {
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
  for (int s = v.n_basic; s < v.n_moments; ++s) moments[s] = dot[s] = 0.0;
  for (int e = 0; e < v.n_times; ++e) {
    const MtpTimes& c = v.times[e];
    moments[c.t] += c.m * moments[c.p] * moments[c.q];
    dot[c.t] += c.m * (dot[c.p] * moments[c.q] + moments[c.p] * dot[c.q]);
  }
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
  for (int e = v.n_times - 1; e >= 0; --e) {
    const MtpTimes& c = v.times[e];
    const double wa = c.m * adj[c.t], wd = c.m * dadj[c.t];
    dadj[c.p] += wd * moments[c.q];
    dadj[c.q] += wd * moments[c.p];
    adj[c.p] += wa * moments[c.q] + wd * dot[c.q];
    adj[c.q] += wa * moments[c.p] + wd * dot[c.p];
  }
  for (int j = 0; j < n; ++j) {
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
    const double* ph = phi + 2 * R * j;
    double* g = grad_radial + static_cast<long>(ti * C + tj[j]) * K * R;
    for (int mu = 0; mu < K; ++mu)
      for (int b = 0; b < R; ++b)
        g[mu * R + b] += v.scaling * (acc[mu] * ph[b] + acc[K + mu] * ph[R + b]);
  }
  return h;
}

}  // namespace superion
