// `superion grade` (MLIP-2 calc-grade: MaxVol extrapolation grades of configurations) and
// `superion select` (MLIP-2 select-add: the configurations to add to a training set).
#include <omp.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <numeric>

#include "active_set_source.hpp"
#include "als_file.hpp"
#include "core/error.hpp"
#include "grade_format.hpp"
#include "io/formats.hpp"
#include "learn_cli.hpp"
#include "mtp/mtp_evaluator.hpp"
#include "mtp/mtp_file.hpp"

namespace superion::cli {
namespace {

struct GradeArgs {
  std::string potential, source, data, output, als_out, format = "auto", scope = "mlip";
  bool explain = false;
  std::vector<std::string> species;
  ActiveSetSource src;
  double threshold = 2.0;
};

void add_active_set_args(CLI::App* c, GradeArgs& a, bool select) {
  c->add_option("potential", a.potential, "MTP potential (.mtp)")
      ->required()
      ->check(CLI::ExistingFile);
  c->add_option("train", a.source,
                "training configurations the active set is selected from (any dataset format), "
                "or a state.als written by `superion grade/select` or MLIP-2")
      ->required()
      ->check(CLI::ExistingFile);
  c->add_option("--mode", a.src.mode,
                "cfg: one row per configuration (MLIP-2 default); nbh: one row per atom "
                "(MLIP's --nbh-weight)")
      ->check(CLI::IsMember({"cfg", "nbh"}));
  c->add_option("--species", a.species,
                "element symbols in MTP type order (type 0 first), for formats with symbols")
      ->delimiter(',');
  c->add_option("--format", a.format, "format of the configuration files (default: from names)");
  c->add_option("--als", a.als_out,
                select ? "write the active-learning state after selection (MLIP state.als)"
                       : "write the active-learning state (MLIP state.als)");
  c->add_option("--init-threshold", a.src.init_threshold,
                "initial active set A = value x identity (MLIP default 1e-5)")
      ->capture_default_str();
  c->add_option("--swap-threshold", a.src.swap_threshold,
                "swap rows while a coefficient exceeds this (MLIP default 1.0000001)")
      ->capture_default_str();
}

// The configurations to read (positional `name`, any dataset format) and the -o file to write.
void add_data_and_output(CLI::App* c, GradeArgs& a, const std::string& name,
                         const std::string& data_help, const std::string& output_help) {
  c->add_option(name, a.data, data_help + " (" + io::format_names() + ")")
      ->required()
      ->check(CLI::ExistingFile);
  c->add_option("-o,--output", a.output, output_help)->required();
}

void finish(GradeArgs& a, CLI::App* c) {
  a.src.path = a.source;
  a.src.species = a.species;
  a.src.format = a.format;
  a.src.mode_given = c->count("--mode") > 0;
}

Dataset read_data(const std::string& path, const GradeArgs& a) {
  io::ReadOptions ro;
  ro.species = a.species;
  return io::read_dataset(path, a.format, ro);
}

void write_data(const std::string& path, const Dataset& d, const GradeArgs& a) {
  io::WriteOptions wo;
  wo.species = a.species;
  io::write_dataset(path, d, "auto", wo);
}

void run_grade(GradeArgs& a) {
  const Mtp pot = read_mtp(a.potential);
  a.src.entry_threshold = 1.1;  // calc-grade's training pass
  const ActiveSet set = load_active_set(pot, a.potential, a.src);
  const GradeScope scope = parse_grade_scope(a.scope);
  Dataset data = read_data(a.data, a);
  const bool nbh = set.weights().neighborhood();
  const std::string feature = grade_feature_name(a.output);
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<double> grades;
  for (std::size_t k = 0; k < data.size(); ++k) {
    Configuration& c = data.configs[k];
    std::vector<double> site;
    double g = 0.0;
    try {
      g = set.grade(c.structure, nbh ? &site : nullptr, scope);
    } catch (const Error& e) {
      throw InputError(a.data, 0, "configuration " + std::to_string(k + 1) + ": " + e.what());
    }
    set_grade(c, feature, g);
    if (nbh && c.size() > 0) c.nbh_grades = site;
    grades.push_back(g);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  write_data(a.output, data, a);
  if (!a.als_out.empty()) write_als(a.als_out, set);
  if (a.explain) {
    std::printf("%6s %14s %6s %6s  %s\n", "config", "grade", "atom", "row",
                "the largest coefficient");
    for (std::size_t k = 0; k < data.size(); ++k) {
      const GradeExplanation e = set.explain(data.configs[k].structure);
      const Structure& s = data.configs[k].structure;
      std::string atom = e.atom < 0 ? "-" : std::to_string(e.atom + 1);
      if (e.atom >= 0 && !s.species_symbols.empty()) atom += " " + s.symbol(e.atom);
      std::printf("%6zu %14.6g %6s %6d  %s\n", k + 1, e.grade, atom.c_str(), e.active_row,
                  e.placeholder
                      ? ("placeholder row: " + e.parameter + " not determined by data").c_str()
                      : "row of a training configuration");
    }
  }
  std::printf("%s", grade_summary(grades, a.threshold).c_str());
  std::printf("graded %zu configurations (%s rows, grade scope %s) in %.3f s; wrote %s%s%s\n",
              data.size(), mode_name(set.weights()).c_str(), a.scope.c_str(), seconds,
              a.output.c_str(), a.als_out.empty() ? "" : " and ", a.als_out.c_str());
}

struct SelectArgs : GradeArgs {
  double select_threshold = 1.1;
  long limit = 0;
  std::string weighting = "vibrations", selected;
};

void run_select(SelectArgs& a) {
  const Mtp pot = read_mtp(a.potential);
  a.src.entry_threshold = a.src.swap_threshold;  // select-add's training pass (MLIP quirk)
  a.src.weighting = parse_weighting_scheme(a.weighting);
  if (a.limit < 0) throw InputError("--limit", 0, "must be >= 0");
  if (!(a.select_threshold >= a.src.swap_threshold))
    throw InputError("--threshold", 0, "must not be below the swap threshold");
  ActiveSet set = load_active_set(pot, a.potential, a.src);
  const Dataset cand = read_data(a.data, a);
  SelectOutcome out;
  try {
    out = set.select_add(cand, a.select_threshold, a.src.swap_threshold, a.src.weighting, a.limit);
  } catch (const Error& e) {
    throw InputError(a.data, 0, e.what());
  }
  Dataset added;
  added.species = cand.species;
  for (long k : out.added) added.configs.push_back(cand.configs[static_cast<std::size_t>(k)]);
  write_data(a.output, added, a);
  if (!a.selected.empty()) {
    Dataset all;
    all.species = cand.species;
    for (const Configuration* c : set.configurations()) all.configs.push_back(*c);
    write_data(a.selected, all, a);
  }
  if (!a.als_out.empty()) write_als(a.als_out, set);
  std::printf("candidates: %zu configurations, largest grade %.6g (threshold %g)\n", cand.size(),
              out.max_grade, a.select_threshold);
  std::printf(
      "%ld swaps; %zu configurations selected from both sets; training set increased by "
      "%zu configurations",
      out.swaps, set.configurations().size(), out.added.size());
  if (!out.added.empty()) {
    std::printf(" (candidates");
    for (long k : out.added) std::printf(" %ld", k + 1);
    std::printf(")");
  }
  std::printf("\n");
  if (!out.evicted_training.empty())
    std::printf("%zu training configurations left the active set\n", out.evicted_training.size());
  if (out.limited)
    std::printf("stopped at --limit %ld new configurations (MaxVol greedy order)\n", a.limit);
  std::printf("wrote %s\n", a.output.c_str());
}

}  // namespace

// Grading cost against an MTP energy+force evaluation, both on the same prebuilt full neighbour
// list (as in MD, where a Verlet list is reused): per configuration the fastest of `repeat`
// interleaved timings, so the load of a shared machine distorts the ratio little.
void run_bench_grade(GradeArgs& a, int repeat) {
  const Mtp pot = read_mtp(a.potential);
  a.src.entry_threshold = 1.1;
  const ActiveSet set = load_active_set(pot, a.potential, a.src);
  const GradeScope scope = parse_grade_scope(a.scope);
  const Dataset data = read_data(a.data, a);
  const MtpEvaluator ev(pot);
  using C = std::chrono::steady_clock;
  auto secs = [](C::time_point t0, C::time_point t1) {
    return std::chrono::duration<double>(t1 - t0).count();
  };
  double t_grade = 0, t_eval = 0;
  std::size_t atoms = 0;
  MtpPrediction p;
  for (const auto& c : data.configs) {
    if (c.size() == 0) continue;
    const NeighborList nl = build_neighbor_list(c.structure, pot.max_dist, false);
    double best_g = 1e300, best_e = 1e300;
    for (int r = 0; r < repeat; ++r) {
      const auto t0 = C::now();
      set.grade(c.structure, nl, nullptr, scope);
      const auto t1 = C::now();
      ev.evaluate(c.structure, nl, p);
      const auto t2 = C::now();
      best_g = std::min(best_g, secs(t0, t1));
      best_e = std::min(best_e, secs(t1, t2));
    }
    t_grade += best_g;
    t_eval += best_e;
    atoms += c.size();
  }
  const double per = 1e6 / static_cast<double>(std::max<std::size_t>(1, atoms));
  std::printf(
      "grade (%s rows, scope %s): %.3f us/atom; MTP energy+forces %.3f us/atom; one grade = %.3f "
      "force evaluations: grading every 10 MD steps adds about %.1f %% (%zu configurations, "
      "fastest of %d, %d threads)\n",
      mode_name(set.weights()).c_str(), a.scope.c_str(), t_grade * per, t_eval * per,
      t_grade / t_eval, 10.0 * t_grade / t_eval, data.size(), repeat, omp_get_max_threads());
}

void register_grade_commands(CLI::App& app, CLI::App& bench) {
  auto bg = std::make_shared<GradeArgs>();
  auto repeat = std::make_shared<int>(5);
  CLI::App* b = bench.add_subcommand(
      "grade", "time extrapolation grading against MTP energy+force evaluation (us/atom)");
  add_active_set_args(b, *bg, false);
  b->add_option("data", bg->data, "configurations to grade")->required()->check(CLI::ExistingFile);
  b->add_option("--grade-scope", bg->scope, "mlip or data")->check(CLI::IsMember({"mlip", "data"}));
  b->add_option("--repeat", *repeat, "passes over the data")->capture_default_str();
  b->callback([bg, b, repeat] {
    finish(*bg, b);
    run_bench_grade(*bg, *repeat);
  });

  auto g = std::make_shared<GradeArgs>();
  CLI::App* c = app.add_subcommand(
      "grade",
      "MaxVol extrapolation grades of configurations (MLIP-2 calc-grade): feature MV_grade in "
      ".cfg, mv_grade in extxyz, per-atom grades with --mode nbh");
  add_active_set_args(c, *g, false);
  add_data_and_output(c, *g, "data", "configurations to grade",
                      "graded configurations (.cfg, .xyz, …)");
  c->add_option("--grade-scope", g->scope,
                "mlip: MLIP-2's grade over all rows (default); data: leave out the rows still at "
                "their initial value (docs/active-learning.md)")
      ->check(CLI::IsMember({"mlip", "data"}));
  c->add_option("--threshold", g->threshold, "grade counted as extrapolation in the summary")
      ->capture_default_str();
  c->add_flag("--explain", g->explain,
              "print, per configuration, the atom and the active-set row of the largest "
              "coefficient (MLIP grade), and the parameter when that row is still a placeholder");
  c->callback([g, c] {
    finish(*g, c);
    run_grade(*g);
  });

  auto s = std::make_shared<SelectArgs>();
  CLI::App* d = app.add_subcommand(
      "select",
      "configurations to add to a training set (MLIP-2 select-add: greedy MaxVol over the "
      "candidates)");
  add_active_set_args(d, *s, true);
  add_data_and_output(d, *s, "candidates", "candidate configurations",
                      "the selected new configurations, in active-set order");
  d->add_option("--threshold", s->select_threshold,
                "select only when some candidate's grade exceeds this (MLIP default 1.1)")
      ->capture_default_str();
  d->add_option("--limit", s->limit,
                "at most this many new configurations, the first ones in MaxVol's greedy order "
                "(0 = no limit)");
  d->add_option("--weighting", s->weighting,
                "configuration rows: vibrations (/N, default), molecules (x1), structures (/N)")
      ->check(CLI::IsMember({"vibrations", "molecules", "structures"}));
  d->add_option("--selected", s->selected,
                "also write the whole active set after selection (each configuration once)");
  d->callback([s, d] {
    finish(*s, d);
    run_select(*s);
  });
}

}  // namespace superion::cli
