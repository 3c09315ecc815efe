// Training stage of `superion demo`: runs `superion train` and `superion errors` in this process
// with the command lines the user would type (the same option parsing, defaults and code), so the
// demo has no private copy of the training setup. Outputs in OUT/train/: potential.mtp,
// train.json (`train --json`), test_errors.json (`errors --json` on the held-out frames),
// train.ckpt while running (an interrupted run resumes from it), done.json.
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace superion::demo {

struct TrainStage {
  std::filesystem::path train_data, test_data;  // extxyz written by the data stage
  std::vector<std::string> species;             // MTP type order
  int level = 8, max_iter = 200, radial_basis_size = 8, threads = 0;
  double rcut = 5.0;
  std::uint64_t seed = 1;
  std::string device = "auto";  // train --device (auto: the GPU when there is one)
};

struct TrainStageResult {
  std::filesystem::path potential;
  bool reused = false;
  double seconds = 0;
  std::vector<std::string> train_command, errors_command;  // as typed on a shell
  nlohmann::json train_json;                               // what `train --json` wrote
  nlohmann::json test_errors;  // what `errors --json` wrote for the test frames
};

TrainStageResult run_train_stage(const TrainStage& stage, const std::filesystem::path& dir);

// Runs one `superion` subcommand in this process (argv without the program name). Throws
// superion::Error with CLI11's message for an option error.
void run_superion_command(const std::vector<std::string>& args);

// "superion train --data 'a b.xyz' ..." (shell-quoted where needed), for logs and the manifest.
std::string shell_line(const std::vector<std::string>& args);

}  // namespace superion::demo
