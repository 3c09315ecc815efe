// The device trainer (train_api.hpp): TrainerBackend's assemble / evaluate / gauss_newton with the
// training set on the device. Per chunk of configurations (train_layout.hpp):
//   design rows   DesignSite (moments per atom) → DesignLanes (tangents, 3 lanes per pair) → row
//                 gathers into column-major group blocks (kept for the whole set when resident)
//   assemble      per group: weighted block → syrk (normal matrix), gemv (right-hand side), dot
//   evaluate      predictions A ξ → per-configuration residuals → δ per pair → gradient site /
//                 pair steps → per-configuration gradients → running sums in configuration order
//   gauss_newton  Jacobian site / pair / lane steps → prediction and Jacobian rows → per group:
//                 syrk (JᵀJ), gemm (AᵀJ), gemv (Jᵀr)
// Everything but the dense products (dense.hpp) is shared source, and no sum depends on how the
// work is cut into launches or chunks.
#include <thrust/fill.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.hpp"
#include "dense.hpp"
#include "launch.hpp"
#include "memory_stats.hpp"
#include "mtp/mtp_evaluator.hpp"
#include "mtp_device.hpp"
#include "train_api.hpp"
#include "train_kernels.hpp"
#include "train_layout.hpp"

namespace superion::device::SUPERION_DEVICE_NS {
namespace {

// Grows a work buffer to at least n elements (never shrinks: no reallocation chunk after chunk;
// the contents are not kept when it grows, and it grows to exactly n, as the memory plan counts).
template <class T>
void need(dvec<T>& v, long n) {
  if (static_cast<long>(v.size()) < n) resize_discard(v, static_cast<std::size_t>(n));
}

void zero(dvec<double>& v, long n) {
  need(v, n);
  thrust::fill(exec(), v.begin(), v.begin() + n, 0.0);
}

// The configurations of the loaded range on the device.
struct DeviceRange {
  long c0 = -1, c1 = -1;
  int species = 0;
  dvec<int> type, cfg, center, nbr, ntype, row_e, row_f, row_s, n_atoms, block_rows, row_cfg;
  dvec<long> atom_pairs, rev_begin, rev_pairs, rev_sbegin, rev_spairs, atom_begin, pair_begin,
      row_begin, block_row0, sp_begin, sp_pairs, cs_begin, cs_pairs;
  dvec<double> ru, disp, phi, w_energy, w_force, w_stress, virial, energy, y, w, design;

  TrainGeo geo() const {
    TrainGeo g;
    g.type = raw(type);
    g.cfg = raw(cfg);
    g.atom_pairs = raw(atom_pairs);
    g.rev_begin = raw(rev_begin);
    g.rev_pairs = raw(rev_pairs);
    g.rev_sbegin = raw(rev_sbegin);
    g.rev_spairs = raw(rev_spairs);
    g.center = raw(center);
    g.nbr = raw(nbr);
    g.ntype = raw(ntype);
    g.ru = raw(ru);
    g.disp = raw(disp);
    g.phi = raw(phi);
    g.atom_begin = raw(atom_begin);
    g.pair_begin = raw(pair_begin);
    g.row_begin = raw(row_begin);
    g.row_e = raw(row_e);
    g.row_f = raw(row_f);
    g.row_s = raw(row_s);
    g.block_row0 = raw(block_row0);
    g.block_rows = raw(block_rows);
    g.sp_begin = raw(sp_begin);
    g.sp_pairs = raw(sp_pairs);
    g.cs_begin = raw(cs_begin);
    g.cs_pairs = raw(cs_pairs);
    g.C = static_cast<int>(species);
    return g;
  }
};

// A chunk inside the loaded range: configurations [k0, k1), atoms [a0, a1), pairs [p0, p1), rows
// [r0, r1) (range indices); groups [g0, g1) of the layout.
struct Span {
  long k0, k1, a0, a1, p0, p1, r0, r1, g0, g1;
  long configs() const { return k1 - k0; }
  long atoms() const { return a1 - a0; }
  long pairs() const { return p1 - p0; }
  long rows() const { return r1 - r0; }
};

// Energy, force and virial rows of the span's configurations (W columns of `src`) into `out`.
template <class Src>
void gather_rows(const TrainGeo& g, const Src& src, const BlockMatrix& out, const Span& s, int W) {
  for_n(s.configs() * W, EnergyRowGather<Src>{g, src, out, s.k0, W});
  for_n_balanced(s.atoms() * 3 * W, ForceRowGather<Src>{g, src, out, s.a0, W});
  for_n(s.configs() * 9 * W, VirialRowGather<Src>{g, src, out, s.k0, W});
}

class DeviceTrainerImpl final : public DeviceTrainer {
 public:
  DeviceTrainerImpl(const Mtp& model, const TrainingSet& data, const TrainDeviceOptions& options);
  int n_radial() const override { return z_.n_radial; }
  int n_linear() const override { return z_.P; }
  void assemble(const std::vector<double>& radial, std::vector<double>& normal,
                std::vector<double>& rhs, double& yy) override;
  TrainLoss evaluate(const std::vector<double>& radial, const std::vector<double>& linear,
                     std::vector<double>* grad_radial, std::vector<double>* grad_linear,
                     std::vector<double>* per_config) override;
  void gauss_newton(const std::vector<double>& radial, const std::vector<double>& linear,
                    std::vector<double>& JtJ, std::vector<double>& AtJ,
                    std::vector<double>& Jtr) override;
  std::vector<double> design(std::size_t k, const std::vector<double>& radial) override;
  const TrainDeviceInfo& info() const override { return info_; }
  std::size_t peak_device_bytes() const override {
    const std::size_t p = memory_stats().peak();
    return p > base_bytes_ ? p - base_bytes_ : 0;
  }

 private:
  long chunks() const { return static_cast<long>(plan_.chunk_begin.size()) - 1; }
  Span load(long ch);  // the chunk's configurations on the device (uploads when not resident)
  void set_coefficients(const std::vector<double>& radial, const std::vector<double>* linear);
  void ensure_design(long ch, const Span& s, const std::vector<double>& radial);
  void weight_block(const dvec<double>& in, long in_row0, long g, int width, dvec<double>& out,
                    const double* y, double* yw);
  // Rows of the configurations of group g (the blocks of the dense products).
  std::vector<int> group_blocks(long g) const {
    std::vector<int> b;
    for (long k = lay_.group_begin[g]; k < lay_.group_begin[g + 1]; ++k)
      b.push_back(static_cast<int>(lay_.row_begin[k + 1] - lay_.row_begin[k]));
    return b;
  }
  // Work items per launch of a pass over `items` items with `bytes_per_item` of scratch each (as
  // many as the plan's scratch allows), and the scratch buffer grown to hold them.
  long launch_items(long items, double bytes_per_item) {
    const long fit = static_cast<long>(static_cast<double>(plan_.scratch) / bytes_per_item);
    const long per = std::max<long>(1, std::min(items, fit));
    need(scratch_, static_cast<long>(std::ceil(per * bytes_per_item / sizeof(double))));
    return per;
  }

  const TrainingSet& data_;
  DeviceMtpModel model_;
  TrainSizes z_;
  TrainLayout lay_;
  TrainPlan plan_;
  TrainDeviceInfo info_;
  DenseOps dense_;
  DeviceRange range_;
  std::vector<double> design_radial_;  // radial coefficients of the stored design rows
  std::vector<char> design_ok_;        // per chunk
  std::size_t base_bytes_ = 0;
  // work buffers (grown on demand)
  dvec<double> atom_work_, pair_work_, e_, dV_, ha_, adjb_, dadjb_, af_, gp_, delta_, acc_;
  dvec<double> pred_, rw_, jc_, cfg_stats_, cfg_ae_, cfg_S_, cfg_grad_, scratch_;
  dvec<double> aw_, jw_, yw_, xi_;
  dvec<double> normal_, rhs_, yy_, stats_, grad_, jtj_, atj_, jtr_;
};

Mtp trained_copy(const Mtp& model) {
  Mtp m = model;
  m.trained = true;
  return m;
}

DeviceTrainerImpl::DeviceTrainerImpl(const Mtp& model, const TrainingSet& data,
                                     const TrainDeviceOptions& options)
    : data_(data), model_(trained_copy(model), std::nullopt) {
  const Mtp& m = model_.host().model();
  if (data.radial_basis_size() != m.radial_basis_size || data.rmin() != m.min_dist ||
      data.rcut() != m.max_dist)
    throw Error("training set cache does not match the model's radial basis");
  if (data.n_species() > m.species_count)
    throw Error("training data has species type " + std::to_string(data.n_species() - 1) +
                " but the potential has only " + std::to_string(m.species_count) + " species");
  const MtpView& v = model_.view();
  z_.C = v.species_count;
  z_.K = v.radial_funcs_count;
  z_.R = v.radial_basis_size;
  z_.A = v.n_scalar;
  z_.P = z_.C + z_.A;
  z_.n_radial = z_.C * z_.C * z_.K * z_.R;
  z_.L = z_.C * z_.K * z_.R;
  z_.n_moments = v.n_moments;
  z_.n_basic = v.n_basic;
  base_bytes_ = memory_stats().current();
  memory_stats().reset_peak();
  lay_ = make_train_layout(data, options.group_rows);
  const std::size_t budget =
      options.memory_limit ? options.memory_limit
                           : static_cast<std::size_t>(options.memory_share *
                                                      static_cast<double>(runtime_memory_free()));
  plan_ = plan_train_chunks(z_, lay_, budget, options);
  design_ok_.assign(static_cast<std::size_t>(chunks()), 0);
  info_.resident = plan_.resident;
  info_.groups = lay_.groups();
  info_.chunks = chunks();
  info_.chunk_configs = plan_.max_chunk_configs;
  info_.budget = plan_.budget;
  info_.planned = plan_.planned;
  info_.device = runtime_device_name();
}

Span DeviceTrainerImpl::load(long ch) {
  const long c0 = lay_.group_begin[plan_.chunk_begin[ch]];
  const long c1 = lay_.group_begin[plan_.chunk_begin[ch + 1]];
  const long want0 = plan_.resident ? 0 : c0, want1 = plan_.resident ? lay_.configs : c1;
  if (range_.c0 != want0 || range_.c1 != want1) {
    const HostRange h = make_host_range(data_, lay_, z_.C, want0, want1);
    DeviceRange& d = range_;
    upload(d.type, h.type);
    upload(d.cfg, h.cfg);
    upload(d.center, h.center);
    upload(d.nbr, h.nbr);
    upload(d.ntype, h.ntype);
    upload(d.row_e, h.row_e);
    upload(d.row_f, h.row_f);
    upload(d.row_s, h.row_s);
    upload(d.n_atoms, h.n_atoms);
    upload(d.block_rows, h.block_rows);
    upload(d.row_cfg, h.row_cfg);
    upload(d.atom_pairs, h.atom_pairs);
    upload(d.rev_begin, h.rev_begin);
    upload(d.rev_pairs, h.rev_pairs);
    upload(d.rev_sbegin, h.rev_sbegin);
    upload(d.rev_spairs, h.rev_spairs);
    upload(d.atom_begin, h.atom_begin);
    upload(d.pair_begin, h.pair_begin);
    upload(d.row_begin, h.row_begin);
    upload(d.block_row0, h.block_row0);
    upload(d.sp_begin, h.sp_begin);
    upload(d.sp_pairs, h.sp_pairs);
    upload(d.cs_begin, h.cs_begin);
    upload(d.cs_pairs, h.cs_pairs);
    upload(d.ru, h.ru);
    upload(d.disp, h.disp);
    upload(d.w_energy, h.w_energy);
    upload(d.w_force, h.w_force);
    upload(d.w_stress, h.w_stress);
    upload(d.virial, h.virial);
    upload(d.energy, h.energy);
    upload(d.y, h.y);
    upload(d.w, h.w);
    const long np = static_cast<long>(h.center.size());
    resize_discard(d.phi, static_cast<std::size_t>(2L * z_.R * np));
    for_n(np, PhiPass{raw(d.ru), raw(d.phi), data_.rmin(), data_.rcut(), z_.R});
    resize_discard(d.design, static_cast<std::size_t>(h.y.size()) * static_cast<std::size_t>(z_.P));
    d.c0 = want0;
    d.c1 = want1;
    d.species = z_.C;
    if (!plan_.resident) std::fill(design_ok_.begin(), design_ok_.end(), 0);
  }
  Span s;
  s.g0 = plan_.chunk_begin[ch];
  s.g1 = plan_.chunk_begin[ch + 1];
  s.k0 = c0 - range_.c0;
  s.k1 = c1 - range_.c0;
  const long a_base = lay_.atom_begin[range_.c0], p_base = lay_.pair_begin[range_.c0],
             r_base = lay_.row_begin[range_.c0];
  s.a0 = lay_.atom_begin[c0] - a_base;
  s.a1 = lay_.atom_begin[c1] - a_base;
  s.p0 = lay_.pair_begin[c0] - p_base;
  s.p1 = lay_.pair_begin[c1] - p_base;
  s.r0 = lay_.row_begin[c0] - r_base;
  s.r1 = lay_.row_begin[c1] - r_base;
  return s;
}

void DeviceTrainerImpl::set_coefficients(const std::vector<double>& radial,
                                         const std::vector<double>* linear) {
  if (static_cast<int>(radial.size()) != z_.n_radial)
    throw Error("radial coefficient count mismatch");
  std::vector<double> species(static_cast<std::size_t>(z_.C), 0.0),
      moment(static_cast<std::size_t>(z_.A), 0.0);
  if (linear) {
    if (static_cast<int>(linear->size()) != z_.P) throw Error("linear coefficient count mismatch");
    std::copy(linear->begin(), linear->begin() + z_.C, species.begin());
    std::copy(linear->begin() + z_.C, linear->end(), moment.begin());
    upload(xi_, *linear);
  }
  model_.set_coefficients(radial, species, moment);
}

// Design rows of the chunk at `radial` into range_.design (unless already there).
void DeviceTrainerImpl::ensure_design(long ch, const Span& s, const std::vector<double>& radial) {
  if (design_radial_ != radial) {
    std::fill(design_ok_.begin(), design_ok_.end(), 0);
    design_radial_ = radial;
  }
  if (design_ok_[static_cast<std::size_t>(ch)]) return;
  const MtpView& v = model_.view();
  const TrainGeo g = range_.geo();
  const long na = s.atoms(), np = s.pairs();
  need(atom_work_, static_cast<long>(z_.n_moments) * na);
  for_n_balanced(na, DesignSite{v, g, raw(atom_work_), s.a0, 0, na});
  need(pair_work_, 3L * z_.A * np);
  const long per = launch_items(np, 3.0 * z_.n_moments * sizeof(double));
  for (long first = 0; first < np; first += per) {
    const long n = std::min(per, np - first);
    for_n(n, DesignLanes{v, g, raw(atom_work_), raw(scratch_), raw(pair_work_), s.a0, s.p0, first,
                         na, n});
  }
  const DesignSource src{raw(pair_work_), raw(atom_work_), v.mapping, s.a0, s.p0, na, z_.C, z_.A};
  const BlockMatrix out{raw(range_.design), 0, z_.P};
  gather_rows(g, src, out, s, z_.P);
  design_ok_[static_cast<std::size_t>(ch)] = 1;
}

// Weighted copy of group g's block of `in` (blocks of `width` columns from row in_row0 of the
// range) into `out`; with y, also the weighted targets into yw.
void DeviceTrainerImpl::weight_block(const dvec<double>& in, long in_row0, long g, int width,
                                     dvec<double>& out, const double* y, double* yw) {
  const long rows = lay_.group_rows(g);
  const long row0 = lay_.row_begin[lay_.group_begin[g]] - lay_.row_begin[range_.c0];
  need(out, rows * width);
  for_n(rows * width, WeightBlock{raw(in) + (row0 - in_row0) * width, raw(range_.w), y, raw(out),
                                  yw, rows, row0});
}

void DeviceTrainerImpl::assemble(const std::vector<double>& radial, std::vector<double>& normal,
                                 std::vector<double>& rhs, double& yy) {
  set_coefficients(radial, nullptr);
  const int P = z_.P;
  zero(normal_, static_cast<long>(P) * P);
  zero(rhs_, P);
  zero(yy_, 1);
  need(yw_, lay_.max_group_rows);
  for (long ch = 0; ch < chunks(); ++ch) {
    const Span s = load(ch);
    ensure_design(ch, s, radial);
    for (long g = s.g0; g < s.g1; ++g) {
      const long rows = lay_.group_rows(g);
      if (rows == 0) continue;
      weight_block(range_.design, 0, g, P, aw_, raw(range_.y), raw(yw_));
      const std::vector<int> blocks = group_blocks(g);
      const int k = static_cast<int>(rows);
      dense_.syrk_add(P, k, raw(aw_), blocks, raw(normal_));
      dense_.gemv_t_add(P, k, raw(aw_), raw(yw_), blocks, raw(rhs_));
      dense_.dot_add(k, raw(yw_), blocks, raw(yy_));
    }
  }
  synchronize();
  normal = download(normal_);
  normal.resize(static_cast<std::size_t>(P) * P);
  for (int c = 0; c < P; ++c)
    for (int r = c + 1; r < P; ++r)
      normal[static_cast<std::size_t>(r) * P + c] = normal[static_cast<std::size_t>(c) * P + r];
  rhs = download(rhs_, 0, static_cast<std::size_t>(P));
  yy = download(yy_, 0, 1)[0];
}

TrainLoss DeviceTrainerImpl::evaluate(const std::vector<double>& radial,
                                      const std::vector<double>& linear,
                                      std::vector<double>* grad_radial,
                                      std::vector<double>* grad_linear,
                                      std::vector<double>* per_config) {
  set_coefficients(radial, &linear);
  const bool want = grad_radial || grad_linear;
  if (per_config) per_config->assign(static_cast<std::size_t>(lay_.configs), 0.0);
  const int W = z_.n_radial + z_.P;
  zero(stats_, 8);
  if (want) zero(grad_, W);
  const MtpView& v = model_.view();
  for (long ch = 0; ch < chunks(); ++ch) {
    const Span s = load(ch);
    ensure_design(ch, s, radial);
    const TrainGeo g = range_.geo();
    need(pred_, s.rows());
    for_n(s.rows(), PredictRows{g, raw(range_.row_cfg), raw(range_.design), raw(xi_), raw(pred_),
                                s.r0, z_.P});
    need(cfg_stats_, 8 * s.configs());
    need(cfg_ae_, s.configs());
    need(cfg_S_, 9 * s.configs());
    need(af_, 3 * s.atoms());
    for_n(s.configs(),
          ConfigResiduals{g, raw(range_.n_atoms), raw(range_.w_energy), raw(range_.w_force),
                          raw(range_.w_stress), raw(range_.y), raw(pred_), raw(cfg_stats_),
                          raw(cfg_ae_), raw(af_), raw(cfg_S_), s.k0, s.a0, s.r0});
    for_n(8, AccumulateColumns{raw(cfg_stats_), raw(stats_), s.configs(), 8});
    if (per_config) {  // the chunk's configurations are range_.c0 + s.k0 + t of the data
      synchronize();
      const std::vector<double> st =
          download(cfg_stats_, 0, static_cast<std::size_t>(8 * s.configs()));
      for (long t = 0; t < s.configs(); ++t)
        (*per_config)[static_cast<std::size_t>(range_.c0 + s.k0 + t)] =
            st[static_cast<std::size_t>(8 * t)];
    }
    if (!want) continue;
    const long na = s.atoms(), np = s.pairs();
    need(delta_, 3 * np);
    for_n(np, PairDelta{g, raw(af_), raw(cfg_S_), raw(delta_), s.a0, s.p0, s.k0});
    need(ha_, static_cast<long>(z_.A) * na);
    need(adjb_, static_cast<long>(z_.n_basic) * na);
    need(dadjb_, static_cast<long>(z_.n_basic) * na);
    const long per = launch_items(na, 4.0 * z_.n_moments * sizeof(double));
    for (long first = 0; first < na; first += per) {
      const long n = std::min(per, na - first);
      for_n_balanced(n, GradientSite{v, g, raw(delta_), raw(cfg_ae_), raw(scratch_), raw(ha_),
                                     raw(adjb_), raw(dadjb_), s.a0, s.p0, s.k0, first, n, na});
    }
    need(acc_, 2L * z_.K * np);
    for_n(np, GradientPair{v, g, raw(delta_), raw(adjb_), raw(dadjb_), raw(acc_), s.a0, s.p0, na});
    need(cfg_grad_, static_cast<long>(W) * s.configs());
    for_n_balanced(s.configs() * W,
                   GradientReduce{v, g, raw(acc_), raw(cfg_ae_), raw(ha_), raw(cfg_grad_), s.k0,
                                  s.a0, s.p0, z_.n_radial, W});
    for_n(W, AccumulateColumns{raw(cfg_grad_), raw(grad_), s.configs(), W});
  }
  synchronize();
  const std::vector<double> st = download(stats_, 0, 8);
  TrainLoss out;
  out.loss = st[0];
  out.energy_sq_per_atom = st[1];
  out.energy_abs_per_atom = st[2];
  out.force_sq = st[3];
  out.force_abs = st[4];
  out.stress_sq = st[5];
  for (long k = 0; k < lay_.configs; ++k) {
    const TrainingConfig& t = data_.configs()[static_cast<std::size_t>(k)];
    out.n_energy += t.has_energy ? 1 : 0;
    out.n_force_atoms += t.has_forces ? static_cast<std::size_t>(t.n_atoms) : 0;
    out.n_stress += t.has_virial ? 1 : 0;
  }
  if (want) {
    const std::vector<double> gr = download(grad_, 0, static_cast<std::size_t>(W));
    if (grad_radial) grad_radial->assign(gr.begin(), gr.begin() + z_.n_radial);
    if (grad_linear) grad_linear->assign(gr.begin() + z_.n_radial, gr.end());
  }
  return out;
}

void DeviceTrainerImpl::gauss_newton(const std::vector<double>& radial,
                                     const std::vector<double>& linear, std::vector<double>& JtJ,
                                     std::vector<double>& AtJ, std::vector<double>& Jtr) {
  set_coefficients(radial, &linear);
  const int P = z_.P, Q = z_.n_radial, L = z_.L;
  zero(jtj_, static_cast<long>(Q) * Q);
  zero(atj_, static_cast<long>(P) * Q);
  zero(jtr_, Q);
  const MtpView& v = model_.view();
  for (long ch = 0; ch < chunks(); ++ch) {
    const Span s = load(ch);
    ensure_design(ch, s, radial);
    const TrainGeo g = range_.geo();
    const long na = s.atoms(), np = s.pairs();
    need(atom_work_, 2L * z_.n_moments * na);
    double* moments = raw(atom_work_);
    double* adj = moments + static_cast<long>(z_.n_moments) * na;
    need(e_, na);
    for_n_balanced(na, JacobianSite{v, g, moments, adj, raw(e_), s.a0, 0, na});
    need(gp_, 3 * np);
    for_n(np, JacobianPair{v, g, adj, raw(gp_), s.a0, s.p0, na});
    need(dV_, static_cast<long>(L) * na);
    need(pair_work_, 3L * L * np);
    const long items = na * z_.C * z_.K;
    const long per = launch_items(items, 2.0 * z_.R * z_.n_moments * sizeof(double));
    for (long first = 0; first < items; first += per) {
      const long n = std::min(per, items - first);
      for_n_balanced(n, JacobianLanes{v, g, moments, adj, raw(scratch_), raw(dV_), raw(pair_work_),
                                      s.a0, s.p0, first, n, na, L});
    }
    // prediction rows (one column) and Jacobian rows (chunk blocks)
    need(pred_, s.rows());
    const PredictionSource ps{raw(gp_), raw(e_), s.a0, s.p0};
    const BlockMatrix pout{raw(pred_), s.r0, 1};
    gather_rows(g, ps, pout, s, 1);
    need(jc_, s.rows() * Q);
    const JacobianSource js{
        raw(pair_work_), raw(dV_), raw(range_.type), raw(range_.center), s.a0, s.p0, L};
    const BlockMatrix jout{raw(jc_), s.r0, Q};
    gather_rows(g, js, jout, s, Q);
    need(rw_, s.rows());
    for_n(s.rows(), WeightedResidual{raw(range_.w), raw(range_.y), raw(pred_), raw(rw_), s.r0});
    for (long gr = s.g0; gr < s.g1; ++gr) {
      const long rows = lay_.group_rows(gr);
      if (rows == 0) continue;
      const long row0 = lay_.row_begin[lay_.group_begin[gr]] - lay_.row_begin[range_.c0];
      weight_block(range_.design, 0, gr, P, aw_, nullptr, nullptr);
      weight_block(jc_, s.r0, gr, Q, jw_, nullptr, nullptr);
      const std::vector<int> blocks = group_blocks(gr);
      const int k = static_cast<int>(rows);
      dense_.gemm_tn_add(Q, Q, k, raw(jw_), raw(jw_), blocks, raw(jtj_));
      dense_.gemm_tn_add(P, Q, k, raw(aw_), raw(jw_), blocks, raw(atj_));
      dense_.gemv_t_add(Q, k, raw(jw_), raw(rw_) + (row0 - s.r0), blocks, raw(jtr_));
    }
  }
  synchronize();
  JtJ = download(jtj_, 0, static_cast<std::size_t>(Q) * Q);
  for (int c = 0; c < Q; ++c)
    for (int r = c + 1; r < Q; ++r)
      JtJ[static_cast<std::size_t>(r) * Q + c] = JtJ[static_cast<std::size_t>(c) * Q + r];
  AtJ = download(atj_, 0, static_cast<std::size_t>(P) * Q);
  Jtr = download(jtr_, 0, static_cast<std::size_t>(Q));
}

std::vector<double> DeviceTrainerImpl::design(std::size_t k, const std::vector<double>& radial) {
  if (static_cast<long>(k) >= lay_.configs) throw Error("design: configuration out of range");
  set_coefficients(radial, nullptr);
  const long g = lay_.group_of[k];
  long ch = 0;
  while (plan_.chunk_begin[ch + 1] <= g) ++ch;
  const Span s = load(ch);
  ensure_design(ch, s, radial);
  synchronize();
  const long r_base = lay_.row_begin[range_.c0];
  const long block0 = lay_.row_begin[lay_.group_begin[g]] - r_base;
  const long rows_g = lay_.group_rows(g);
  const long first = lay_.row_begin[k] - r_base - block0;
  const long rows = lay_.row_begin[k + 1] - lay_.row_begin[k];
  const std::vector<double> block = download(range_.design, static_cast<std::size_t>(block0 * z_.P),
                                             static_cast<std::size_t>(rows_g * z_.P));
  std::vector<double> out(static_cast<std::size_t>(rows * z_.P));
  for (int c = 0; c < z_.P; ++c)
    for (long r = 0; r < rows; ++r)
      out[static_cast<std::size_t>(c * rows + r)] =
          block[static_cast<std::size_t>(c * rows_g + first + r)];
  return out;
}

}  // namespace

std::unique_ptr<DeviceTrainer> make_trainer(const Mtp& model, const TrainingSet& data,
                                            const TrainDeviceOptions& options) {
  return std::make_unique<DeviceTrainerImpl>(model, data, options);
}

}  // namespace superion::device::SUPERION_DEVICE_NS
