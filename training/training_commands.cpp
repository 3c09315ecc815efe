// `superion train`: fit an MTP to a labelled dataset (VarPro + Levenberg–Marquardt by default, or
// L-BFGS) on the CPU trainer backend or the device one (--device, device_trainer_backend.hpp).
// By default a seeded, stratified 10 % of the training configurations is held out for validation
// (unless --valid gives a validation file), training stops early when the validation loss stops
// improving and the best-validation iterate is written; --valid-fraction 0 gives the behaviour
// from before (all data, last iterate).
// All input is validated (data, species, cutoff, options) before any expensive work.
#include <omp.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <tuple>

#include "cli/commands.hpp"
#include "core/atomic_file.hpp"
#include "core/elements.hpp"
#include "core/error.hpp"
#include "cpu_backend.hpp"
#include "device_trainer_backend.hpp"
#include "io/formats.hpp"
#include "model_setup.hpp"
#include "mtp/basis_generator.hpp"
#include "mtp/error_metrics.hpp"
#include "mtp/mtp_evaluator.hpp"
#include "mtp/mtp_file.hpp"
#include "mtp/species_map.hpp"
#include "mtp/training_domain.hpp"
#include "train_bench.hpp"
#include "trainer.hpp"
#include "training_set.hpp"
#include "validation_split.hpp"

namespace superion::cli {
namespace {

constexpr double kMaxCutoff = 15.0;  // Å; beyond this neighbour counts (and memory) explode
// Default early-stopping patience (iterations without a better validation loss) when a
// validation set is used: Levenberg–Marquardt converges in tens of iterations, L-BFGS in hundreds.
constexpr int kPatienceLm = 10;
constexpr int kPatienceLbfgs = 50;
constexpr const char* kValidIndicesKey = "valid_indices";
// Default noise allowance of early stopping (standard errors of the paired per-configuration
// validation-loss difference; TrainerOptions::early_stop_z). With 20-30 held-out configurations
// the validation loss of neighbouring iterates differs by about one such error while the fit still
// improves: z = 0 stopped the mlearn Si and Ni fits on noise (docs/training.md, issue 24).
constexpr double kNoiseZ = 1.0;

struct TrainArgs {
  std::string data, valid, test, format = "auto", init, resume, output, checkpoint, json;
  std::vector<std::string> species;
  int level = 0, radial_basis_size = 8, max_iter = 1000, threads = 0, checkpoint_every = 0,
      patience = -1;  // < 0: default (kPatience*, or 0 with --valid-fraction 0)
  double rcut = 5.0, energy_weight = 1.0, force_weight = 0.01, stress_weight = 0.001,
         tolerance = 1e-7, valid_fraction = 0.1, early_stop_z = -1.0;  // < 0: default
  std::string rmin = "auto", weighting = "vibrations", optimizer = "lm", ridge = "0",
              device = "auto";
  double device_memory_mib = 0.0;
  unsigned long long seed = 1;
  long long split_seed = -1;  // < 0: --seed
};

WeightingScheme parse_weighting(const std::string& s) {
  if (s == "vibrations") return WeightingScheme::kVibrations;
  if (s == "molecules") return WeightingScheme::kMolecules;
  if (s == "structures") return WeightingScheme::kStructures;
  throw InputError("--weighting", 0,
                   "expected vibrations, molecules or structures, got '" + s + "'");
}

// `species`: the element order of the types (--species, or the names a starting potential stores,
// or the training data's order for the validation data); empty = the file's own order.
Dataset load(const std::string& path, const TrainArgs& a, const std::vector<std::string>& species) {
  io::ReadOptions ro;
  ro.species = species;
  Dataset d = io::read_dataset(path, a.format, ro);
  if (d.size() == 0) throw InputError(path, 0, "no configurations: nothing to train on");
  return d;
}

// "AIMD-NVT 17, Elastic 2, …" (configurations per config_type; "(none)" for the empty type).
std::string type_counts(const Dataset& d) {
  std::map<std::string, int> n;
  for (const auto& c : d.configs) ++n[c.config_type];
  std::string s;
  for (const auto& [type, count] : n)
    s += (s.empty() ? "" : ", ") + (type.empty() ? std::string("(none)") : type) + " " +
         std::to_string(count);
  return s;
}

void check_species(const Dataset& d, const std::string& path, int species_count) {
  for (const auto& c : d.configs)
    for (int t : c.structure.types)
      if (t >= species_count)
        throw InputError(path, 0, "species type " + std::to_string(t) + " is not in the potential");
}

void print_errors(const Mtp& model, const Dataset& data, const std::string& name,
                  const std::string& label, ErrorReport* out) {
  const ErrorReport r = evaluate_errors(MtpEvaluator(model), data);
  std::printf("\n%s errors on %s\n\n%s", label.c_str(), name.c_str(),
              format_error_report(r).c_str());
  if (out) *out = r;
}

void run_train(const TrainArgs& a) {
  // ---- options (cheap checks first) ----
  const int sources = (a.level > 0) + !a.init.empty() + !a.resume.empty();
  if (sources != 1)
    throw InputError("train", 0, "give exactly one of --level N, --init POT.mtp or --resume CKPT");
  if (a.level > 0 && (a.level % 2 != 0 || a.level < 2 || a.level > 28))
    throw InputError("--level", 0, "expected an even level 2..28, got " + std::to_string(a.level));
  if (a.energy_weight < 0 || a.force_weight < 0 || a.stress_weight < 0 ||
      a.energy_weight + a.force_weight + a.stress_weight <= 0)
    throw InputError("train", 0, "loss weights must be >= 0 and not all zero");
  if (a.max_iter < 0) throw InputError("--max-iter", 0, "must be >= 0");
  if (a.optimizer != "lbfgs" && a.optimizer != "lm")
    throw InputError("--optimizer", 0, "expected lbfgs or lm, got '" + a.optimizer + "'");
  if (a.radial_basis_size < 2 || a.radial_basis_size > 64)
    throw InputError("--radial-basis-size", 0, "expected 2..64");
  if (!(a.valid_fraction >= 0.0 && a.valid_fraction <= 0.5))
    throw InputError("--valid-fraction", 0,
                     "expected a fraction in [0, 0.5], got " + std::to_string(a.valid_fraction));
  bool ridge_auto = false;
  double ridge = 0.0;
  if (a.ridge == "auto") {
    ridge_auto = true;
  } else {
    try {
      std::size_t used = 0;
      ridge = std::stod(a.ridge, &used);
      if (used != a.ridge.size()) throw std::invalid_argument(a.ridge);
    } catch (const std::exception&) {
      throw InputError("--ridge", 0, "expected 'auto' or a number >= 0, got '" + a.ridge + "'");
    }
    if (!(ridge >= 0.0) || !std::isfinite(ridge))
      throw InputError("--ridge", 0, "expected 'auto' or a number >= 0, got '" + a.ridge + "'");
  }
  if (!(a.device_memory_mib >= 0.0))
    throw InputError("--device-memory", 0, "expected MiB >= 0 (0 = automatic)");
  const md::DeviceKind device = md::resolve_device(a.device);
  device::TrainDeviceOptions device_options;
  device_options.memory_limit = static_cast<std::size_t>(a.device_memory_mib * 1048576.0);
  LossWeights w;
  w.energy = a.energy_weight;
  w.force = a.force_weight;
  w.stress = a.stress_weight;
  w.scheme = parse_weighting(a.weighting);
  if (a.threads > 0) omp_set_num_threads(a.threads);

  // ---- the model's basis and initial coefficients ----
  Mtp model;
  bool explicit_rcut_needed = false;
  if (!a.resume.empty()) {
    model = read_checkpoint_model(a.resume);
  } else if (!a.init.empty()) {
    model = read_mtp(a.init);
  } else {
    explicit_rcut_needed = true;
  }
  const double rcut = explicit_rcut_needed || !model.trained ? a.rcut : model.max_dist;
  if (!(rcut > 0.0) || rcut > kMaxCutoff)
    throw InputError("--rcut", 0,
                     "cutoff " + std::to_string(rcut) + " A is outside the allowed range (0, " +
                         std::to_string(kMaxCutoff) + "]");

  // ---- data (validated before the neighbour lists) ----
  // A starting potential that stores its elements fixes the type order (mtp/species_map.hpp).
  const std::vector<std::string> order =
      model.species_names.empty()
          ? a.species
          : species_mapping(model, a.init.empty() ? a.resume : a.init, a.species).elements;
  const Dataset all_data = load(a.data, a, order);
  TrainingSet::check_labels(all_data, w, a.data);  // numbered as in the file, before any split
  // Held-out validation configurations: those of the checkpoint when resuming (the same split
  // whatever the options say now; none for checkpoints written before held-out validation
  // existed), else a seeded stratified fraction when no --valid is given.
  std::vector<std::size_t> held_out;
  const bool held_out_from_checkpoint = !a.resume.empty();
  if (held_out_from_checkpoint) read_checkpoint_indices(a.resume, kValidIndicesKey, held_out);
  const std::uint64_t split_seed =
      a.split_seed >= 0 ? static_cast<std::uint64_t>(a.split_seed) : a.seed;
  if (!held_out_from_checkpoint && a.valid.empty())
    held_out = validation_indices(all_data, a.valid_fraction, split_seed);
  if (!held_out.empty() && !a.valid.empty())
    throw InputError("--valid", 0,
                     "the checkpoint holds out part of --data for validation; resume without "
                     "--valid");
  Dataset train_data, held_out_data;
  if (held_out.empty())
    train_data = all_data;
  else
    std::tie(train_data, held_out_data) = split_by_indices(all_data, held_out);
  const bool has_validation = !a.valid.empty() || !held_out.empty();
  if (ridge_auto && !has_validation)
    throw InputError("--ridge", 0,
                     "'auto' chooses the ridge on a validation set: give --valid or a "
                     "--valid-fraction > 0");
  int n_species = 0;
  for (const auto& c : all_data.configs)
    for (int t : c.structure.types) n_species = std::max(n_species, t + 1);
  if (!all_data.species.empty())
    n_species = std::max<int>(n_species, static_cast<int>(all_data.species.size()));
  if (a.level > 0) {
    mtp::BasisOptions bo;
    bo.level = a.level;
    bo.species_count = n_species;
    bo.radial_basis_size = a.radial_basis_size;
    bo.max_dist = rcut;
    bo.min_dist = 0.5 * rcut;  // placeholder, set below
    model =
        mtp_from_basis(mtp::generate_basis(bo), n_species, bo.min_dist, rcut, a.radial_basis_size);
    init_radial_coefficients(model, a.seed);
  } else if (!model.trained) {  // untrained template given with --init
    model.set_species_count(std::max(model.species_count, n_species));
    model.radial_basis_size = a.radial_basis_size;
    model.max_dist = rcut;
    init_radial_coefficients(model, a.seed);
  }
  if (n_species > model.species_count)
    throw InputError(a.data, 0,
                     "species type " + std::to_string(n_species - 1) +
                         " occurs in the data but the potential has only " +
                         std::to_string(model.species_count) + " species (types 0.." +
                         std::to_string(model.species_count - 1) + ")");
  Dataset valid_data = held_out_data;
  if (!a.valid.empty()) {
    valid_data = load(a.valid, a, order.empty() ? all_data.species : order);
    check_species(valid_data, a.valid, model.species_count);
  }
  Dataset test_data;
  if (!a.test.empty()) {
    test_data = load(a.test, a, order.empty() ? all_data.species : order);
    check_species(test_data, a.test, model.species_count);
  }
  const std::string valid_name = !a.valid.empty() ? a.valid : "the held-out part of " + a.data;

  TrainingSet train_set(train_data, rcut, w, a.data);
  std::unique_ptr<TrainingSet> valid_set;
  if (has_validation) valid_set = std::make_unique<TrainingSet>(valid_data, rcut, w, valid_name);
  double rmin = model.min_dist;
  const bool keep_rmin = model.trained && a.rmin == "auto";
  if (!keep_rmin) {
    if (a.rmin == "auto") {
      // Over all of --data (the held-out configurations included: they are part of the
      // domain the potential is meant for); a --valid file does not count.
      double dmin = train_set.min_distance();
      if (!held_out.empty()) dmin = std::min(dmin, valid_set->min_distance());
      if (!std::isfinite(dmin))
        throw InputError(a.data, 0, "no atom pairs within the cutoff: cannot train");
      rmin = 0.99 * dmin;  // as MLIP-3's min_dist update
    } else {
      try {
        rmin = std::stod(a.rmin);
      } catch (const std::exception&) {
        throw InputError("--rmin", 0, "expected 'auto' or a distance in A, got '" + a.rmin + "'");
      }
    }
  }
  if (!(rmin >= 0.0) || !(rmin < rcut))
    throw InputError("--rmin", 0,
                     "min_dist " + std::to_string(rmin) + " A must be >= 0 and below the cutoff " +
                         std::to_string(rcut));
  model.min_dist = rmin;
  model.max_dist = rcut;
  model.validate();
  train_set.cache_radial_basis(rmin, model.radial_basis_size);
  std::string backend_line, valid_line;
  // With a validation set on the device, the two trainers share the memory by their atom counts.
  device::TrainDeviceOptions train_options = device_options, valid_options = device_options;
  if (valid_set) {
    const double nt = static_cast<double>(train_data.total_atoms());
    const double f = nt / (nt + static_cast<double>(valid_data.total_atoms()));
    train_options.memory_limit = static_cast<std::size_t>(f * device_options.memory_limit);
    valid_options.memory_limit = device_options.memory_limit - train_options.memory_limit;
    train_options.memory_share *= f;
    valid_options.memory_share *= 1.0 - f;
  }
  const std::unique_ptr<TrainerBackend> train_backend =
      make_trainer_backend(device, model, train_set, train_options, &backend_line);
  std::unique_ptr<TrainerBackend> valid_backend;
  if (valid_set) {
    valid_set->cache_radial_basis(rmin, model.radial_basis_size);
    valid_backend = make_trainer_backend(device, model, *valid_set, valid_options, &valid_line);
  }
  std::unique_ptr<TrainingSet> test_set;
  std::unique_ptr<CpuTrainerBackend> test_backend;
  if (!a.test.empty()) {
    test_set = std::make_unique<TrainingSet>(test_data, rcut, w, a.test);
    test_set->cache_radial_basis(rmin, model.radial_basis_size);
    test_backend = std::make_unique<CpuTrainerBackend>(model, *test_set);
  }
  const bool lm = a.optimizer == "lm";
  const int patience = a.patience >= 0           ? a.patience
                       : a.valid_fraction == 0.0 ? 0
                       : has_validation          ? (lm ? kPatienceLm : kPatienceLbfgs)
                                                 : 0;

  std::printf(
      "superion train: MTP level %d, %d species, %d radial functions x %d basis, %d moment + %d "
      "species coefficients, %d radial coefficients\n"
      "  cutoff %.4g A, min_dist %.6g A; %zu configurations, %zu atoms (max %d neighbours); "
      "weights E %g F %g S %g (%s); %d threads\n",
      model.level(), model.species_count, model.radial_funcs_count, model.radial_basis_size,
      model.alpha_scalar_moments(), model.species_count, train_backend->n_radial(), rcut, rmin,
      train_set.size(), train_set.total_atoms(), train_set.max_neighbors(), w.energy, w.force,
      w.stress, a.weighting.c_str(), omp_get_max_threads());
  std::printf("  trainer backend: %s\n", backend_line.c_str());
  if (valid_set && held_out.empty())
    std::printf("  validation: %zu configurations, %zu atoms; backend %s\n", valid_set->size(),
                valid_set->total_atoms(), valid_line.c_str());
  if (!held_out.empty()) {
    char how[96];
    if (held_out_from_checkpoint)
      std::snprintf(how, sizeof how, "as in the checkpoint");
    else
      std::snprintf(how, sizeof how, "fraction %g, seed %llu", a.valid_fraction,
                    static_cast<unsigned long long>(split_seed));
    std::printf(
        "  validation: %zu configurations, %zu atoms held out from %s (%s; config_type: %s); "
        "backend %s\n",
        valid_set->size(), valid_set->total_atoms(), a.data.c_str(), how,
        type_counts(held_out_data).c_str(), valid_line.c_str());
  }
  if (test_set)
    std::printf("  test: %zu configurations, %zu atoms (errors printed, not used in training)\n",
                test_set->size(), test_set->total_atoms());
  const double noise_z = a.early_stop_z >= 0.0     ? a.early_stop_z
                         : a.valid_fraction == 0.0 ? 0.0
                                                   : kNoiseZ;
  if (a.patience < 0 && patience > 0) {
    if (noise_z > 0.0)
      std::printf(
          "  early stopping: patience %d iterations beyond %g standard error(s) of the best "
          "validation loss; the latest iterate within them is written\n",
          patience, noise_z);
    else
      std::printf(
          "  early stopping: patience %d iterations; the best-validation iterate is written\n",
          patience);
  }
  if (ridge_auto)
    std::printf("  ridge: chosen on the validation set after the optimisation stops\n");
  else if (ridge > 0.0)
    std::printf("  ridge: lambda %g (relative to the normal matrix at the start)\n", ridge);
  std::fflush(stdout);

  TrainerOptions to;
  to.max_iter = a.max_iter;
  to.optimizer = a.optimizer == "lm" ? Optimizer::kLm : Optimizer::kLbfgs;
  to.tolerance = a.tolerance;
  to.early_stop_patience = patience;
  to.early_stop_z = noise_z;
  to.ridge = ridge;
  to.ridge_auto = ridge_auto;
  to.checkpoint_every = a.checkpoint_every;
  to.checkpoint_path = a.checkpoint.empty() ? a.output + ".ckpt" : a.checkpoint;
  // The element of each type goes into the potential (potential_tag), so md/eval/relax map
  // structures by name instead of by their order in a file.
  std::vector<std::string> names;
  for (const auto& sym : all_data.species)
    if (const Element* e = find_element(sym)) names.push_back(e->symbol);
  if (names.size() == all_data.species.size() &&
      static_cast<int>(names.size()) == model.species_count) {
    model.species_names = names;
    std::printf("  species -> MTP types:");
    for (std::size_t t = 0; t < names.size(); ++t) std::printf(" %s=%zu", names[t].c_str(), t);
    std::printf(" (stored in %s)\n", a.output.c_str());
  } else {
    std::fprintf(stderr,
                 "warning: the training data name no elements for the %d MTP types (give "
                 "--species Na,Cl,...): %s will carry no element names and commands using it "
                 "must be told the order\n",
                 model.species_count, a.output.c_str());
  }
  // The training domain (shortest distance of each type pair in the data) goes into the potential
  // too: md warns and stops when a run leaves it (md/domain_guard.hpp). Over all of --data, the
  // held-out part included (as min_dist).
  model.domain_min_distance = training_domain(all_data, model.species_count, rcut);
  Trainer trainer(model, *train_backend, valid_backend.get(), to);
  trainer.set_test(test_backend.get());
  trainer.set_checkpoint_extra(kValidIndicesKey, held_out);
  if (!a.resume.empty()) trainer.resume(a.resume);
  const TrainerResult res = trainer.run();
  write_mtp(res.model, a.output);
  std::printf(
      "\nstopped: %s\n%d iterations, %ld loss evaluations, %ld Gauss-Newton matrices, %.2f s; "
      "final loss %.8e; scaling %.6g\n",
      res.stop_reason.c_str(), res.iterations, res.evaluations, res.jacobians, res.seconds,
      res.loss, res.model.scaling);
  // What was written (new with early stopping by default; not printed with --valid-fraction 0).
  const bool describe = a.valid_fraction > 0.0 || ridge_auto || ridge > 0.0 || test_set;
  if (describe) {
    if (res.returned_best && res.returned_iteration == res.best_iteration)
      std::printf("written: iteration %d of %d, the best validation loss (%.8e)",
                  res.returned_iteration, res.iterations, res.best_valid_loss);
    else if (res.returned_best)
      std::printf(
          "written: iteration %d of %d, validation loss %.8e, within %g standard errors of the "
          "best (%.8e, iteration %d)",
          res.returned_iteration, res.iterations, res.returned_valid_loss, to.early_stop_z,
          res.best_valid_loss, res.best_iteration);
    else
      std::printf("written: the last iteration (%d)", res.iterations);
    if (res.ridge > 0.0) std::printf("; ridge lambda %.1e (penalty %.3e)", res.ridge, res.penalty);
    std::printf("\n");
  }
  std::printf("wrote %s (checkpoint %s)\n", a.output.c_str(), to.checkpoint_path.c_str());
  const auto* dev = dynamic_cast<const DeviceTrainerBackend*>(train_backend.get());
  if (dev) {
    const device::TrainDeviceInfo& i = dev->info();
    std::printf(
        "device memory: peak %.1f MiB (counted; plan %.1f of %.1f MiB), %s, %ld chunk(s) "
        "of up to %ld configurations\n",
        dev->peak_device_bytes() / 1048576.0, i.planned / 1048576.0, i.budget / 1048576.0,
        i.resident ? "resident" : "chunked uploads", i.chunks, i.chunk_configs);
  }
  ErrorReport train_report, valid_report, test_report;
  print_errors(res.model, train_data, a.data + (held_out.empty() ? "" : " (training part)"),
               "Training", &train_report);
  if (has_validation) print_errors(res.model, valid_data, valid_name, "Validation", &valid_report);
  if (test_set) print_errors(res.model, test_data, a.test, "Test", &test_report);
  if (!a.json.empty()) {
    AtomicFile f(a.json);
    char head[512];
    std::snprintf(head, sizeof head,
                  "{\n\"optimizer\": \"%s\",\n\"iterations\": %d,\n\"evaluations\": %ld,\n"
                  "\"jacobians\": %ld,\n\"seconds\": %.6g,\n\"loss\": %.17g,\n\"stop_reason\": "
                  "\"%s\",\n\"threads\": %d,\n\"train\": ",
                  a.optimizer.c_str(), res.iterations, res.evaluations, res.jacobians, res.seconds,
                  res.loss, res.stop_reason.c_str(), omp_get_max_threads());
    f.stream() << head << error_report_json(train_report);
    if (has_validation) f.stream() << ",\n\"valid\": " << error_report_json(valid_report);
    if (test_set) f.stream() << ",\n\"test\": " << error_report_json(test_report);
    std::snprintf(
        head, sizeof head,
        ",\n\"returned_iteration\": %d,\n\"returned\": \"%s\",\n\"early_stop_patience\": "
        "%d,\n\"early_stop_z\": %.17g,\n\"best_iteration\": %d,\n\"best_valid_loss\": "
        "%.17g,\n\"returned_valid_loss\": %.17g,\n\"penalty\": %.17g,\n\"ridge\": %.17g,\n",
        res.returned_iteration,
        !res.returned_best                             ? "last"
        : res.returned_iteration == res.best_iteration ? "best-validation"
                                                       : "within-noise",
        patience, to.early_stop_z, res.best_iteration, has_validation ? res.best_valid_loss : 0.0,
        has_validation ? res.returned_valid_loss : 0.0, res.penalty, res.ridge);
    f.stream() << head << "\"validation\": {\"source\": \""
               << (!a.valid.empty()   ? "file"
                   : held_out.empty() ? "none"
                                      : "held-out")
               << "\", \"fraction\": " << (a.valid.empty() ? a.valid_fraction : 0.0)
               << ", \"seed\": " << split_seed << ", \"n_configs\": " << valid_data.size()
               << ", \"indices\": [";
    for (std::size_t i = 0; i < held_out.size(); ++i) f.stream() << (i ? ", " : "") << held_out[i];
    f.stream() << "]},\n\"ridge_trials\": [";
    for (std::size_t i = 0; i < res.ridge_trials.size(); ++i) {
      char t[96];
      std::snprintf(t, sizeof t, "%s{\"lambda\": %.17g, \"valid_loss\": %.17g}", i ? ", " : "",
                    res.ridge_trials[i].lambda, res.ridge_trials[i].valid_loss);
      f.stream() << t;
    }
    f.stream() << "],\n\"history\": " << history_json(res.history);
    f.stream() << ",\n\"device\": \"" << md::device_label(device)
               << "\",\n\"device_peak_bytes\": " << (dev ? dev->peak_device_bytes() : 0)
               << ",\n\"device_resident\": " << (dev && dev->info().resident ? "true" : "false")
               << ",\n\"device_chunks\": " << (dev ? dev->info().chunks : 0)
               << ",\n\"device_chunk_configs\": " << (dev ? dev->info().chunk_configs : 0)
               << ",\n\"device_memory_plan_bytes\": " << (dev ? dev->info().planned : 0)
               << ",\n\"device_memory_budget_bytes\": " << (dev ? dev->info().budget : 0);
    f.stream() << "\n}\n";
    f.commit();
  }
}

}  // namespace

void register_training_commands(CLI::App& app, CLI::App& bench) {
  register_train_bench(bench);
  auto a = std::make_shared<TrainArgs>();
  CLI::App* c = app.add_subcommand(
      "train",
      "fit an MTP (VarPro: exact linear coefficients + Levenberg-Marquardt or L-BFGS on the "
      "radial ones)");
  c->add_option("--data", a->data, "training configurations (" + io::format_names() + ")")
      ->required()
      ->check(CLI::ExistingFile);
  c->add_option("--valid", a->valid,
                "validation configurations (progress, early stopping); default: a held-out "
                "--valid-fraction of --data")
      ->check(CLI::ExistingFile);
  c->add_option("--valid-fraction", a->valid_fraction,
                "fraction of --data held out for validation when --valid is not given (seeded, "
                "stratified by config_type); 0 = train on all of --data and write the last "
                "iterate (no early stopping unless --early-stop-patience is given)")
      ->capture_default_str();
  c->add_option("--split-seed", a->split_seed, "seed of the held-out choice (default: --seed)");
  c->add_option("--test", a->test,
                "test configurations: errors printed every iteration and at the end, never used "
                "for any decision")
      ->check(CLI::ExistingFile);
  c->add_option("--format", a->format, "input format of --data/--valid (default: from the name)");
  c->add_option("--species", a->species,
                "element symbols in MTP type order (type 0 first); stored in the potential")
      ->delimiter(',');
  c->add_option("--level", a->level, "start from the untrained basis of this level (even, 2..28)");
  c->add_option("--init", a->init, "start from this potential (trained or untrained .mtp)")
      ->check(CLI::ExistingFile);
  c->add_option("--resume", a->resume, "continue from a checkpoint written by `train`")
      ->check(CLI::ExistingFile);
  c->add_option("--rcut", a->rcut, "cutoff radius max_dist in A (new potentials)")
      ->capture_default_str();
  c->add_option("--rmin", a->rmin,
                "min_dist in A, or 'auto' = 0.99 x the minimal interatomic distance of the data")
      ->capture_default_str();
  c->add_option("--radial-basis-size", a->radial_basis_size, "Chebyshev radial basis size R")
      ->capture_default_str();
  c->add_option("--energy-weight", a->energy_weight, "w_E (MLIP default 1)")->capture_default_str();
  c->add_option("--force-weight", a->force_weight, "w_F (MLIP default 0.01)")
      ->capture_default_str();
  c->add_option("--stress-weight", a->stress_weight, "w_S (MLIP default 0.001)")
      ->capture_default_str();
  c->add_option("--weighting", a->weighting, "size scaling: vibrations|molecules|structures (MLIP)")
      ->capture_default_str();
  c->add_option("--optimizer", a->optimizer,
                "lbfgs (L-BFGS, strong Wolfe) or lm (Levenberg-Marquardt on the reduced "
                "Gauss-Newton matrix)")
      ->capture_default_str();
  c->add_option("--max-iter", a->max_iter, "optimiser iterations (accepted steps)")
      ->capture_default_str();
  c->add_option("--tolerance", a->tolerance,
                "stop when the loss falls by less than this fraction over 50 iterations (0 = off)")
      ->capture_default_str();
  c->add_option("--seed", a->seed, "seed of the radial initialisation")->capture_default_str();
  c->add_option("--threads", a->threads, "OpenMP threads (default: OMP_NUM_THREADS / all)");
  c->add_option("--device", a->device,
                "trainer backend: auto (gpu when a CUDA device is present, else cpu), gpu, cpu, "
                "or emu (the GPU code path on the CPU)")
      ->capture_default_str();
  c->add_option("--device-memory", a->device_memory_mib,
                "device memory the trainer may use, MiB (0 = 80 % of the free memory); larger "
                "training sets are processed in chunks with the same result")
      ->capture_default_str();
  c->add_option("--checkpoint", a->checkpoint, "checkpoint file (default: OUTPUT.ckpt)");
  c->add_option("--checkpoint-every", a->checkpoint_every, "write a checkpoint every N iterations");
  c->add_option("--early-stop-patience", a->patience,
                "stop when the validation loss has not improved for P iterations and write the "
                "best-validation iterate (0 = off: last iterate); default " +
                    std::to_string(kPatienceLm) + " (lm) / " + std::to_string(kPatienceLbfgs) +
                    " (lbfgs) with a validation set, 0 with --valid-fraction 0");
  c->add_option("--early-stop-z", a->early_stop_z,
                "noise allowance of early stopping in standard errors of the paired "
                "per-configuration validation-loss difference: an iterate within it of the best "
                "does not count towards the patience and is written instead (later iterate "
                "preferred); 0 = the plain best-validation rule. Default 1 with a validation "
                "set, 0 with --valid-fraction 0");
  c->add_option("--ridge", a->ridge,
                "ridge penalty on the moment coefficients inside the exact linear solve: lambda "
                "(relative to the normal matrix's diagonal at the start; 0 = off) or 'auto' "
                "(chosen on the validation set from 0, 1e-12 ... 1e-3 at the stopping point, "
                "then optimised on)")
      ->capture_default_str();
  c->add_option("--json", a->json,
                "write the final training/validation/test errors, the stopping point and the "
                "per-iteration history as JSON (scripts/plot_training.py draws it)");
  c->add_option("-o,--output", a->output, "trained potential (.mtp, MLIP-2 format)")->required();
  c->callback([a] { run_train(*a); });
}

}  // namespace superion::cli
