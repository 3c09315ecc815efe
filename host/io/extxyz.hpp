// Extended XYZ (ASE / extxyz conventions) reader and writer.
//  * Frame = line with N, comment line of key=value pairs, N atom lines. Values may be bare,
//    "double quoted" (\" \\ \n escapes) or {braced}; a key without '=' means T.
//  * Lattice="a1x a1y a1z a2x … a3z": lattice vectors as rows (Å). pbc="T T T" (default T T T
//    when Lattice is present, F F F without it; a periodic direction without Lattice is an error).
//  * Properties=name:type:cols:…, any order and extra columns. Recognised: species:S:1 (chemical
//    symbols), pos:R:3 (Å), forces:R:3 or force:R:3 (eV/Å), energies:R:1 (site energies, eV),
//    masses:R:1 (amu), charges:R:1 (e), nbh_grades:R:1 (extrapolation grade of each atom).
//    Other columns are skipped (not kept). Without Properties:
//    species:S:1:pos:R:3. A comment line with no '=' at all is a plain-XYZ title (kept as feature
//    "comment").
//  * energy (eV) is the configuration energy; free_energy is used only when energy is absent
//    (otherwise it is kept as a feature). stress: 9 components (row-major) or 6 Voigt
//    (xx yy zz yz xz xy) in eV/Å³ with ASE's sign (positive = tensile) → virial W = −V·σ (symmetric
//    part). virial: 9 components in eV, W itself (positive = compressed). Both present → virial.
//  * config_type → Configuration::config_type; every other key is kept as a feature (string).
//  * Types: symbols are mapped with a SpeciesTable: a given order (--species) or first appearance.
// Writer: stress (ASE sign, eV/Å³) for 3-D periodic cells, virial (eV) otherwise; default
// precision (positions/forces %.10f, energy %.10f, stress %.10e) or lossless %.16e everywhere.
// Symbols come from Dataset::species / Structure::species_symbols or XyzWriteOptions::species.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/configuration.hpp"

namespace superion::io {

struct XyzReadOptions {
  std::vector<std::string> species;  // fixed type order; empty = order of first appearance
};

struct XyzWriteOptions {
  bool lossless = false;
  std::vector<std::string> species;  // symbols for types when the dataset has none
};

Dataset read_extxyz(const std::filesystem::path& path, const XyzReadOptions& options = {});
Dataset read_extxyz_text(std::string text, const std::string& name,
                         const XyzReadOptions& options = {});
void write_extxyz(const std::filesystem::path& path, const Dataset& data,
                  const XyzWriteOptions& options = {});
// Appends one frame to `out` (for writers that append to an open file). Symbols: options.species,
// else the structure's, else `species`.
void format_extxyz(std::string& out, const Configuration& c,
                   const std::vector<std::string>& species, const XyzWriteOptions& options = {});

// Parses an extxyz comment line into (key, value) pairs in order; throws Error with `what` on
// unbalanced quotes. Exposed for tests.
std::vector<std::pair<std::string, std::string>> parse_xyz_comment(std::string_view line);

}  // namespace superion::io
