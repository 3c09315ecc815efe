// Hooks between the MD driver and the I/O modules: checkpoint files, H5MD trajectories and the
// rigid non-rotating clusters of --freeze-rotation. The driver only sees these functions.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "constraint.hpp"
#include "rigid_clusters.hpp"
#include "simulation.hpp"

namespace superion::md {

// One frame for the writers, from either engine: continuous positions (wrapped on output),
// velocities, the structure (cell, species) and the thermo sample of that step.
struct FrameData {
  std::int64_t step = 0;
  double time_ps = 0.0;
  const Structure* structure = nullptr;
  const std::vector<Vec3>* positions = nullptr;
  const std::vector<Vec3>* velocities = nullptr;
  ThermoSample thermo;
};
FrameData frame_of(Simulation& sim);

// Trajectory output (H5MD): one frame per call; commit() finalises the file.
class FrameSink {
 public:
  virtual ~FrameSink() = default;
  virtual void write(Simulation& sim) = 0;
  virtual void write(const FrameData& frame) = 0;
  virtual void flush() = 0;  // make the frames so far durable (with each checkpoint)
  virtual void commit() = 0;
};

// Writes/reads a checkpoint (atomic; the previous file is kept as .bak).
void save_checkpoint(const std::filesystem::path& path, const MdSnapshot& snap,
                     const std::map<std::string, std::string>& metadata);
MdSnapshot load_checkpoint(const std::filesystem::path& path);

// Opens an H5MD trajectory for `sim`'s atoms (positions, image flags, box, species, time;
// velocities when asked). `resume_step` >= 0 continues an existing file, dropping frames after it.
std::unique_ptr<FrameSink> open_h5md(const std::filesystem::path& path, const Simulation& sim,
                                     bool velocities, std::int64_t resume_step = -1);
std::unique_ptr<FrameSink> open_h5md(const std::filesystem::path& path, const Structure& s,
                                     bool velocities, std::int64_t resume_step = -1);

// Rigid clusters of --freeze-rotation: found by bonding from `spec` (printing a summary), or taken
// bit-exactly from a checkpoint's constraint state; and that state (the checkpoint's
// "constraint_state" array: n_clusters, sizes, atoms, offsets).
RigidClusters rotation_clusters(const Structure& s, const std::string& spec,
                                const std::vector<double>* state = nullptr);
std::vector<double> rigid_cluster_state(const RigidClusters& rc);

// The constraint that keeps every cluster named by `spec` (e.g. "SO4", bonded from the structure)
// rigid and non-rotating. With a checkpoint's constraint state, the clusters and body offsets are
// taken from it bit-exactly instead.
std::unique_ptr<VelocityConstraint> make_rotation_freeze(
    const Structure& s, const std::string& spec, const std::vector<double>* state = nullptr);

}  // namespace superion::md
