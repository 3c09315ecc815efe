// `superion pso`: particle-swarm crystal structure search with rigid anion clusters.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "calculators/calculator.hpp"
#include "cli/commands.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "io/formats.hpp"
#include "pso/pso.hpp"

namespace superion::cli {
namespace {

struct PsoCli {
  std::string composition, calculator = "classical:Na3OCl", formula_units = "1", out = "pso_out";
  std::vector<std::string> clusters;
  std::vector<int> space_groups;
  int population = 30, generations = 30, max_relax_steps = 500, keep_structures = 20;
  double keep = 0.6, volume = 0, pressure = 0, fmax = 0.02, smax = 0.1, min_distance = 1.6;
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

void run(const PsoCli& c) {
  const auto calc = make_calculator(c.calculator);
  const auto [fu_min, fu_max] = parse_range(c.formula_units);
  if (fu_min < 1 || fu_max < fu_min)
    throw Error("--formula-units must be a range of positive integers");
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
    o.checkpoint =
        (std::filesystem::path(c.out) / ("checkpoint_fu" + std::to_string(fu) + ".json")).string();
    o.resume = c.resume && std::filesystem::exists(o.checkpoint);
    o.log = [fu](const std::string& line) {
      std::printf("[%d f.u.] %s\n", fu, line.c_str());
      std::fflush(stdout);
    };
    const PsoResult r = run_pso(*calc, o);
    for (const auto& cand : r.ranking) all.push_back({fu, cand});
  }
  std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    return a.second.enthalpy_per_atom < b.second.enthalpy_per_atom;
  });
  if (all.empty()) throw Error("the search produced no structure (every relaxation failed)");
  AtomicFile csv(std::filesystem::path(c.out) / "ranking.csv");
  csv.stream()
      << "rank,formula_units,enthalpy_eV_atom,energy_eV_atom,space_group,generation,file\n";
  for (std::size_t k = 0; k < all.size(); ++k) {
    const auto& [fu, cand] = all[k];
    std::string file;
    if (static_cast<int>(k) < c.keep_structures) {
      char name[64];
      std::snprintf(name, sizeof name, "structures/rank_%03zu.vasp", k + 1);
      file = name;
      Dataset d;
      Configuration conf;
      conf.structure = cand.structure;
      d.configs.push_back(conf);
      io::write_dataset(std::filesystem::path(c.out) / file, d, "poscar");
      if (k == 0) io::write_dataset(std::filesystem::path(c.out) / "best.vasp", d, "poscar");
    }
    char row[256];
    std::snprintf(row, sizeof row, "%zu,%d,%.8f,%.8f,%s,%d,%s\n", k + 1, fu, cand.enthalpy_per_atom,
                  cand.energy_per_atom, cand.space_group.c_str(), cand.generation, file.c_str());
    csv.stream() << row;
  }
  csv.commit();
  std::printf("best: %.6f eV/atom, %s, written to %s/best.vasp (ranking in %s/ranking.csv)\n",
              all.front().second.enthalpy_per_atom, all.front().second.space_group.c_str(),
              c.out.c_str(), c.out.c_str());
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
  p->callback([o] { run(*o); });
}

}  // namespace superion::cli
