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

// LossStats <-> JSON, every field (checkpoints restore the history exactly).
nlohmann::json stats_json(const LossStats& s) {
  return {{"loss", s.loss},
          {"energy_sq_per_atom", s.energy_sq_per_atom},
          {"n_energy", s.n_energy},
          {"force_sq", s.force_sq},
          {"n_force_atoms", s.n_force_atoms},
          {"stress_sq", s.stress_sq},
          {"n_stress", s.n_stress},
          {"energy_abs_per_atom", s.energy_abs_per_atom},
          {"force_abs", s.force_abs}};
}

LossStats stats_from_json(const nlohmann::json& j) {
  LossStats s;
  s.loss = j.at("loss").get<double>();
  s.energy_sq_per_atom = j.at("energy_sq_per_atom").get<double>();
  s.n_energy = j.at("n_energy").get<std::size_t>();
  s.force_sq = j.at("force_sq").get<double>();
  s.n_force_atoms = j.at("n_force_atoms").get<std::size_t>();
  s.stress_sq = j.at("stress_sq").get<double>();
  s.n_stress = j.at("n_stress").get<std::size_t>();
  s.energy_abs_per_atom = j.at("energy_abs_per_atom").get<double>();
  s.force_abs = j.at("force_abs").get<double>();
  return s;
}

nlohmann::json record_json(const IterationRecord& r) {
  nlohmann::json j = {{"iteration", r.iteration},
                      {"stage", r.stage},
                      {"objective", r.objective},
                      {"ridge", r.ridge},
                      {"train", stats_json(r.train)}};
  if (r.has_valid) j["valid"] = stats_json(r.valid);
  if (r.has_valid) j["valid_config_loss"] = r.valid_config_loss;
  if (r.has_test) j["test"] = stats_json(r.test);
  return j;
}

IterationRecord record_from_json(const nlohmann::json& j) {
  IterationRecord r;
  r.iteration = j.at("iteration").get<int>();
  r.stage = j.at("stage").get<int>();
  r.objective = j.at("objective").get<double>();
  r.ridge = j.at("ridge").get<double>();
  r.train = stats_from_json(j.at("train"));
  r.has_valid = j.contains("valid");
  if (r.has_valid) r.valid = stats_from_json(j.at("valid"));
  if (j.contains("valid_config_loss"))
    r.valid_config_loss = j.at("valid_config_loss").get<std::vector<double>>();
  r.has_test = j.contains("test");
  if (r.has_test) r.test = stats_from_json(j.at("test"));
  return r;
}

}  // namespace

Trainer::Trainer(Mtp model, TrainerBackend& train, TrainerBackend* valid, TrainerOptions options)
    : model_(std::move(model)), train_(train), valid_(valid), opt_(std::move(options)) {
  radial_ = model_.radial_coeffs;
  if (static_cast<int>(radial_.size()) != train_.n_radial())
    throw Error("initial radial coefficients do not match the training backend");
  if (!(opt_.ridge >= 0.0)) throw Error("the ridge strength must be >= 0");
  if (opt_.ridge_auto && !valid_) throw Error("choosing the ridge strength needs a validation set");
  ridge_ = RidgePenalty(model_);
  ridge_.set_lambda(opt_.ridge);
}

void Trainer::set_checkpoint_extra(std::string key, std::vector<std::size_t> values) {
  extra_key_ = std::move(key);
  extra_values_ = std::move(values);
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
  // Written since early stopping became the default (older checkpoints: first stage, no ridge
  // reference, no history).
  best_config_loss_ = j.value("best_config_loss", std::vector<double>{});
  written_radial_ = j.value("written_radial", best_radial_);
  written_iteration_ = j.value("written_iteration", best_iteration_);
  written_valid_ = j.value("written_valid", best_valid_);
  stage_ = j.value("stage", 0);
  stage_start_ = j.value("stage_start", std::size_t(0));
  if (j.contains("ridge")) {
    ridge_.set_lambda(j.at("ridge").get<double>());
    ridge_.set_base(j.at("ridge_base").get<std::vector<double>>());
  }
  if (j.contains("ridge_trials"))
    for (const auto& t : j.at("ridge_trials"))
      ridge_trials_.push_back({t.at("lambda").get<double>(), t.at("valid_loss").get<double>()});
  if (j.contains("history"))
    for (const auto& r : j.at("history")) history_.push_back(record_from_json(r));
}

Mtp read_checkpoint_model(const std::string& path) {
  const nlohmann::json j = read_checkpoint_json(path);
  return parse_mtp(j.at("mtp").get<std::string>(), path);
}

bool read_checkpoint_indices(const std::string& path, const std::string& key,
                             std::vector<std::size_t>& out) {
  const nlohmann::json j = read_checkpoint_json(path);
  if (!j.contains(key)) return false;
  out = j.at(key).get<std::vector<std::size_t>>();
  return true;
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
  j["best_config_loss"] = best_config_loss_;
  j["written_radial"] = written_radial_;
  j["written_iteration"] = written_iteration_;
  j["written_valid"] = written_valid_;
  j["stage"] = stage_;
  j["stage_start"] = stage_start_;
  if (ridge_.lambda() > 0.0 || ridge_.has_reference()) {
    j["ridge"] = ridge_.lambda();
    j["ridge_base"] = ridge_.base();
  }
  if (!ridge_trials_.empty()) {
    nlohmann::json t = nlohmann::json::array();
    for (const auto& r : ridge_trials_)
      t.push_back({{"lambda", r.lambda}, {"valid_loss", r.valid_loss}});
    j["ridge_trials"] = t;
  }
  nlohmann::json h = nlohmann::json::array();
  for (const auto& r : history_) h.push_back(record_json(r));
  j["history"] = h;
  if (!extra_key_.empty()) j[extra_key_] = extra_values_;
  j["mtp"] = format_mtp(m, MtpPrecision::kLossless);
  AtomicFile f(opt_.checkpoint_path);
  f.stream() << j.dump() << '\n';
  f.commit();
}

Mtp Trainer::finalize(const std::vector<double>& radial_in) {
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
  ProjectedObjective obj(train_, &ridge_);
  const ProjectedValue v = obj.evaluate(radial, false);
  Mtp m = model_;
  m.radial_coeffs = radial;
  m.species_coeffs.assign(v.linear.begin(), v.linear.begin() + m.species_count);
  m.moment_coeffs.assign(v.linear.begin() + m.species_count, v.linear.end());
  m.trained = true;
  choose_scaling(m);
  return m;
}

std::vector<RidgeTrial> Trainer::choose_ridge(const std::vector<double>& radial) {
  ProjectedObjective obj(train_);
  const LinearSystem& sys = obj.system_at(radial);
  // With the reference at `radial`, ω(radial) is the diagonal of the normal matrix (moment
  // coefficients), so λ·ω is the penalty diagonal of each trial.
  RidgePenalty probe(model_);
  probe.set_reference(radial, sys.normal.diagonal());
  const Eigen::VectorXd w = probe.weights(radial);
  std::vector<RidgeTrial> trials;
  for (double lambda : opt_.ridge_grid) {
    const Eigen::VectorXd penalty = lambda * w;
    const std::vector<double> linear =
        lambda > 0.0 ? solve_linear_system(sys, &penalty) : solve_linear_system(sys);
    trials.push_back({lambda, valid_->evaluate(radial, linear, nullptr, nullptr).loss});
  }
  return trials;
}

TrainerResult Trainer::run() {
  using clock = std::chrono::steady_clock;
  const auto t0 = clock::now();
  ProjectedObjective obj(train_, &ridge_);
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
  LossStats vstats, tstats;
  // One line per iteration would flood a log (a 1-s fit made 151 lines): the shared reporter
  // rewrites the line on a terminal and writes one every few seconds to a log (core/progress.hpp).
  Progress progress(opt_.progress, "train", std::max(1, opt_.max_iter - start_iteration));
  std::string last_detail;
  auto report = [&](const ProjectedValue& v) {
    if (!opt_.progress) return;
    char buf[160];
    std::snprintf(buf, sizeof buf, "iter %5d  loss %.6e", iteration_, v.stats.loss);
    last_detail = buf;
    if (v.penalty > 0.0) {
      std::snprintf(buf, sizeof buf, " + ridge %.3e", v.penalty);
      last_detail += buf;
    }
    std::snprintf(buf, sizeof buf, "  E %8.4f meV/atom  F %.5f eV/A",
                  1e3 * v.stats.energy_rmse_per_atom(), v.stats.force_component_rmse());
    last_detail += buf;
    if (valid_) {
      std::snprintf(buf, sizeof buf, " | valid loss %.6e  E %8.4f  F %.5f", vstats.loss,
                    1e3 * vstats.energy_rmse_per_atom(), vstats.force_component_rmse());
      last_detail += buf;
    }
    if (test_) {
      std::snprintf(buf, sizeof buf, " | test E %8.4f  F %.5f", 1e3 * tstats.energy_rmse_per_atom(),
                    tstats.force_component_rmse());
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
  // Whether a validation loss vector (per configuration) is within early_stop_z standard errors
  // of the best one: D = Σ_k d_k, d_k = ℓ_k − ℓ_k(best), SE(D) = √(K/(K−1) Σ_k (d_k − D/K)²).
  auto within_noise = [&](const std::vector<double>& per_config) {
    const std::size_t K = per_config.size();
    if (!(opt_.early_stop_z > 0.0) || K < 2 || best_config_loss_.size() != K) return false;
    double D = 0.0;
    for (std::size_t k = 0; k < K; ++k) D += per_config[k] - best_config_loss_[k];
    double ss = 0.0;
    for (std::size_t k = 0; k < K; ++k) {
      const double e = per_config[k] - best_config_loss_[k] - D / K;
      ss += e * e;
    }
    return D < opt_.early_stop_z * std::sqrt(K / (K - 1.0) * ss);
  };
  // Validation (early-stopping bookkeeping), test errors and the history record of the
  // accepted point x with value v.
  auto observe = [&](const ProjectedValue& v) {
    std::vector<double> per_config;
    if (valid_) {
      vstats = valid_->evaluate_per_config(x, v.linear, per_config);
      if (best_iteration_ < 0 || vstats.loss < best_valid_) {
        best_valid_ = vstats.loss;
        best_iteration_ = iteration_;
        best_radial_ = x;
        best_config_loss_ = per_config;
        since_best_ = 0;
        written_radial_ = x;
        written_iteration_ = iteration_;
        written_valid_ = vstats.loss;
      } else if (within_noise(per_config)) {
        since_best_ = 0;
        written_radial_ = x;
        written_iteration_ = iteration_;
        written_valid_ = vstats.loss;
      } else {
        ++since_best_;
      }
    }
    if (test_) tstats = test_->evaluate(x, v.linear, nullptr, nullptr);
    IterationRecord r;
    r.iteration = iteration_;
    r.stage = stage_;
    r.objective = v.loss;
    r.ridge = ridge_.lambda();
    r.train = v.stats;
    r.has_valid = valid_ != nullptr;
    r.valid = vstats;
    r.has_test = test_ != nullptr;
    r.test = tstats;
    r.valid_config_loss = std::move(per_config);
    history_.push_back(r);
  };
  if (iteration_ == 0) {
    const ProjectedValue& v0 = value_at(x);
    observe(v0);
    report(v0);
  }
  // Accepted iterations until a stop; returns why it stopped.
  auto optimise = [&]() -> std::string {
    while (iteration_ < opt_.max_iter) {
      if (!step()) {
        const bool nan = !recent.empty() && !std::isfinite(recent.back().second.loss);
        return nan      ? "loss became non-finite at every trial step (stopped; last good "
                          "parameters kept)"
               : use_lm ? "no decrease in " + std::to_string(opt_.lm.max_rejections) +
                              " damped Gauss-Newton steps in a row (converged)"
                        : "no further decrease along the search direction (converged)";
      }
      ++iteration_;
      loss_history_.push_back(fx);
      lbfgs_state_ = lbfgs.state();
      lm_state_ = lm.state();
      const ProjectedValue& v = value_at(x);
      observe(v);
      report(v);
      if (opt_.checkpoint_every > 0 && iteration_ % opt_.checkpoint_every == 0) write_checkpoint(x);
      if (opt_.early_stop_patience > 0 && valid_ && since_best_ >= opt_.early_stop_patience)
        return "early stop: validation loss has not improved for " + std::to_string(since_best_) +
               " iterations";
      const std::size_t nh = loss_history_.size() - stage_start_;
      if (opt_.tolerance > 0 && nh > 50 && iteration_ % 50 == 0) {
        const double old = loss_history_[loss_history_.size() - 51];
        if ((old - fx) < opt_.tolerance * fx)
          return "relative loss decrease over 50 iterations below the tolerance";
      }
    }
    return "iteration limit";
  };
  res.stop_reason = optimise();
  // The best-validation iterate only with early stopping (otherwise the validation set stays a
  // pure monitor and the last iterate is returned).
  auto use_best = [&] {
    return valid_ && opt_.early_stop_patience > 0 && !written_radial_.empty();
  };
  if (opt_.ridge_auto && stage_ == 0) {
    const std::vector<double> c1 = use_best() ? written_radial_ : x;
    ridge_trials_ = choose_ridge(c1);
    RidgeTrial best = ridge_trials_.front();
    for (const auto& t : ridge_trials_)
      if (t.valid_loss < best.valid_loss) best = t;
    stage_ = 1;
    if (best.lambda != ridge_.lambda()) {
      progress.interrupt();
      if (opt_.progress)
        std::fprintf(opt_.progress,
                     "ridge: lambda %.1e has the lowest validation loss (%.6e) at iteration "
                     "%d; optimising on with it\n",
                     best.lambda, best.valid_loss, use_best() ? written_iteration_ : iteration_);
      ridge_.set_lambda(best.lambda);
      ridge_.set_reference(c1, obj.system_at(c1).normal.diagonal());
      x = c1;
      recent.clear();
      fx = f(x, g);
      if (!std::isfinite(fx)) throw Error("internal: non-finite loss after choosing the ridge");
      lbfgs_state_ = LbfgsState{};
      lm_state_ = LmState{};
      lbfgs.state() = lbfgs_state_;
      lm.state() = lm_state_;
      stage_start_ = loss_history_.size();
      // The stage starts from the best iterate so far (now with λ): it is the one to beat, and
      // keeps its iteration number.
      const int keep = use_best() ? written_iteration_ : iteration_;
      best_iteration_ = -1;
      observe(value_at(x));
      best_iteration_ = written_iteration_ = keep;
      report(value_at(x));
      char lam[32];
      std::snprintf(lam, sizeof lam, "%.1e", best.lambda);
      const std::string second = optimise();
      res.stop_reason += std::string("; then with ridge ") + lam + ": " + second;
    }
  }
  progress.finish(last_detail);
  lbfgs_state_ = lbfgs.state();
  lm_state_ = lm.state();
  radial_ = x;
  write_checkpoint(x);
  const std::vector<double> final_radial = use_best() ? written_radial_ : x;
  res.model = finalize(final_radial);
  res.iterations = iteration_;
  res.evaluations = obj.evaluations();
  res.jacobians = obj.jacobians();
  res.returned_best = use_best();
  res.returned_iteration = res.returned_best ? written_iteration_ : iteration_;
  res.best_valid_loss = best_valid_;
  res.best_iteration = best_iteration_;
  res.ridge = ridge_.lambda();
  res.ridge_trials = ridge_trials_;
  res.history = history_;
  {
    ProjectedObjective fin(train_, &ridge_);
    const ProjectedValue v = fin.evaluate(final_radial, false);
    res.loss = v.stats.loss;
    res.penalty = v.penalty;
    res.train = v.stats;
    if (valid_) {
      res.has_valid = true;
      res.valid = valid_->evaluate(final_radial, v.linear, nullptr, nullptr);
      res.returned_valid_loss = res.valid.loss;
    }
    if (test_) {
      res.has_test = true;
      res.test = test_->evaluate(final_radial, v.linear, nullptr, nullptr);
    }
  }
  // (Loss and errors of the written model itself are reported by the caller with the evaluator.)
  res.seconds = std::chrono::duration<double>(clock::now() - t0).count();
  return res;
}

std::string history_json(const std::vector<IterationRecord>& history) {
  nlohmann::json h = nlohmann::json::array();
  auto errors = [](const LossStats& s) {
    return nlohmann::json{{"loss", s.loss},
                          {"energy_per_atom_rmse_meV", 1e3 * s.energy_rmse_per_atom()},
                          {"energy_per_atom_mae_meV", 1e3 * s.energy_mae_per_atom()},
                          {"force_component_rmse_eV_A", s.force_component_rmse()},
                          {"force_component_mae_eV_A", s.force_component_mae()}};
  };
  for (const auto& r : history) {
    nlohmann::json j = {{"iteration", r.iteration},
                        {"stage", r.stage},
                        {"objective", r.objective},
                        {"ridge", r.ridge},
                        {"train", errors(r.train)}};
    if (r.has_valid) j["valid"] = errors(r.valid);
    if (r.has_valid) j["valid_config_loss"] = r.valid_config_loss;
    if (r.has_test) j["test"] = errors(r.test);
    h.push_back(j);
  }
  return h.dump();
}

}  // namespace superion
