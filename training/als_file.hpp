// MLIP-2's active-learning state file (state.als; `MaxvolSelection::Save/Load`,
// ../shared/docs/MLIP_ACTIVE_LEARNING.md §5), read and written byte-compatibly:
//   the .mtp text of the potential (MLIP-2 format, no trailing newline), "\n^",
//   4 raw doubles: weights of neighbourhood, energy, force and stress rows,
//   "\n#", A (n·n raw doubles, row-major), A⁻¹ transposed (n·n raw doubles), "\n",
//   n lines "row configuration-number",
//   the distinct configurations in lossless .cfg format, numbered 0, 1, … in order of their first
//   row; placeholder rows (still ε·e_j) refer to one empty configuration (Size 0, unit cell).
// n = number of MTP parameters; doubles are little-endian IEEE-754 (as MLIP writes them on x86).
#pragma once

#include <filesystem>

#include "active_set.hpp"

namespace superion {

void write_als(const std::filesystem::path& path, const ActiveSet& set);
// Throws InputError naming the file and what was expected.
ActiveSet read_als(const std::filesystem::path& path);
// True when the file starts like a state.als (an .mtp text followed by "\n^").
bool looks_like_als(const std::filesystem::path& path);

}  // namespace superion
