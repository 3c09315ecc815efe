// Helpers that turn command-line input into an MD system: time values with units ("2fs", "0.002",
// "100ps"), supercells, and loading a structure with the MTP's species mapping.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "core/structure.hpp"
#include "mtp/mtp_model.hpp"

namespace superion::md {

// "2fs" → 0.002, "0.002" → 0.002 (ps by default), "100ps", "1.5ns", "500 fs". Throws Error naming
// `what` (the option) for anything else or for non-positive values.
double parse_time_ps(const std::string& text, const std::string& what);

// Diagonal supercell: atoms ordered by translation (i0, i1, i2 row-major), then by unit atom.
Structure make_supercell(const Structure& unit, const std::array<int, 3>& repeat);

// Reads the first configuration of `path` (any host/io format) with MTP types
// (mtp/species_map.hpp): by element name when the potential stores its names or `species` gives
// them (type 0 first, e.g. Na,Y,Zr,Cl; must equal the stored names when both exist), else in the
// structure's own order with a warning. Prints the mapping. Throws InputError naming the file for
// an element the potential does not have or more species than it has. `potential` names the
// potential in messages.
Structure load_md_structure(const std::string& path, const std::string& format,
                            const std::vector<std::string>& species, const Mtp& model,
                            const std::string& potential = "the potential");

}  // namespace superion::md
