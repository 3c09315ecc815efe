// `superion train`: fit an MTP to a labelled dataset (VarPro + Levenberg–Marquardt by default, or
// L-BFGS) on the CPU trainer backend or the device one (--device, device_trainer_backend.hpp).
// All input is validated (data, species, cutoff, options) before any expensive work.
#include <omp.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>

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
#include "train_bench.hpp"
#include "mtp/species_map.hpp"
#include "mtp/training_domain.hpp"
#include "trainer.hpp"
#include "training_set.hpp"

namespace superion::cli {
namespace {

constexpr double kMaxCutoff = 15.0;  // Å; beyond this neighbour counts (and memory) explode

struct TrainArgs {
  std::string data, valid, format = "auto", init, resume, output, checkpoint, json;
  std::vector<std::string> species;
  int level = 0, radial_basis_size = 8, max_iter = 1000, threads = 0, checkpoint_every = 0,
      patience = 0;
  double rcut = 5.0, energy_weight = 1.0, force_weight = 0.01, stress_weight = 0.001,
         tolerance = 1e-7;
  std::string rmin = "auto", weighting = "vibrations", optimizer = "lm", device = "auto";
  double device_memory_mib = 0.0;
  unsigned long long seed = 1;
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
  const Dataset train_data = load(a.data, a, order);
  int n_species = 0;
  for (const auto& c : train_data.configs)
    for (int t : c.structure.types) n_species = std::max(n_species, t + 1);
  if (!train_data.species.empty())
    n_species = std::max<int>(n_species, static_cast<int>(train_data.species.size()));
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
  Dataset valid_data;
  if (!a.valid.empty()) {
    valid_data = load(a.valid, a, order.empty() ? train_data.species : order);
    for (const auto& c : valid_data.configs)
      for (int t : c.structure.types)
        if (t >= model.species_count)
          throw InputError(a.valid, 0,
                           "species type " + std::to_string(t) + " is not in the potential");
  }

  TrainingSet train_set(train_data, rcut, w, a.data);
  double rmin = model.min_dist;
  const bool keep_rmin = model.trained && a.rmin == "auto";
  if (!keep_rmin) {
    if (a.rmin == "auto") {
      if (!std::isfinite(train_set.min_distance()))
        throw InputError(a.data, 0, "no atom pairs within the cutoff: cannot train");
      rmin = 0.99 * train_set.min_distance();  // as MLIP-3's min_dist update
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
  if (!a.valid.empty()) {
    const double nt = static_cast<double>(train_data.total_atoms());
    const double f = nt / (nt + static_cast<double>(valid_data.total_atoms()));
    train_options.memory_limit = static_cast<std::size_t>(f * device_options.memory_limit);
    valid_options.memory_limit = device_options.memory_limit - train_options.memory_limit;
    train_options.memory_share *= f;
    valid_options.memory_share *= 1.0 - f;
  }
  const std::unique_ptr<TrainerBackend> train_backend =
      make_trainer_backend(device, model, train_set, train_options, &backend_line);
  std::unique_ptr<TrainingSet> valid_set;
  std::unique_ptr<TrainerBackend> valid_backend;
  if (!a.valid.empty()) {
    valid_set = std::make_unique<TrainingSet>(valid_data, rcut, w, a.valid);
    valid_set->cache_radial_basis(rmin, model.radial_basis_size);
    valid_backend = make_trainer_backend(device, model, *valid_set, valid_options, &valid_line);
  }

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
  if (valid_set)
    std::printf("  validation: %zu configurations, %zu atoms; backend %s\n", valid_set->size(),
                valid_set->total_atoms(), valid_line.c_str());
  std::fflush(stdout);

  TrainerOptions to;
  to.max_iter = a.max_iter;
  to.optimizer = a.optimizer == "lm" ? Optimizer::kLm : Optimizer::kLbfgs;
  to.tolerance = a.tolerance;
  to.early_stop_patience = a.patience;
  to.checkpoint_every = a.checkpoint_every;
  to.checkpoint_path = a.checkpoint.empty() ? a.output + ".ckpt" : a.checkpoint;
  // The element of each type goes into the potential (potential_tag), so md/eval/relax map
  // structures by name instead of by their order in a file.
  std::vector<std::string> names;
  for (const auto& sym : train_data.species)
    if (const Element* e = find_element(sym)) names.push_back(e->symbol);
  if (names.size() == train_data.species.size() &&
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
  // too: md warns and stops when a run leaves it (md/domain_guard.hpp).
  model.domain_min_distance = training_domain(train_data, model.species_count, rcut);
  Trainer trainer(model, *train_backend, valid_backend.get(), to);
  if (!a.resume.empty()) trainer.resume(a.resume);
  const TrainerResult res = trainer.run();
  write_mtp(res.model, a.output);
  std::printf(
      "\nstopped: %s\n%d iterations, %ld loss evaluations, %ld Gauss-Newton matrices, %.2f s; "
      "final loss %.8e; scaling %.6g\nwrote %s (checkpoint %s)\n",
      res.stop_reason.c_str(), res.iterations, res.evaluations, res.jacobians, res.seconds,
      res.loss, res.model.scaling, a.output.c_str(), to.checkpoint_path.c_str());
  const auto* dev = dynamic_cast<const DeviceTrainerBackend*>(train_backend.get());
  if (dev) {
    const device::TrainDeviceInfo& i = dev->info();
    std::printf(
        "device memory: peak %.1f MiB (counted; plan %.1f of %.1f MiB), %s, %ld chunk(s) "
        "of up to %ld configurations\n",
        dev->peak_device_bytes() / 1048576.0, i.planned / 1048576.0, i.budget / 1048576.0,
        i.resident ? "resident" : "chunked uploads", i.chunks, i.chunk_configs);
  }
  ErrorReport train_report, valid_report;
  print_errors(res.model, train_data, a.data, "Training", &train_report);
  if (!a.valid.empty()) print_errors(res.model, valid_data, a.valid, "Validation", &valid_report);
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
    if (!a.valid.empty()) f.stream() << ",\n\"valid\": " << error_report_json(valid_report);
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
  c->add_option("--valid", a->valid, "validation configurations (progress, early stopping)")
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
                "stop when the validation loss has not improved for P iterations (0 = off)");
  c->add_option("--json", a->json, "write the final training/validation errors as JSON");
  c->add_option("-o,--output", a->output, "trained potential (.mtp, MLIP-2 format)")->required();
  c->callback([a] { run_train(*a); });
}

}  // namespace superion::cli
