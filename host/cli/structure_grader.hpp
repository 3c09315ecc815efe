// The hook through which `superion pso` and `superion relax` (superion_host) grade structures by
// MLIP-2's MaxVol extrapolation grade against an active set, which lives in superion_training (a
// library that depends on this one). The learn commands register the factory
// (learn/structure_grader_factory.cpp) when the CLI is built; a program without them gets a clear
// error instead of a grade.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/structure.hpp"

namespace superion {

// What a grader needs: the potential of the `mtp:` calculator, its species option, and where the
// active set comes from.
struct GraderRequest {
  std::string potential;             // .mtp path of the calculator
  std::vector<std::string> species;  // mtp:POT:Na,Cl,… (empty: the names stored in the potential)
  std::string source;                // a state.als or the potential's training set
  bool source_is_als = true;         // --grade-als (true) or --grade-train (false)
  std::string mode = "cfg";          // rows of an active set built from a training set
  bool mode_given = false;
};

// Grade of one structure (element symbols as in the search; mapped onto MTP types by name as the
// mtp calculator maps them). Must be safe to call from several threads at once.
using StructureGrader = std::function<double(const Structure&)>;
using StructureGraderFactory = std::function<StructureGrader(const GraderRequest&)>;

void set_structure_grader_factory(StructureGraderFactory factory);
// Throws superion::Error when no factory is registered.
StructureGrader make_structure_grader(const GraderRequest& request);

}  // namespace superion
