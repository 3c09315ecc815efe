// PairSuperionMtp: LAMMPS Pair API around mtp_atom(). See pair_superion_mtp.hpp.
#include "pair_superion_mtp.hpp"

#include <mpi.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

#include "atom.h"
#include "comm.h"
#include "core/error.hpp"
#include "error.h"
#include "force.h"
#include "memory.h"
#include "mtp/mtp_evaluator.hpp"
#include "mtp/mtp_file.hpp"
#include "mtp/mtp_kernels.hpp"
#include "neighbor.h"
#include "pair_style_args.hpp"
#include "species_map.hpp"
#include "update.h"
#include "utils.h"

namespace superion::lammps {
namespace {

// Element names stored in the .mtp file (`potential_tag = elements …`, written by superion;
// none in MLIP's own files, for which `pair_style mtp POT species …` supplies them).
std::vector<std::string> names_in_file(const Mtp& m) {
  return m.species_names;
}

// A type's mass may differ from its element's standard atomic mass by this much (amu) without a
// warning: rounded masses (23 for Na, 35.5 for Cl) pass, the neighbouring element in a mixed-up
// order (O 16.00 for Na 22.99, S 32.06 for Cl 35.45) does not.
constexpr double kMassTolerance = 0.5;

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : " ") + x;
  return s;
}

std::vector<std::string> to_strings(int narg, char** arg) {
  return std::vector<std::string>(arg, arg + narg);
}

}  // namespace

PairSuperionMtp::PairSuperionMtp(LAMMPS_NS::LAMMPS* lmp, Syntax syntax)
    : Pair(lmp), syntax_(syntax) {
  single_enable = 0;
  restartinfo = 0;  // the potential file is re-read: give pair_style again after read_restart
  one_coeff = 1;
  manybody_flag = 1;
  no_virial_fdotr_compute = 1;  // the virial is summed per pair below
  centroidstressflag = LAMMPS_NS::CENTROID_NOTAVAIL;
  comm_reverse = 9;  // newton off: 3 force + 6 per-atom virial components per ghost
  comm_reverse_off = 9;
}

PairSuperionMtp::~PairSuperionMtp() {
  if (allocated) {
    memory->destroy(setflag);
    memory->destroy(cutsq);
  }
}

std::string PairSuperionMtp::style_name() const {
  return syntax_ == Syntax::kMtp ? "pair_style mtp" : "pair_style mlip";
}

void PairSuperionMtp::fail(const std::string& message) {
  error->all(FLERR, style_name() + ": " + message);
  std::abort();  // not reached: error->all does not return
}

void PairSuperionMtp::allocate_arrays() {
  const int n = atom->ntypes;
  memory->create(setflag, n + 1, n + 1, "pair:setflag");
  memory->create(cutsq, n + 1, n + 1, "pair:cutsq");
  for (int i = 0; i <= n; ++i)
    for (int j = 0; j <= n; ++j) setflag[i][j] = 0;
  allocated = 1;
}

// Rank 0 reads the file and broadcasts its text, so N nodes do not all hit the file system.
void PairSuperionMtp::load_potential(const std::string& path) {
  std::string text;
  int ok = 1;
  if (comm->me == 0) {
    std::ifstream f(path, std::ios::binary);
    std::ostringstream s;
    if (f) s << f.rdbuf();
    ok = f ? 1 : 0;
    text = s.str();
  }
  MPI_Bcast(&ok, 1, MPI_INT, 0, world);
  if (!ok) fail("cannot read the potential file '" + path + "'");
  long size = static_cast<long>(text.size());
  MPI_Bcast(&size, 1, MPI_LONG, 0, world);
  text.resize(static_cast<std::size_t>(size));
  MPI_Bcast(text.data(), static_cast<int>(size), MPI_CHAR, 0, world);
  try {
    Mtp model = parse_mtp(text, path);
    if (!model.trained)
      fail("'" + path + "' is an untrained MTP template (no coefficients); train it first");
    const std::vector<std::string> stored = names_in_file(model);
    if (!species_names_.empty() && !stored.empty() && species_names_ != stored)
      fail("'species " + join(species_names_) + "' contradicts the elements stored in '" + path +
           "' (" + join(stored) + "): leave 'species' out or give that order");
    if (species_names_.empty()) species_names_ = stored;
    if (!species_names_.empty() && static_cast<int>(species_names_.size()) != model.species_count)
      fail("'species' names " + std::to_string(species_names_.size()) + " elements but '" + path +
           "' has " + std::to_string(model.species_count) + " species");
    evaluator_ = std::make_unique<MtpEvaluator>(std::move(model));
  } catch (const superion::Error& e) {
    fail(e.what());
  }
  potential_path_ = path;
}

void PairSuperionMtp::settings(int narg, char** arg) {
  try {
    const std::vector<std::string> args = to_strings(narg, arg);
    const PairStyleArgs a =
        syntax_ == Syntax::kMtp ? parse_mtp_style(args) : parse_mlip_style(args);
    species_names_ = a.species;
    if (comm->me == 0)
      for (const auto& s : a.ignored)
        error->warning(FLERR, "pair_style mlip: ignoring the MLIP setting " + s);
    load_potential(a.potential);
  } catch (const superion::Error& e) {
    fail(e.what());
  }
}

void PairSuperionMtp::coeff(int narg, char** arg) {
  if (narg < 2 || std::strcmp(arg[0], "*") != 0 || std::strcmp(arg[1], "*") != 0)
    fail("expected pair_coeff * * [one element name per atom type]");
  if (!evaluator_) fail("pair_coeff before the potential was read");
  if (!allocated) allocate_arrays();
  const int ntypes = atom->ntypes;
  std::vector<int> map;
  try {
    map = map_types_to_species(to_strings(narg - 2, arg + 2), ntypes,
                               evaluator_->model().species_count, species_names_, potential_path_);
  } catch (const superion::Error& e) {
    fail(e.what());
  }
  species_of_type_.assign(static_cast<std::size_t>(ntypes) + 1, -1);
  for (int t = 1; t <= ntypes; ++t) species_of_type_[t] = map[static_cast<std::size_t>(t) - 1];
  const std::vector<std::string> names = to_strings(narg - 2, arg + 2);
  element_of_type_ = elements_of_types(names, map, species_names_);
  if (comm->me == 0) {
    LAMMPS_NS::utils::logmesg(
        lmp, style_name() + ": " + describe_type_map(map, element_of_type_) + "\n");
    if (species_names_.empty())
      error->warning(FLERR, style_name() + ": '" + potential_path_ + "' stores no element names: " +
                                (names.empty() ? "atom type k is taken as its species k-1"
                                               : "the distinct pair_coeff names in order are "
                                                 "taken as its species 0, 1, ...") +
                                " (superion train stores them; or give pair_style mtp POT "
                                "species A B ...)");
  }
  for (int i = 1; i <= ntypes; ++i)
    for (int j = i; j <= ntypes; ++j)
      setflag[i][j] = (species_of_type_[i] >= 0 && species_of_type_[j] >= 0) ? 1 : 0;
}

void PairSuperionMtp::init_style() {
  if (std::strcmp(update->unit_style, "metal") != 0)
    fail("the MTP is in eV and Angstrom: use 'units metal' (this input has units " +
         std::string(update->unit_style) + ")");
  if (!evaluator_ || species_of_type_.empty()) fail("pair_coeff * * … is missing");
  if (comm->me == 0 && atom->mass) {
    std::vector<double> masses(static_cast<std::size_t>(atom->ntypes), std::nan(""));
    for (int t = 1; t <= atom->ntypes; ++t)
      if (atom->mass_setflag[t]) masses[static_cast<std::size_t>(t) - 1] = atom->mass[t];
    for (const auto& w : mass_warnings(element_of_type_, masses, kMassTolerance))
      error->warning(FLERR, style_name() + ": " + w);
  }
  // No LAMMPS neighbour list is requested: the style keeps its own full list (LocalNeighbors).
  built_at_call_ = -1;
}

double PairSuperionMtp::init_one(int i, int j) {
  if (setflag[i][j] == 0)
    fail("atom types " + std::to_string(i) + " and " + std::to_string(j) +
         " have no element (NULL) in pair_coeff");
  return evaluator_->cutoff();
}

void PairSuperionMtp::rebuild_neighbors() {
  const int nlocal = atom->nlocal, nall = nlocal + atom->nghost;
  build_local_neighbors(nall > 0 ? atom->x[0] : nullptr, nlocal, nall,
                        evaluator_->cutoff() + neighbor->skin, neighbors_);
  built_at_call_ = static_cast<long long>(neighbor->ncalls);
}

void PairSuperionMtp::compute(int eflag, int vflag) {
  ev_init(eflag, vflag);
  const int nlocal = atom->nlocal, nall = nlocal + atom->nghost;
  if (built_at_call_ != static_cast<long long>(neighbor->ncalls) || neighbors_.nlocal != nlocal ||
      neighbors_.nall != nall)
    rebuild_neighbors();

  double** x = atom->x;
  double** f = atom->f;
  const int* type = atom->type;
  const int* sp = species_of_type_.data();
  const MtpView v = evaluator_->view();
  const double rc2 = v.max_dist * v.max_dist;
  const auto& off = neighbors_.offsets;
  const auto& nb = neighbors_.neighbors;
  grad_.assign(3 * nb.size(), 0.0);
  site_energy_.assign(static_cast<std::size_t>(nlocal), 0.0);

#pragma omp parallel
  {
    std::vector<double> moments(static_cast<std::size_t>(v.n_moments)), adj(moments.size());
    std::vector<double> mono(static_cast<std::size_t>(v.n_mono)),
        basis(2 * static_cast<std::size_t>(v.radial_basis_size));
    std::vector<double> cache, d, g;
    std::vector<int> tj, slot;
#pragma omp for schedule(dynamic, 8)
    for (int i = 0; i < nlocal; ++i) {
      const int ti = sp[type[i]];
      if (ti < 0) continue;
      d.clear();
      tj.clear();
      slot.clear();
      for (int p = off[i]; p < off[i + 1]; ++p) {
        const int j = nb[p];
        const int s = sp[type[j]];
        if (s < 0) continue;
        const double dx = x[j][0] - x[i][0], dy = x[j][1] - x[i][1], dz = x[j][2] - x[i][2];
        const double r2 = dx * dx + dy * dy + dz * dz;
        if (!(r2 < rc2) || r2 == 0.0) continue;
        d.insert(d.end(), {dx, dy, dz});
        tj.push_back(s);
        slot.push_back(p);
      }
      const int m = static_cast<int>(tj.size());
      cache.resize(static_cast<std::size_t>(m) * mtp_cache_stride(v));
      g.resize(3 * static_cast<std::size_t>(m));
      site_energy_[i] = mtp_atom(v, ti, m, tj.data(), d.data(), g.data(), moments.data(),
                                 adj.data(), mono.data(), basis.data(), cache.data());
      for (int k = 0; k < m; ++k)
        for (int c = 0; c < 3; ++c) grad_[3 * static_cast<std::size_t>(slot[k]) + c] = g[3 * k + c];
    }
  }

  // LAMMPS clears and sums ghost forces (and compute stress/atom the ghost per-atom virials)
  // whenever force->newton is set, i.e. newton pair OR bond on. Only with both off does this style
  // sum its ghost contributions itself (reverse communication below).
  const bool own_reverse = force->newton == 0;
  reverse_virial_ = own_reverse && vflag_atom;
  if (own_reverse)
    for (int j = nlocal; j < nall; ++j) {
      f[j][0] = f[j][1] = f[j][2] = 0.0;
      if (vflag_atom)
        for (int k = 0; k < 6; ++k) vatom[j][k] = 0.0;
    }

  // Serial, fixed-order sums: F_i += g_ij, F_j −= g_ij, W_ab −= g_a r_b (MLIP PlusStress; the
  // LAMMPS virial has the same sign). Per-atom virial: half of each pair term to i and to j.
  for (int i = 0; i < nlocal; ++i) {
    if (eflag_global) eng_vdwl += site_energy_[i];
    if (eflag_atom) eatom[i] += site_energy_[i];
    for (int p = off[i]; p < off[i + 1]; ++p) {
      const double* g = &grad_[3 * static_cast<std::size_t>(p)];
      if (g[0] == 0.0 && g[1] == 0.0 && g[2] == 0.0) continue;
      const int j = nb[p];
      f[i][0] += g[0];
      f[i][1] += g[1];
      f[i][2] += g[2];
      f[j][0] -= g[0];
      f[j][1] -= g[1];
      f[j][2] -= g[2];
      if (vflag_either) {
        const double r[3] = {x[j][0] - x[i][0], x[j][1] - x[i][1], x[j][2] - x[i][2]};
        const double w[6] = {-g[0] * r[0], -g[1] * r[1], -g[2] * r[2],
                             -g[0] * r[1], -g[0] * r[2], -g[1] * r[2]};
        if (vflag_global)
          for (int k = 0; k < 6; ++k) virial[k] += w[k];
        if (vflag_atom)
          for (int k = 0; k < 6; ++k) {
            vatom[i][k] += 0.5 * w[k];
            vatom[j][k] += 0.5 * w[k];
          }
      }
    }
  }
  if (own_reverse) {
    comm->reverse_comm_pair(this);
    for (int j = nlocal; j < nall; ++j) f[j][0] = f[j][1] = f[j][2] = 0.0;
  }
}

int PairSuperionMtp::pack_reverse_comm(int n, int first, double* buf) {
  int m = 0;
  for (int i = first; i < first + n; ++i) {
    for (int c = 0; c < 3; ++c) buf[m++] = atom->f[i][c];
    if (reverse_virial_)
      for (int k = 0; k < 6; ++k) buf[m++] = vatom[i][k];
  }
  return m;
}

void PairSuperionMtp::unpack_reverse_comm(int n, int* list, double* buf) {
  int m = 0;
  for (int k = 0; k < n; ++k) {
    const int j = list[k];
    for (int c = 0; c < 3; ++c) atom->f[j][c] += buf[m++];
    if (reverse_virial_)
      for (int c = 0; c < 6; ++c) vatom[j][c] += buf[m++];
  }
}

double PairSuperionMtp::memory_usage() {
  return Pair::memory_usage() +
         sizeof(int) * (neighbors_.offsets.capacity() + neighbors_.neighbors.capacity()) +
         sizeof(double) * (grad_.capacity() + site_energy_.capacity());
}

namespace {
// LAMMPS owns and deletes the pair style it gets from a creator (its own `delete force->pair`).
LAMMPS_NS::Pair* make_mtp(LAMMPS_NS::LAMMPS* lmp) {
  return new PairSuperionMtp(lmp, PairSuperionMtp::Syntax::kMtp);
}
LAMMPS_NS::Pair* make_mlip(LAMMPS_NS::LAMMPS* lmp) {
  return new PairSuperionMtp(lmp, PairSuperionMtp::Syntax::kMlip);
}
}  // namespace

void register_pair_styles(LAMMPS_NS::LAMMPS* lmp) {
  (*lmp->force->pair_map)["mtp"] = &make_mtp;
  (*lmp->force->pair_map)["mlip"] = &make_mlip;
}

const char* pair_styles_help() {
  return "superion-lammps adds two pair styles (superion's MTP; not in LAMMPS's list of pair "
         "styles "
         "below):\n"
         "  mtp    pair_style mtp POT.mtp [species A B ...]\n"
         "         pair_coeff * * [one element name per atom type, NULL to leave a type out]\n"
         "  mlip   pair_style mlip mlip.ini | load_from=POT.mtp   (MLIP-2 / MLIP-3 spellings)\n"
         "         pair_coeff * * [element names as for mtp]\n"
         "Names are checked against the elements stored in POT.mtp (potential_tag = elements ...)."
         "\n\n";
}

}  // namespace superion::lammps
