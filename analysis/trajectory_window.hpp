// Time window on a trajectory: a TrajectoryReader decorator that passes on only the frames with
// start <= t <= end (t = the frame's time as the wrapped reader reports it: from the file, or
// frame index x --frame-interval; or, when `override_interval_ps` > 0, index x that interval, the
// mechanism commands' "--frame-interval overrides file times"). Used to drop the equilibration
// part of an MD run before `superion analyze ...` (docs/diffusion.md, "Time window").
// Frames keep their absolute times; analyses measure lags from the first kept frame anyway.
#pragma once

#include <limits>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "trajectory.hpp"

namespace superion::analysis {

struct TimeWindow {
  double start_ps = -std::numeric_limits<double>::infinity();
  double end_ps = std::numeric_limits<double>::infinity();
  bool has_start() const { return start_ps > -std::numeric_limits<double>::infinity(); }
  bool has_end() const { return end_ps < std::numeric_limits<double>::infinity(); }
  bool active() const { return has_start() || has_end(); }
  // "t >= 2 ps", "2 <= t <= 10 ps", "t <= 10 ps" (empty when not active).
  std::string describe() const;
};

class WindowedTrajectory : public TrajectoryReader {
 public:
  // Throws InputError(inner source) when start >= end or a bound is not finite.
  WindowedTrajectory(std::unique_ptr<TrajectoryReader> inner, TimeWindow window,
                     double override_interval_ps = 0.0);
  const TrajectorySystem& system() const override { return inner_->system(); }
  // Skips frames before start, stops (without reading further) at the first frame after end.
  // When the first pass ends with fewer than 2 kept frames it throws InputError naming the file,
  // the window and the times the file spans.
  bool next(Frame& frame) override;
  void rewind() override;
  // Known after one complete pass, else -1.
  long frame_count() const override { return counted_ ? kept_total_ : -1; }
  // "<file> [2 <= t <= 10 ps]".
  std::string source() const override;
  const TimeWindow& window() const { return window_; }

 private:
  double frame_time(const Frame& f) const;

  std::unique_ptr<TrajectoryReader> inner_;
  TimeWindow window_;
  double override_interval_ps_;
  long inner_index_ = 0;  // frames read from inner_ in this pass
  long kept_ = 0;         // frames passed on in this pass
  bool done_ = false;     // this pass has reached a frame after end (or the end of the file)
  bool counted_ = false;  // a complete pass has been made
  long kept_total_ = -1;
  double first_seen_ = 0, last_seen_ = 0;  // times the first pass saw (for the error message)
};

// Wraps `reader` when `window` is active; returns it unchanged otherwise.
std::unique_ptr<TrajectoryReader> apply_time_window(std::unique_ptr<TrajectoryReader> reader,
                                                    const TimeWindow& window,
                                                    double override_interval_ps = 0.0);

// Adds "start_time_ps" / "end_time_ps" (null for an open side) to `j` when `w` is active.
void record_time_window(nlohmann::json& j, const TimeWindow& w);

}  // namespace superion::analysis
