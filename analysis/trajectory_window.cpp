// WindowedTrajectory: frame selection by time, window checks and their messages.
#include "trajectory_window.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace superion::analysis {
namespace {

std::string fmt(double t) {
  char b[32];
  std::snprintf(b, sizeof b, "%g", t);
  return b;
}

// Bounds are compared with a tolerance of 1e-9 relative (at least 1e-9 ps) so that a bound
// written in the same decimal as a frame time keeps that frame (--end-time 0.69 and the time
// 69 × 0.01 = 0.6900000000000001); real frame spacings are many orders of magnitude larger.
double slack(double bound) {
  return 1e-9 * std::max(1.0, std::fabs(bound));
}

}  // namespace

std::string TimeWindow::describe() const {
  if (has_start() && has_end()) return fmt(start_ps) + " <= t <= " + fmt(end_ps) + " ps";
  if (has_start()) return "t >= " + fmt(start_ps) + " ps";
  if (has_end()) return "t <= " + fmt(end_ps) + " ps";
  return "";
}

WindowedTrajectory::WindowedTrajectory(std::unique_ptr<TrajectoryReader> inner, TimeWindow window,
                                       double override_interval_ps)
    : inner_(std::move(inner)), window_(window), override_interval_ps_(override_interval_ps) {
  if (!inner_) throw Error("WindowedTrajectory: no reader");
  if (std::isnan(window_.start_ps) || std::isnan(window_.end_ps) ||
      window_.start_ps == std::numeric_limits<double>::infinity() ||
      window_.end_ps == -std::numeric_limits<double>::infinity())
    throw InputError(inner_->source(), 0, "the time window needs finite --start-time/--end-time");
  if (window_.has_start() && window_.has_end() && !(window_.start_ps < window_.end_ps))
    throw InputError(inner_->source(), 0,
                     "empty time window: --start-time " + fmt(window_.start_ps) +
                         " ps is not before --end-time " + fmt(window_.end_ps) + " ps");
}

double WindowedTrajectory::frame_time(const Frame& f) const {
  return override_interval_ps_ > 0 ? static_cast<double>(inner_index_) * override_interval_ps_
                                   : f.time_ps;
}

bool WindowedTrajectory::next(Frame& frame) {
  while (!done_) {
    if (!inner_->next(frame)) {
      done_ = true;
      break;
    }
    const double t = frame_time(frame);
    if (inner_index_ == 0) first_seen_ = t;
    last_seen_ = t;
    ++inner_index_;
    if (t < window_.start_ps - slack(window_.start_ps)) continue;
    if (t > window_.end_ps + slack(window_.end_ps)) {
      done_ = true;  // times increase (the readers check it): nothing later can be inside
      break;
    }
    if (override_interval_ps_ > 0) frame.time_ps = t;
    ++kept_;
    return true;
  }
  if (kept_ < 2) {
    const bool past_end = inner_index_ > 0 && last_seen_ > window_.end_ps + slack(window_.end_ps);
    const std::string span =
        inner_index_ == 0 ? "the trajectory has no frames"
        : past_end        ? "the trajectory starts at " + fmt(first_seen_) + " ps"
                   : "the trajectory spans " + fmt(first_seen_) + " to " + fmt(last_seen_) + " ps";
    throw InputError(inner_->source(), 0,
                     "the time window " + window_.describe() + " keeps " + std::to_string(kept_) +
                         " frame" + (kept_ == 1 ? "" : "s") + " (" + span +
                         "); at least 2 are needed");
  }
  if (!counted_) {
    counted_ = true;
    kept_total_ = kept_;
  }
  return false;
}

void WindowedTrajectory::rewind() {
  inner_->rewind();
  inner_index_ = 0;
  kept_ = 0;
  done_ = false;
}

std::string WindowedTrajectory::source() const {
  return inner_->source() + " [" + window_.describe() + "]";
}

std::unique_ptr<TrajectoryReader> apply_time_window(std::unique_ptr<TrajectoryReader> reader,
                                                    const TimeWindow& window,
                                                    double override_interval_ps) {
  if (!window.active()) return reader;
  return std::make_unique<WindowedTrajectory>(std::move(reader), window, override_interval_ps);
}

void record_time_window(nlohmann::json& j, const TimeWindow& w) {
  if (!w.active()) return;
  j["start_time_ps"] = w.has_start() ? nlohmann::json(w.start_ps) : nlohmann::json(nullptr);
  j["end_time_ps"] = w.has_end() ? nlohmann::json(w.end_ps) : nlohmann::json(nullptr);
}

}  // namespace superion::analysis
