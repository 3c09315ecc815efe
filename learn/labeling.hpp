// Labelling configurations with a reference calculator (calculators/calculator.hpp: command
// programs such as CP2K/VASP/a Python model, batch programs, classical, mtp): energy, forces and
// the virial when the calculator gives one, with
//  * retries: every configuration gets up to `attempts` tries; a batch that fails as a whole
//    (the program crashed) is split in halves until the failing configuration is isolated, without
//    using up the tries of the others;
//  * a record of failures (configuration, tries, the calculator's message, which names the
//    command, its scratch directory and the SCF check that failed);
//  * resume: every labelled configuration is appended to a journal (lossless .cfg with its index)
//    as soon as it is done; a new run with the same journal skips them.
#pragma once

#include <string>
#include <vector>

#include "calculators/calculator.hpp"
#include "core/configuration.hpp"

namespace superion {

struct LabelOptions {
  int attempts = 2;       // tries per configuration
  std::size_t batch = 0;  // structures per calculator call; 0 = the calculator's preference
  std::string journal;    // progress file; "" = no resume
  bool progress = true;   // progress lines with ETA on stderr
};

struct LabelFailure {
  std::size_t index = 0;  // 0-based index in the input
  int attempts = 0;
  std::string error;
};

struct LabelReport {
  std::size_t total = 0, labelled = 0, resumed = 0;
  std::vector<LabelFailure> failures;
  double seconds = 0.0;
};

// Labels every configuration of `in`; `out` receives the labelled ones in input order (structure
// and features kept, energy/forces/virial replaced), failed ones left out. Throws InputError when
// the journal belongs to other configurations.
LabelReport label_configurations(const Dataset& in, const Calculator& calc,
                                 const LabelOptions& options, Dataset& out);

// Text of a failure record: one block per failed configuration.
std::string format_failures(const LabelReport& r, const std::string& input_name);

}  // namespace superion
