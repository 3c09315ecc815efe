// MtpBasisTable: the contraction program of an untrained MTP (.mtp without coefficients), as
// written by `superion mtp-basis` and as shipped with MLIP (untrained_mtps/NN.mtp), see
// MTP_FACTS §2.1 and §3.2–3.3. Self-contained on purpose (independent of the full Mtp model
// type): basic moments {μ,a,b,c}, the times list {p,q,m,t} (M_t += m·M_p·M_q in file order)
// and the mapping of scalar basis functions to slots.
// read_untrained_table() parses only what this representation holds (used by the basis
// generator's tests); write_untrained_table() writes the exact untrained text format.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace superion::mtp {

struct MtpBasisTable {
  int species_count = 1;
  double min_dist = 2.0;
  double max_dist = 5.0;
  int radial_basis_size = 8;
  int radial_funcs_count = 1;                      // K = 1 + max μ over the basic moments
  int alpha_moments_count = 0;                     // all slots: basic + derived
  std::vector<std::array<int, 4>> basic;           // {μ, a, b, c}
  std::vector<std::array<std::int64_t, 4>> times;  // {p, q, m, t}
  std::vector<int> mapping;                        // slots that are scalar basis functions

  // Number of basic moments multiplied into each mapped slot (1..4), from the times list.
  std::vector<int> factor_counts() const;
  // Level of each slot (basic: 2 + 4μ + ν; product: sum of the factors' levels).
  std::vector<int> slot_levels() const;
};

// Throws InputError (file, line, what was expected) on malformed input.
MtpBasisTable read_untrained_table(const std::filesystem::path& path);

// Writes the untrained .mtp text (MTP_FACTS §2.1 layout, tabs inside the radial-basis block)
// through AtomicFile. min/max_dist are written with the shortest exact representation.
void write_untrained_table(const MtpBasisTable& table, const std::filesystem::path& path);

// Shortest decimal text that reads back to the same double ("2", "5", "4.5", "0.1").
std::string format_distance(double value);

}  // namespace superion::mtp
