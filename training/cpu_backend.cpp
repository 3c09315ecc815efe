// CpuTrainerBackend: design rows (forward-mode tangents) and the loss gradient (dual-number
// reverse sweep) per configuration, chunked OpenMP with ordered reductions.
//
// Loss gradient. With residual weights a_E = 2w_E(Ê−E), a_l = 2w_F(F̂_l−F_l), S = 2w_S(Ŵ−W)
// held fixed, dL/dθ = d/dθ [a_E E + Σ_l a_l·F_l + S:W]. Using F_l = −∂E/∂r_l and
// W = −Σ_pairs g_ij r_ijᵀ (g_ij = ∂V_i/∂r_ij) this is the gradient of
//   G = Σ_i [ a_E V_i − Σ_j g_ij · δ_ij ],   δ_ij = a_j − a_i + S r_ij,
// i.e. of a directional derivative of the site energies, computed by mtp_train_atom_gradient.
#include "cpu_backend.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "mtp_train_kernels.hpp"

namespace superion {

double LossStats::energy_rmse_per_atom() const {
  return n_energy ? std::sqrt(energy_sq_per_atom / n_energy) : 0.0;
}
double LossStats::force_component_rmse() const {
  return n_force_atoms ? std::sqrt(force_sq / (3.0 * n_force_atoms)) : 0.0;
}
double LossStats::energy_mae_per_atom() const {
  return n_energy ? energy_abs_per_atom / n_energy : 0.0;
}
double LossStats::force_component_mae() const {
  return n_force_atoms ? force_abs / (3.0 * n_force_atoms) : 0.0;
}

namespace {

constexpr long kChunk = 64;  // configurations per parallel chunk (bounds the per-chunk buffers)
// Design rows of all configurations are kept for the prediction pass when they fit in this.
constexpr std::size_t kDesignCacheBytes = std::size_t(1) << 30;

// Number of design rows of a configuration and the offsets of its blocks.
struct RowLayout {
  int energy = -1, force = -1, stress = -1, rows = 0;
  explicit RowLayout(const TrainingConfig& t) {
    if (t.has_energy) energy = rows++;
    if (t.has_forces) {
      force = rows;
      rows += 3 * t.n_atoms;
    }
    if (t.has_virial) {
      stress = rows;
      rows += 9;
    }
  }
};

// Square roots of the loss weights of the design rows of a configuration.
void row_weights(const TrainingConfig& t, Eigen::VectorXd& w) {
  const RowLayout L(t);
  w.resize(L.rows);
  if (L.energy >= 0) w(L.energy) = std::sqrt(t.w_energy);
  if (L.force >= 0) w.segment(L.force, 3 * t.n_atoms).setConstant(std::sqrt(t.w_force));
  if (L.stress >= 0) w.segment(L.stress, 9).setConstant(std::sqrt(t.w_stress));
}

// Per-thread scratch for the kernels.
struct Scratch {
  std::vector<double> moments, dot, adj, dadj, f, mono, acc, T, cache, g, g0, delta, basis;
  Scratch(const MtpView& v, int max_nb) {
    moments.resize(v.n_moments);
    dot.resize(v.n_moments);
    adj.resize(v.n_moments);
    dadj.resize(v.n_moments);
    f.resize(2 * v.radial_funcs_count);
    acc.resize(2 * v.radial_funcs_count);
    mono.resize(v.n_mono);
    basis.resize(2 * v.radial_basis_size);
    T.resize(static_cast<std::size_t>(v.n_moments) * 3 * std::max(1, max_nb));
    cache.resize(static_cast<std::size_t>(mtp_cache_stride(v)) * std::max(1, max_nb));
    g.resize(3 * static_cast<std::size_t>(std::max(1, max_nb)));
    g0.resize(g.size());
    delta.resize(g.size());
  }
};

// Reference values of the design rows of a configuration.
void targets(const TrainingConfig& t, Eigen::VectorXd& y) {
  const RowLayout L(t);
  y.resize(L.rows);
  if (L.energy >= 0) y(L.energy) = t.energy;
  if (L.force >= 0)
    for (int x = 0; x < 3 * t.n_atoms; ++x) y(L.force + x) = t.forces[x];
  if (L.stress >= 0)
    for (int x = 0; x < 9; ++x) y(L.stress + x) = t.virial[x];
}

// Raw design rows J (rows × P_lin) and targets y of one configuration.
void design_rows(const MtpView& v, const TrainingConfig& t, Scratch& s, Eigen::MatrixXd& J,
                 Eigen::VectorXd& y) {
  const RowLayout L(t);
  const int C = v.species_count, R = v.radial_basis_size;
  J.setZero(L.rows, C + v.n_scalar);
  y.setZero(L.rows);
  const bool tangents = t.has_forces || t.has_virial;
  for (int i = 0; i < t.n_atoms; ++i) {
    const int b = t.offsets[i], n = t.offsets[i + 1] - b, ti = t.types[i];
    const double* ru = t.ru.data() + 4 * b;
    const double* phi = t.phi.data() + 2 * R * b;
    const int* tj = t.ntype.data() + b;
    mtp_train_moments(v, ti, n, tj, ru, phi, s.moments.data(), s.f.data(), s.mono.data());
    if (L.energy >= 0) {
      J(L.energy, ti) += 1.0;
      for (int a = 0; a < v.n_scalar; ++a) J(L.energy, C + a) += s.moments[v.mapping[a]];
    }
    if (!tangents || n == 0) continue;
    mtp_train_tangents(v, ti, n, tj, ru, phi, s.moments.data(), s.T.data(), s.f.data(),
                       s.mono.data());
    const long lanes = 3L * n;
    for (int a = 0; a < v.n_scalar; ++a) {
      const double* D = s.T.data() + v.mapping[a] * lanes;  // ∂B_a(i)/∂(r_ij)_d at 3j+d
      auto col = J.col(C + a);
      for (int j = 0; j < n; ++j) {
        const int nj = t.neighbor[b + j];
        const double* r = t.disp.data() + 3 * (b + j);
        for (int d = 0; d < 3; ++d) {
          const double x = D[3 * j + d];
          if (L.force >= 0) {  // F = −∂E/∂r: +g on the centre, −g on the neighbour
            col(L.force + 3 * i + d) += x;
            col(L.force + 3 * nj + d) -= x;
          }
          if (L.stress >= 0)  // W_de = −Σ g_d r_e
            for (int e = 0; e < 3; ++e) col(L.stress + 3 * d + e) -= x * r[e];
        }
      }
    }
  }
  targets(t, y);
}

// Adds the contribution of central atom i with site energy e and neighbour gradients g
// (∂V_i/∂r_ij, 3 per neighbour) to a vector in the design-row layout (E, F, W rows), with the
// signs of design_rows(): F = −∂E/∂r, W = −Σ_pairs g r_ijᵀ.
void scatter_site(const TrainingConfig& t, const RowLayout& L, int i, double e, const double* g,
                  double* out) {
  if (L.energy >= 0) out[L.energy] += e;
  const int b = t.offsets[i], n = t.offsets[i + 1] - b;
  for (int j = 0; j < n; ++j) {
    const int nj = t.neighbor[b + j];
    const double* r = t.disp.data() + 3 * (b + j);
    for (int d = 0; d < 3; ++d) {
      const double x = g[3 * j + d];
      if (L.force >= 0) {
        out[L.force + 3 * i + d] += x;
        out[L.force + 3 * nj + d] -= x;
      }
      if (L.stress >= 0)
        for (int c = 0; c < 3; ++c) out[L.stress + 3 * d + c] -= x * r[c];
    }
  }
}

// Unweighted predictions p = A(c)ξ and their Jacobian Jc = ∂p/∂c (rows × n_radial) of one
// configuration at fixed ξ, by forward differences of every site energy and its neighbour
// gradients (the evaluator kernel mtp_atom for both points, so rounding is consistent). `rad` is
// the thread's copy of the radial coefficients (restored on return), `step` the difference steps.
// Coefficient (ti, tj, μ, β) only changes atoms of species ti with a neighbour of species tj.
void radial_jacobian_rows(const MtpView& v0, const TrainingConfig& t, Scratch& s,
                          std::vector<double>& rad, const std::vector<double>& step,
                          Eigen::MatrixXd& Jc, Eigen::VectorXd& pred) {
  const RowLayout L(t);
  const int C = v0.species_count, KR = v0.radial_funcs_count * v0.radial_basis_size;
  MtpView v = v0;
  v.radial_coeffs = rad.data();
  Jc.setZero(L.rows, static_cast<Eigen::Index>(rad.size()));
  pred.setZero(L.rows);
  for (int i = 0; i < t.n_atoms; ++i) {
    const int b = t.offsets[i], n = t.offsets[i + 1] - b, ti = t.types[i];
    const int* tj = t.ntype.data() + b;
    const double* d = t.disp.data() + 3 * b;
    const double e0 = mtp_atom(v, ti, n, tj, d, s.g0.data(), s.moments.data(), s.adj.data(),
                               s.mono.data(), s.basis.data(), s.cache.data());
    scatter_site(t, L, i, e0, s.g0.data(), pred.data());
    for (int sp = 0; sp < C; ++sp) {
      if (std::find(tj, tj + n, sp) == tj + n) continue;
      for (int m = 0; m < KR; ++m) {
        const int q = (ti * C + sp) * KR + m;
        const double old = rad[q];
        rad[q] = old + step[q];
        const double h = rad[q] - old;  // the step actually taken (exact in floating point)
        const double e1 = mtp_atom(v, ti, n, tj, d, s.g.data(), s.moments.data(), s.adj.data(),
                                   s.mono.data(), s.basis.data(), s.cache.data());
        rad[q] = old;
        for (int x = 0; x < 3 * n; ++x) s.g[x] = (s.g[x] - s.g0[x]) / h;
        scatter_site(t, L, i, (e1 - e0) / h, s.g.data(), Jc.col(q).data());
      }
    }
  }
}

// Scratch of the exact radial Jacobian kernel (L = C·K·R lanes).
struct JacobianScratch {
  std::vector<double> Tm, Ta, dV, dg, acc;
  JacobianScratch(const MtpView& v, int max_nb) {
    const std::size_t L =
        static_cast<std::size_t>(v.species_count) * v.radial_funcs_count * v.radial_basis_size;
    Tm.resize(L * v.n_moments);
    Ta.resize(L * v.n_moments);
    dV.resize(L);
    dg.resize(L * 3 * static_cast<std::size_t>(std::max(1, max_nb)));
    acc.resize(3 * L);
  }
};

// As radial_jacobian_rows but exact (forward mode in c, mtp_train_radial_jacobian).
void radial_jacobian_rows_exact(const MtpView& v, const TrainingConfig& t, Scratch& s,
                                JacobianScratch& js, Eigen::MatrixXd& Jc, Eigen::VectorXd& pred) {
  const RowLayout L(t);
  const int R = v.radial_basis_size;
  const long lanes = static_cast<long>(v.species_count) * v.radial_funcs_count * R;
  Jc.setZero(L.rows, v.species_count * lanes);
  pred.setZero(L.rows);
  for (int i = 0; i < t.n_atoms; ++i) {
    const int b = t.offsets[i], n = t.offsets[i + 1] - b, ti = t.types[i];
    const double e0 = mtp_train_radial_jacobian(
        v, ti, n, t.ntype.data() + b, t.ru.data() + 4 * b, t.phi.data() + 2 * R * b, s.g.data(),
        js.dV.data(), js.dg.data(), s.moments.data(), s.adj.data(), js.Tm.data(), js.Ta.data(),
        s.f.data(), s.mono.data(), js.acc.data());
    scatter_site(t, L, i, e0, s.g.data(), pred.data());
    if (n == 0) continue;
    for (long l = 0; l < lanes; ++l)
      scatter_site(t, L, i, js.dV[l], js.dg.data() + l * 3 * n, Jc.col(ti * lanes + l).data());
  }
}

}  // namespace

CpuTrainerBackend::CpuTrainerBackend(const Mtp& model, const TrainingSet& data) : data_(data) {
  Mtp m = model;
  m.trained = true;
  structure_ = std::make_unique<MtpEvaluator>(m);
  n_radial_ = static_cast<int>(m.n_radial_params());
  n_linear_ = m.species_count + m.alpha_scalar_moments();
  zeros_.assign(n_linear_, 0.0);
  if (data.radial_basis_size() != m.radial_basis_size || data.rmin() != m.min_dist ||
      data.rcut() != m.max_dist)
    throw Error("training set cache does not match the model's radial basis");
  std::size_t rows = 0;
  for (const auto& t : data.configs()) rows += RowLayout(t).rows;
  cache_designs_ = rows * static_cast<std::size_t>(n_linear_) * sizeof(double) <= kDesignCacheBytes;
  if (cache_designs_) design_cache_.resize(data.size());
  if (data.n_species() > m.species_count)
    throw Error("training data has species type " + std::to_string(data.n_species() - 1) +
                " but the potential has only " + std::to_string(m.species_count) + " species");
}

MtpView CpuTrainerBackend::view(const std::vector<double>& radial,
                                const std::vector<double>* linear) const {
  if (static_cast<int>(radial.size()) != n_radial_)
    throw Error("radial coefficient count mismatch");
  const std::vector<double>& lin = linear ? *linear : zeros_;
  if (static_cast<int>(lin.size()) != n_linear_) throw Error("linear coefficient count mismatch");
  MtpView v = structure_->view();
  v.radial_coeffs = radial.data();
  v.species_coeffs = lin.data();
  v.moment_coeffs = lin.data() + v.species_count;
  return v;
}

Eigen::MatrixXd CpuTrainerBackend::design(std::size_t config,
                                          const std::vector<double>& radial) const {
  const MtpView v = view(radial, nullptr);
  Scratch s(v, data_.max_neighbors());
  Eigen::MatrixXd J;
  Eigen::VectorXd y;
  design_rows(v, data_.configs()[config], s, J, y);
  return J;
}

void CpuTrainerBackend::assemble(const std::vector<double>& radial, LinearSystem& out) {
  const MtpView v = view(radial, nullptr);
  const int P = n_linear_;
  const auto& cfgs = data_.configs();
  const long nc = static_cast<long>(cfgs.size());
  out.normal.setZero(P, P);
  out.rhs.setZero(P);
  out.yy = 0.0;
  std::vector<Eigen::MatrixXd> normal(kChunk);
  std::vector<Eigen::VectorXd> rhs(kChunk);
  std::vector<double> yy(kChunk);
  for (long c0 = 0; c0 < nc; c0 += kChunk) {
    const long c1 = std::min(nc, c0 + kChunk);
#pragma omp parallel
    {
      Scratch s(v, data_.max_neighbors());
      Eigen::MatrixXd J;
      Eigen::VectorXd y, w;
#pragma omp for schedule(dynamic, 1)
      for (long k = c0; k < c1; ++k) {
        const TrainingConfig& t = cfgs[k];
        design_rows(v, t, s, J, y);
        if (cache_designs_) design_cache_[k] = J;
        row_weights(t, w);
        J = w.asDiagonal() * J;
        y = w.cwiseProduct(y);
        Eigen::MatrixXd& A = normal[k - c0];
        A.setZero(P, P);
        A.selfadjointView<Eigen::Lower>().rankUpdate(J.transpose());
        rhs[k - c0].noalias() = J.transpose() * y;
        yy[k - c0] = y.squaredNorm();
      }
    }
    for (long k = c0; k < c1; ++k) {
      out.normal.triangularView<Eigen::Lower>() += normal[k - c0];
      out.rhs += rhs[k - c0];
      out.yy += yy[k - c0];
    }
  }
  out.normal.triangularView<Eigen::StrictlyUpper>() = out.normal.transpose();
  if (cache_designs_) cached_radial_ = radial;
}

LossStats CpuTrainerBackend::evaluate_impl(const std::vector<double>& radial,
                                           const std::vector<double>& linear,
                                           std::vector<double>* grad_radial,
                                           std::vector<double>* grad_linear,
                                           std::vector<double>* per_config) {
  const MtpView v = view(radial, &linear);
  const bool want = grad_radial || grad_linear;
  const bool use_cache = cache_designs_ && cached_radial_ == radial;
  const Eigen::Map<const Eigen::VectorXd> xi(linear.data(), n_linear_);
  const auto& cfgs = data_.configs();
  const long nc = static_cast<long>(cfgs.size());
  const int R = v.radial_basis_size;
  LossStats total;
  std::vector<double> gr(want ? n_radial_ : 0, 0.0), gl(want ? n_linear_ : 0, 0.0);
  if (per_config) per_config->assign(cfgs.size(), 0.0);
  std::vector<LossStats> stats(kChunk);
  std::vector<std::vector<double>> cgr(want ? kChunk : 0), cgl(want ? kChunk : 0);
  for (long c0 = 0; c0 < nc; c0 += kChunk) {
    const long c1 = std::min(nc, c0 + kChunk);
#pragma omp parallel
    {
      Scratch s(v, data_.max_neighbors());
      std::vector<double> force, a;
#pragma omp for schedule(dynamic, 1)
      for (long k = c0; k < c1; ++k) {
        const TrainingConfig& t = cfgs[k];
        const int N = t.n_atoms;
        // Predictions: J·ξ from the cached design rows of this radial vector, else the
        // evaluator's kernel (equal to rounding).
        double energy = 0.0, w[9] = {};
        force.assign(3 * N, 0.0);
        if (use_cache) {
          const Eigen::MatrixXd& J = design_cache_[k];
          Eigen::VectorXd pred(J.rows());
          for (Eigen::Index r = 0; r < J.rows(); ++r)
            pred(r) = mtp_train_predict_row(J.data() + r, J.rows(), xi.data(), n_linear_);
          const RowLayout L(t);
          if (L.energy >= 0) energy = pred(L.energy);
          if (L.force >= 0)
            for (int x = 0; x < 3 * N; ++x) force[x] = pred(L.force + x);
          if (L.stress >= 0)
            for (int x = 0; x < 9; ++x) w[x] = pred(L.stress + x);
        }
        for (int i = 0; i < N && !use_cache; ++i) {
          const int b = t.offsets[i], n = t.offsets[i + 1] - b;
          energy += mtp_atom(v, t.types[i], n, t.ntype.data() + b, t.disp.data() + 3 * b,
                             s.g.data(), s.moments.data(), s.adj.data(), s.mono.data(),
                             s.basis.data(), s.cache.data());
          for (int j = 0; j < n; ++j) {
            const double* g = &s.g[3 * j];
            const double* r = t.disp.data() + 3 * (b + j);
            const int nj = t.neighbor[b + j];
            for (int d = 0; d < 3; ++d) {
              force[3 * i + d] += g[d];
              force[3 * nj + d] -= g[d];
              for (int e = 0; e < 3; ++e) w[3 * d + e] -= g[d] * r[e];
            }
          }
        }
        LossStats& st = stats[k - c0];
        st = LossStats{};
        double ae = 0.0, S[9] = {};
        a.assign(3 * N, 0.0);
        if (t.has_energy) {
          const double de = energy - t.energy;
          st.loss += t.w_energy * de * de;
          st.energy_sq_per_atom = (de / N) * (de / N);
          st.energy_abs_per_atom = std::fabs(de) / N;
          st.n_energy = 1;
          ae = 2.0 * t.w_energy * de;
        }
        if (t.has_forces) {
          for (int x = 0; x < 3 * N; ++x) {
            const double df = force[x] - t.forces[x];
            st.force_sq += df * df;
            st.force_abs += std::fabs(df);
            a[x] = 2.0 * t.w_force * df;
          }
          st.loss += t.w_force * st.force_sq;
          st.n_force_atoms = N;
        }
        if (t.has_virial) {
          for (int x = 0; x < 9; ++x) {
            const double dw = w[x] - t.virial[x];
            st.stress_sq += dw * dw;
            S[x] = 2.0 * t.w_stress * dw;
          }
          st.loss += t.w_stress * st.stress_sq;
          st.n_stress = 1;
        }
        if (!want) continue;
        std::vector<double>& g_r = cgr[k - c0];
        std::vector<double>& g_l = cgl[k - c0];
        g_r.assign(n_radial_, 0.0);
        g_l.assign(n_linear_, 0.0);
        for (int i = 0; i < N; ++i) {
          const int b = t.offsets[i], n = t.offsets[i + 1] - b;
          for (int j = 0; j < n; ++j) {
            const double* r = t.disp.data() + 3 * (b + j);
            const int nj = t.neighbor[b + j];
            for (int d = 0; d < 3; ++d)
              s.delta[3 * j + d] = a[3 * nj + d] - a[3 * i + d] + S[3 * d] * r[0] +
                                   S[3 * d + 1] * r[1] + S[3 * d + 2] * r[2];
          }
          mtp_train_atom_gradient(v, t.types[i], n, t.ntype.data() + b, t.ru.data() + 4 * b,
                                  t.phi.data() + 2 * R * b, s.delta.data(), ae, g_r.data(),
                                  g_l.data(), s.moments.data(), s.dot.data(), s.adj.data(),
                                  s.dadj.data(), s.f.data(), s.mono.data(), s.acc.data());
        }
      }
    }
    for (long k = c0; k < c1; ++k) {
      const LossStats& st = stats[k - c0];
      if (per_config) (*per_config)[k] = st.loss;
      total.loss += st.loss;
      total.energy_sq_per_atom += st.energy_sq_per_atom;
      total.n_energy += st.n_energy;
      total.force_sq += st.force_sq;
      total.n_force_atoms += st.n_force_atoms;
      total.stress_sq += st.stress_sq;
      total.n_stress += st.n_stress;
      total.energy_abs_per_atom += st.energy_abs_per_atom;
      total.force_abs += st.force_abs;
      if (want) {
        for (int x = 0; x < n_radial_; ++x) gr[x] += cgr[k - c0][x];
        for (int x = 0; x < n_linear_; ++x) gl[x] += cgl[k - c0][x];
      }
    }
  }
  if (grad_radial) *grad_radial = gr;
  if (grad_linear) *grad_linear = gl;
  return total;
}

void CpuTrainerBackend::gauss_newton(const std::vector<double>& radial,
                                     const std::vector<double>& linear, GaussNewtonBlocks& out) {
  const MtpView v = view(radial, &linear);
  const int P = n_radial_, Pl = n_linear_;
  const int C = v.species_count, K = v.radial_funcs_count, R = v.radial_basis_size;
  // Forward-difference step of coefficient (pair, μ, β): kJacobianStep × the norm of radial
  // function μ over all species pairs (the projected loss is invariant under rescaling each
  // radial function, so this is the natural scale of its coefficients).
  std::vector<double> step(P);
  for (int mu = 0; mu < K; ++mu) {
    double sq = 0.0;
    for (int p = 0; p < C * C; ++p)
      for (int b = 0; b < R; ++b) sq += radial[(p * K + mu) * R + b] * radial[(p * K + mu) * R + b];
    const double h = kJacobianStep * (sq > 0.0 ? std::sqrt(sq) : 1.0);
    for (int p = 0; p < C * C; ++p)
      for (int b = 0; b < R; ++b) step[(p * K + mu) * R + b] = h;
  }
  const bool use_cache = cache_designs_ && cached_radial_ == radial;
  const auto& cfgs = data_.configs();
  const long nc = static_cast<long>(cfgs.size());
  out.JtJ.setZero(P, P);
  out.AtJ.setZero(Pl, P);
  out.Jtr.setZero(P);
  std::vector<Eigen::MatrixXd> jtj(kChunk), atj(kChunk);
  std::vector<Eigen::VectorXd> jtr(kChunk);
  for (long c0 = 0; c0 < nc; c0 += kChunk) {
    const long c1 = std::min(nc, c0 + kChunk);
#pragma omp parallel
    {
      Scratch s(v, data_.max_neighbors());
      JacobianScratch js(v, fd_jacobian_ ? 0 : data_.max_neighbors());
      std::vector<double> rad = radial;
      Eigen::MatrixXd Jc, A;
      Eigen::VectorXd pred, y, w;
#pragma omp for schedule(dynamic, 1)
      for (long k = c0; k < c1; ++k) {
        const TrainingConfig& t = cfgs[k];
        if (fd_jacobian_)
          radial_jacobian_rows(v, t, s, rad, step, Jc, pred);
        else
          radial_jacobian_rows_exact(v, t, s, js, Jc, pred);
        if (use_cache) {
          A = design_cache_[k];
          targets(t, y);
        } else {
          design_rows(v, t, s, A, y);
        }
        row_weights(t, w);
        Jc = w.asDiagonal() * Jc;
        A = w.asDiagonal() * A;
        const Eigen::VectorXd r = w.cwiseProduct(pred - y);
        jtj[k - c0].noalias() = Jc.transpose() * Jc;
        atj[k - c0].noalias() = A.transpose() * Jc;
        jtr[k - c0].noalias() = Jc.transpose() * r;
      }
    }
    for (long k = c0; k < c1; ++k) {
      out.JtJ += jtj[k - c0];
      out.AtJ += atj[k - c0];
      out.Jtr += jtr[k - c0];
    }
  }
}

}  // namespace superion
