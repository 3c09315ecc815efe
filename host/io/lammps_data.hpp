// LAMMPS data file (read_data / write_data text format), atom styles `atomic` and `charge`.
//  * Box: xlo xhi, ylo yhi, zlo zhi and optional "xy xz yz" tilt factors. Lattice rows are
//    a = (xhi−xlo, 0, 0), b = (xy, yhi−ylo, 0), c = (xz, yz, zhi−zlo); positions are stored
//    relative to (xlo, ylo, zlo). LAMMPS type t ↔ superion type t−1. Always pbc T T T.
//  * Reader: "Masses" (a trailing "# Na" comment gives the symbol), "Atoms" with style hint
//    "# atomic" (id type x y z [ix iy iz]) or "# charge" (id type q x y z [ix iy iz]); without a
//    hint the column count (5/8 = atomic) decides, anything else is an error. Image flags unwrap
//    positions. Atoms are sorted by id. "Velocities" is skipped; other sections are an error.
//    Symbols: from Masses comments, else from LammpsReadOptions::species, else types only (masses
//    kept per atom).
//  * Writer: the cell is rotated to LAMMPS' lower-triangular form (a along x, b in the xy plane):
//    ax = |a|, bx = b·â, by = |â×b|, cx = c·â, cy = (b·c − bx·cx)/by, cz = √(|c|²−cx²−cy²); atoms
//    keep their fractional coordinates (a left-handed cell is written as its mirror image). Tilts
//    are reduced into [−L/2, L/2] by adding lattice vectors (same lattice) and atoms are wrapped
//    into the box. Masses from Structure::masses or the element table.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/configuration.hpp"

namespace superion::io {

struct LammpsReadOptions {
  std::vector<std::string> species;  // symbol per LAMMPS type (1-based order) when Masses has none
};

struct LammpsWriteOptions {
  bool lossless = false;
  bool charges = false;              // atom_style charge (q column from Configuration::charges)
  std::vector<std::string> species;  // symbol per type when the dataset has none
};

Dataset read_lammps_data(const std::filesystem::path& path, const LammpsReadOptions& options = {});
Dataset read_lammps_data_text(std::string text, const std::string& name,
                              const LammpsReadOptions& options = {});
// The dataset must hold exactly one configuration.
void write_lammps_data(const std::filesystem::path& path, const Dataset& data,
                       const LammpsWriteOptions& options = {});

// Lower-triangular LAMMPS cell for `cell` (rows) and the reduced tilts; exposed for tests and MD.
Mat3 lammps_cell(const Mat3& cell);

}  // namespace superion::io
