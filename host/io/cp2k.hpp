// CP2K MD / GEO_OPT / CELL_OPT output reader: one Configuration per frame of PROJECT-pos-1.xyz.
// A run's files (default CP2K print formats and units; the "-1" is CP2K's iteration level):
//   PROJECT-pos-1.xyz  XMOL frames, Å; title " i = STEP, time = FS, E = HARTREE" (time absent in
//                      optimisations). Required: it defines the frames and the species.
//   PROJECT-frc-1.xyz  forces, Hartree/Bohr → eV/Å.
//   PROJECT-vel-1.xyz  velocities, Bohr/(atomic time unit); used only to remove the kinetic part
//                      from the MD stress (below), checked against the kinetic energy of .ener.
//   PROJECT-1.ener     step, time (fs), kinetic energy (Hartree), T (K), potential energy
//   (Hartree),
//                      conserved quantity, used time. The potential energy must agree with the E of
//                      the pos title (|ΔE| ≤ 1e-6 Hartree: both are printed with ≥ 10 decimals).
//   PROJECT-1.stress   step, time, 9 components (xx xy xz yx yy yz zx zy zz) of CP2K's pv_total/V
//   in
//                      bar. CP2K's pv tensor is positive under compression, like our virial W, so
//                      W = V·stress − Σ m v⊗v (CP2K adds the kinetic tensor in MD), symmetrised.
//                      When the run has kinetic energy but no velocity file, the stress is not
//                      used.
//   PROJECT-1.cell     step, time, Ax Ay Az Bx By Bz Cx Cy Cz (Å), volume: the cell per step.
//                      Without it the cell comes from Cp2kOptions::cell or the &CELL section of
//                      PROJECT-1.restart (A/B/C vectors or ABC with 90° angles, Å or Bohr).
// Any of these files may be gzip-compressed (NAME.gz, used when NAME itself is absent); a
// PROJECT-pos-N.xyz.gz path names the same run.
// Frames of the other files are matched to the pos frames by step number; a missing step, a
// different atom count or species order, a truncated frame or a repeated step is an InputError
// naming file, line and what was expected. Energies are total potential energies in eV.
// Each configuration gets config_type "cp2k" and features cp2k_step, time_fs and (with .ener)
// temperature_K.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/configuration.hpp"

namespace superion::io {

struct Cp2kFiles {
  std::filesystem::path pos, frc, vel, ener, stress, cell, restart;
};

// The files of the run that `path` names: PREFIX-pos-N.xyz[.gz] or the bare PREFIX (then N = 1).
// Each member is the plain file, or NAME.gz when only that exists.
Cp2kFiles cp2k_files(const std::filesystem::path& path);
// True when a lower-cased file name looks like a CP2K trajectory (…-pos-N.xyz).
bool is_cp2k_pos_name(const std::string& lower_filename);

struct Cp2kOptions {
  std::vector<std::string> species;  // fixed type order; empty = order of first appearance
  std::optional<Mat3> cell;          // used when the run has no .cell file (rows, Å)
};

struct Cp2kReport {
  std::size_t frames = 0;
  bool forces = false, energy_file = false, stress = false, velocities = false;
  bool stress_skipped = false;  // stress file present but not usable (kinetic part, no velocities)
  std::string cell_source;      // ".cell file", "restart file", "options"
  double max_kinetic_mismatch = 0;  // max |KE(velocities) − KE(.ener)| / KE(.ener)
};

Dataset read_cp2k(const std::filesystem::path& path, const Cp2kOptions& options = {},
                  Cp2kReport* report = nullptr);

// The &CELL of a CP2K input or restart file (rows, Å); throws InputError when there is none or it
// cannot be read without the preprocessor (@INCLUDE, ${VAR}).
Mat3 read_cp2k_input_cell(const std::filesystem::path& input);

}  // namespace superion::io
