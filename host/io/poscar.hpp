// VASP POSCAR / CONTCAR reader and writer (one structure per file).
//  * Line 1 comment (kept as feature "comment"). Line 2 scale: s > 0 multiplies lattice and
//    Cartesian positions; s < 0 is the target cell volume |s| (Å³); three numbers scale each axis.
//  * Lines 3–5 lattice vectors as rows. VASP 5+: a species line (symbols; "Na_pv" or "Na/hash"
//    suffixes are stripped), then the counts line. VASP 4 (no species line) needs the species
//    from PoscarReadOptions::species (one symbol per count), otherwise it is an error.
//  * Optional "Selective dynamics" line (kept as feature "selective_dynamics": one T/F triple per
//    atom, e.g. "TTF TTT"), then "Direct"/"Cartesian" (first letter D; C or K = Cartesian).
//  * N coordinate lines; trailing velocity / predictor blocks are ignored. Always pbc T T T.
//  * Repeated symbols in the species line map to the same type.
// Writer: species blocks are the runs of equal consecutive types (atom order is preserved, a
// symbol may repeat), Direct coordinates by default (or Cartesian), scale 1, precision %.10f or
// lossless %.16e. Requires a 3-D periodic cell and chemical symbols.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/configuration.hpp"

namespace superion::io {

struct PoscarReadOptions {
  std::vector<std::string> species;  // fixed type order; required for VASP 4 files
};

struct PoscarWriteOptions {
  bool lossless = false;
  bool cartesian = false;
  std::vector<std::string> species;  // symbols for types when the dataset has none
};

Dataset read_poscar(const std::filesystem::path& path, const PoscarReadOptions& options = {});
Dataset read_poscar_text(std::string text, const std::string& name,
                         const PoscarReadOptions& options = {});
// The dataset must hold exactly one configuration.
void write_poscar(const std::filesystem::path& path, const Dataset& data,
                  const PoscarWriteOptions& options = {});

}  // namespace superion::io
