// `superion screen hull|gibbs`: thermodynamic stability filters (convex hull, Bartel G^δ(T)).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "calculators/calculator.hpp"
#include "cli/commands.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "io/formats.hpp"
#include "screening/electrochemical_window.hpp"
#include "screening/gibbs_descriptor.hpp"
#include "screening/ions.hpp"
#include "screening/phase_diagram.hpp"
#include "screening/phonons.hpp"

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

struct PhononOptions {
  std::string structure, calculator = "classical:NaCl", json, band_csv;
  std::vector<int> supercell{3, 3, 3}, mesh{8, 8, 8};
  std::vector<std::string> path{"0,0,0", "0.5,0,0.5", "0.5,0.25,0.75", "0.5,0.5,0.5", "0,0,0"};
  int points_per_segment = 30;
  double displacement = 0.01, tolerance = 0.05;
};

std::array<double, 3> parse_q(const std::string& text) {
  std::array<double, 3> q{};
  std::stringstream ss(text);
  std::string item;
  for (int k = 0; k < 3; ++k) {
    if (!std::getline(ss, item, ','))
      throw Error("q-point '" + text + "': expected three comma-separated numbers");
    q[static_cast<std::size_t>(k)] = std::stod(item);
  }
  return q;
}

void run_phonons(const PhononOptions& o) {
  const Dataset data = io::read_dataset(o.structure);
  if (data.configs.empty()) throw Error(o.structure + ": no structure");
  const auto calc = make_calculator(o.calculator);
  const std::array<int, 3> sc{o.supercell.at(0), o.supercell.at(1), o.supercell.at(2)};
  ForceConstants fc =
      compute_force_constants(*calc, data.configs.front().structure, sc, o.displacement);
  apply_acoustic_sum_rule(fc);
  const auto verdict =
      dynamic_stability(fc, {o.mesh.at(0), o.mesh.at(1), o.mesh.at(2)}, o.tolerance);
  std::printf("%s with %s, supercell %dx%dx%d, displacement %.4f Å\n", o.structure.c_str(),
              calc->name().c_str(), sc[0], sc[1], sc[2], o.displacement);
  std::printf("lowest frequency on the %dx%dx%d mesh: %.6f THz at q = (%.4f, %.4f, %.4f)\n",
              o.mesh[0], o.mesh[1], o.mesh[2], verdict.min_frequency, verdict.worst_q[0],
              verdict.worst_q[1], verdict.worst_q[2]);
  std::printf("dynamically %s (imaginary-mode tolerance %.3f THz)\n",
              verdict.stable ? "STABLE" : "UNSTABLE", o.tolerance);
  nlohmann::json bands = nlohmann::json::array();
  if (!o.band_csv.empty()) {
    AtomicFile f(o.band_csv);
    f.stream() << "segment,distance_index,qa,qb,qc,frequencies_THz...\n";
    for (std::size_t s = 0; s + 1 < o.path.size(); ++s) {
      const auto a = parse_q(o.path[s]), b = parse_q(o.path[s + 1]);
      for (int k = 0; k <= o.points_per_segment; ++k) {
        const double t = double(k) / o.points_per_segment;
        const std::array<double, 3> q{a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]),
                                      a[2] + t * (b[2] - a[2])};
        f.stream() << s << "," << k << "," << q[0] << "," << q[1] << "," << q[2];
        for (double nu : phonon_frequencies(fc, q)) f.stream() << "," << nu;
        f.stream() << "\n";
      }
    }
    f.commit();
  }
  if (!o.json.empty()) {
    AtomicFile f(o.json);
    f.stream() << nlohmann::json{{"structure", o.structure},
                                 {"calculator", calc->name()},
                                 {"stable", verdict.stable},
                                 {"min_frequency_THz", verdict.min_frequency},
                                 {"worst_q", verdict.worst_q},
                                 {"tolerance_THz", o.tolerance},
                                 {"gamma_frequencies_THz", phonon_frequencies(fc, {0, 0, 0})}}
                      .dump(2)
               << "\n";
    f.commit();
  }
}

struct ToleranceOptions {
  std::string ions, json, csv;
  double t_min = 0.8, t_max = 1.1;
};

void run_tolerance(const ToleranceOptions& o) {
  const std::vector<Ion> ions = o.ions.empty() ? default_ion_library() : read_ion_library(o.ions);
  const auto entries = enumerate_antiperovskites(ions, o.t_min, o.t_max);
  std::printf("%-16s %-4s %-8s %-8s %8s %s\n", "formula", "type", "centre", "corner", "t",
              "window");
  bool any_unverified = false;
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : entries) {
    std::printf("%-16s %-4s %-8s %-8s %8.4f %s%s\n", e.formula.c_str(), e.type.c_str(),
                e.centre.c_str(), e.corner.c_str(), e.t, e.in_window ? "yes" : "no",
                e.uses_unverified ? "  (*)" : "");
    any_unverified |= e.uses_unverified;
    out.push_back({{"formula", e.formula},
                   {"type", e.type},
                   {"centre", e.centre},
                   {"corner", e.corner},
                   {"t", e.t},
                   {"in_window", e.in_window},
                   {"uses_unverified_radius", e.uses_unverified}});
  }
  if (any_unverified)
    std::fprintf(
        stderr,
        "warning: (*) uses radii not re-checked against their source table (see `superion screen "
        "tolerance --help` and docs/screening.md); pass --ions FILE to use your own\n");
  if (!o.json.empty()) {
    AtomicFile f(o.json);
    f.stream() << out.dump(2) << "\n";
    f.commit();
  }
  if (!o.csv.empty()) {
    AtomicFile f(o.csv);
    f.stream() << "formula,type,centre,corner,t,in_window\n";
    for (const auto& e : entries)
      f.stream() << e.formula << "," << e.type << "," << e.centre << "," << e.corner << "," << e.t
                 << "," << (e.in_window ? 1 : 0) << "\n";
    f.commit();
  }
}

struct WindowOptions {
  std::string entries, compound, open = "Na", json;
};

void run_window(const WindowOptions& o) {
  const auto w = electrochemical_window(read_phase_entries_csv(o.entries), o.compound, o.open);
  if (!w.stable_anywhere) {
    std::printf("%s is not stable at any %s chemical potential (it is above the hull)\n",
                o.compound.c_str(), o.open.c_str());
  } else {
    std::printf(
        "%s: stable for %.4f <= Δμ_%s <= %.4f eV, i.e. %.4f V (reduction) to %.4f V (oxidation) vs "
        "%s/%s+\n",
        o.compound.c_str(), w.mu_min, o.open.c_str(), w.mu_max, w.reduction_V, w.oxidation_V,
        o.open.c_str(), o.open.c_str());
  }
  if (!o.json.empty()) {
    AtomicFile f(o.json);
    f.stream() << nlohmann::json{{"compound", o.compound},
                                 {"open_element", o.open},
                                 {"stable_anywhere", w.stable_anywhere},
                                 {"reduction_V", w.reduction_V},
                                 {"oxidation_V", w.oxidation_V},
                                 {"delta_mu_min_eV", w.mu_min},
                                 {"delta_mu_max_eV", w.mu_max}}
                      .dump(2)
               << "\n";
    f.commit();
  }
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

  auto win = std::make_shared<WindowOptions>();
  CLI::App* w = screen->add_subcommand(
      "window", "Electrochemical stability window from a Na grand-potential hull");
  w->add_option("entries", win->entries, "CSV of formula,energy entries (as for screen hull)")
      ->required()
      ->check(CLI::ExistingFile);
  w->add_option("--compound", win->compound, "the compound (formula or name in the CSV)")
      ->required();
  w->add_option("--open", win->open, "open element")->capture_default_str();
  w->add_option("--json", win->json, "write the window as JSON");
  w->callback([win] { run_window(*win); });

  auto tol = std::make_shared<ToleranceOptions>();
  CLI::App* t = screen->add_subcommand(
      "tolerance", "Goldschmidt factors of all Na3BA and site-exchanged Na3AB antiperovskites");
  t->add_option("--ions", tol->ions, "JSON ion library replacing the shipped one");
  t->add_option("--t-min", tol->t_min, "lower end of the window")->capture_default_str();
  t->add_option("--t-max", tol->t_max, "upper end of the window")->capture_default_str();
  t->add_option("--json", tol->json, "write entries (formula, type, t, …) as JSON");
  t->add_option("--csv", tol->csv, "write entries as CSV (for scripts/plot_tolerance.py)");
  t->callback([tol] { run_tolerance(*tol); });

  auto ph = std::make_shared<PhononOptions>();
  CLI::App* p = screen->add_subcommand(
      "phonons", "Finite-displacement phonons and the dynamic-stability verdict");
  p->add_option("structure", ph->structure, "unit cell (any readable format)")
      ->required()
      ->check(CLI::ExistingFile);
  p->add_option("--calculator", ph->calculator,
                "classical:NaCl|classical:Na3OCl|classical:FILE.json|mtp:POT.mtp[:Na,Cl,...]|"
                "command[OPTIONS]:'PROGRAM ARGS' (external code, see docs/screening.md)")
      ->capture_default_str();
  p->add_option("--supercell", ph->supercell, "diagonal supercell")
      ->expected(3)
      ->capture_default_str();
  p->add_option("--mesh", ph->mesh, "q-mesh for the stability verdict")
      ->expected(3)
      ->capture_default_str();
  p->add_option("--displacement", ph->displacement, "Å")->capture_default_str();
  p->add_option("--tolerance", ph->tolerance, "imaginary-mode tolerance (THz)")
      ->capture_default_str();
  p->add_option("--path", ph->path, "q-path corners in reduced coordinates, e.g. 0,0,0 0.5,0,0.5");
  p->add_option("--points", ph->points_per_segment, "points per path segment")
      ->capture_default_str();
  p->add_option("--bands", ph->band_csv, "write the band structure along --path as CSV");
  p->add_option("--json", ph->json, "write the verdict as JSON");
  p->callback([ph] { run_phonons(*ph); });
}

}  // namespace superion::cli
