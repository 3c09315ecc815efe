// Calculator: anything that gives energy, forces and virial for a structure. Screening filters
// (phonons, hull energies), relaxations and the structure search use this one interface, so users
// can plug in our MTP, a classical potential or an external DFT program.
// Conventions: energy eV, forces eV/Å, virial = MLIP PlusStress in eV (W = −∂E/∂ε).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/structure.hpp"
#include "core/vec3.hpp"

namespace superion {

struct CalcResult {
  double energy = 0.0;
  std::vector<Vec3> forces;
  Mat3 virial;
  bool has_virial = true;  // false: the calculator gave no stress (virial is zero then)
};

// One structure's result in a batch: either a result or why there is none.
struct CalcOutcome {
  bool ok = false;
  CalcResult result;
  std::string error;
};

class Calculator {
 public:
  virtual ~Calculator() = default;
  virtual std::string name() const = 0;
  // Throws superion::Error when the structure is outside what the calculator handles.
  virtual CalcResult compute(const Structure& s) const = 0;
  // Several structures. Default: compute() one after another, each failure caught into its
  // outcome. A batch calculator (command-batch) labels all of them with one external process.
  virtual std::vector<CalcOutcome> compute_many(const std::vector<Structure>& s) const;
  // Structures per compute_many() call that suit this calculator (0 = all at once).
  virtual std::size_t batch_size() const { return 1; }
};

// Parses a calculator specification:
//   "classical:NaCl" | "classical:Na3OCl" | "classical:FILE.json"  Buckingham + Coulomb (Ewald)
//   "mtp:POT.mtp[:Na,Cl,S,O]"                                       our MTP evaluator (symbols →
//   types)
//   "command:TEMPLATE" | "command[OPTIONS]:TEMPLATE"               an external program run in a
//   scratch directory per evaluation (calculators/command_calculator.hpp)
//   "command-batch:TEMPLATE" | "command-batch[OPTIONS]:TEMPLATE"   one external process labels a
//   whole file of structures (extxyz or cfg in and out)
// Throws superion::Error listing the accepted forms.
std::unique_ptr<Calculator> make_calculator(const std::string& spec);

// Splits "mtp:POT.mtp[:Na,Cl,…]" into the potential path and species (empty: the potential's own
// names); false for another calculator.
bool parse_mtp_spec(const std::string& spec, std::string* potential,
                    std::vector<std::string>* species);

}  // namespace superion
