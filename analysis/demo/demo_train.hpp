// Training step of `superion demo`: fits a new MTP of a given level to a dataset (the same path as
// `superion train --level N`: generated basis, seeded radial initialisation, min_dist = 0.99 x the
// shortest pair distance, VarPro + L-BFGS) on the CPU trainer or the device one, and reports the
// errors on the training and test sets.
#pragma once

#include <cstdint>
#include <string>

#include "core/configuration.hpp"
#include "device_choice.hpp"
#include "mtp/error_metrics.hpp"
#include "mtp/mtp_model.hpp"

namespace superion::demo {

struct TrainOptions {
  int level = 8;
  int radial_basis_size = 8;
  int max_iter = 200;
  double rcut = 5.0;  // Å
  // Loss weights: energy:force = 100:1 as in the paper (MLIP's defaults).
  double energy_weight = 1.0, force_weight = 0.01, stress_weight = 0.001;
  std::uint64_t seed = 1;
  std::string checkpoint;                        // empty = none
  md::DeviceKind device = md::DeviceKind::kCpu;  // trainer backend (resolved --device)
};

struct TrainResult {
  Mtp model;
  ErrorReport train, test;
  int iterations = 0;
  std::string stop_reason;
  double seconds = 0.0;
};

// Trains on `train`, evaluates on `train` and `test` (test may be empty). Throws InputError
// for unusable data (no pairs within the cutoff, missing labels).
TrainResult train_mtp(const Dataset& train, const Dataset& test, const TrainOptions& options);

}  // namespace superion::demo
