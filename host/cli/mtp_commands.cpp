// `superion eval`, `superion errors` and `superion bench eval`: MTP predictions, error reports in
// MLIP-2 and plain conventions, and evaluator timing.
#include <omp.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>

#include "cli/commands.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "io/formats.hpp"
#include "mtp/error_metrics.hpp"
#include "mtp/mtp_evaluator.hpp"
#include "mtp/mtp_file.hpp"
#include "mtp/species_map.hpp"

namespace superion::cli {
namespace {

struct DataArgs {
  std::string potential, data, format = "auto";
  std::vector<std::string> species;
};

void add_data_args(CLI::App* c, DataArgs& a) {
  c->add_option("potential", a.potential,
                "MTP potential (.mtp, or the text part of an MLIP-3 .almtp)")
      ->required()
      ->check(CLI::ExistingFile);
  c->add_option("data", a.data, "configurations (" + io::format_names() + ")")
      ->required()
      ->check(CLI::ExistingFile);
  c->add_option("--format", a.format, "input format (default: from the file name)");
  c->add_option("--species", a.species,
                "element symbols in MTP type order (type 0 first); must equal the names a superion "
                "potential stores; needed for MLIP potentials (else the data's order is assumed)")
      ->delimiter(',');
}

// The data with MTP types (mtp/species_map.hpp); prints the mapping first.
Dataset load(const DataArgs& a, const Mtp& model, SpeciesMapping* used = nullptr) {
  SpeciesMapping m = species_mapping(model, a.potential, a.species);
  Dataset d = read_mapped_dataset(a.data, a.format, m);
  print_species_mapping(m);
  if (used) *used = m;
  return d;
}

void run_eval(const DataArgs& a, const std::string& out, bool lossless) {
  const MtpEvaluator ev(read_mtp(a.potential));
  SpeciesMapping mapping;
  Dataset data = load(a, ev.model(), &mapping);
  const auto t0 = std::chrono::steady_clock::now();
  for (auto& c : data.configs) MtpEvaluator::store(ev.evaluate(c.structure), c);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!out.empty()) {
    io::WriteOptions wo;
    wo.lossless = lossless;
    wo.species = mapping.elements;
    io::write_dataset(out, data, "auto", wo);
  } else {
    std::printf("%6s %7s %22s %18s\n", "config", "atoms", "energy_eV", "energy_per_atom_eV");
    for (std::size_t k = 0; k < data.size(); ++k) {
      const auto& c = data.configs[k];
      std::printf("%6zu %7zu %22.12f %18.12f\n", k + 1, c.size(), *c.energy, *c.energy / c.size());
    }
  }
  std::fprintf(stderr, "evaluated %zu configurations, %zu atoms in %.3f s%s%s\n", data.size(),
               data.total_atoms(), s, out.empty() ? "" : ", written to ", out.c_str());
}

void run_errors(const DataArgs& a, const std::string& json) {
  const MtpEvaluator ev(read_mtp(a.potential));
  const Dataset data = load(a, ev.model());
  const ErrorReport r = evaluate_errors(ev, data);
  std::printf("Errors of %s on %s\n\n%s", a.potential.c_str(), a.data.c_str(),
              format_error_report(r).c_str());
  if (!json.empty()) {
    AtomicFile f(json);
    f.stream() << error_report_json(r);
    f.commit();
  }
}

void run_bench(const DataArgs& a, int threads, int repeat) {
  if (threads > 0) omp_set_num_threads(threads);
  const MtpEvaluator ev(read_mtp(a.potential));
  const Dataset data = load(a, ev.model());
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<NeighborList> lists;
  for (const auto& c : data.configs) lists.push_back(build_neighbor_list(c.structure, ev.cutoff()));
  const double t_nl = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::size_t pairs = 0;
  for (const auto& l : lists) pairs += l.n_pairs();
  MtpPrediction p;
  for (std::size_t k = 0; k < data.size(); ++k)
    ev.evaluate(data.configs[k].structure, lists[k], p);  // warm-up
  const auto t1 = std::chrono::steady_clock::now();
  double sink = 0;
  for (int r = 0; r < repeat; ++r)
    for (std::size_t k = 0; k < data.size(); ++k) {
      ev.evaluate(data.configs[k].structure, lists[k], p);
      sink += p.energy;
    }
  const double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
  const double atoms = static_cast<double>(data.total_atoms()) * repeat;
  std::printf(
      "MTP level %d, %d species, cutoff %.3g A: %zu configurations, %zu atoms, %.1f "
      "neighbours/atom\n",
      ev.model().level(), ev.model().species_count, ev.cutoff(), data.size(), data.total_atoms(),
      static_cast<double>(pairs) / std::max<std::size_t>(1, data.total_atoms()));
  std::printf(
      "threads %d, repeat %d: %.3f us/atom, %.4g atom/s (energy+forces+virial; neighbour lists "
      "%.3f us/atom extra)\n",
      omp_get_max_threads(), repeat, 1e6 * t / atoms, atoms / t,
      1e6 * t_nl / std::max<std::size_t>(1, data.total_atoms()));
  if (!(sink == sink)) std::printf("non-finite energy\n");
}

}  // namespace

void register_mtp_commands(CLI::App& app, CLI::App& bench) {
  static DataArgs eval_args, err_args, bench_args;
  static std::string out, json;
  static bool lossless = false;
  static int threads = 0, repeat = 5;

  auto* e =
      app.add_subcommand("eval", "predict energy, forces and virial (PlusStress) with an MTP");
  add_data_args(e, eval_args);
  e->add_option("-o,--output", out, "write the configurations with predictions (.cfg, .xyz, ...)");
  e->add_flag("--lossless", lossless, "write every real with 17 significant digits");
  e->callback([] { run_eval(eval_args, out, lossless); });

  auto* r = app.add_subcommand(
      "errors", "errors of an MTP on a labelled dataset (MLIP-2 and plain conventions)");
  add_data_args(r, err_args);
  r->add_option("--json", json, "also write the metrics as JSON");
  r->callback([] { run_errors(err_args, json); });

  auto* b = bench.add_subcommand("eval", "time the CPU MTP evaluator (us/atom, atom/s)");
  add_data_args(b, bench_args);
  b->add_option("--threads", threads, "OpenMP threads (default: OMP_NUM_THREADS / all)");
  b->add_option("--repeat", repeat, "passes over the dataset")->check(CLI::PositiveNumber);
  b->callback([] { run_bench(bench_args, threads, repeat); });
}

}  // namespace superion::cli
