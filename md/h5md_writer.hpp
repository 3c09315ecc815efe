// Streaming H5MD 1.1 trajectory writer (layout: docs/formats.md "H5MD trajectory" and
// docs/md-io.md). One particle group `all`; per frame: wrapped positions, image flags, optional
// velocities, the (triclinic) cell, and optional scalar observables under /observables. The
// time-dependent datasets are chunked and extendible; step and time are stored once under
// position/ and hard-linked into image/, velocity/, box/edges/ and every observable.
// Files round-trip through analysis/trajectory_h5md.cpp and are readable by h5py and MDAnalysis.
//
// Crash safety: frames go to "<path>.tmp" (a fixed name, so a crashed run can be resumed) and the
// file is renamed onto <path> only by close(), so <path> always holds a finished trajectory.
// flush() makes everything appended so far durable in the .tmp file (call it together with
// writing a checkpoint). If the writer is destroyed without close() (an exception unwinding a
// failed run) the .tmp file is closed and kept for resume(), never renamed.
//
// Usage:
//   H5mdOptions o;
//   o.velocities = true;
//   o.observables = {"potential_energy", "kinetic_energy", "temperature"};
//   H5mdWriter w("traj.h5", structure, o);
//   w.append(step, t_ps, cell, wrapped_positions, images, &velocities, {pe, ke, T});
//   ... w.flush() at checkpoints ... w.close();
//   // restart from a checkpoint taken at step S (drops frames written after S):
//   H5mdWriter w = H5mdWriter::resume("traj.h5", structure, options, S);
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/structure.hpp"
#include "core/vec3.hpp"

namespace superion::md {

struct H5mdOptions {
  bool velocities = false;  // store /particles/all/velocity (Å/ps) every frame
  int compression = 0;      // gzip level 0..9 (0 = none); uses the shuffle filter too
  // Scalar observables stored per frame under /observables/<name> (value [F]); append() takes
  // their values in this order. Known names get a unit attribute: *_energy → eV,
  // temperature → K, pressure → GPa, volume → Angstrom^3.
  std::vector<std::string> observables;
  std::string author;    // /h5md/author name; empty = $USER or "unknown"
  int chunk_frames = 0;  // frames per chunk; 0 = about 1 MiB per chunk, 1..64 frames
};

class H5mdWriter {
 public:
  // Starts a new trajectory for the atoms of `s` (types, symbols, masses, pbc are stored once;
  // positions of `s` are NOT written as a frame). Throws superion::Error if the file cannot be
  // created.
  H5mdWriter(const std::filesystem::path& path, const Structure& s, const H5mdOptions& options);
  // Continues an existing trajectory: opens "<path>.tmp" if a crashed run left one, else <path>
  // (moved back to .tmp until close()); drops every frame with step > `last_step` (frames written
  // after the checkpoint being resumed). The atoms, species, velocity presence and observable
  // names must match; throws InputError naming the file otherwise.
  static H5mdWriter resume(const std::filesystem::path& path, const Structure& s,
                           const H5mdOptions& options, std::int64_t last_step);

  ~H5mdWriter();
  H5mdWriter(H5mdWriter&&) noexcept;
  H5mdWriter& operator=(H5mdWriter&&) noexcept;
  H5mdWriter(const H5mdWriter&) = delete;
  H5mdWriter& operator=(const H5mdWriter&) = delete;

  // Appends one frame. `positions` are wrapped cartesian positions (Å) with `images` such that
  // the unwrapped position is r + n·cell (rows of `cell` = lattice vectors). `velocities` is
  // required iff options.velocities; `observables` must match options.observables in length.
  // step and time must increase strictly. Throws superion::Error on size mismatches.
  void append(std::int64_t step, double time_ps, const Mat3& cell,
              const std::vector<Vec3>& positions, const std::vector<std::array<int, 3>>& images,
              const std::vector<Vec3>* velocities = nullptr,
              const std::vector<double>& observables = {});
  // Flushes all HDF5 buffers to the .tmp file.
  void flush();
  // Flushes, closes and renames "<path>.tmp" onto <path>. Further appends throw.
  void close();

  long frames() const;
  std::int64_t last_step() const;  // -1 when no frame was written
  const std::filesystem::path& path() const;
  std::filesystem::path temp_path() const;  // "<path>.tmp"

  struct Impl;

 private:
  explicit H5mdWriter(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace superion::md
