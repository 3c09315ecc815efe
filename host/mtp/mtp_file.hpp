// Reading and writing MLIP `.mtp` potential files (MLIP-2 format; the text part of MLIP-3 `.almtp`
// files up to `#MVS_v1.1`). Parsing follows MLIP-2's rules (MTP_FACTS §2.2): line 1 `MTP`, line 2
// `version = 1.1.0`, then whitespace-insensitive tokens with keys in a fixed order, some optional.
// Files without coefficients (untrained templates) get MLIP-2's placeholders and trained = false.
// Element names: `potential_tag = elements Na Cl S O` gives Mtp::species_names (the element of
// MTP type 0, 1, …); MLIP-2 and MLIP-3 read the rest of the potential_tag line and ignore it
// (MLIP-2: getline after the key), so such files load in MLIP unchanged. Other tag text is kept
// in Mtp::potential_tag and written back as it was (a file read and written is byte-identical).
#pragma once

#include <filesystem>
#include <iosfwd>
#include <string>

#include "mtp/mtp_model.hpp"

namespace superion {

// Throws InputError(file, line, what was expected) on malformed input.
Mtp read_mtp(const std::filesystem::path& path);
// Parses text; `name` is used in error messages.
Mtp parse_mtp(const std::string& text, const std::string& name);

enum class MtpPrecision {
  kMlip,      // "%.15e" like MLIP
  kLossless,  // "%.17g": every double round-trips exactly
};

// Writes the MLIP-2 text format (untrained models are written as templates without
// coefficients). Atomic: nothing is left behind on failure.
void write_mtp(const Mtp& model, const std::filesystem::path& path,
               MtpPrecision precision = MtpPrecision::kMlip);
std::string format_mtp(const Mtp& model, MtpPrecision precision = MtpPrecision::kMlip);

}  // namespace superion
