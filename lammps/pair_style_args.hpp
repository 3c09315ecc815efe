// The arguments of `pair_style mtp …` and `pair_style mlip …` (pure C++, no LAMMPS types, so the
// parsing is unit-tested without LAMMPS):
//   pair_style mtp POT.mtp [species Na Cl S O]
//   pair_style mlip mlip.ini                       (MLIP-2 interface: `mtp-filename POT` inside)
//   pair_style mlip load_from=POT [extrapolation_control=false …]   (MLIP-3 interface)
// Active learning during MD (MLIP's `select TRUE`, `extrapolation_control=true`) is not supported
// and is an error; other MLIP keys that do not change energies or forces are reported as ignored.
#pragma once

#include <string>
#include <vector>

namespace superion::lammps {

struct PairStyleArgs {
  std::string potential;             // path of the .mtp (or MLIP-3 .almtp) file
  std::vector<std::string> species;  // element names in MTP type order (optional)
  std::vector<std::string> ignored;  // MLIP settings that were accepted but have no effect here
};

// `pair_style mtp` arguments. Throws superion::Error with a message for the LAMMPS error.
PairStyleArgs parse_mtp_style(const std::vector<std::string>& args);

// `pair_style mlip` arguments; reads the mlip.ini file when one is given. Throws superion::Error
// (superion::InputError naming the file and line for a bad mlip.ini).
PairStyleArgs parse_mlip_style(const std::vector<std::string>& args);

// Parses the text of an mlip.ini (`name` for messages, `dir` to resolve a relative mtp-filename
// that does not exist relative to the working directory).
PairStyleArgs parse_mlip_ini(const std::string& text, const std::string& name,
                             const std::string& dir);

}  // namespace superion::lammps
