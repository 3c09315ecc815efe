// Report stage of `superion demo`: summary.json, CSV tables, the PNG plots
// (scripts/plot_demo.py) and the closing lines on the terminal. Every number comes from the
// stages before; nothing here computes physics.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "demo.hpp"
#include "demo_analysis.hpp"
#include "demo_reference.hpp"
#include "demo_train.hpp"

namespace superion::demo {

// One temperature of the MTP-MD plan (or of the reference only).
struct TemperatureRow {
  double T = 0;
  bool in_plan = false;
  int replicas_planned = 0, replicas_failed = 0;
  TemperatureD mtp;
  bool have_teacher = false;
  TemperatureD teacher;
  Agreement agreement;
  bool have_rotation = false;
  Reorientation rotation;
  double mean_temperature_K = 0, max_wall_energy_eV = 0, max_violation_A = 0;
  double md_seconds = 0, atom_steps_per_s = 0;
  std::string status;  // diffusive | not diffusive (...) | MD failed (...)
};

struct DemoResults {
  DemoSettings settings;
  std::string compound, data_dir, reference_kind;
  std::uint64_t seed = 1;
  int threads = 1;
  std::size_t train_configs = 0, test_configs = 0, md_atoms = 0;
  TrainStageResult train;
  std::vector<TemperatureRow> rows;  // sorted by T
  ArrheniusSummary mtp_fit, teacher_fit;
  nlohmann::json teacher_committed;  // the reference's own teacher_diffusion.json (or null)
  nlohmann::json mechanism;          // mechanism_of() of the fine run, plus "frozen"
  nlohmann::json timings;
  std::vector<std::string> notes;
  std::vector<std::string> plots;  // PNGs relative to the run folder
  nlohmann::json md_protocol;
  nlohmann::json settings_json;  // every setting of the mode (as in manifest.json)
};

// Writes summary.json, per_temperature.csv and errors.csv and returns the exit status
// (kExitResolved / kExitUnresolved). Called again after the plots to list them.
int write_report(DemoResults& r, const std::filesystem::path& out);

// Runs scripts/plot_demo.py on `out` when /usr/bin/python3 has matplotlib; returns the PNGs made
// (relative to out) and adds a note on failure.
std::vector<std::string> make_plots(const std::filesystem::path& out,
                                    const std::filesystem::path& scripts,
                                    std::vector<std::string>& notes);

}  // namespace superion::demo
