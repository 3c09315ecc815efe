// MTP trainer: L-BFGS (strong Wolfe) or Levenberg–Marquardt (reduced Gauss–Newton matrix) on the
// radial coefficients of the projected loss (VarPro: the species and moment coefficients are
// solved exactly by weighted least squares at every evaluation, optionally with a ridge penalty).
// Progress line per iteration, per-iteration history (train / validation / test errors),
// checkpoints (optimiser state included, so a resumed run continues bit-identically), early
// stopping on a validation set with the best-validation iterate returned, the ridge strength
// chosen on the validation set (ridge_auto), NaN protection.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "lbfgs.hpp"
#include "levenberg_marquardt.hpp"
#include "mtp/mtp_model.hpp"
#include "ridge.hpp"
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
  int early_stop_patience = 0;  // iterations without validation improvement (0 = off)
  // Noise allowance of early stopping, in standard errors of the paired per-configuration
  // difference of validation losses. 0: the plain rule (every iterate that does not lower the
  // best validation loss counts towards the patience; the best iterate is written). z > 0: an
  // iterate counts only when its validation loss exceeds the best one's by more than z standard
  // errors; one within that noise resets the count and is written instead of the best (ties go
  // to the later, better fitted iterate), so a chance dip of a small validation set early in the
  // optimisation neither stops training nor is written.
  double early_stop_z = 0.0;
  // Ridge penalty on the moment coefficients (RidgePenalty; λ relative to the diagonal of the
  // normal matrix at the reference point). 0 = off.
  double ridge = 0.0;
  // Choose λ on the validation set: after the optimisation (with `ridge`) has stopped, λ from
  // ridge_grid minimising the validation loss at the returned iterate (linear coefficients
  // re-solved with each λ, the reference moved there); if it is not `ridge`, the optimisation
  // continues from that iterate with the chosen λ (fresh optimiser state, same early stopping).
  bool ridge_auto = false;
  // (Relative to the diagonal: on the mlearn sets 1e-9 already raises the validation loss, the
  // basis functions being strongly correlated; the plain solve's own regularisation is 1e-12.)
  std::vector<double> ridge_grid = {0.0,  1e-12, 1e-11, 1e-10, 1e-9, 1e-8,
                                    1e-7, 1e-6,  1e-5,  1e-4,  1e-3};
  int checkpoint_every = 0;      // iterations (0 = only at the end / on a stop)
  std::string checkpoint_path;   // empty = no checkpoints
  std::FILE* progress = stdout;  // progress lines (nullptr = quiet)
};

// Errors of one accepted iterate (history; LossStats of the training, validation and test sets at
// the radial coefficients of the iterate and the linear ones solved on the training set).
struct IterationRecord {
  int iteration = 0;
  int stage = 0;           // 1 after the ridge strength was chosen on the validation set
  double objective = 0.0;  // optimised objective: training loss + ridge penalty
  double ridge = 0.0;      // λ in force
  LossStats train;
  bool has_valid = false, has_test = false;
  LossStats valid, test;
  std::vector<double> valid_config_loss;  // each validation configuration's share of its loss
};

// Validation loss of one λ of the ridge grid (ridge_auto).
struct RidgeTrial {
  double lambda = 0.0;
  double valid_loss = 0.0;
};

struct TrainerResult {
  Mtp model;  // trained potential (last iterate, or best-validation one with early stopping)
  int iterations = 0;    // accepted iterations done in total (including resumed ones)
  long evaluations = 0;  // projected-loss evaluations in this run
  long jacobians = 0;    // Gauss–Newton matrices (Levenberg–Marquardt) in this run
  double loss = 0.0;     // final training loss (MLIP normalisation, 1/Kc)
  double penalty = 0.0;  // ridge penalty at the returned iterate
  LossStats train;
  bool has_valid = false;
  LossStats valid;
  bool has_test = false;
  LossStats test;
  std::string stop_reason;
  // Iteration whose radial coefficients were written (with early stopping the best-validation
  // one, or the latest within the noise of it with early_stop_z > 0; else the last).
  int returned_iteration = 0;
  bool returned_best = false;            // true: the early-stopping iterate (not simply the last)
  double best_valid_loss = 0.0;          // lowest validation loss of the run
  int best_iteration = 0;                // its iteration
  double returned_valid_loss = 0.0;      // validation loss of the written iterate
  double ridge = 0.0;                    // λ of the written potential's linear solve
  std::vector<RidgeTrial> ridge_trials;  // ridge_auto: the grid and its validation losses
  std::vector<IterationRecord> history;  // iteration 0 (start) and every accepted iterate
  double seconds = 0.0;
};

class Trainer {
 public:
  // `model` holds the basis and the initial radial coefficients (and the scaling used in
  // training). `valid` may be null.
  Trainer(Mtp model, TrainerBackend& train, TrainerBackend* valid, TrainerOptions options);
  // A test set: its errors are recorded and printed every iteration, never used for decisions.
  void set_test(TrainerBackend* test) { test_ = test; }
  // Extra JSON fields stored in every checkpoint (e.g. the held-out configuration indices).
  void set_checkpoint_extra(std::string key, std::vector<std::size_t> values);
  // Continue from a checkpoint written by a previous run (same data and options expected).
  void resume(const std::string& checkpoint_path);
  TrainerResult run();

 private:
  void write_checkpoint(const std::vector<double>& radial) const;
  Mtp finalize(const std::vector<double>& radial);
  // Chooses λ on the validation set at `radial` (ridge_auto); returns the trials.
  std::vector<RidgeTrial> choose_ridge(const std::vector<double>& radial);

  Mtp model_;
  TrainerBackend& train_;
  TrainerBackend* valid_;
  TrainerBackend* test_ = nullptr;
  TrainerOptions opt_;
  RidgePenalty ridge_;
  std::string extra_key_;
  std::vector<std::size_t> extra_values_;
  // Resumable state.
  int iteration_ = 0;
  LbfgsState lbfgs_state_;
  LmState lm_state_;
  std::vector<double> radial_;
  std::vector<double> best_radial_;  // lowest validation loss so far
  double best_valid_ = 0.0;
  int best_iteration_ = -1, since_best_ = 0;
  std::vector<double> best_config_loss_;  // per validation configuration, at the best iterate
  // The iterate to write (= the best one unless early_stop_z > 0 lets a later one within the
  // noise take its place).
  std::vector<double> written_radial_;
  int written_iteration_ = -1;
  double written_valid_ = 0.0;
  std::vector<double> loss_history_;
  int stage_ = 0;                // 1: ridge strength chosen (ridge_auto), second optimisation
  std::size_t stage_start_ = 0;  // loss_history_ index where the current stage began
  std::vector<RidgeTrial> ridge_trials_;
  std::vector<IterationRecord> history_;
};

// Reads the model stored in a checkpoint (basis, min/max dist, scaling, current coefficients).
Mtp read_checkpoint_model(const std::string& path);
// The history as a JSON array (per record: iteration, stage, objective, ridge, and for train /
// valid / test: loss, energy-per-atom RMSE and MAE in meV/atom, force-component RMSE and MAE).
std::string history_json(const std::vector<IterationRecord>& history);
// Reads an index list stored with Trainer::set_checkpoint_extra; false if the checkpoint has none.
bool read_checkpoint_indices(const std::string& path, const std::string& key,
                             std::vector<std::size_t>& out);

}  // namespace superion
