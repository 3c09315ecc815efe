// LAMMPS pair styles `mtp` and `mlip`: superion's MTP evaluator inside LAMMPS (written against the
// LAMMPS 2022-01 Pair API shipped by Debian's liblammps-dev).
//   pair_style mtp POT.mtp [species Na Cl S O]     pair_coeff * * Na Cl S O
//   pair_style mlip mlip.ini | load_from=POT.mtp   pair_coeff * *
// Energies, forces, global and per-atom virial (compute pe/atom, stress/atom, NPT), newton on or
// off, any number of MPI ranks. The per-atom work is mtp_atom() from host/mtp/mtp_kernels.hpp, the
// same function superion's CPU evaluator and CUDA kernels call. The neighbour list is our own
// (LocalNeighbors over owned + ghost atoms, rebuilt whenever LAMMPS re-neighbours), because the
// request flags of a full LAMMPS list are not in the shipped headers; it has no per-atom limit.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "local_neighbors.hpp"
#include "pair.h"

namespace superion {
class MtpEvaluator;
}

namespace superion::lammps {

class PairSuperionMtp : public LAMMPS_NS::Pair {
 public:
  enum class Syntax { kMtp, kMlip };  // `pair_style mtp …` or MLIP's `pair_style mlip …`

  PairSuperionMtp(LAMMPS_NS::LAMMPS* lmp, Syntax syntax);
  ~PairSuperionMtp() override;
  PairSuperionMtp(const PairSuperionMtp&) = delete;
  PairSuperionMtp& operator=(const PairSuperionMtp&) = delete;

  void compute(int eflag, int vflag) override;
  void settings(int narg, char** arg) override;
  void coeff(int narg, char** arg) override;
  void init_style() override;
  double init_one(int i, int j) override;
  int pack_reverse_comm(int n, int first, double* buf) override;
  void unpack_reverse_comm(int n, int* list, double* buf) override;
  double memory_usage() override;

 private:
  void load_potential(const std::string& path);
  void allocate_arrays();
  void rebuild_neighbors();
  [[noreturn]] void fail(const std::string& message);
  std::string style_name() const;  // "pair_style mtp" or "pair_style mlip"

  Syntax syntax_;
  std::string potential_path_;
  std::vector<std::string> species_names_;  // potential's element names when known
  std::unique_ptr<MtpEvaluator> evaluator_;
  std::vector<int> species_of_type_;          // index = LAMMPS type (1..ntypes); −1 = NULL
  std::vector<std::string> element_of_type_;  // index = type − 1; "" where unknown or NULL
  LocalNeighbors neighbors_;
  long long built_at_call_ = -1;     // neighbor->ncalls of the last list build
  std::vector<double> grad_;         // 3 per neighbour candidate: ∂V_i/∂r_ij (0 beyond r_c)
  std::vector<double> site_energy_;  // per owned atom
  bool reverse_virial_ = false;      // newton off: per-atom virial also reverse-communicated
};

// Adds `mtp` and `mlip` to the pair-style table of a LAMMPS instance (before its input runs).
void register_pair_styles(LAMMPS_NS::LAMMPS* lmp);

// The syntax of the two styles, for `superion-lammps -h` (LAMMPS's own help lists only its
// built-in table, printed before the styles can be registered).
const char* pair_styles_help();

}  // namespace superion::lammps
