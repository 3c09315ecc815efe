// Placeholder implementations of the I/O hooks until md/checkpoint, md/h5md_writer and
// md/rigid_clusters are merged: each says clearly what is missing.
#include "md_io_hooks.hpp"

#include "core/error.hpp"

namespace superion::md {

void save_checkpoint(const std::filesystem::path& path, const MdSnapshot&,
                     const std::map<std::string, std::string>&) {
  throw Error("cannot write checkpoint " + path.string() +
              ": checkpoint files are not available in this build yet (md/checkpoint)");
}

MdSnapshot load_checkpoint(const std::filesystem::path& path) {
  throw Error("cannot resume from " + path.string() +
              ": checkpoint files are not available in this build yet (md/checkpoint)");
}

std::unique_ptr<FrameSink> open_h5md(const std::filesystem::path& path, const Simulation&, bool,
                                     std::int64_t) {
  throw Error("cannot write " + path.string() +
              ": H5MD trajectories are not available in this build yet (use --dump-xyz)");
}

std::unique_ptr<VelocityConstraint> make_rotation_freeze(const Structure&, const std::string& spec,
                                                         const std::vector<double>*) {
  throw Error("--freeze-rotation " + spec + ": rigid clusters are not available in this build yet");
}

}  // namespace superion::md
