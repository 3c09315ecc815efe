// FrameSeries: the plain-array input of the mechanism analyses (hops, van Hove, RDF, VACF,
// rotation, density, LDFC). A trajectory reader fills it frame by frame through SeriesBuilder,
// which checks every frame against the first (same atom count, finite cell) and unwraps the
// positions on the fly: unwrapped(t) = unwrapped(t-1) + minimum_image(wrapped(t) - wrapped(t-1)),
// exact as long as no atom moves more than half the cell between two stored frames.
// Units: Å, ps (dt_ps = time between stored frames), Å/ps for velocities.
#pragma once

#include <string>
#include <vector>

#include "core/vec3.hpp"
#include "trajectory.hpp"

namespace superion::mechanism {

struct FrameSeries {
  std::string source = "<memory>";            // file name for error messages
  double dt_ps = 0.0;                         // time between consecutive frames
  std::vector<int> types;                     // species index per atom
  std::vector<std::string> symbols;           // symbol per species index
  std::vector<double> masses;                 // amu per atom (may be empty)
  std::vector<Mat3> cells;                    // per frame, rows = lattice vectors
  std::vector<std::vector<Vec3>> wrapped;     // per frame, cartesian as read
  std::vector<std::vector<Vec3>> unwrapped;   // per frame, continuous trajectories
  std::vector<std::vector<Vec3>> velocities;  // per frame (Å/ps), empty when not in the file
  // pymatgen DiffusionAnalyzer input: its `specie` (the rest is its drift framework); else empty.
  std::string analyzer_specie;

  std::size_t n_frames() const { return wrapped.size(); }
  std::size_t n_atoms() const { return types.size(); }
  bool has_velocities() const { return !velocities.empty() && velocities.size() == wrapped.size(); }
  // Species index of `symbol`; throws InputError(source, 0, ...) listing the species present.
  int species_index(const std::string& symbol) const;
  // Atoms of one species (throws like species_index; also when no atom has it).
  std::vector<int> atoms_of(const std::string& symbol) const;
  // Every atom not of `symbol` (the framework of a diffusing species).
  std::vector<int> atoms_not_of(const std::string& symbol) const;
  // Velocities of frame t: stored ones, or central finite differences of unwrapped positions
  // (one-sided at the ends). Throws when there is a single frame or dt_ps <= 0.
  std::vector<Vec3> velocities_at(std::size_t t) const;
  // Throws InputError unless there are >= min_frames frames and dt_ps > 0.
  void require_frames(std::size_t min_frames, const std::string& what) const;
};

// Builds a FrameSeries one frame at a time (the streaming half of the Analyzer lifecycle).
class SeriesBuilder {
 public:
  SeriesBuilder(std::string source, double dt_ps, std::vector<int> types,
                std::vector<std::string> symbols, std::vector<double> masses = {});
  // Appends one frame; `velocities` may be empty. Throws InputError naming the frame on a changed
  // atom count, a degenerate cell, non-finite numbers, or velocities present in some frames only.
  // `unwrapped`, when non-empty, gives continuous positions (from image flags or an unwrapped
  // file); they are used as they are and `positions` are wrapped into the cell for the pair
  // analyses.
  void add(const Mat3& cell, const std::vector<Vec3>& positions,
           const std::vector<Vec3>& velocities = {}, const std::vector<Vec3>& unwrapped = {});
  const FrameSeries& series() const { return s_; }
  FrameSeries take() { return std::move(s_); }

 private:
  FrameSeries s_;
};

// Reads every frame of a streaming trajectory into a FrameSeries (unwrapping as described above,
// or with the reader's image flags / unwrapped positions). dt: `frame_interval_ps` if > 0, else the
// reader's frame times (must be evenly spaced within 1e-6 relative). `stride` keeps every n-th
// frame.
FrameSeries load_series(analysis::TrajectoryReader& reader, double frame_interval_ps = 0.0,
                        int stride = 1);

}  // namespace superion::mechanism
