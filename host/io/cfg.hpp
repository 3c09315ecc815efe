// MLIP `.cfg` (MLIP-2 / MLIP-3 text format) reader and writer. Conventions (MTP_FACTS.md §7):
//  * BEGIN_CFG … END_CFG blocks, any number per file, blank lines anywhere between lines.
//  * `Size` N (required, before AtomData). `Supercell`/`SuperCell`: 1–3 lattice vectors as rows
//  (Å);
//    directions without a row are non-periodic (pbc false, zero row); no block = cluster.
//  * `AtomData:`/`Atomic_data:` header with columns in any order: id (must be 1..N in order), type
//    (integer ≥ 0, default 0), cartes_x/y/z or direct_x/y/z (direct needs 3 lattice rows), fx fy fz
//    (all three or none), site_en, charge, nbh_grades (MLIP-3: extrapolation grade of each
//    atom). Any other column is an error naming it.
//  * `Energy` (eV, total). `PlusStress:` xx yy zz yz xz xy (labels in any order, values on the next
//    line) = virial W in eV, positive = compressed, stored symmetric in Configuration::virial.
//    Legacy `Virial:` (same label layout) is divided by the cell volume on read, exactly as MLIP
//    does. Legacy `Stress:` is refused (MLIP-2 refuses it too: its sign is ambiguous).
//  * `Feature name value…` (value = rest of the line); a repeated name appends "\n" + value.
//    `Features:` header form: following lines are "name value…" until the next keyword.
//    The feature `config_type` is mapped to/from Configuration::config_type (not kept as feature).
//  * Types are integers 0..C−1 (no symbols): species_symbols stays empty.
// Writer: MLIP's default precision (positions/lattice/forces 6 decimals, energy 12, stress 5,
// site_en 12, charge 4) or lossless `%.16e` for every real (read→write→read is bit-identical).
#pragma once

#include <filesystem>
#include <iosfwd>

#include "core/configuration.hpp"

namespace superion::io {

struct CfgWriteOptions {
  bool lossless = false;  // %.16e for every real number
};

Dataset read_cfg(const std::filesystem::path& path);
// Parses cfg text held in memory; `name` is used in error messages.
Dataset read_cfg_text(std::string text, const std::string& name);

// Writes through AtomicFile: on error no (partial) file is left behind.
void write_cfg(const std::filesystem::path& path, const Dataset& data,
               const CfgWriteOptions& options = {});
// Formats one configuration into `out` (appends).
void format_cfg(std::string& out, const Configuration& config, const CfgWriteOptions& options);

}  // namespace superion::io
