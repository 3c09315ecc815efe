// Streaming trajectory interface shared by every analysis (diffusion, hops, van Hove, VACF,
// rotation). A reader yields one Frame at a time, so analyses never need the whole trajectory in
// memory. Conventions: cell rows = lattice vectors (Å), cartesian positions (Å), time in ps,
// velocities Å/ps, image flags as integer lattice translations (absolute position = r + n·cell).
// Formats: extxyz (multi-frame), VASP XDATCAR, LAMMPS dump (custom), H5MD (docs/formats.md,
// "H5MD trajectory"), pymatgen DiffusionAnalyzer JSON, and in-memory arrays (tests).
#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "core/vec3.hpp"

namespace superion::analysis {

// One snapshot. `velocities` and `images` are empty when the source has none.
struct Frame {
  long step = -1;                          // MD step if the source has one, else the frame index
  double time_ps = 0.0;                    // absolute time of the frame (ps)
  Mat3 cell;                               // rows = lattice vectors (Å)
  std::vector<Vec3> positions;             // cartesian (Å), wrapped or unwrapped (see System)
  std::vector<Vec3> velocities;            // Å/ps, optional
  std::vector<std::array<int, 3>> images;  // periodic image flags, optional
};

// What does not change along a trajectory.
struct TrajectorySystem {
  std::vector<int> types;                    // species index per atom (0..n_species-1)
  std::vector<std::string> species_symbols;  // symbol per species index (may be "X0" if unknown)
  std::vector<double> masses;                // amu per atom (0 when unknown)
  std::array<bool, 3> pbc{true, true, true};
  // True when the positions are already continuous in time (unwrapped, e.g. xu/yu/zu or
  // pymatgen displacements); then no minimum-image unwrapping is applied.
  bool positions_unwrapped = false;
  // pymatgen DiffusionAnalyzer JSON: the analyzer's `specie`; every other atom is its framework,
  // whose mean displacement pymatgen removes as drift. Empty for other formats.
  std::string analyzer_specie;
  std::size_t size() const { return types.size(); }
  // Indices of atoms whose symbol equals `symbol` (empty if none).
  std::vector<std::size_t> indices_of(const std::string& symbol) const;
};

// Streaming reader. next() fills `frame` (reusing its buffers) and returns false at the end.
// Readers throw InputError(file, line, what) on malformed input, a change in the atom count,
// or a non-increasing time. rewind() starts again at the first frame (for two-pass analyses).
class TrajectoryReader {
 public:
  virtual ~TrajectoryReader() = default;
  virtual const TrajectorySystem& system() const = 0;
  virtual bool next(Frame& frame) = 0;
  virtual void rewind() = 0;
  // Number of frames when known without reading them all, else -1.
  virtual long frame_count() const { return -1; }
  // Name for messages (file path or "memory").
  virtual std::string source() const = 0;
};

struct TrajectoryOptions {
  std::string format = "auto";  // auto|extxyz|xdatcar|lammps-dump|h5md|pymatgen-json
  // Time between stored frames (ps); used when the file carries no time (XDATCAR, extxyz
  // without a time= key, pymatgen JSON uses time_step·step_skip when this is 0).
  double frame_interval_ps = 0.0;
  // MD time step (ps) to turn LAMMPS dump TIMESTEP values into times; 0 = use frame_interval_ps.
  double timestep_ps = 0.0;
  // LAMMPS dump: symbol per LAMMPS type (1-based types map to element [type-1]); empty = "X<t>".
  std::vector<std::string> type_symbols;
};

// Reduced formula of a cell with the elements in the order of their species index, e.g. Na3ClSO4
// (the compound's name in summaries and plot titles); empty without atoms.
std::string reduced_formula(const std::vector<int>& types, const std::vector<std::string>& symbols);

// Opens a trajectory; "auto" guesses the format from the extension/contents
// (.xyz/.extxyz, XDATCAR*, .dump/.lammpstrj, .h5/.h5md, .json).
std::unique_ptr<TrajectoryReader> open_trajectory(const std::string& path,
                                                  const TrajectoryOptions& options = {});

// In-memory trajectory (tests, pymatgen JSON): positions[frame][atom]; times in ps.
class MemoryTrajectory : public TrajectoryReader {
 public:
  MemoryTrajectory(TrajectorySystem system, std::vector<Mat3> cells, std::vector<double> times_ps,
                   std::vector<std::vector<Vec3>> positions, std::string name = "memory");
  // From displacement arrays [atom][frame] added to initial positions (pymatgen layout);
  // `cells` holds one cell for all frames or one per frame (pymatgen's NPT `lattices`).
  static std::unique_ptr<MemoryTrajectory> from_displacements(
      TrajectorySystem system, std::vector<Mat3> cells, const std::vector<Vec3>& initial,
      const std::vector<std::vector<Vec3>>& displacements, double frame_interval_ps,
      std::string name = "memory");
  const TrajectorySystem& system() const override { return system_; }
  bool next(Frame& frame) override;
  void rewind() override { cursor_ = 0; }
  long frame_count() const override { return static_cast<long>(positions_.size()); }
  std::string source() const override { return name_; }

 private:
  TrajectorySystem system_;
  std::vector<Mat3> cells_;  // one per frame, or one for all
  std::vector<double> times_;
  std::vector<std::vector<Vec3>> positions_;
  std::string name_;
  std::size_t cursor_ = 0;
};

// Per-file readers (also reachable through open_trajectory).
std::unique_ptr<TrajectoryReader> open_extxyz_trajectory(const std::string& path,
                                                         const TrajectoryOptions& options);
std::unique_ptr<TrajectoryReader> open_xdatcar(const std::string& path,
                                               const TrajectoryOptions& options);
std::unique_ptr<TrajectoryReader> open_lammps_dump(const std::string& path,
                                                   const TrajectoryOptions& options);
std::unique_ptr<TrajectoryReader> open_h5md(const std::string& path,
                                            const TrajectoryOptions& options);
// pymatgen DiffusionAnalyzer.as_dict() JSON: structure + displacements; sets positions_unwrapped.
// Also returns its temperature / specie / time_step (fs) / step_skip when asked.
struct PymatgenAnalyzerInfo {
  double temperature = 0;
  std::string specie;
  double time_step_fs = 0;
  int step_skip = 0;
  int min_obs = 0;
};
std::unique_ptr<TrajectoryReader> open_pymatgen_json(const std::string& path,
                                                     const TrajectoryOptions& options,
                                                     PymatgenAnalyzerInfo* info = nullptr);

}  // namespace superion::analysis
