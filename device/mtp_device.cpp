// DeviceMtpModel and the batched MTP passes.
#include "mtp_device.hpp"

#include <thrust/functional.h>
#include <thrust/iterator/discard_iterator.h>
#include <thrust/reduce.h>

#include <algorithm>

#include "core/geometry.hpp"
#include "launch.hpp"
#include "status.hpp"

namespace superion::device::SUPERION_DEVICE_NS {
namespace {

// Displacement and neighbour species of pair p of atom i (the CPU list's displacement expression).
struct DevicePair {
  const Vec3* x;
  const int* neighbors;
  const int* images;
  const int* type;
  Mat3 cell;
  Vec3 xi;
  SUPERION_HD void operator()(int p, Vec3& d, int& tj) const {
    const int j = neighbors[p];
    d = image_displacement(xi, x[j], images[3 * p], images[3 * p + 1], images[3 * p + 2], cell);
    tj = type[j];
  }
};

struct Geometry {
  const Vec3* x;
  const int* type;
  const int* sys;
  const Mat3* cell;
  const int* offsets;
  const int* neighbors;
  const int* images;
  SUPERION_HD DevicePair pair_of(long i) const {
    return DevicePair{x, neighbors, images, type, cell[sys[i]], x[i]};
  }
};

struct SitePass {
  MtpView v;
  PairWallView w;
  Geometry geo;
  double* scratch;
  long stride, first, atoms;
  double *site, *wall_site, *violation, *adj_out;
  SUPERION_HD void operator()(long t) const {
    const long g = first + t;
    const MtpStrided moments{scratch + t, stride};
    const MtpStrided adj{scratch + static_cast<long>(v.n_moments) * stride + t, stride};
    const SiteResult r = mtp_site_pass(v, w, geo.type[g], geo.offsets[g], geo.offsets[g + 1],
                                       geo.pair_of(g), moments, adj);
    site[g] = r.energy;
    wall_site[g] = r.wall_energy;
    violation[g] = r.violation;
    for (int k = 0; k < v.n_basic; ++k) adj_out[k * atoms + g] = adj[k];
  }
};

struct PairPass {
  MtpView v;
  PairWallView w;
  Geometry geo;
  const int* pair_atom;
  const double* adj;
  long atoms;
  double min2;
  double* grad;
  unsigned char* active;
  int* status;
  SUPERION_HD void operator()(long p) const {
    const int i = pair_atom[p];
    Vec3 d;
    int tj;
    geo.pair_of(i)(static_cast<int>(p), d, tj);
    if (norm2(d) < min2) status_min(status, kTooClose, static_cast<int>(p));
    active[p] = mtp_pair_pass(v, w, geo.type[i], tj, d,
                              MtpStrided{const_cast<double*>(adj) + i, atoms}, grad + 3 * p)
                    ? 1
                    : 0;
  }
};

struct GatherPass {
  Geometry geo;
  const int* rev_offsets;
  const int* rev_pairs;
  const double* grad;
  const unsigned char* active;
  Vec3* forces;
  double* atom_virial;
  SUPERION_HD void operator()(long k) const {
    atom_gather(geo.offsets[k], geo.offsets[k + 1], rev_offsets[k], rev_offsets[k + 1], rev_pairs,
                grad, active, geo.pair_of(k), forces[k], atom_virial + 9 * k);
  }
};

struct AddWallEnergy {
  double* energy;
  const double* wall;
  SUPERION_HD void operator()(long s) const { energy[s] += wall[s]; }
};

}  // namespace

DeviceMtpModel::DeviceMtpModel(const Mtp& model, const std::optional<TypeWalls>& walls)
    : host_(model) {
  const MtpView h = host_.view();
  const Mtp& m = host_.model();
  upload(radial_, m.radial_coeffs);
  upload(species_, m.species_coeffs);
  upload(moment_, m.moment_coeffs);
  upload(basic_, std::vector<MtpBasic>(h.basic, h.basic + h.n_basic));
  upload(times_, std::vector<MtpTimes>(h.times, h.times + h.n_times));
  upload(mapping_, m.alpha_moment_mapping);
  view_ = h;
  view_.radial_coeffs = raw(radial_);
  view_.species_coeffs = raw(species_);
  view_.moment_coeffs = raw(moment_);
  view_.basic = raw(basic_);
  view_.times = raw(times_);
  view_.mapping = raw(mapping_);
  view_.mono_abc = nullptr;  // the site kernels build monomials from powers
  view_.n_mono = 0;
  if (walls) {
    walls_ = wall_view(*walls, m.species_count);
    upload(rw_, walls->rw);
    walls_.rw = raw(rw_);
  }
}

void DeviceMtpModel::set_coefficients(const std::vector<double>& radial,
                                      const std::vector<double>& species,
                                      const std::vector<double>& moment) {
  if (radial.size() != radial_.size() || species.size() != species_.size() ||
      moment.size() != moment_.size())
    throw Error("DeviceMtpModel::set_coefficients: coefficient counts differ from the model's");
  upload(radial_, radial);
  upload(species_, species);
  upload(moment_, moment);
  view_.radial_coeffs = raw(radial_);
  view_.species_coeffs = raw(species_);
  view_.moment_coeffs = raw(moment_);
}

void prepare_mtp_results(const DeviceMtpModel& m, const DeviceSystems& sys, MtpResults& r) {
  const long A = sys.atoms();
  const auto a = static_cast<std::size_t>(A);
  const auto S = static_cast<std::size_t>(sys.size());
  const MtpView& v = m.view();
  r.site.resize(a);
  r.wall_site.resize(a);
  r.violation.resize(a);
  r.atom_virial.resize(9 * a);
  r.adj.resize(static_cast<std::size_t>(v.n_basic) * a);
  r.energy.resize(S);
  r.wall_energy.resize(S);
  r.virial.resize(9 * S);
  r.max_violation.resize(S);
  const double per_atom = 2.0 * v.n_moments * sizeof(double);
  r.chunk = std::max<long>(1, std::min<long>(A, static_cast<long>(kSiteScratchBytes / per_atom)));
  r.scratch.resize(static_cast<std::size_t>(2 * v.n_moments) * static_cast<std::size_t>(r.chunk));
  r.sum1 = SegmentedSum(sys.begin_host, 1);
  r.sum9 = SegmentedSum(sys.begin_host, 9);
}

void evaluate_mtp(const DeviceMtpModel& m, const DeviceSystems& sys, const DeviceNeighborList& nl,
                  const dvec<Vec3>& x, const dvec<int>& types, MtpResults& r, dvec<Vec3>& forces,
                  int* status) {
  const long A = sys.atoms();
  const MtpView& v = m.view();
  const Geometry geo{raw(x),          raw(types),        raw(sys.atom_sys), raw(sys.cell),
                     raw(nl.offsets), raw(nl.neighbors), raw(nl.images)};
  for (long first = 0; first < A; first += r.chunk) {
    const long n = std::min(r.chunk, A - first);
    for_n_balanced(n, SitePass{v, m.walls(), geo, raw(r.scratch), r.chunk, first, A, raw(r.site),
                               raw(r.wall_site), raw(r.violation), raw(r.adj)});
  }
  r.grad.resize(static_cast<std::size_t>(3 * nl.pairs));
  r.active.resize(static_cast<std::size_t>(nl.pairs));
  const double lim = m.min_distance();
  for_n(nl.pairs, PairPass{v, m.walls(), geo, raw(nl.pair_atom), raw(r.adj), A, lim * lim,
                           raw(r.grad), raw(r.active), status});
  forces.resize(static_cast<std::size_t>(A));
  for_n_balanced(A, GatherPass{geo, raw(nl.rev_offsets), raw(nl.rev_pairs), raw(r.grad),
                               raw(r.active), raw(forces), raw(r.atom_virial)});
  r.sum1.sum(raw(r.site), raw(r.energy));
  r.sum9.sum(raw(r.atom_virial), raw(r.virial));
  if (m.walls().n_types > 0) {
    r.sum1.sum(raw(r.wall_site), raw(r.wall_energy));
    for_n(sys.size(), AddWallEnergy{raw(r.energy), raw(r.wall_energy)});
    thrust::reduce_by_key(exec(), sys.atom_sys.begin(), sys.atom_sys.end(), r.violation.begin(),
                          thrust::make_discard_iterator(), r.max_violation.begin(),
                          thrust::equal_to<int>(), thrust::maximum<double>());
  }
}

}  // namespace superion::device::SUPERION_DEVICE_NS
