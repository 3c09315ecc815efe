// `superion pso`: particle-swarm crystal structure search with rigid anion clusters;
// `superion relax`: one structure relaxed the way the search relaxes its candidates. Both can keep
// a fitted potential inside the domain of its training data (--domain,
// calculators/domain_wall.hpp) and grade what they find against the potential's active set
// (--grade-als/--grade-train, MLIP-2's MaxVol grade through cli/structure_grader.hpp): pso rejects
// candidates above --max-grade, relax warns.
#include <CLI/CLI.hpp>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "calculators/calculator.hpp"
#include "calculators/domain_wall.hpp"
#include "cli/commands.hpp"
#include "cli/structure_grader.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/geometry.hpp"
#include "io/formats.hpp"
#include "pso/cluster_finder.hpp"
#include "pso/pso.hpp"
#include "pso/symmetry.hpp"

namespace superion::cli {
namespace {

// --domain DATA [--domain-scale S] [--wall-stiffness K]: shared by pso and relax.
struct DomainCli {
  std::string data;
  double scale = 1.0, stiffness = 1000.0, tolerance = 1e-3, reject = 0.1;
  void add_to(CLI::App* p) {
    p->add_option("--domain", data,
                  "training data of the potential: a repulsive wall keeps every element pair at "
                  "or above its shortest distance in these data (docs/pso.md)");
    p->add_option("--domain-scale", scale, "wall position = scale x shortest distance")
        ->capture_default_str();
    p->add_option("--wall-stiffness", stiffness, "wall stiffness k (eV/A^3), E = k/3 (rw - r)^3")
        ->capture_default_str();
    p->add_option("--domain-tolerance", tolerance,
                  "a structure is inside the domain when no pair is more than this inside its "
                  "wall (A; ranking.csv inside_domain)")
        ->capture_default_str();
    p->add_option("--domain-reject", reject,
                  "pso drops relaxed structures with a pair more than this inside its wall (A): "
                  "a potential whose extrapolation beats the wall (0 = keep all)")
        ->capture_default_str();
  }
};

// --grade-als FILE | --grade-train FILE [--grade-mode cfg|nbh] [--max-grade G]: shared by pso and
// relax; only with an mtp: calculator.
struct GradeCli {
  std::string als, train, mode = "cfg";
  bool mode_given = false, max_given = false;
  double max_grade = 2.0;
  void add_to(CLI::App* p, bool pso) {
    p->add_option("--grade-als", als,
                  "grade every " + std::string(pso ? "relaxed candidate" : "relaxed structure") +
                      " (MaxVol extrapolation grade, as `superion grade`) against this state.als "
                      "of the mtp: potential")
        ->check(CLI::ExistingFile);
    p->add_option("--grade-train", train,
                  "the same with the active set built from the potential's training set (any "
                  "dataset format)")
        ->check(CLI::ExistingFile);
    p->add_option("--grade-mode", mode,
                  "rows of an active set built by --grade-train: cfg (default) or nbh")
        ->check(CLI::IsMember({"cfg", "nbh"}));
    p->add_option("--max-grade", max_grade,
                  pso ? "reject relaxed candidates with a higher grade (MLIP's select threshold)"
                      : "warn above this grade (MLIP's select threshold)")
        ->capture_default_str();
  }
  bool enabled() const { return !als.empty() || !train.empty(); }
  // Checks the options against the calculator spec and builds the grader (empty when not asked).
  StructureGrader make(const std::string& calculator) const {
    if (!enabled()) {
      if (max_given || mode_given)
        throw Error(
            "--max-grade and --grade-mode need an active set: --grade-als or --grade-train");
      return {};
    }
    if (!als.empty() && !train.empty())
      throw Error("give either --grade-als or --grade-train, not both");
    if (!(max_grade > 0)) throw Error("--max-grade must be positive");
    GraderRequest r;
    if (!parse_mtp_spec(calculator, &r.potential, &r.species))
      throw Error(
          "--grade-als/--grade-train grade against an MTP's active set: they need an "
          "mtp:POT.mtp calculator, not '" +
          calculator + "'");
    r.source = als.empty() ? train : als;
    r.source_is_als = !als.empty();
    r.mode = mode;
    r.mode_given = mode_given;
    return make_structure_grader(r);
  }
};

// The calculator of `spec`, wrapped in the domain wall when --domain is given (then *walls is set).
std::unique_ptr<Calculator> make_domain_calculator(const std::string& spec, const DomainCli& d,
                                                   DomainWalls* walls) {
  auto calc = make_calculator(spec);
  if (d.data.empty()) return calc;
  *walls = domain_from_data(io::read_dataset(d.data), d.scale, d.stiffness, 8.0, d.data);
  std::printf("domain of %s (shortest distances x %.3f):%s A\n", d.data.c_str(), d.scale,
              walls->pair_list().c_str());
  return std::make_unique<DomainWallCalculator>(std::move(calc), *walls);
}

struct PsoCli {
  DomainCli domain;
  GradeCli grade;
  std::string composition, calculator = "classical:Na3OCl", formula_units = "1", out = "pso_out";
  std::vector<std::string> clusters;
  std::vector<int> space_groups;
  int population = 30, generations = 30, max_relax_steps = 500, keep_structures = 20, polish = 0;
  double keep = 0.6, volume = 0, pressure = 0, fmax = 0.02, smax = 0.1, min_distance = 1.6,
         symprec = 0.1;
  unsigned long seed = 1;
  bool resume = false;
};

std::pair<int, int> parse_range(const std::string& s) {
  const auto dots = s.find("..");
  try {
    if (dots == std::string::npos) return {std::stoi(s), std::stoi(s)};
    return {std::stoi(s.substr(0, dots)), std::stoi(s.substr(dots + 2))};
  } catch (const std::exception&) {
    throw Error("--formula-units expects N or N..M, got '" + s + "'");
  }
}

// Relaxes the `c.polish` best structures again with every atom free (clusters no longer rigid, so
// their bonds relax to the calculator's own length) and writes OUT/polished.csv (lowest first) and
// OUT/structures/polished_NNN.vasp.
void polish(const PsoCli& c, const Calculator& calc, const DomainWalls& walls,
            const StructureGrader& grader, const std::vector<std::pair<int, PsoCandidate>>& all) {
  struct Polished {
    std::size_t rank;
    RelaxResult r;
    std::string sg;
    DomainCheck dc;
    double grade;
  };
  const std::size_t n = std::min(all.size(), static_cast<std::size_t>(c.polish));
  std::vector<Polished> out(n);
  std::vector<std::string> errors(n);
#pragma omp parallel for schedule(dynamic, 1)
  for (long kk = 0; kk < static_cast<long>(n); ++kk) {
    const auto k = static_cast<std::size_t>(kk);
    try {
      RelaxOptions ro;
      ro.pressure_gpa = c.pressure;
      ro.fmax = c.fmax;
      ro.smax_gpa = c.smax;
      ro.max_steps = 4 * c.max_relax_steps;
      const RelaxResult r = relax(calc, all[k].second.structure, ro);
      out[k] = {k + 1, r, detect_space_group(r.structure, c.symprec).first,
                apply_domain_walls(r.structure, walls),
                grader ? grader(r.structure) : std::nan("")};
    } catch (const std::exception& e) {
      errors[k] = e.what();
    }
  }
  std::vector<Polished> ok;
  for (std::size_t k = 0; k < n; ++k) {
    if (errors[k].empty())
      ok.push_back(out[k]);
    else
      std::printf("polish: rank %zu failed: %s\n", k + 1, errors[k].c_str());
  }
  std::stable_sort(ok.begin(), ok.end(), [](const Polished& a, const Polished& b) {
    return a.r.enthalpy / static_cast<double>(a.r.structure.size()) <
           b.r.enthalpy / static_cast<double>(b.r.structure.size());
  });
  AtomicFile csv(std::filesystem::path(c.out) / "polished.csv");
  csv.stream() << "polished_rank,search_rank,enthalpy_eV_atom,energy_eV_atom,space_group,"
                  "converged,wall_eV_atom,domain_violation_A,domain_worst_pair,file"
               << (grader ? ",grade\n" : "\n");
  for (std::size_t k = 0; k < ok.size(); ++k) {
    const Polished& p = ok[k];
    const double na = static_cast<double>(p.r.structure.size());
    char file[64];
    std::snprintf(file, sizeof file, "structures/polished_%03zu.vasp", k + 1);
    Dataset d;
    Configuration conf;
    conf.structure = p.r.structure;
    d.configs.push_back(conf);
    io::write_dataset(std::filesystem::path(c.out) / file, d, "poscar");
    char row[384];
    std::snprintf(row, sizeof row, "%zu,%zu,%.8f,%.8f,%s,%d,%.8f,%.4f,%s,%s", k + 1, p.rank,
                  p.r.enthalpy / na, p.r.energy / na, p.sg.c_str(), p.r.converged ? 1 : 0,
                  p.dc.energy / na, p.dc.max_violation, p.dc.worst_pair.c_str(), file);
    csv.stream() << row;
    if (grader) {
      std::snprintf(row, sizeof row, ",%.10g", p.grade);  // MV_grade's precision (grade_format)
      csv.stream() << row;
    }
    csv.stream() << '\n';
  }
  csv.commit();
  if (!ok.empty())
    std::printf(
        "polished (all atoms free): best %.6f eV/atom, %s (search rank %zu); %s/polished.csv\n",
        ok.front().r.enthalpy / static_cast<double>(ok.front().r.structure.size()),
        ok.front().sg.c_str(), ok.front().rank, c.out.c_str());
}

void run(const PsoCli& c) {
  const auto [fu_min, fu_max] = parse_range(c.formula_units);
  if (fu_min < 1 || fu_max < fu_min)
    throw Error("--formula-units must be a range of positive integers");
  const StructureGrader grader = c.grade.make(c.calculator);
  DomainWalls walls;
  const auto calc = make_domain_calculator(c.calculator, c.domain, &walls);
  std::atomic<long> graded_out{0};  // candidates rejected by --max-grade (all generations)
  std::filesystem::create_directories(std::filesystem::path(c.out) / "structures");
  std::vector<std::pair<int, PsoCandidate>> all;
  for (int fu = fu_min; fu <= fu_max; ++fu) {
    PsoOptions o;
    o.units = crystal_units(c.composition, c.clusters, fu);
    o.generator.space_groups = c.space_groups;
    o.generator.volume_per_unit = c.volume * fu;
    o.generator.min_distance = c.min_distance;
    o.relax.pressure_gpa = c.pressure;
    o.relax.fmax = c.fmax;
    o.relax.smax_gpa = c.smax;
    o.relax.max_steps = c.max_relax_steps;
    o.population = c.population;
    o.generations = c.generations;
    o.keep = c.keep;
    o.seed = c.seed;
    o.symprec = c.symprec;
    o.checkpoint =
        (std::filesystem::path(c.out) / ("checkpoint_fu" + std::to_string(fu) + ".json")).string();
    o.resume = c.resume && std::filesystem::exists(o.checkpoint);
    const bool domain_check = !walls.symbols.empty() && c.domain.reject > 0;
    if (domain_check || grader)
      o.check = [&walls, &c, &grader, &graded_out, domain_check](const Structure& s) {
        if (domain_check) {
          const DomainCheck dc = apply_domain_walls(s, walls);
          if (dc.max_violation > c.domain.reject)
            throw CandidateRejected("outside the potential's domain: " + dc.worst_pair + " at " +
                                    std::to_string(dc.worst_distance) + " A, " +
                                    std::to_string(dc.max_violation) + " A inside its wall");
        }
        if (grader) {
          const double g = grader(s);
          if (!(g <= c.grade.max_grade)) {  // NaN/inf grades are rejected too
            ++graded_out;
            throw CandidateRejected("extrapolation grade " + std::to_string(g) + " > --max-grade");
          }
        }
      };
    o.progress = stdout;
    o.progress_label = "[" + std::to_string(fu) + " f.u.]";
    const PsoResult r = run_pso(*calc, o);
    for (const auto& cand : r.ranking) all.push_back({fu, cand});
  }
  std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    return a.second.enthalpy_per_atom < b.second.enthalpy_per_atom;
  });
  if (all.empty() && graded_out > 0) {
    char limit[32];
    std::snprintf(limit, sizeof limit, "%g", c.grade.max_grade);
    throw Error("no relaxed structure is reliable: every candidate was rejected or failed, " +
                std::to_string(graded_out.load()) +
                " with an extrapolation grade above --max-grade " + limit +
                " (nothing written; extend the active set, e.g. superion learn, or raise "
                "--max-grade)");
  }
  if (all.empty()) throw Error("the search produced no structure (every relaxation failed)");
  // Domain check of every candidate (energies already include the wall; without --domain
  // there are no walls and every structure is inside).
  std::vector<DomainCheck> checks;
  for (const auto& entry : all) checks.push_back(apply_domain_walls(entry.second.structure, walls));
  auto inside = [&](std::size_t k) { return checks[k].max_violation <= c.domain.tolerance; };
  // Grades of every candidate (with rejection on, all are <= --max-grade unless a resumed
  // checkpoint brought older ones).
  std::vector<double> grades(all.size(), std::nan(""));
  if (grader)
    for (std::size_t k = 0; k < all.size(); ++k) grades[k] = grader(all[k].second.structure);
  auto reliable = [&](std::size_t k) { return grades[k] <= c.grade.max_grade; };
  auto write_structure = [&](const Structure& s, const std::string& file) {
    Dataset d;
    Configuration conf;
    conf.structure = s;
    d.configs.push_back(conf);
    io::write_dataset(std::filesystem::path(c.out) / file, d, "poscar");
  };
  AtomicFile csv(std::filesystem::path(c.out) / "ranking.csv");
  csv.stream() << "rank,formula_units,enthalpy_eV_atom,energy_eV_atom,space_group,generation,file,"
                  "wall_eV_atom,domain_violation_A,domain_worst_pair,inside_domain"
               << (grader ? ",grade\n" : "\n");
  std::size_t best_inside = all.size(), best_reliable = all.size();
  for (std::size_t k = 0; k < all.size(); ++k) {
    const auto& [fu, cand] = all[k];
    std::string file;
    if (static_cast<int>(k) < c.keep_structures) {
      char name[64];
      std::snprintf(name, sizeof name, "structures/rank_%03zu.vasp", k + 1);
      file = name;
      write_structure(cand.structure, file);
      if (k == 0) write_structure(cand.structure, "best.vasp");
    }
    if (inside(k) && best_inside == all.size()) {
      best_inside = k;
      if (!walls.symbols.empty()) write_structure(cand.structure, "best_inside_domain.vasp");
    }
    if (grader && reliable(k) && best_reliable == all.size()) {
      best_reliable = k;
      write_structure(cand.structure, "best_reliable.vasp");
    }
    // wall_eV_atom: the wall's share of the energy; domain_violation_A: the largest (r_w − r)
    // over pairs (extrapolation indicator, 0 = every pair inside the data's range).
    const DomainCheck& dc = checks[k];
    char row[384];
    std::snprintf(row, sizeof row, "%zu,%d,%.8f,%.8f,%s,%d,%s,%.8f,%.4f,%s,%d", k + 1, fu,
                  cand.enthalpy_per_atom, cand.energy_per_atom, cand.space_group.c_str(),
                  cand.generation, file.c_str(),
                  dc.energy / static_cast<double>(cand.structure.size()), dc.max_violation,
                  dc.worst_pair.c_str(), inside(k) ? 1 : 0);
    csv.stream() << row;
    if (grader) {
      std::snprintf(row, sizeof row, ",%.10g", grades[k]);  // MV_grade's precision (grade_format)
      csv.stream() << row;
    }
    csv.stream() << '\n';
  }
  csv.commit();
  std::printf("best: %.6f eV/atom, %s, written to %s/best.vasp (ranking in %s/ranking.csv)\n",
              all.front().second.enthalpy_per_atom, all.front().second.space_group.c_str(),
              c.out.c_str(), c.out.c_str());
  if (c.polish > 0) polish(c, *calc, walls, grader, all);
  if (grader) {
    if (graded_out > 0)
      std::printf("%ld relaxed candidates rejected with a grade above --max-grade %g\n",
                  graded_out.load(), c.grade.max_grade);
    if (best_reliable == all.size())
      std::printf("no reliable structure (every grade is above --max-grade %g)\n",
                  c.grade.max_grade);
    else
      std::printf(
          "best reliable (grade <= %g): rank %zu, %.6f eV/atom, %s, grade %.10g, written to "
          "%s/best_reliable.vasp\n",
          c.grade.max_grade, best_reliable + 1, all[best_reliable].second.enthalpy_per_atom,
          all[best_reliable].second.space_group.c_str(), grades[best_reliable], c.out.c_str());
  }
  if (walls.symbols.empty()) return;
  if (best_inside == all.size())
    std::printf("no structure inside the domain (every one has a domain violation > %.4f A)\n",
                c.domain.tolerance);
  else
    std::printf(
        "best inside the domain (violation <= %.4f A): rank %zu, %.6f eV/atom, %s, written to "
        "%s/best_inside_domain.vasp\n",
        c.domain.tolerance, best_inside + 1, all[best_inside].second.enthalpy_per_atom,
        all[best_inside].second.space_group.c_str(), c.out.c_str());
}

struct RelaxCli {
  DomainCli domain;
  GradeCli grade;
  std::string input, output, calculator = "classical:Na3OCl";
  std::vector<std::string> clusters;
  double pressure = 0, fmax = 0.01, smax = 0.05, symprec = 0.1;
  int steps = 2000;
  bool fixed_cell = false;
};

void run_relax(const RelaxCli& c) {
  const StructureGrader grader = c.grade.make(c.calculator);
  DomainWalls walls;
  const auto calc = make_domain_calculator(c.calculator, c.domain, &walls);
  Dataset in = io::read_dataset(c.input);
  if (in.configs.empty()) throw Error(c.input + ": no structure");
  Structure s = in.configs.front().structure;
  if (s.species_symbols.empty()) s.species_symbols = in.species;
  RelaxOptions o;
  o.rigid_clusters = find_clusters(s, c.clusters);
  o.pressure_gpa = c.pressure;
  o.fmax = c.fmax;
  o.smax_gpa = c.smax;
  o.max_steps = c.steps;
  o.relax_cell = !c.fixed_cell;
  const double n = static_cast<double>(s.size());
  const double e0 = calc->compute(s).energy / n;
  const RelaxResult r = relax(*calc, s, o);
  const DomainCheck dc = apply_domain_walls(r.structure, walls);
  const double grade = grader ? grader(r.structure) : 0.0;
  Dataset d;
  Configuration conf;
  conf.structure = r.structure;
  conf.energy = r.energy;
  d.configs.push_back(conf);
  d.species = r.structure.species_symbols;
  io::write_dataset(c.output, d);
  const auto sg = detect_space_group(r.structure, c.symprec);
  const Vec3 w = cell_face_distances(r.structure.cell);
  std::printf(
      "%s: %zu atoms, %zu rigid clusters; start %.6f eV/atom\n"
      "relaxed: %.6f eV/atom, enthalpy %.6f eV/atom, %s (%d), volume %.4f A^3/atom, cell widths "
      "%.4f %.4f %.4f A; %s after %d steps (fmax %.2e eV/A, smax %.2e GPa)\n"
      "wall %.6f eV/atom, domain violation %.4f A%s%s\nwritten to %s\n",
      c.input.c_str(), s.size(), o.rigid_clusters.size(), e0, r.energy / n, r.enthalpy / n,
      sg.first.c_str(), sg.second, r.structure.volume() / n, w.x, w.y, w.z,
      r.converged ? "converged" : "NOT converged", r.steps, r.fmax, r.smax_gpa, dc.energy / n,
      dc.max_violation, dc.worst_pair.empty() ? "" : ", worst pair ", dc.worst_pair.c_str(),
      c.output.c_str());
  if (!walls.symbols.empty() && dc.max_violation > c.domain.tolerance)
    std::fprintf(stderr,
                 "warning: the relaxed structure is outside the potential's domain (%s at %.4f A, "
                 "%.4f A inside its wall): the energy is an extrapolation\n",
                 dc.worst_pair.c_str(), dc.worst_distance, dc.max_violation);
  if (!grader) return;
  std::printf("extrapolation grade %.10g (--max-grade %g)\n", grade, c.grade.max_grade);
  std::fflush(stdout);  // before the warning on stderr
  if (!(grade <= c.grade.max_grade))
    std::fprintf(stderr,
                 "warning: the relaxed structure's extrapolation grade %.6g is above --max-grade "
                 "%g: the potential extrapolates there, its energy is not reliable\n",
                 grade, c.grade.max_grade);
}

}  // namespace

void register_pso_commands(CLI::App& app, CLI::App& bench) {
  auto o = std::make_shared<PsoCli>();
  CLI::App* p = app.add_subcommand(
      "pso", "Particle-swarm crystal structure search (clusters as rigid units)");
  p->add_option("--composition", o->composition, "formula per formula unit, e.g. Na3ClSO4")
      ->required();
  p->add_option("--formula-units", o->formula_units, "N or N..M formula units per cell")
      ->capture_default_str();
  p->add_option("--clusters", o->clusters,
                "rigid clusters (SO4 SeO4 ClO4 BF4 BH4 AlH4 CO3 NO3 NH2)");
  p->add_option("--calculator", o->calculator,
                "classical:NaCl|classical:Na3OCl|classical:FILE.json|mtp:POT.mtp[:Na,Cl,…]|"
                "command[OPTIONS]:'PROGRAM ARGS'")
      ->capture_default_str();
  p->add_option("--population", o->population, "structures per generation")->capture_default_str();
  p->add_option("--generations", o->generations, "generations")->capture_default_str();
  p->add_option("--keep", o->keep, "fraction evolved by PSO (rest: new random)")
      ->capture_default_str();
  p->add_option("--seed", o->seed, "random seed")->capture_default_str();
  p->add_option("--space-groups", o->space_groups, "candidate space groups (default 1..230)")
      ->delimiter(',');
  p->add_option("--volume", o->volume,
                "volume per formula unit estimate (Å^3; default 18 per atom)");
  p->add_option("--pressure", o->pressure, "external pressure (GPa)")->capture_default_str();
  p->add_option("--min-distance", o->min_distance,
                "minimum distance between units in random crystals (Å)")
      ->capture_default_str();
  p->add_option("--fmax", o->fmax, "relaxation force criterion (eV/Å)")->capture_default_str();
  p->add_option("--smax", o->smax, "relaxation stress criterion (GPa)")->capture_default_str();
  p->add_option("--relax-steps", o->max_relax_steps, "maximum FIRE steps per relaxation")
      ->capture_default_str();
  p->add_option("-o,--out", o->out,
                "output directory (ranking.csv, best.vasp, structures/, checkpoints)")
      ->capture_default_str();
  p->add_flag("--resume", o->resume, "continue from the checkpoints in the output directory");
  p->add_option("--symprec", o->symprec,
                "spglib tolerance (A) of the space groups in ranking.csv; FIRE-relaxed structures "
                "(--fmax 0.02) keep deviations of 0.1-0.2 A, 0.3 recognises them")
      ->capture_default_str();
  p->add_option("--polish", o->polish, "relax the N best again with every atom free (polished.csv)")
      ->capture_default_str();
  o->domain.add_to(p);
  o->grade.add_to(p, true);
  p->callback([o, p] {
    o->grade.mode_given = p->count("--grade-mode") > 0;
    o->grade.max_given = p->count("--max-grade") > 0;
    run(*o);
  });

  auto r = std::make_shared<RelaxCli>();
  CLI::App* q = app.add_subcommand(
      "relax", "Relax one structure (FIRE, cell, rigid clusters) as `pso` relaxes candidates");
  q->add_option("input", r->input, "structure (first configuration of any readable format)")
      ->required();
  q->add_option("-o,--output", r->output, "relaxed structure (format from the name)")->required();
  q->add_option("--calculator", r->calculator,
                "classical:NaCl|classical:Na3OCl|classical:FILE.json|mtp:POT.mtp[:Na,Cl,…]|"
                "command[OPTIONS]:'PROGRAM ARGS'")
      ->capture_default_str();
  q->add_option("--clusters", r->clusters, "rigid clusters to find in the input (SO4 …)");
  q->add_option("--pressure", r->pressure, "external pressure (GPa)")->capture_default_str();
  q->add_option("--fmax", r->fmax, "force criterion (eV/A)")->capture_default_str();
  q->add_option("--smax", r->smax, "stress criterion (GPa)")->capture_default_str();
  q->add_option("--steps", r->steps, "maximum FIRE steps")->capture_default_str();
  q->add_flag("--fixed-cell", r->fixed_cell, "relax positions only");
  q->add_option("--symprec", r->symprec, "spglib tolerance (A) of the reported space group")
      ->capture_default_str();
  r->domain.add_to(q);
  r->grade.add_to(q, false);
  q->callback([r, q] {
    r->grade.mode_given = q->count("--grade-mode") > 0;
    r->grade.max_given = q->count("--max-grade") > 0;
    run_relax(*r);
  });
}

}  // namespace superion::cli
