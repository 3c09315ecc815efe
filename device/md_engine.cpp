// The batched MD engine of the device backend (device/api.hpp): R replicas × N atoms in one set of
// arrays, advanced by the same launches. Each step mirrors Simulation::step() (md/simulation.cpp)
// operation for operation, with the same SUPERION_HD kernels (integrator_kernels.hpp,
// thermostat_kernels.hpp, rigid_cluster_kernels.hpp, mtp_site_kernels.hpp) and fixed-shape sums,
// so the emulated build reproduces the CPU engine bit for bit.
//
// One host synchronisation per step: before the force call the host reads the status words
// (status.hpp) to learn whether the neighbour list must be rebuilt and whether a check failed.
// Failures of the force part of step k (atoms too close, non-finite energy or forces, temperature)
// are read at that point of step k + 1, or when a sample or the state is requested, and reported
// with step k.
#include <thrust/copy.h>
#include <thrust/fill.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <deque>
#include <string>

#include "api.hpp"
#include "buffers.hpp"
#include "core/fixed_sum.hpp"
#include "core/units.hpp"
#include "force_backend.hpp"
#include "integrator_kernels.hpp"
#include "launch.hpp"
#include "mtp_device.hpp"
#include "neighbor_list.hpp"
#include "rigid_cluster_kernels.hpp"
#include "segmented_sum.hpp"
#include "status.hpp"
#include "systems.hpp"
#include "thermostat_kernels.hpp"

namespace superion::device::SUPERION_DEVICE_NS {
namespace {

using md::SimulationError;

enum class Bath { kNone, kNoseHoover, kCsvr, kLangevin };

Bath parse_bath(const std::string& t) {
  if (t == "none" || t == "nve") return Bath::kNone;
  if (t == "nose-hoover" || t == "nh" || t == "nhc") return Bath::kNoseHoover;
  if (t == "csvr" || t == "bussi") return Bath::kCsvr;
  if (t == "langevin") return Bath::kLangevin;
  throw Error("device MD: unknown thermostat '" + t + "'");
}

// ---- per-atom kernels
// ----------------------------------------------------------------------------

struct KineticPerAtom {
  const Vec3* v;
  const double* m;
  double* out;
  SUPERION_HD void operator()(long g) const { out[g] = md::kinetic_energy_of(v[g], m[g]); }
};

struct Kick {
  Vec3* v;
  const Vec3* f;
  const double* m;
  double h;
  SUPERION_HD void operator()(long g) const { md::kick(v[g], f[g], md::kick_factor(m[g], h)); }
};

struct Drift {
  Vec3* x;
  const Vec3* v;
  double check_dt, dt, max_disp;
  int* status;
  SUPERION_HD void operator()(long g) const {
    const Vec3 vg = v[g];
    if (md::moved_beyond(Vec3{}, check_dt * vg, max_disp) || !is_finite(vg.x + vg.y + vg.z))
      status_min(status, kLostAtom, static_cast<int>(g));
    md::drift(x[g], vg, dt);
  }
};

struct ScaleVelocities {
  Vec3* v;
  const int* sys;
  const double* scale;
  SUPERION_HD void operator()(long g) const { md::scale_velocity(v[g], scale[sys[g]]); }
};

// What a random velocity draw for an atom reads: the atom's system, its index in that system and
// its mass; the system's kT and seed (LangevinO, DrawVelocities).
struct AtomDraws {
  const int* sys;
  const int* local;
  const double* m;
  const double* kT;
  const std::uint64_t* seed;
};

struct LangevinO {
  Vec3* v;
  AtomDraws a;
  double c1;
  std::uint64_t step;
  SUPERION_HD void operator()(long g) const {
    const int s = a.sys[g];
    md::langevin_o(v[g], c1, a.kT[s], a.m[g], a.seed[s], step,
                   static_cast<std::uint64_t>(a.local[g]));
  }
};

struct DrawVelocities {
  Vec3* v;
  AtomDraws a;
  const unsigned char* draw;
  double* mv;
  SUPERION_HD void operator()(long g) const {
    const int s = a.sys[g];
    const double* m = a.m;
    if (draw[s])
      v[g] = md::maxwell_boltzmann_velocity(a.seed[s], static_cast<std::uint64_t>(a.local[g]),
                                            a.kT[s], m[g]);
    const Vec3 p = m[g] * v[g];
    mv[4 * g] = p.x;
    mv[4 * g + 1] = p.y;
    mv[4 * g + 2] = p.z;
    mv[4 * g + 3] = m[g];
  }
};

struct RemoveMomentum {
  Vec3* v;
  const int* sys;
  const double* sums;  // 4 per system
  const unsigned char* apply;
  SUPERION_HD void operator()(long g) const {
    const int s = sys[g];
    if (!apply[s]) return;
    const Vec3 p{sums[4 * s], sums[4 * s + 1], sums[4 * s + 2]};
    const Vec3 vcm = (1.0 / sums[4 * s + 3]) * p;
    v[g] -= vcm;
  }
};

struct ExactTemperature {
  Vec3* v;
  const int* sys;
  const double* kT;
  const double* dof;
  const double* ke;
  const unsigned char* draw;
  SUPERION_HD void operator()(long g) const {
    const int s = sys[g];
    if (!draw[s]) return;
    if (kT[s] > 0 && ke[s] > 0) {
      md::scale_velocity(v[g], sqrt(0.5 * dof[s] * kT[s] / ke[s]));
    } else {
      v[g] = Vec3{};
    }
  }
};

struct CheckForces {
  const Vec3* f;
  int* status;
  SUPERION_HD void operator()(long g) const {
    const Vec3 x = f[g];
    if (!is_finite(x.x) || !is_finite(x.y) || !is_finite(x.z))
      status_min(status, kForceNotFinite, static_cast<int>(g));
  }
};

// ---- per-cluster kernels
// -------------------------------------------------------------------------

struct Clusters {
  const int* begin;
  const int* atoms;
  const double* weights;
  const Vec3* offsets;
  const int* sys;
};

struct ProjectVelocities {
  Clusters c;
  Vec3* v;
  const unsigned char* only;  // null: every cluster; else only clusters of systems with only[s]
  SUPERION_HD void operator()(long k) const {
    if (only && !only[c.sys[k]]) return;
    md::cluster_project_velocity(c.atoms + c.begin[k], c.weights + c.begin[k],
                                 c.begin[k + 1] - c.begin[k], v);
  }
};

struct ProjectForces {
  Clusters c;
  Vec3* f;
  SUPERION_HD void operator()(long k) const {
    md::cluster_project_force(c.atoms + c.begin[k], c.weights + c.begin[k],
                              c.begin[k + 1] - c.begin[k], f);
  }
};

struct RestoreClusters {
  Clusters c;
  Vec3* x;
  const Mat3* cell;
  const Mat3* inv;
  int* status;
  SUPERION_HD void operator()(long k) const {
    const bool pbc[3] = {true, true, true};
    const int s = c.sys[k];
    const double moved = md::cluster_restore_positions(
        c.atoms + c.begin[k], c.weights + c.begin[k], c.offsets + c.begin[k],
        c.begin[k + 1] - c.begin[k], x, cell[s], inv[s], pbc);
    if (!(moved < 1e-6)) status_min(status, kClusterDistorted, static_cast<int>(k));
  }
};

struct ClusterVirial {
  Clusters c;
  const Vec3* f;
  double* out;
  SUPERION_HD void operator()(long k) const {
    const Mat3 w = md::cluster_internal_virial(c.atoms + c.begin[k], c.offsets + c.begin[k],
                                               c.begin[k + 1] - c.begin[k], f);
    for (int a = 0; a < 3; ++a)
      for (int b = 0; b < 3; ++b) out[9 * k + 3 * a + b] = w[a][b];
  }
};

// ---- per-system kernels
// --------------------------------------------------------------------------

struct NoseHooverHalf {
  double* xi;
  double* vxi;
  int m;
  const double* dof;
  const double* kT;
  double tdamp, h;
  double* ke;  // in: K; out: K after the scaling
  double* scale;
  SUPERION_HD void operator()(long s) const {
    const double k = ke[s];
    const double a = md::nhc_half_step(xi + s * m, vxi + s * m, m, dof[s], kT[s], tdamp, h, k);
    scale[s] = a;
    ke[s] = k * (a * a);
  }
};

struct CsvrTerms {
  const int* seg_of;
  const long* seg_begin;
  const std::uint64_t* seed;
  const std::uint64_t* nf;
  std::uint64_t counter;
  double* out;
  SUPERION_HD void operator()(long t) const {
    const int s = seg_of[t];
    out[t] = md::csvr_term(seed[s], counter, static_cast<std::uint64_t>(t - seg_begin[s]), nf[s]);
  }
};

struct CsvrHalf {
  const std::uint64_t* seed;
  std::uint64_t counter;
  const double* kT;
  const double* dof;
  double decay;
  const double* s2;
  double* ke;  // in: K; out: K after the scaling
  double* scale;
  double* reservoir;
  SUPERION_HD void operator()(long s) const {
    const double k = ke[s];
    double a = 1.0;
    if (k > 0) a = md::csvr_scale(k, kT[s], dof[s], decay, md::csvr_r1(seed[s], counter), s2[s]);
    scale[s] = a;
    const double k_new = k > 0 ? k * a * a : k;
    reservoir[s] -= k_new - k;
    ke[s] = k_new;
  }
};

struct Exchanged {
  const double* before;
  const double* after;
  double* reservoir;
  SUPERION_HD void operator()(long s) const { reservoir[s] -= after[s] - before[s]; }
};

struct TemperatureCheck {
  const double* ke;
  const double* dof;
  const double* max_t;
  int* status;
  SUPERION_HD void operator()(long s) const {
    const double T = 2.0 * ke[s] / (dof[s] * units::kBoltzmann_eV_K);
    if (!is_finite(T) || (max_t[s] > 0 && T > max_t[s]))
      status_min(status, kTemperatureBlowUp, static_cast<int>(s));
  }
};

struct AfterForces {
  const double* energy;
  const double* internal;  // 9 per system or null
  double* virial;
  const double* wall;
  const double* violation;
  double* max_wall;
  double* max_violation;
  int* status;
  SUPERION_HD void operator()(long s) const {
    if (!is_finite(energy[s])) status_min(status, kEnergyNotFinite, static_cast<int>(s));
    if (internal)
      for (int c = 0; c < 9; ++c) virial[9 * s + c] -= internal[9 * s + c];
    if (wall[s] > max_wall[s]) max_wall[s] = wall[s];
    if (violation[s] > max_violation[s]) max_violation[s] = violation[s];
  }
};

// Packs the scalars of a sample: pe, ke, virial (9), wall, violation, max wall, max violation,
// thermostat state (2m for Nosé–Hoover, else the reservoir).
struct PackScalars {
  const double *pe, *ke, *virial, *wall, *violation, *max_wall, *max_violation;
  const double *xi, *vxi, *reservoir;
  int m;
  bool chain;
  int stride;
  double* out;
  SUPERION_HD void operator()(long s) const {
    double* o = out + s * stride;
    o[0] = pe[s];
    o[1] = ke[s];
    for (int c = 0; c < 9; ++c) o[2 + c] = virial[9 * s + c];
    o[11] = wall[s];
    o[12] = violation[s];
    o[13] = max_wall[s];
    o[14] = max_violation[s];
    if (chain) {
      for (int j = 0; j < m; ++j) {
        o[15 + j] = xi[s * m + j];
        o[15 + m + j] = vxi[s * m + j];
      }
    } else {
      o[15] = reservoir[s];
    }
  }
};
constexpr int kPackFixed = 15;

// ---- the engine
// ----------------------------------------------------------------------------------

class Engine final : public MdEngine {
 public:
  Engine(const MdEngineConfig& cfg, const std::vector<MdSystemInput>& in);
  int systems() const override { return S_; }
  void initialize_velocities() override;
  void set_clock(std::int64_t step, double time_ps) override {
    step_ = step;
    time_ = time_ps;
  }
  std::int64_t step_index() const override { return step_; }
  double time_ps() const override { return time_; }
  void step() override;
  void request_sample(bool positions, bool velocities) override;
  bool next_sample(MdSample& out, bool wait) override;
  void state(int s, std::vector<Vec3>& x, std::vector<Vec3>& v, std::vector<double>& th) override;
  std::size_t list_builds() const override { return static_cast<std::size_t>(nl_.builds); }
  std::size_t device_bytes() const override { return memory_stats().current(); }
  std::size_t peak_device_bytes() const override { return memory_stats().peak(); }
  std::string device_name() const override { return runtime_device_name(); }

 private:
  struct Slot {
    std::int64_t step = 0;
    double time = 0.0;
    bool positions = false, velocities = false;
    dvec<double> pack;
    dvec<Vec3> x, v;
    PinnedBuffer<double> hpack;
    PinnedBuffer<Vec3> hx, hv;
    AsyncCopy copy;
  };

  void ensure_forces();
  void compute_forces();
  void kinetic(double* out);
  void project_velocities(const unsigned char* only = nullptr);
  AtomDraws atom_draws() {
    return AtomDraws{raw(sys_.atom_sys), raw(sys_.local), raw(mass_), raw(kT_), raw(seed_)};
  }
  void outer_half(bool second, double* ke);
  bool sync_status();  // throws on a failure; returns the rebuild request
  [[noreturn]] void fail(const std::vector<int>& st, int word, bool part_b);
  int pack_stride() const { return kPackFixed + (bath_ == Bath::kNoseHoover ? 2 * chain_ : 1); }

  MdEngineConfig cfg_;
  Bath bath_;
  int S_ = 0, chain_ = 3;
  long A_ = 0;
  DeviceSystems sys_;
  DeviceMtpModel model_;
  DeviceNeighborList nl_;
  MtpResults mtp_;
  dvec<Vec3> x_, v_, f_;
  dvec<double> mass_;
  dvec<int> type_;
  // per system
  std::vector<double> kT_host_, dof_host_;
  std::vector<long> n_host_;
  dvec<double> kT_, dof_, max_t_, xi_, vxi_, reservoir_, ke_, ke0_, scale_, s2_, sums4_;
  dvec<double> max_wall_, max_violation_, internal_;
  dvec<std::uint64_t> seed_, nf_;
  dvec<unsigned char> draw_, momentum_;
  // per atom scratch
  dvec<double> ke_atom_, mv_;
  // CSVR normal-number terms: segments of csvr_pairs(N_f) per system
  dvec<double> csvr_terms_;
  dvec<int> csvr_seg_of_;
  dvec<long> csvr_begin_;
  SegmentedSum csvr_sum_, sum1_, sum4_, cluster_sum_;
  // clusters (global atom indices)
  long n_clusters_ = 0;
  dvec<int> cl_begin_, cl_atoms_, cl_sys_;
  dvec<double> cl_weights_, cl_virial_;
  dvec<Vec3> cl_offsets_;
  // status words: [0, W) written by part A of a step (drift, clusters, list), [W, 2W) by part B
  dvec<int> status_;
  std::int64_t part_b_step_ = -1;
  bool have_forces_ = false;
  std::int64_t step_ = 0;
  double time_ = 0.0;
  std::deque<std::unique_ptr<Slot>> pending_;
  std::vector<std::unique_ptr<Slot>> free_;
};

Clusters clusters_of(dvec<int>& b, dvec<int>& a, dvec<double>& w, dvec<Vec3>& o, dvec<int>& s) {
  return Clusters{raw(b), raw(a), raw(w), raw(o), raw(s)};
}

Engine::Engine(const MdEngineConfig& cfg, const std::vector<MdSystemInput>& in)
    : cfg_(cfg), bath_(parse_bath(cfg.thermostat)), model_(cfg.model, cfg.walls) {
  if (in.empty()) throw Error("device MD: no systems");
  if (!(cfg.timestep > 0)) throw Error("the time step must be positive");
  if (!(cfg.skin >= 0)) throw Error("neighbour list skin must be >= 0");
  if (bath_ != Bath::kNone && !(cfg.tdamp > 0))
    throw Error("thermostat " + cfg.thermostat + ": --tdamp must be a positive time");
  chain_ = cfg.chain_length;
  if (chain_ < 1) throw Error("nose-hoover: chain length must be >= 1");
  S_ = static_cast<int>(in.size());
  std::vector<long> begin{0};
  std::vector<Mat3> cells;
  std::vector<Vec3> x, v;
  std::vector<double> m;
  std::vector<int> t;
  std::vector<double> max_t, xi, vxi, reservoir;
  std::vector<std::uint64_t> seeds, nf;
  std::vector<unsigned char> draw, momentum;
  std::vector<int> cb{0}, ca, cs;
  std::vector<double> cw;
  std::vector<Vec3> co;
  std::vector<long> csvr_begin{0}, cluster_begin{0};
  std::vector<int> csvr_seg;
  for (int s = 0; s < S_; ++s) {
    const MdSystemInput& q = in[static_cast<std::size_t>(s)];
    const std::size_t n = q.positions.size();
    if (n == 0) throw Error("device MD: system " + std::to_string(s) + " has no atoms");
    if (q.types.size() != n || q.masses.size() != n ||
        (!q.velocities.empty() && q.velocities.size() != n))
      throw Error("device MD: system " + std::to_string(s) + " has inconsistent array sizes");
    for (std::size_t i = 0; i < n; ++i) {
      if (q.types[i] < 0 || q.types[i] >= model_.species())
        throw Error("atom " + std::to_string(i + 1) + " has species type " +
                    std::to_string(q.types[i]) + " but the MTP has " +
                    std::to_string(model_.species()) + " species");
      if (!(q.masses[i] > 0))
        throw Error("atom " + std::to_string(i + 1) + " has no positive mass");
    }
    if (!(q.dof > 0)) throw Error("device MD: no degrees of freedom");
    const long first = begin.back();
    begin.push_back(first + static_cast<long>(n));
    cells.push_back(q.cell);
    x.insert(x.end(), q.positions.begin(), q.positions.end());
    if (q.velocities.empty())
      v.insert(v.end(), n, Vec3{});
    else
      v.insert(v.end(), q.velocities.begin(), q.velocities.end());
    m.insert(m.end(), q.masses.begin(), q.masses.end());
    t.insert(t.end(), q.types.begin(), q.types.end());
    kT_host_.push_back(units::kBoltzmann_eV_K * q.temperature);
    dof_host_.push_back(q.dof);
    n_host_.push_back(static_cast<long>(n));
    max_t.push_back(q.max_temperature);
    seeds.push_back(q.seed);
    draw.push_back(q.velocities.empty() ? 1 : 0);
    momentum.push_back(q.momentum_removed ? 1 : 0);
    // thermostat state
    if (bath_ == Bath::kNoseHoover) {
      if (!q.thermostat_state.empty() &&
          q.thermostat_state.size() != static_cast<std::size_t>(2 * chain_))
        throw Error("nose-hoover: checkpoint has a chain of " +
                    std::to_string(q.thermostat_state.size() / 2) + " thermostats, this run uses " +
                    std::to_string(chain_));
      for (int j = 0; j < chain_; ++j) {
        xi.push_back(q.thermostat_state.empty() ? 0.0
                                                : q.thermostat_state[static_cast<std::size_t>(j)]);
        vxi.push_back(q.thermostat_state.empty()
                          ? 0.0
                          : q.thermostat_state[static_cast<std::size_t>(chain_ + j)]);
      }
      reservoir.push_back(0.0);
    } else {
      if (q.thermostat_state.size() > 1)
        throw Error("thermostat " + cfg.thermostat + ": state has the wrong size");
      reservoir.push_back(q.thermostat_state.empty() ? 0.0 : q.thermostat_state[0]);
    }
    if (bath_ == Bath::kNoseHoover || bath_ == Bath::kCsvr) {
      if (!(q.temperature > 0))
        throw Error("thermostat " + cfg.thermostat + " needs a temperature above 0 K");
    }
    const auto nfs = static_cast<std::uint64_t>(std::llround(q.dof));
    nf.push_back(nfs);
    const long pairs = static_cast<long>(md::csvr_pairs(nfs));
    csvr_seg.insert(csvr_seg.end(), static_cast<std::size_t>(pairs), s);
    csvr_begin.push_back(csvr_begin.back() + pairs);
    // clusters
    if (q.cluster_begin.size() > 1) {
      for (std::size_t c = 0; c + 1 < q.cluster_begin.size(); ++c) {
        for (int e = q.cluster_begin[c]; e < q.cluster_begin[c + 1]; ++e) {
          const int a = q.cluster_atoms[static_cast<std::size_t>(e)];
          if (a < 0 || static_cast<std::size_t>(a) >= n)
            throw Error("rigid clusters: atom index out of range");
          ca.push_back(static_cast<int>(first) + a);
          cw.push_back(q.cluster_weights[static_cast<std::size_t>(e)]);
          co.push_back(q.cluster_offsets[static_cast<std::size_t>(e)]);
        }
        cb.push_back(static_cast<int>(ca.size()));
        cs.push_back(s);
      }
    }
    cluster_begin.push_back(static_cast<long>(cs.size()));
  }
  A_ = begin.back();
  sys_.setup(begin, cells);
  upload(x_, x);
  upload(v_, v);
  upload(mass_, m);
  upload(type_, t);
  f_.resize(static_cast<std::size_t>(A_));
  upload(kT_, kT_host_);
  upload(dof_, dof_host_);
  upload(max_t_, max_t);
  upload(seed_, seeds);
  upload(nf_, nf);
  upload(draw_, draw);
  upload(momentum_, momentum);
  upload(xi_, xi);
  upload(vxi_, vxi);
  upload(reservoir_, reservoir);
  const auto S = static_cast<std::size_t>(S_);
  for (auto* d : {&ke_, &ke0_, &scale_, &s2_, &max_wall_, &max_violation_}) d->assign(S, 0.0);
  sums4_.assign(4 * S, 0.0);
  ke_atom_.resize(static_cast<std::size_t>(A_));
  mv_.resize(static_cast<std::size_t>(4 * A_));
  sum1_ = SegmentedSum(begin, 1);
  sum4_ = SegmentedSum(begin, 4);
  if (bath_ == Bath::kCsvr) {
    csvr_terms_.resize(static_cast<std::size_t>(csvr_begin.back()));
    upload(csvr_seg_of_, csvr_seg);
    upload(csvr_begin_, csvr_begin);
    csvr_sum_ = SegmentedSum(csvr_begin, 1);
  }
  n_clusters_ = static_cast<long>(cs.size());
  if (n_clusters_ > 0) {
    upload(cl_begin_, cb);
    upload(cl_atoms_, ca);
    upload(cl_weights_, cw);
    upload(cl_offsets_, co);
    upload(cl_sys_, cs);
    cl_virial_.resize(static_cast<std::size_t>(9 * n_clusters_));
    internal_.assign(9 * S, 0.0);
    cluster_sum_ = SegmentedSum(cluster_begin, 9);
  }
  prepare_mtp_results(model_, sys_, mtp_);
  std::vector<int> st(2 * kStatusWords);
  for (int w = 0; w < 2 * kStatusWords; ++w)
    st[static_cast<std::size_t>(w)] = status_initial(w % kStatusWords);
  upload(status_, st);
  for (int k = 0; k < 2; ++k) free_.push_back(std::make_unique<Slot>());
  memory_stats().reset_peak();
}

void Engine::kinetic(double* out) {
  for_n(A_, KineticPerAtom{raw(v_), raw(mass_), raw(ke_atom_)});
  sum1_.sum(raw(ke_atom_), out);
}

void Engine::project_velocities(const unsigned char* only) {
  if (n_clusters_ == 0) return;
  for_n(n_clusters_,
        ProjectVelocities{clusters_of(cl_begin_, cl_atoms_, cl_weights_, cl_offsets_, cl_sys_),
                          raw(v_), only});
}

void Engine::initialize_velocities() {
  for_n(A_, DrawVelocities{raw(v_), atom_draws(), raw(draw_), raw(mv_)});
  dvec<unsigned char> apply(static_cast<std::size_t>(S_));
  {
    const std::vector<unsigned char> d = download(draw_), mo = download(momentum_);
    std::vector<unsigned char> a(d.size());
    for (std::size_t s = 0; s < a.size(); ++s) a[s] = d[s] && mo[s];
    upload(apply, a);
  }
  sum4_.sum(raw(mv_), raw(sums4_));
  for_n(A_, RemoveMomentum{raw(v_), raw(sys_.atom_sys), raw(sums4_), raw(apply)});
  project_velocities(raw(draw_));  // velocities given by a checkpoint are used as they are
  kinetic(raw(ke_));
  for_n(A_,
        ExactTemperature{raw(v_), raw(sys_.atom_sys), raw(kT_), raw(dof_), raw(ke_), raw(draw_)});
  thrust::fill(draw_.begin(), draw_.end(), 0);
}

void Engine::outer_half(bool second, double* ke) {
  const double h = 0.5 * cfg_.timestep;
  if (bath_ == Bath::kNoseHoover) {
    for_n(S_, NoseHooverHalf{raw(xi_), raw(vxi_), chain_, raw(dof_), raw(kT_), cfg_.tdamp, h, ke,
                             raw(scale_)});
  } else if (bath_ == Bath::kCsvr) {
    const std::uint64_t counter = 2 * static_cast<std::uint64_t>(step_) + (second ? 1 : 0);
    for_n(static_cast<long>(csvr_terms_.size()),
          CsvrTerms{raw(csvr_seg_of_), raw(csvr_begin_), raw(seed_), raw(nf_), counter,
                    raw(csvr_terms_)});
    csvr_sum_.sum(raw(csvr_terms_), raw(s2_));
    for_n(S_, CsvrHalf{raw(seed_), counter, raw(kT_), raw(dof_), std::exp(-h / cfg_.tdamp),
                       raw(s2_), ke, raw(scale_), raw(reservoir_)});
  } else {
    return;
  }
  for_n(A_, ScaleVelocities{raw(v_), raw(sys_.atom_sys), raw(scale_)});
}

void Engine::ensure_forces() {
  if (have_forces_) return;
  nl_.build(sys_, x_, model_.range() + cfg_.skin, raw(status_));
  compute_forces();
  sync_status();
  have_forces_ = true;
}

void Engine::compute_forces() {
  int* sb = raw(status_) + kStatusWords;
  evaluate_mtp(model_, sys_, nl_, x_, type_, mtp_, f_, sb);
  for_n(A_, CheckForces{raw(f_), sb});
  const bool cl = n_clusters_ > 0;
  if (cl) {
    const Clusters c = clusters_of(cl_begin_, cl_atoms_, cl_weights_, cl_offsets_, cl_sys_);
    for_n(n_clusters_, ClusterVirial{c, raw(f_), raw(cl_virial_)});
    cluster_sum_.sum(raw(cl_virial_), raw(internal_));
  }
  for_n(S_, AfterForces{raw(mtp_.energy), cl ? raw(internal_) : nullptr, raw(mtp_.virial),
                        raw(mtp_.wall_energy), raw(mtp_.max_violation), raw(max_wall_),
                        raw(max_violation_), sb});
  if (cl)
    for_n(n_clusters_,
          ProjectForces{clusters_of(cl_begin_, cl_atoms_, cl_weights_, cl_offsets_, cl_sys_),
                        raw(f_)});
  part_b_step_ = step_;
}

void Engine::fail(const std::vector<int>& st, int word, bool part_b) {
  const int idx = st[static_cast<std::size_t>(word + (part_b ? kStatusWords : 0))];
  const long long step = part_b ? part_b_step_ : step_;
  auto where = [&](long g) {
    int s = 0;
    while (sys_.begin_host[static_cast<std::size_t>(s) + 1] <= g) ++s;
    return "atom " + std::to_string(g - sys_.begin_host[static_cast<std::size_t>(s)] + 1) +
           (S_ > 1 ? " of replica " + std::to_string(s) : std::string());
  };
  char buf[400];
  switch (word) {
    case kLostAtom: {
      const Vec3 v = download(v_, static_cast<std::size_t>(idx), 1)[0];
      std::snprintf(buf, sizeof buf,
                    "%s would move %.3g A in one step at step %lld (lost atom; limit %.3g A)",
                    where(idx).c_str(), norm(cfg_.timestep * v), step, cfg_.max_step_displacement);
      break;
    }
    case kClusterDistorted:
      std::snprintf(buf, sizeof buf, "a rigid cluster (%d) was distorted at step %lld", idx, step);
      break;
    case kTooClose: {
      const int i = download(nl_.pair_atom, static_cast<std::size_t>(idx), 1)[0];
      const int j = download(nl_.neighbors, static_cast<std::size_t>(idx), 1)[0];
      std::snprintf(buf, sizeof buf,
                    "%s and %s are closer than the allowed %.4f A (min_dist/2 of the MTP) at "
                    "step %lld",
                    where(i).c_str(), where(j).c_str(), model_.min_distance(), step);
      break;
    }
    case kEnergyNotFinite:
      std::snprintf(buf, sizeof buf, "the potential energy is not finite at step %lld (replica %d)",
                    step, idx);
      break;
    case kForceNotFinite:
      std::snprintf(buf, sizeof buf, "the force on %s is not finite at step %lld",
                    where(idx).c_str(), step);
      break;
    case kTemperatureBlowUp: {
      std::snprintf(
          buf, sizeof buf,
          "temperature blow-up or non-finite kinetic energy at step %lld (replica %d; time "
          "step too large, or the potential left its training domain)",
          step, idx);
      break;
    }
    case kPositionNotFinite:
    default:
      std::snprintf(buf, sizeof buf,
                    "an atom position is not finite (NaN or infinite): lost atom (%s)",
                    where(idx).c_str());
      break;
  }
  throw SimulationError(buf);
}

bool Engine::sync_status() {
  const std::vector<int> st = download(status_);
  // Part B (the force call of the previous step) happened first.
  for (int w : {kTooClose, kEnergyNotFinite, kForceNotFinite, kTemperatureBlowUp})
    if (st[static_cast<std::size_t>(kStatusWords + w)] != status_initial(w)) fail(st, w, true);
  for (int w : {kLostAtom, kClusterDistorted, kPositionNotFinite})
    if (st[static_cast<std::size_t>(w)] != status_initial(w)) fail(st, w, false);
  std::vector<int> reset(st.size());
  for (std::size_t w = 0; w < reset.size(); ++w)
    reset[w] = status_initial(static_cast<int>(w % kStatusWords));
  if (st != reset) thrust::copy(reset.begin(), reset.end(), status_.begin());
  return st[kRebuild] != 0;
}

void Engine::step() {
  ensure_forces();
  const double dt = cfg_.timestep, h = 0.5 * dt;
  int* sa = raw(status_);
  if (bath_ == Bath::kNoseHoover || bath_ == Bath::kCsvr) {
    kinetic(raw(ke_));
    outer_half(false, raw(ke_));
  }
  for_n(A_, Kick{raw(v_), raw(f_), raw(mass_), h});
  project_velocities();
  const double max_disp = cfg_.max_step_displacement;
  if (bath_ == Bath::kLangevin) {
    for_n(A_, Drift{raw(x_), raw(v_), dt, h, max_disp, sa});
    kinetic(raw(ke0_));
    for_n(A_, LangevinO{raw(v_), atom_draws(), std::exp(-dt / cfg_.tdamp),
                        static_cast<std::uint64_t>(step_)});
    project_velocities();
    kinetic(raw(ke_));
    for_n(S_, Exchanged{raw(ke0_), raw(ke_), raw(reservoir_)});
    for_n(A_, Drift{raw(x_), raw(v_), dt, h, max_disp, sa});
  } else {
    for_n(A_, Drift{raw(x_), raw(v_), dt, dt, max_disp, sa});
  }
  if (n_clusters_ > 0)
    for_n(n_clusters_,
          RestoreClusters{clusters_of(cl_begin_, cl_atoms_, cl_weights_, cl_offsets_, cl_sys_),
                          raw(x_), raw(sys_.cell), raw(sys_.inv_cell), sa});
  // The one synchronisation of the step: failures so far, and the neighbour list's skin.
  nl_.check_skin(x_, 0.5 * cfg_.skin, sa);
  if (sync_status()) {
    nl_.build(sys_, x_, model_.range() + cfg_.skin, sa);
    sync_status();
  }
  compute_forces();
  for_n(A_, Kick{raw(v_), raw(f_), raw(mass_), h});
  project_velocities();
  kinetic(raw(ke_));
  outer_half(true, raw(ke_));
  for_n(S_, TemperatureCheck{raw(ke_), raw(dof_), raw(max_t_), raw(status_) + kStatusWords});
  ++step_;
  time_ += dt;
}

void Engine::request_sample(bool positions, bool velocities) {
  ensure_forces();
  sync_status();
  std::unique_ptr<Slot> slot;
  if (!free_.empty()) {
    slot = std::move(free_.back());
    free_.pop_back();
  } else {
    slot = std::make_unique<Slot>();  // the caller drains samples in order; this stays small
  }
  slot->step = step_;
  slot->time = time_;
  slot->positions = positions;
  slot->velocities = velocities;
  const int stride = pack_stride();
  slot->pack.resize(static_cast<std::size_t>(stride * S_));
  slot->hpack.resize(slot->pack.size());
  kinetic(raw(ke0_));  // the sample's kinetic energy, recomputed from the velocities
  for_n(S_, PackScalars{raw(mtp_.energy), raw(ke0_), raw(mtp_.virial), raw(mtp_.wall_energy),
                        raw(mtp_.max_violation), raw(max_wall_), raw(max_violation_), raw(xi_),
                        raw(vxi_), raw(reservoir_), chain_, bath_ == Bath::kNoseHoover, stride,
                        raw(slot->pack)});
  if (positions) {
    slot->x = x_;
    slot->hx.resize(slot->x.size());
  }
  if (velocities) {
    slot->v = v_;
    slot->hv.resize(slot->v.size());
  }
  slot->copy.record();
  slot->copy.enqueue(slot->hpack.data(), raw(slot->pack), slot->pack.size() * sizeof(double));
  if (positions) slot->copy.enqueue(slot->hx.data(), raw(slot->x), slot->x.size() * sizeof(Vec3));
  if (velocities) slot->copy.enqueue(slot->hv.data(), raw(slot->v), slot->v.size() * sizeof(Vec3));
  pending_.push_back(std::move(slot));
}

bool Engine::next_sample(MdSample& out, bool wait) {
  if (pending_.empty()) return false;
  Slot& s = *pending_.front();
  if (!wait && !s.copy.ready()) return false;
  s.copy.wait();
  out = MdSample{};
  out.step = s.step;
  out.time_ps = s.time;
  const int stride = pack_stride();
  for (int k = 0; k < S_; ++k) {
    const double* o = s.hpack.data() + k * stride;
    MdScalars m;
    m.potential = o[0];
    m.kinetic = o[1];
    for (int a = 0; a < 3; ++a)
      for (int b = 0; b < 3; ++b) m.virial[a][b] = o[2 + 3 * a + b];
    m.wall_energy = o[11];
    m.max_violation = o[12];
    m.max_wall_energy = o[13];
    m.max_violation_run = o[14];
    m.thermostat_state.assign(o + kPackFixed, o + stride);
    out.systems.push_back(m);
    const auto b = static_cast<std::size_t>(sys_.begin_host[static_cast<std::size_t>(k)]);
    const auto n = static_cast<std::size_t>(sys_.atoms(k));
    if (s.positions) out.positions.emplace_back(s.hx.data() + b, s.hx.data() + b + n);
    if (s.velocities) out.velocities.emplace_back(s.hv.data() + b, s.hv.data() + b + n);
  }
  free_.push_back(std::move(pending_.front()));
  pending_.pop_front();
  return true;
}

void Engine::state(int s, std::vector<Vec3>& x, std::vector<Vec3>& v, std::vector<double>& th) {
  ensure_forces();
  sync_status();
  const auto b = static_cast<std::size_t>(sys_.begin_host[static_cast<std::size_t>(s)]);
  const auto n = static_cast<std::size_t>(sys_.atoms(s));
  x = download(x_, b, n);
  v = download(v_, b, n);
  if (bath_ == Bath::kNoseHoover) {
    th = download(xi_, static_cast<std::size_t>(s * chain_), static_cast<std::size_t>(chain_));
    const std::vector<double> w =
        download(vxi_, static_cast<std::size_t>(s * chain_), static_cast<std::size_t>(chain_));
    th.insert(th.end(), w.begin(), w.end());
  } else {
    th = download(reservoir_, static_cast<std::size_t>(s), 1);
  }
}

}  // namespace

std::unique_ptr<MdEngine> make_md_engine(const MdEngineConfig& config,
                                         const std::vector<MdSystemInput>& systems) {
  return std::make_unique<Engine>(config, systems);
}

}  // namespace superion::device::SUPERION_DEVICE_NS
