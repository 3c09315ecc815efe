// MTP trainer: L-BFGS (strong Wolfe) or Levenberg–Marquardt (reduced Gauss–Newton matrix) on the
// radial coefficients of the projected loss (VarPro: the species and moment coefficients are
// solved exactly by weighted least squares at every evaluation). Progress line per iteration,
// checkpoints (optimiser state included, so a resumed run continues bit-identically), early
// stopping on a validation set, NaN protection.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "lbfgs.hpp"
#include "levenberg_marquardt.hpp"
#include "mtp/mtp_model.hpp"
#include "trainer_backend.hpp"

namespace superion {

enum class Optimizer { kLbfgs, kLm };

struct TrainerOptions {
  int max_iter = 1000;
  Optimizer optimizer = Optimizer::kLbfgs;
  LbfgsOptions lbfgs;
  LmOptions lm;
  // Stop when the loss decreased by less than this fraction over the last 50 iterations
  // (MLIP's criterion; 0 = off).
  double tolerance = 1e-7;
  int early_stop_patience = 0;   // iterations without validation improvement (0 = off)
  int checkpoint_every = 0;      // iterations (0 = only at the end / on a stop)
  std::string checkpoint_path;   // empty = no checkpoints
  std::FILE* progress = stdout;  // progress lines (nullptr = quiet)
};

struct TrainerResult {
  Mtp model;  // trained potential (last iterate, or best-validation one with early stopping)
  int iterations = 0;    // accepted iterations done in total (including resumed ones)
  long evaluations = 0;  // projected-loss evaluations in this run
  long jacobians = 0;    // Gauss–Newton matrices (Levenberg–Marquardt) in this run
  double loss = 0.0;     // final training loss (MLIP normalisation, 1/Kc)
  LossStats train;
  bool has_valid = false;
  LossStats valid;
  std::string stop_reason;
  double seconds = 0.0;
};

class Trainer {
 public:
  // `model` holds the basis and the initial radial coefficients (and the scaling used in
  // training). `valid` may be null.
  Trainer(Mtp model, TrainerBackend& train, TrainerBackend* valid, TrainerOptions options);
  // Continue from a checkpoint written by a previous run (same data and options expected).
  void resume(const std::string& checkpoint_path);
  TrainerResult run();

 private:
  void write_checkpoint(const std::vector<double>& radial) const;
  Mtp finalize(const std::vector<double>& radial) const;

  Mtp model_;
  TrainerBackend& train_;
  TrainerBackend* valid_;
  TrainerOptions opt_;
  // Resumable state.
  int iteration_ = 0;
  LbfgsState lbfgs_state_;
  LmState lm_state_;
  std::vector<double> radial_;
  std::vector<double> best_radial_;
  double best_valid_ = 0.0;
  int best_iteration_ = -1, since_best_ = 0;
  std::vector<double> loss_history_;
};

// Reads the model stored in a checkpoint (basis, min/max dist, scaling, current coefficients).
Mtp read_checkpoint_model(const std::string& path);

}  // namespace superion
