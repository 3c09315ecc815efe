// Where an active set comes from, for every command that grades (grade, select, md --grade-*):
// MLIP's state.als (ours or MLIP-2's; checked to belong to the potential) or a training set, from
// which MLIP's training pass builds it (calc-grade: entry threshold 1.1; select-add: 1.0000001).
#pragma once

#include <string>
#include <vector>

#include "active_set.hpp"

namespace superion {

struct ActiveSetSource {
  std::string path;          // training configurations (any dataset format) or a state.als
  std::string mode = "cfg";  // cfg (one energy row per configuration) | nbh (one row per atom)
  bool mode_given = false;   // --mode was given (an error when a state.als says otherwise)
  std::vector<std::string> species;  // element symbols in MTP type order
  std::string format = "auto";
  double init_threshold = 1e-5;
  double entry_threshold = 1.1;  // first value max|B A⁻¹| must exceed to start swapping
  double swap_threshold = 1.0000001;
  WeightingScheme weighting = WeightingScheme::kVibrations;
};

// MLIP's row weights for a mode name: cfg → energy rows, nbh → neighbourhood rows only.
AlsWeights weights_for_mode(const std::string& mode);
std::string mode_name(const AlsWeights& w);
// "mlip" (all rows, MLIP-2's grade) | "data" (rows holding configurations only).
GradeScope parse_grade_scope(const std::string& s);
WeightingScheme parse_weighting_scheme(const std::string& s);

// True when two potentials have the same basis and the same coefficients.
bool same_potential(const Mtp& a, const Mtp& b);

// Loads (state.als) or builds (training set) the active set of `potential`. Prints one line saying
// what was done unless `quiet`. Throws InputError naming the file for mismatches.
ActiveSet load_active_set(const Mtp& potential, const std::string& potential_name,
                          const ActiveSetSource& source, bool quiet = false);

}  // namespace superion
