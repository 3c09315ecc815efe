// The --start-time / --end-time options shared by every `superion analyze` command that reads
// one trajectory (diffusion, hops, vanhove, rdf, vacf, rotation, density, ldfc). The selection
// itself and its JSON record: trajectory_window.hpp.
#pragma once

#include <CLI/CLI.hpp>

#include "trajectory_window.hpp"

namespace superion::analysis {

inline void add_time_window_options(CLI::App* cmd, TimeWindow& w) {
  cmd->add_option("--start-time", w.start_ps,
                  "Use only frames with t >= this time (ps; the file's times, or frame index x "
                  "--frame-interval where that applies), e.g. to drop equilibration; lags and "
                  "frame numbers then count from the first kept frame");
  cmd->add_option("--end-time", w.end_ps, "Use only frames with t <= this time (ps)");
}

}  // namespace superion::analysis
