// `superion bench train`: the trainer's speed on the CPU backend or a device (issue 19's
// benchmarks; scripts/gpu-check.sh). The training set is a labelled file (--data) or a synthetic
// one: --configs strained and displaced copies of a (super)cell labelled by a given MTP (energies,
// forces, virials), which has the size and shape of real data and costs no reference calculations.
// The fit (a fresh basis of --level, seeded radial coefficients, MLIP weights) runs --max-iter
// optimiser iterations or to convergence; the JSON has the keys of the GPU benchmarks (device,
// backend, level, configs, atoms, seconds_per_iteration, seconds_to_converge, peak device memory).
#include "train_bench.hpp"

#include <omp.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <random>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/geometry.hpp"
#include "device_choice.hpp"
#include "device_trainer_backend.hpp"
#include "io/formats.hpp"
#include "md_setup.hpp"
#include "model_setup.hpp"
#include "mtp/basis_generator.hpp"
#include "mtp/mtp_evaluator.hpp"
#include "mtp/mtp_file.hpp"
#include "trainer.hpp"
#include "training_set.hpp"

namespace superion::cli {
namespace {

struct BenchTrainArgs {
  std::string data, structure, label_potential, optimizer = "lm", device = "auto", json;
  std::vector<std::string> species;
  std::vector<int> supercell{1, 1, 1};
  int configs = 100, level = 16, radial_basis_size = 8, max_iter = 20, threads = 0;
  double rcut = 5.0, displacement = 0.1, strain = 0.02, tolerance = 1e-7, device_memory_mib = 0;
  unsigned long long seed = 1;
  bool plan_only = false;
};

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// --configs copies of the structure, cell scaled by 1 + U(−strain, strain) per axis, atoms
// displaced by N(0, displacement) per component, labelled by `label` (evaluated on the device when
// the benchmark runs on one).
Dataset synthetic_data(const BenchTrainArgs& a, md::DeviceKind kind) {
  const Mtp label = read_mtp(a.label_potential);
  Structure base = md::load_md_structure(a.structure, "auto", a.species, label);
  base = md::make_supercell(base, {a.supercell[0], a.supercell[1], a.supercell[2]});
  std::mt19937_64 rng(a.seed);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  std::normal_distribution<double> n(0.0, a.displacement);
  std::vector<Structure> cells;
  for (int k = 0; k < a.configs; ++k) {
    Structure s = base;
    const Mat3 inv = inverse(base.cell);
    double f[3];
    for (double& x : f) x = 1.0 + a.strain * u(rng);
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 3; ++c) s.cell[r][c] = base.cell[r][c] * f[c];
    for (Vec3& x : s.positions) {
      const Vec3 frac = to_fractional(x, inv);
      x = to_cartesian(frac, s.cell) + Vec3{n(rng), n(rng), n(rng)};
    }
    cells.push_back(std::move(s));
  }
  std::vector<MtpPrediction> p;
  if (kind == md::DeviceKind::kCpu) {
    const MtpEvaluator ev(label);
    for (const Structure& s : cells) p.push_back(ev.evaluate(s));
  } else {
    p = md::device_evaluate(kind, label, cells);
  }
  Dataset d;
  d.species = a.species;
  for (std::size_t k = 0; k < cells.size(); ++k) {
    Configuration c;
    c.structure = std::move(cells[k]);
    MtpEvaluator::store(p[k], c);
    d.configs.push_back(std::move(c));
  }
  return d;
}

void run_bench_train(const BenchTrainArgs& a) {
  if (a.threads > 0) omp_set_num_threads(a.threads);
  if (a.data.empty() == (a.structure.empty() || a.label_potential.empty()))
    throw InputError("bench train", 0,
                     "give --data FILE, or --structure FILE with --label-potential POT (synthetic "
                     "training set)");
  if (a.level % 2 != 0 || a.level < 2 || a.level > 28)
    throw InputError("--level", 0, "expected an even level 2..28");
  if (a.configs < 1 || a.max_iter < 0 || a.supercell.size() != 3)
    throw InputError("bench train", 0, "--configs >= 1, --max-iter >= 0, --supercell a b c");
  if (a.optimizer != "lm" && a.optimizer != "lbfgs")
    throw InputError("--optimizer", 0, "expected lm or lbfgs");
  const md::DeviceKind kind = md::resolve_device(a.device);
  auto t = Clock::now();
  Dataset data;
  if (!a.data.empty()) {
    io::ReadOptions ro;
    ro.species = a.species;
    data = io::read_dataset(a.data, "auto", ro);
  } else {
    data = synthetic_data(a, kind);
  }
  const double data_s = since(t);
  int n_species = static_cast<int>(data.species.size());
  for (const auto& c : data.configs)
    for (int ty : c.structure.types) n_species = std::max(n_species, ty + 1);

  t = Clock::now();
  mtp::BasisOptions bo;
  bo.level = a.level;
  bo.species_count = n_species;
  bo.radial_basis_size = a.radial_basis_size;
  bo.max_dist = a.rcut;
  bo.min_dist = 0.5 * a.rcut;
  Mtp model =
      mtp_from_basis(mtp::generate_basis(bo), n_species, bo.min_dist, a.rcut, a.radial_basis_size);
  init_radial_coefficients(model, a.seed);
  LossWeights w;  // MLIP's 1 : 0.01 : 0.001
  TrainingSet set(data, a.rcut, w, a.data.empty() ? "synthetic data" : a.data);
  if (!std::isfinite(set.min_distance()))
    throw InputError("bench train", 0, "no atom pairs within the cutoff");
  model.min_dist = 0.99 * set.min_distance();
  model.validate();
  set.cache_radial_basis(model.min_dist, model.radial_basis_size);
  device::TrainDeviceOptions dopt;
  dopt.memory_limit = static_cast<std::size_t>(a.device_memory_mib * 1048576.0);
  std::string line;
  const std::unique_ptr<TrainerBackend> backend =
      make_trainer_backend(kind, model, set, dopt, &line);
  const double setup_s = since(t);
  std::printf(
      "bench train: MTP level %d, %d species, %d radial + %d linear coefficients; %zu "
      "configurations, %zu atoms (max %d neighbours); %d threads\n  backend %s\n",
      a.level, n_species, backend->n_radial(), backend->n_linear(), set.size(), set.total_atoms(),
      set.max_neighbors(), omp_get_max_threads(), line.c_str());
  std::fflush(stdout);
  if (a.plan_only) return;

  TrainerOptions to;
  to.max_iter = a.max_iter;
  to.optimizer = a.optimizer == "lm" ? Optimizer::kLm : Optimizer::kLbfgs;
  to.tolerance = a.tolerance;
  Trainer trainer(model, *backend, nullptr, to);
  const TrainerResult r = trainer.run();
  const bool converged = r.stop_reason != "iteration limit";
  const double per_iter = r.iterations > 0 ? r.seconds / r.iterations : 0.0;
  const auto* dev = dynamic_cast<const DeviceTrainerBackend*>(backend.get());
  const std::size_t peak = dev ? dev->peak_device_bytes() : 0;
  std::printf(
      "%d iterations (%ld loss evaluations, %ld Gauss-Newton matrices) in %.3f s: %.4g s per "
      "iteration; %s%s; setup %.2f s (data %.2f s); loss %.6e, E %.4f meV/atom, F %.5f eV/A; "
      "peak device memory %.1f MiB\n",
      r.iterations, r.evaluations, r.jacobians, r.seconds, per_iter,
      converged ? "converged: " : "not converged: ", r.stop_reason.c_str(), setup_s, data_s, r.loss,
      1e3 * r.train.energy_rmse_per_atom(), r.train.force_component_rmse(), peak / 1048576.0);
  if (!a.json.empty()) {
    nlohmann::json j{{"device", md::device_description(kind)},
                     {"backend", md::device_label(kind)},
                     {"level", a.level},
                     {"species", n_species},
                     {"configs", set.size()},
                     {"atoms", set.total_atoms()},
                     {"atoms_per_config", static_cast<double>(set.total_atoms()) / set.size()},
                     {"optimizer", a.optimizer},
                     {"iterations", r.iterations},
                     {"evaluations", r.evaluations},
                     {"jacobians", r.jacobians},
                     {"seconds", r.seconds},
                     {"seconds_per_iteration", per_iter},
                     {"seconds_to_converge", converged ? nlohmann::json(r.seconds) : nullptr},
                     {"stop_reason", r.stop_reason},
                     {"setup_seconds", setup_s},
                     {"data_seconds", data_s},
                     {"peak_device_bytes", peak},
                     {"device_resident", dev && dev->info().resident},
                     {"device_chunks", dev ? dev->info().chunks : 0},
                     {"device_chunk_configs", dev ? dev->info().chunk_configs : 0},
                     {"device_memory_plan_bytes", dev ? dev->info().planned : 0},
                     {"device_memory_budget_bytes", dev ? dev->info().budget : 0},
                     {"loss", r.loss},
                     {"energy_rmse_meV_atom", 1e3 * r.train.energy_rmse_per_atom()},
                     {"force_rmse_eV_A", r.train.force_component_rmse()},
                     {"threads", omp_get_max_threads()},
                     {"data", a.data.empty() ? "synthetic" : a.data}};
    if (a.data.empty()) {
      j["structure"] = a.structure;
      j["supercell"] = a.supercell;
      j["label_potential"] = a.label_potential;
    }
    AtomicFile f(a.json);
    f.stream() << j.dump(2) << '\n';
    f.commit();
  }
}

}  // namespace

void register_train_bench(CLI::App& bench) {
  auto a = std::make_shared<BenchTrainArgs>();
  CLI::App* c = bench.add_subcommand(
      "train", "speed of MTP training (LM or L-BFGS) on the CPU trainer or a device");
  c->add_option("--data", a->data, "labelled training set (" + io::format_names() + ")")
      ->check(CLI::ExistingFile);
  c->add_option("--structure", a->structure, "cell of the synthetic training set")
      ->check(CLI::ExistingFile);
  c->add_option("--label-potential", a->label_potential,
                "MTP whose energies, forces and virials label the synthetic set")
      ->check(CLI::ExistingFile);
  c->add_option("--species", a->species, "element symbols in MTP type order")->delimiter(',');
  c->add_option("--supercell", a->supercell, "repeat the cell a b c times")->expected(3);
  c->add_option("--configs", a->configs, "synthetic configurations")->capture_default_str();
  c->add_option("--displacement", a->displacement, "synthetic: atomic displacements, A (sigma)")
      ->capture_default_str();
  c->add_option("--strain", a->strain, "synthetic: largest strain per axis")->capture_default_str();
  c->add_option("--level", a->level, "level of the fitted MTP")->capture_default_str();
  c->add_option("--rcut", a->rcut, "cutoff, A")->capture_default_str();
  c->add_option("--radial-basis-size", a->radial_basis_size, "R")->capture_default_str();
  c->add_option("--optimizer", a->optimizer, "lm or lbfgs")->capture_default_str();
  c->add_option("--max-iter", a->max_iter, "optimiser iterations (fewer when it converges)")
      ->capture_default_str();
  c->add_option("--tolerance", a->tolerance, "as train --tolerance")->capture_default_str();
  c->add_option("--seed", a->seed, "seed of the synthetic data and the radial initialisation")
      ->capture_default_str();
  c->add_option("--device", a->device, "auto, gpu, cpu or emu")->capture_default_str();
  c->add_option("--device-memory", a->device_memory_mib, "MiB (0 = 80 % of the free memory)");
  c->add_option("--threads", a->threads, "OpenMP threads (default: OMP_NUM_THREADS / all)");
  c->add_option("--json", a->json, "write the result as JSON");
  c->add_flag("--plan-only", a->plan_only,
              "build the training set and the device plan (residency, chunks, memory), print "
              "them and stop");
  c->callback([a] { run_bench_train(*a); });
}

}  // namespace superion::cli
