// Grading during MD; see md_grading.hpp.
#include "md_grading.hpp"

#include <chrono>
#include <cstdio>

#include "active_set_source.hpp"
#include "core/error.hpp"
#include "grade_format.hpp"
#include "io/cfg.hpp"
#include "io/extxyz.hpp"
#include "io/formats.hpp"

namespace superion::md {

std::shared_ptr<const ActiveSet> load_grading_set(const GradingOptions& o, const Mtp& model,
                                                  const std::string& potential_name,
                                                  const std::vector<std::string>& species,
                                                  bool quiet) {
  if (o.every < 0) throw Error("--grade-every must be >= 0");
  if (!(o.threshold > 0) || o.break_at < 0)
    throw Error("--grade-threshold must be positive and --grade-break >= 0");
  if (o.break_at > 0 && o.break_at < o.threshold)
    throw Error("--grade-break must not be below --grade-threshold");
  if (o.source.empty())
    throw Error(
        "grading needs --grade-als state.als or --grade-train TRAIN (the potential's "
        "training set)");
  parse_grade_scope(o.scope);
  if (!o.selected.empty()) {
    const std::string f = io::find_format(o.selected).name;
    if (f != "cfg" && f != "extxyz")
      throw Error("--selected " + o.selected + ": write .cfg or extended XYZ (.xyz)");
  }
  ActiveSetSource src;
  src.path = o.source;
  src.mode = o.mode;
  src.mode_given = o.mode_given;
  src.species = species;
  return std::make_shared<const ActiveSet>(load_active_set(model, potential_name, src, quiet));
}

GradeMonitor::GradeMonitor(std::shared_ptr<const ActiveSet> set, const GradingOptions& o,
                           std::string selected, bool append, std::string replica_tag)
    : set_(std::move(set)),
      o_(o),
      scope_(parse_grade_scope(o.scope)),
      selected_path_(std::move(selected)),
      tag_(std::move(replica_tag)),
      list_(set_->model().max_dist, 1.0) {
  if (!selected_path_.empty()) {
    xyz_ = std::string(io::find_format(selected_path_).name) == "extxyz";
    selected_.open(selected_path_, append ? std::ios::app : std::ios::trunc);
    if (!selected_) throw Error("cannot write " + selected_path_);
  }
}

ObserverVerdict GradeMonitor::observe(Simulation& sim) {
  const auto t0 = std::chrono::steady_clock::now();
  const bool nbh = set_->weights().neighborhood();
  std::vector<double> site;
  list_.update(sim.structure());
  const double g = set_->grade(sim.structure(), list_.list(), nbh ? &site : nullptr, scope_);
  ++stats_.grades;
  if (g > stats_.max_grade || stats_.grades == 1) {
    stats_.max_grade = g;
    stats_.max_step = sim.step_index();
  }
  ObserverVerdict v;
  if (g > o_.threshold) {
    ++stats_.above_threshold;
    if (selected_.is_open()) {
      Configuration c;
      c.structure = sim.structure();
      set_grade(c, xyz_ ? "mv_grade" : "MV_grade", g);
      if (nbh) c.nbh_grades = site;
      c.features.emplace_back("md_step", std::to_string(sim.step_index()));
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.6g", sim.time_ps());
      c.features.emplace_back("md_time_ps", buf);
      std::snprintf(buf, sizeof buf, "%.6g", sim.temperature());
      c.features.emplace_back("md_temperature_K", buf);
      if (!tag_.empty()) c.features.emplace_back("md_replica", tag_);
      std::string text;
      if (xyz_) {
        io::format_extxyz(text, c, {});
      } else {
        io::CfgWriteOptions w;
        w.lossless = true;  // the positions are labelled later: keep them exactly
        io::format_cfg(text, c, w);
      }
      selected_.write(text.data(), static_cast<std::streamsize>(text.size()));
      selected_.flush();
      if (!selected_) throw Error("cannot write " + selected_path_);
    }
  }
  if (o_.break_at > 0 && !(g <= o_.break_at)) {  // NaN/inf grades stop the run too
    stats_.stopped = true;
    stats_.stop_step = sim.step_index();
    stats_.stop_grade = g;
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "extrapolation grade %.6g > --grade-break %g at step %lld (t = %.6g ps)", g,
                  o_.break_at, static_cast<long long>(sim.step_index()), sim.time_ps());
    v.stop = true;
    v.reason = buf;
  }
  stats_.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return v;
}

void GradeMonitor::flush() {
  if (selected_.is_open()) selected_.flush();
}

}  // namespace superion::md
