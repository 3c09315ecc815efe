// Extrapolation grades during MD (MLIP's "select" settings of mlip.ini for LAMMPS): every N steps
// the current configuration is graded against an active set (MaxVol, training/active_set.hpp);
// configurations above `threshold` are appended to the `selected` file (with their grade, step,
// time and temperature) as candidates for `superion select`, and a grade above `break_at` stops
// the run (MLIP's threshold-break; the driver keeps a checkpoint). Defaults 2 and 10 are MLIP's
// recommended values (γ_select ≈ 2, γ_break ≈ 10).
#pragma once

#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "active_set.hpp"
#include "step_observer.hpp"
#include "verlet_list.hpp"

namespace superion::md {

struct GradingOptions {
  std::string source;        // state.als, or the training set to build the active set from
  std::string mode = "cfg";  // cfg | nbh (training sets only)
  bool mode_given = false;
  std::string scope = "mlip";  // mlip | data (training/maxvol.hpp)
  std::int64_t every = 0;      // steps between grades; 0 = no grading
  double threshold = 2.0;      // write configurations with a higher grade
  double break_at = 10.0;      // stop the run above this grade (0 = never)
  std::string selected;        // file for the configurations above the threshold (.cfg, .xyz)
  bool enabled() const { return every > 0; }
};

struct GradingStats {
  long grades = 0;            // configurations graded
  long above_threshold = 0;   // written to the selected file
  double max_grade = 0.0;     // largest grade seen
  std::int64_t max_step = 0;  // step of the largest grade
  bool stopped = false;       // the run was stopped by --grade-break
  std::int64_t stop_step = 0;
  double stop_grade = 0.0;
  double seconds = 0.0;  // wall time spent grading
};

// Loads or builds the active set for an MD run (species: the MD's type order).
std::shared_ptr<const ActiveSet> load_grading_set(const GradingOptions& o, const Mtp& model,
                                                  const std::string& potential_name,
                                                  const std::vector<std::string>& species,
                                                  bool quiet);

class GradeMonitor : public StepObserver {
 public:
  // `selected` = this replica's file; `append` keeps an existing one (resumed runs).
  GradeMonitor(std::shared_ptr<const ActiveSet> set, const GradingOptions& o, std::string selected,
               bool append, std::string replica_tag);
  std::int64_t every() const override { return o_.every; }
  ObserverVerdict observe(Simulation& sim) override;
  void flush() override;
  const GradingStats& stats() const { return stats_; }

 private:
  std::shared_ptr<const ActiveSet> set_;
  GradingOptions o_;
  GradeScope scope_;
  std::string selected_path_, tag_;
  bool xyz_ = false;
  std::ofstream selected_;
  GradingStats stats_;
  VerletList list_;  // the monitor's own neighbour list (skin: rebuilt only when atoms moved)
};

}  // namespace superion::md
