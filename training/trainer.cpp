// Trainer: the optimisation loop, progress lines, validation/early stopping and checkpoints.
#include "trainer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/progress.hpp"
#include "model_setup.hpp"
#include "mtp/mtp_file.hpp"
#include "varpro.hpp"

namespace superion {
namespace {

constexpr const char* kCheckpointFormat = "superion-train-checkpoint";

bool all_finite(const std::vector<double>& v) {
  for (double x : v)
    if (!std::isfinite(x)) return false;
  return true;
}

}  // namespace

Trainer::Trainer(Mtp model, TrainerBackend& train, TrainerBackend* valid, TrainerOptions options)
    : model_(std::move(model)), train_(train), valid_(valid), opt_(std::move(options)) {
  radial_ = model_.radial_coeffs;
  if (static_cast<int>(radial_.size()) != train_.n_radial())
    throw Error("initial radial coefficients do not match the training backend");
}

namespace {
// Parses a training checkpoint file and checks its format tag.
nlohmann::json read_checkpoint_json(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path, 0, "cannot open checkpoint");
  nlohmann::json j;
  try {
    in >> j;
  } catch (const std::exception& e) {
    throw InputError(path, 0, std::string("not a training checkpoint (JSON): ") + e.what());
  }
  if (j.value("format", "") != kCheckpointFormat)
    throw InputError(path, 0, std::string("expected \"format\": \"") + kCheckpointFormat + "\"");
  return j;
}
}  // namespace

void Trainer::resume(const std::string& path) {
  const nlohmann::json j = read_checkpoint_json(path);
  radial_ = j.at("radial").get<std::vector<double>>();
  if (static_cast<int>(radial_.size()) != train_.n_radial())
    throw InputError(path, 0, "checkpoint radial coefficients do not match the potential");
  iteration_ = j.at("iteration").get<int>();
  lbfgs_state_.s = j.at("lbfgs_s").get<std::vector<std::vector<double>>>();
  lbfgs_state_.y = j.at("lbfgs_y").get<std::vector<std::vector<double>>>();
  best_radial_ = j.at("best_radial").get<std::vector<double>>();
  best_valid_ = j.at("best_valid").get<double>();
  best_iteration_ = j.at("best_iteration").get<int>();
  since_best_ = j.at("since_best").get<int>();
  loss_history_ = j.at("loss_history").get<std::vector<double>>();
  lm_state_.lambda = j.value("lm_lambda", -1.0);
  lm_state_.nu = j.value("lm_nu", 2.0);
}

Mtp read_checkpoint_model(const std::string& path) {
  const nlohmann::json j = read_checkpoint_json(path);
  return parse_mtp(j.at("mtp").get<std::string>(), path);
}

void Trainer::write_checkpoint(const std::vector<double>& radial) const {
  if (opt_.checkpoint_path.empty()) return;
  Mtp m = model_;
  m.radial_coeffs = radial;
  m.trained = true;
  nlohmann::json j;
  j["format"] = kCheckpointFormat;
  j["version"] = 1;
  j["iteration"] = iteration_;
  j["radial"] = radial;
  j["lbfgs_s"] = lbfgs_state_.s;
  j["lbfgs_y"] = lbfgs_state_.y;
  j["optimizer"] = opt_.optimizer == Optimizer::kLm ? "lm" : "lbfgs";
  j["lm_lambda"] = lm_state_.lambda;
  j["lm_nu"] = lm_state_.nu;
  j["best_radial"] = best_radial_;
  j["best_valid"] = best_valid_;
  j["best_iteration"] = best_iteration_;
  j["since_best"] = since_best_;
  j["loss_history"] = loss_history_;
  j["mtp"] = format_mtp(m, MtpPrecision::kLossless);
  AtomicFile f(opt_.checkpoint_path);
  f.stream() << j.dump() << '\n';
  f.commit();
}

Mtp Trainer::finalize(const std::vector<double>& radial_in) const {
  // The projected loss does not depend on the norm of each radial function (c_μ over all species
  // pairs), which drifts during L-BFGS; normalise them (the linear solve absorbs the factors).
  std::vector<double> radial = radial_in;
  const int C = model_.species_count, K = model_.radial_funcs_count, R = model_.radial_basis_size;
  for (int mu = 0; mu < K; ++mu) {
    double sq = 0.0;
    for (int p = 0; p < C * C; ++p)
      for (int b = 0; b < R; ++b) sq += radial[(p * K + mu) * R + b] * radial[(p * K + mu) * R + b];
    if (sq > 0.0)
      for (int p = 0; p < C * C; ++p)
        for (int b = 0; b < R; ++b) radial[(p * K + mu) * R + b] /= std::sqrt(sq);
  }
  ProjectedObjective obj(train_);
  const ProjectedValue v = obj.evaluate(radial, false);
  Mtp m = model_;
  m.radial_coeffs = radial;
  m.species_coeffs.assign(v.linear.begin(), v.linear.begin() + m.species_count);
  m.moment_coeffs.assign(v.linear.begin() + m.species_count, v.linear.end());
  m.trained = true;
  choose_scaling(m);
  return m;
}

TrainerResult Trainer::run() {
  using clock = std::chrono::steady_clock;
  const auto t0 = clock::now();
  ProjectedObjective obj(train_);
  // Values of the recent evaluations, to recover the statistics of the accepted point.
  std::vector<std::pair<std::vector<double>, ProjectedValue>> recent;
  auto f = [&](const std::vector<double>& x, std::vector<double>& g) {
    ProjectedValue v = obj.evaluate(x, true);
    g = v.grad;
    const double loss = (std::isfinite(v.loss) && all_finite(g) && all_finite(v.linear))
                            ? v.loss
                            : std::numeric_limits<double>::quiet_NaN();
    if (recent.size() > 64) recent.erase(recent.begin());
    recent.emplace_back(x, std::move(v));
    return loss;
  };
  auto value_at = [&](const std::vector<double>& x) -> const ProjectedValue& {
    for (auto it = recent.rbegin(); it != recent.rend(); ++it)
      if (it->first == x) return it->second;
    throw Error("internal: accepted point not among the recent evaluations");
  };
  std::vector<double> x = radial_, g;
  double fx = f(x, g);
  if (!std::isfinite(fx))
    throw Error(
        "the training loss is not finite at the initial parameters (check the data and "
        "min_dist/cutoff)");
  Lbfgs lbfgs(f, opt_.lbfgs);
  lbfgs.state() = lbfgs_state_;
  const bool use_lm = opt_.optimizer == Optimizer::kLm;
  auto gauss_newton = [&](const std::vector<double>& at) {
    return obj.gauss_newton(at, value_at(at).linear);
  };
  LevenbergMarquardt lm(f, gauss_newton, opt_.lm);
  lm.state() = lm_state_;
  auto step = [&] { return use_lm ? lm.iterate(x, fx, g) : lbfgs.iterate(x, fx, g); };

  TrainerResult res;
  const int start_iteration = iteration_;
  // One line per iteration would flood a log (a 1-s fit made 151 lines): the shared reporter
  // rewrites the line on a terminal and writes one every few seconds to a log (core/progress.hpp).
  Progress progress(opt_.progress, "train", std::max(1, opt_.max_iter - start_iteration));
  std::string last_detail;
  auto report = [&](const ProjectedValue& v, const LossStats* vs) {
    if (!opt_.progress) return;
    char buf[160];
    std::snprintf(buf, sizeof buf, "iter %5d  loss %.6e  E %8.4f meV/atom  F %.5f eV/A", iteration_,
                  v.loss, 1e3 * v.stats.energy_rmse_per_atom(), v.stats.force_component_rmse());
    last_detail = buf;
    if (vs) {
      std::snprintf(buf, sizeof buf, " | valid loss %.6e  E %8.4f  F %.5f", vs->loss,
                    1e3 * vs->energy_rmse_per_atom(), vs->force_component_rmse());
      last_detail += buf;
    }
    if (use_lm) {
      std::snprintf(buf, sizeof buf, "  lambda %.2e  jac %ld",
                    lm.state().lambda < 0 ? opt_.lm.initial_lambda : lm.state().lambda,
                    obj.jacobians());
      last_detail += buf;
    }
    std::snprintf(buf, sizeof buf, "  evals %ld", obj.evaluations());
    last_detail += buf;
    progress.update(iteration_ - start_iteration, last_detail);
  };
  LossStats vstats;
  auto validate = [&](const ProjectedValue& v) {
    if (!valid_) return;
    vstats = valid_->evaluate(x, v.linear, nullptr, nullptr);
    if (best_iteration_ < 0 || vstats.loss < best_valid_) {
      best_valid_ = vstats.loss;
      best_iteration_ = iteration_;
      best_radial_ = x;
      since_best_ = 0;
    } else {
      ++since_best_;
    }
  };
  {
    const ProjectedValue& v0 = value_at(x);
    if (iteration_ == 0) {
      if (valid_) validate(v0);
      report(v0, valid_ ? &vstats : nullptr);
    }
  }
  res.stop_reason = "iteration limit";
  while (iteration_ < opt_.max_iter) {
    if (!step()) {
      const bool nan = !recent.empty() && !std::isfinite(recent.back().second.loss);
      res.stop_reason = nan      ? "loss became non-finite at every trial step (stopped; last good "
                                   "parameters kept)"
                        : use_lm ? "no decrease in " + std::to_string(opt_.lm.max_rejections) +
                                       " damped Gauss-Newton steps in a row (converged)"
                                 : "no further decrease along the search direction (converged)";
      break;
    }
    ++iteration_;
    loss_history_.push_back(fx);
    lbfgs_state_ = lbfgs.state();
    lm_state_ = lm.state();
    const ProjectedValue& v = value_at(x);
    validate(v);
    report(v, valid_ ? &vstats : nullptr);
    if (opt_.checkpoint_every > 0 && iteration_ % opt_.checkpoint_every == 0) write_checkpoint(x);
    if (opt_.early_stop_patience > 0 && valid_ && since_best_ >= opt_.early_stop_patience) {
      res.stop_reason = "early stop: validation loss has not improved for " +
                        std::to_string(since_best_) + " iterations";
      break;
    }
    const std::size_t nh = loss_history_.size();
    if (opt_.tolerance > 0 && nh > 50 && iteration_ % 50 == 0) {
      const double old = loss_history_[nh - 51];
      if ((old - fx) < opt_.tolerance * fx) {
        res.stop_reason = "relative loss decrease over 50 iterations below the tolerance";
        break;
      }
    }
  }
  progress.finish(last_detail);
  lbfgs_state_ = lbfgs.state();
  lm_state_ = lm.state();
  radial_ = x;
  write_checkpoint(x);
  // The best-validation iterate only with early stopping (otherwise the validation set stays a
  // pure test set and the last iterate is returned).
  const bool use_best = valid_ && opt_.early_stop_patience > 0 && !best_radial_.empty();
  const std::vector<double> final_radial = use_best ? best_radial_ : x;
  res.model = finalize(final_radial);
  res.iterations = iteration_;
  res.evaluations = obj.evaluations();
  res.jacobians = obj.jacobians();
  {
    ProjectedObjective fin(train_);
    const ProjectedValue v = fin.evaluate(final_radial, false);
    res.loss = v.loss;
    res.train = v.stats;
    if (valid_) {
      res.has_valid = true;
      res.valid = valid_->evaluate(final_radial, v.linear, nullptr, nullptr);
    }
  }
  // (Loss and errors of the written model itself are reported by the caller with the evaluator.)
  res.seconds = std::chrono::duration<double>(clock::now() - t0).count();
  return res;
}

}  // namespace superion
