// `superion screen hull|gibbs`: thermodynamic stability filters (convex hull, Bartel G^δ(T)).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "screening/gibbs_descriptor.hpp"
#include "screening/phase_diagram.hpp"

namespace superion::cli {
namespace {

struct HullOptions {
  std::string entries;
  std::string json;
  double threshold = 0.084;  // eV/atom, the paper's screening criterion
};

void run_hull(const HullOptions& o) {
  PhaseDiagram pd(read_phase_entries_csv(o.entries));
  nlohmann::json out = nlohmann::json::array();
  std::printf("%-20s %-16s %14s %14s %7s  %s\n", "name", "formula", "E_form(eV/at)",
              "E_hull(eV/at)", "passes", "decomposition (atom fractions)");
  for (std::size_t i = 0; i < pd.entries().size(); ++i) {
    const auto& e = pd.entries()[i];
    const HullResult r = pd.analyse(i);
    std::string decomp;
    nlohmann::json products = nlohmann::json::array();
    for (const auto& [k, x] : r.decomposition) {
      const auto& p = pd.entries()[k];
      char buf[128];
      std::snprintf(buf, sizeof buf, "%s%s:%.4f", decomp.empty() ? "" : " + ", p.name.c_str(), x);
      decomp += buf;
      products.push_back(
          {{"name", p.name}, {"formula", formula_string(p.composition)}, {"fraction", x}});
    }
    const bool pass = r.e_above_hull < o.threshold;
    std::printf("%-20s %-16s %14.6f %14.6f %7s  %s\n", e.name.c_str(),
                formula_string(e.composition).c_str(), r.formation_energy, r.e_above_hull,
                pass ? "yes" : "no", decomp.c_str());
    out.push_back({{"name", e.name},
                   {"formula", formula_string(e.composition)},
                   {"formation_energy_eV_atom", r.formation_energy},
                   {"e_above_hull_eV_atom", r.e_above_hull},
                   {"passes_threshold", pass},
                   {"decomposition", products}});
  }
  if (!o.json.empty()) {
    AtomicFile f(o.json);
    f.stream() << nlohmann::json{{"threshold_eV_atom", o.threshold}, {"entries", out}}.dump(2)
               << "\n";
    f.commit();
  }
}

struct GibbsOptions {
  std::string formula;
  double volume_per_atom = 0;
  std::vector<double> temperatures{300, 600, 900, 1200};
};

void run_gibbs(const GibbsOptions& o) {
  const Composition c = parse_formula(o.formula);
  const double m = bartel_reduced_mass(c);
  std::printf("%s: reduced mass %.6f amu, V = %.4f Å^3/atom\n", formula_string(c).c_str(), m,
              o.volume_per_atom);
  std::printf("%10s %16s\n", "T(K)", "G_delta(eV/at)");
  for (double t : o.temperatures)
    std::printf("%10.1f %16.8f\n", t, bartel_g_delta(o.volume_per_atom, m, t));
}

}  // namespace

void register_screen_commands(CLI::App& app, CLI::App& bench) {
  CLI::App* screen =
      app.add_subcommand("screen", "Stability screening: convex hull, Gibbs descriptor");
  screen->require_subcommand(1);

  auto hull = std::make_shared<HullOptions>();
  CLI::App* h =
      screen->add_subcommand("hull", "Energy above the convex hull and decomposition products");
  h->add_option("entries", hull->entries,
                "CSV with columns formula,energy (eV per formula as written) "
                "or formula,energy_per_atom; optional name")
      ->required()
      ->check(CLI::ExistingFile);
  h->add_option("--json", hull->json, "write results as JSON");
  h->add_option("--threshold", hull->threshold, "E_hull threshold for passes (eV/atom)")
      ->capture_default_str();
  h->callback([hull] { run_hull(*hull); });

  auto gibbs = std::make_shared<GibbsOptions>();
  CLI::App* g = screen->add_subcommand("gibbs", "Bartel SISSO G^delta(T) of a solid (eV/atom)");
  g->add_option("formula", gibbs->formula, "chemical formula, e.g. Na3ClSO4")->required();
  g->add_option("--volume-per-atom", gibbs->volume_per_atom, "volume per atom (Å^3)")->required();
  g->add_option("--temperatures", gibbs->temperatures, "temperatures (K)")->delimiter(',');
  g->callback([gibbs] { run_gibbs(*gibbs); });
}

}  // namespace superion::cli
