// `superion analyze hops|vanhove|rdf|vacf|rotation|density|ldfc TRAJ [options]`: the mechanism
// analyses of analysis/mechanism/ on any trajectory the readers of trajectory.hpp understand.
// Every command prints a short summary, writes full results with --json and tables with --csv
// (all through AtomicFile). Definitions: docs/analysis.md.
#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/commands.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "mechanism/density.hpp"
#include "mechanism/hops.hpp"
#include "mechanism/ldfc.hpp"
#include "mechanism/rotation.hpp"
#include "mechanism/structure_fns.hpp"
#include "mechanism/van_hove_pymatgen.hpp"
#include "trajectory.hpp"
#include "trajectory_window_options.hpp"

namespace superion::cli {
namespace {
using namespace superion::mechanism;
using nlohmann::json;

struct Common {
  std::string traj, json_out, csv_out, format = "auto";
  double frame_interval = 0, timestep = 0;
  std::vector<std::string> type_symbols;
  int stride = 1;
  analysis::TimeWindow window;
};

void add_common(CLI::App* c, Common& o) {
  c->add_option("trajectory", o.traj,
                "Trajectory (extxyz, XDATCAR, LAMMPS dump, H5MD, pymatgen JSON)")
      ->required();
  c->add_option("--format", o.format, "auto|extxyz|xdatcar|lammps-dump|h5md|pymatgen-json");
  c->add_option("--frame-interval,--dt", o.frame_interval,
                "Time between stored frames (ps); overrides file times");
  c->add_option("--timestep", o.timestep, "MD time step (ps) for LAMMPS dump steps");
  c->add_option("--type-symbols", o.type_symbols, "LAMMPS dump: element of type 1, 2, ...");
  c->add_option("--stride", o.stride, "Use every n-th frame")->check(CLI::PositiveNumber);
  analysis::add_time_window_options(c, o.window);
  c->add_option("--json", o.json_out, "Write full results as JSON");
  c->add_option("--csv", o.csv_out, "Write the main table as CSV");
}

FrameSeries load(const Common& o) {
  analysis::TrajectoryOptions t;
  t.format = o.format;
  t.frame_interval_ps = o.frame_interval;
  t.timestep_ps = o.timestep;
  t.type_symbols = o.type_symbols;
  // The window is applied before --stride; with --frame-interval its times are index x interval.
  auto reader =
      analysis::apply_time_window(analysis::open_trajectory(o.traj, t), o.window, o.frame_interval);
  FrameSeries s =
      load_series(*reader, o.frame_interval > 0 ? o.frame_interval * o.stride : 0.0, o.stride);
  std::fprintf(stderr, "read %zu frames of %zu atoms, dt = %g ps from %s\n", s.n_frames(),
               s.n_atoms(), s.dt_ps, reader->source().c_str());
  return s;
}

void write_text(const std::string& path, const std::string& text) {
  if (path.empty()) return;
  AtomicFile f(path);
  f.stream() << text;
  f.commit();
}
// Writes the command's results to --json, with the time window when one was given.
void write_json(const Common& o, json j) {
  if (o.json_out.empty()) return;
  analysis::record_time_window(j, o.window);
  write_text(o.json_out, j.dump(1) + "\n");
}
std::string num(double x) {
  if (!std::isfinite(x)) return x > 0 ? "inf" : "nan";
  char b[32];
  std::snprintf(b, sizeof b, "%.10g", x);
  return b;
}
json finite_or_null(const std::vector<double>& v) {
  json a = json::array();
  for (double x : v) a.push_back(std::isfinite(x) ? json(x) : json(nullptr));
  return a;
}
json spectrum_json(const Spectrum& s) {
  return {{"freq_thz", s.freq_thz}, {"power_per_thz", s.power}};
}
std::vector<double> times(std::size_t n, double dt) {
  std::vector<double> t(n);
  for (std::size_t k = 0; k < n; ++k) t[k] = k * dt;
  return t;
}

void add_hops(CLI::App& analyze) {
  auto o = std::make_shared<Common>();
  auto species = std::make_shared<std::string>("Na");
  auto h = std::make_shared<HopOptions>();
  auto thresholds = std::make_shared<std::vector<double>>();
  auto c = analyze.add_subcommand(
      "hops", "Long-lived hop events h_i(t; t_p, a, t_a), concerted events, raster");
  add_common(c, *o);
  c->add_option("--species", *species, "Mobile species");
  c->add_option("--tp", h->t_p_ps, "Displacement window t_p (ps)");
  c->add_option("-a,--threshold", h->a, "Displacement threshold a (Å)");
  c->add_option("--ta", h->t_a_ps, "Persistence time t_a (ps), < t_p");
  c->add_option("--scan", *thresholds, "Also count events for these thresholds a (Å)");
  c->callback([=] {
    const FrameSeries s = load(*o);
    const auto atoms = s.atoms_of(*species);
    const HopResult r = analyse_hops(s, atoms, *h);
    json j{{"species", *species},
           {"t_p_ps", h->t_p_ps},
           {"a_angstrom", h->a},
           {"t_a_ps", h->t_a_ps},
           {"dt_ps", s.dt_ps},
           {"half_window_frames", r.half_window},
           {"half_persist_frames", r.half_persist},
           {"n_atoms", atoms.size()},
           {"n_events", r.events.size()},
           {"simultaneous_histogram", r.simultaneous_histogram},
           {"concerted_histogram", r.concerted_histogram},
           {"hop_frequency_per_atom_per_ps", r.hop_frequency_per_atom}};
    json ev = json::array();
    std::ostringstream csv;
    csv << "atom,start_frame,end_frame,start_ps,end_ps,centre_ps\n";
    for (const auto& e : r.events) {
      ev.push_back({{"atom", e.atom}, {"start", e.start}, {"end", e.end}});
      csv << e.atom << ',' << e.start << ',' << e.end << ',' << num(e.start * s.dt_ps) << ','
          << num(e.end * s.dt_ps) << ',' << num(e.centre() * s.dt_ps) << '\n';
    }
    j["events"] = ev;
    if (!thresholds->empty())
      j["events_vs_threshold"] = {{"a_angstrom", *thresholds},
                                  {"events", hop_counts_vs_threshold(s, atoms, *h, *thresholds)}};
    write_json(*o, j);
    write_text(o->csv_out, csv.str());
    std::printf("%zu hop events of %zu %s atoms; concerted groups by size:", r.events.size(),
                atoms.size(), species->c_str());
    for (std::size_t m = 1; m < r.concerted_histogram.size(); ++m)
      if (r.concerted_histogram[m]) std::printf(" %zu:%ld", m, r.concerted_histogram[m]);
    std::printf("\n");
  });
}

void add_vanhove(CLI::App& analyze) {
  auto o = std::make_shared<Common>();
  auto sp = std::make_shared<std::string>("Na");
  auto ref = std::make_shared<std::string>();
  auto v = std::make_shared<VanHoveOptions>();
  auto lags_ps = std::make_shared<std::vector<double>>();
  auto self_only = std::make_shared<bool>(false);
  auto convention = std::make_shared<std::string>("exact");
  auto pmg = std::make_shared<PymatgenVanHoveOptions>();
  auto c = analyze.add_subcommand("vanhove", "Van Hove self G_s(r,t) and distinct G_d(r,t)");
  add_common(c, *o);
  c->add_option("--species", *sp, "Species");
  c->add_option("--reference", *ref, "Reference species of G_d (default: --species)");
  c->add_option("--rmax", v->r_max, "Largest r (Å)");
  c->add_option("--ngrid", v->n_grid, "Grid points on [0, rmax]");
  c->add_option("--sigma", v->sigma, "Gaussian smearing (Å); 0 = histogram");
  c->add_option("--times", *lags_ps, "Time lags (ps); required unless --convention pymatgen");
  c->add_option("--origin-stride", v->origin_stride, "Use every n-th frame as time origin");
  c->add_flag("--self-only", *self_only, "Skip the distinct part");
  c->add_option("--convention", *convention,
                "exact (smear at each distance, all images) | pymatgen (VanHoveAnalysis bit for "
                "bit: drift-corrected, binned, first --avg-nsteps origins, lags k*--step-skip)")
      ->check(CLI::IsMember({"exact", "pymatgen"}));
  c->add_option("--avg-nsteps", pmg->avg_nsteps, "pymatgen convention: number of time origins");
  c->add_option("--step-skip", pmg->step_skip, "pymatgen convention: frames between lags");
  c->add_option("--cell-range", pmg->cell_range, "pymatgen convention: images per direction");
  c->callback([=] {
    const FrameSeries s = load(*o);
    VanHoveOptions opt = *v;
    opt.distinct = !*self_only;
    const auto a = s.atoms_of(*sp);
    const auto b = ref->empty() ? a : s.atoms_of(*ref);
    VanHoveResult r;
    if (*convention == "pymatgen") {
      if (!lags_ps->empty())
        throw InputError(o->traj, 0,
                         "--times is not used with --convention pymatgen (lags are "
                         "k*--step-skip frames)");
      PymatgenVanHoveOptions p = *pmg;
      p.r_max = opt.r_max;
      p.n_grid = opt.n_grid;
      p.sigma = opt.sigma;
      p.distinct = opt.distinct;
      // Framework = the DiffusionAnalyzer's drift reference: every atom not of its specie (for
      // a pymatgen JSON), else every atom not of the tracked species.
      const std::vector<int> framework =
          s.atoms_not_of(s.analyzer_specie.empty() ? *sp : s.analyzer_specie);
      auto pr = van_hove_pymatgen(s, a, b, framework, p);
      r = std::move(pr.values);
      opt.lags = pr.lags;
    } else {
      if (lags_ps->empty()) throw InputError(o->traj, 0, "--times (ps) is required");
      for (double t : *lags_ps) opt.lags.push_back(static_cast<int>(std::lround(t / s.dt_ps)));
      r = van_hove(s, a, b, opt);
    }
    json j{{"species", *sp},
           {"reference", ref->empty() ? *sp : *ref},
           {"r", r.r},
           {"sigma", opt.sigma},
           {"convention", *convention}};
    std::ostringstream csv;
    csv << "r";
    for (std::size_t l = 0; l < opt.lags.size(); ++l) {
      const double t = opt.lags[l] * s.dt_ps;
      j["lags"].push_back({{"t_ps", t}, {"gs_4pir2", r.gs_4pir2[l]}, {"gd", r.gd[l]}});
      csv << ",gs4pir2_t" << num(t) << ",gd_t" << num(t);
    }
    csv << '\n';
    for (std::size_t k = 0; k < r.r.size(); ++k) {
      csv << num(r.r[k]);
      for (std::size_t l = 0; l < opt.lags.size(); ++l)
        csv << ',' << num(r.gs_4pir2[l][k]) << ',' << num(r.gd[l][k]);
      csv << '\n';
    }
    write_json(*o, j);
    write_text(o->csv_out, csv.str());
    std::printf("van Hove of %s at %zu lags on %d points\n", sp->c_str(), opt.lags.size(),
                opt.n_grid);
  });
}

void add_rdf(CLI::App& analyze) {
  auto o = std::make_shared<Common>();
  auto pairs = std::make_shared<std::vector<std::string>>();
  auto rmax = std::make_shared<double>(8.0);
  auto bins = std::make_shared<int>(160);
  auto every = std::make_shared<int>(1);
  auto c = analyze.add_subcommand(
      "rdf", "Partial radial distribution functions g_ab(r) (triclinic, all images)");
  add_common(c, *o);
  c->add_option("--pairs", *pairs, "Pairs like Na-Na Na-O (default: all species pairs)");
  c->add_option("--rmax", *rmax, "Largest r (Å)");
  c->add_option("--bins", *bins, "Number of bins");
  c->add_option("--frame-stride", *every, "Average over every n-th frame");
  c->callback([=] {
    const FrameSeries s = load(*o);
    std::vector<std::pair<std::string, std::string>> pp;
    for (const auto& p : *pairs) {
      const auto d = p.find('-');
      if (d == std::string::npos) throw InputError("--pairs", 0, "expected A-B, got '" + p + "'");
      pp.emplace_back(p.substr(0, d), p.substr(d + 1));
    }
    if (pp.empty())
      for (std::size_t a = 0; a < s.symbols.size(); ++a)
        for (std::size_t b = a; b < s.symbols.size(); ++b)
          pp.emplace_back(s.symbols[a], s.symbols[b]);
    json j;
    std::vector<RdfResult> res;
    for (const auto& p : pp) {
      res.push_back(
          partial_rdf(s, s.atoms_of(p.first), s.atoms_of(p.second), *rmax, *bins, *every));
      j["r"] = res.back().r;
      j["g"][p.first + "-" + p.second] = res.back().g;
    }
    std::ostringstream csv;
    csv << "r";
    for (const auto& p : pp) csv << ',' << p.first << '-' << p.second;
    csv << '\n';
    for (int k = 0; k < *bins; ++k) {
      csv << num(res[0].r[k]);
      for (const auto& r : res) csv << ',' << num(r.g[k]);
      csv << '\n';
    }
    write_json(*o, j);
    write_text(o->csv_out, csv.str());
    std::printf("%zu partial RDFs to %g Å\n", pp.size(), *rmax);
  });
}

void add_vacf(CLI::App& analyze) {
  auto o = std::make_shared<Common>();
  auto species = std::make_shared<std::vector<std::string>>();
  auto max_lag = std::make_shared<double>(0.0);
  auto spec_csv = std::make_shared<std::string>();
  auto c = analyze.add_subcommand(
      "vacf", "Velocity autocorrelation per species and its power spectrum (THz)");
  add_common(c, *o);
  c->add_option("--species", *species, "Species (default: all)");
  c->add_option("--max-lag", *max_lag, "Correlation length (ps); default half the trajectory");
  c->add_option("--spectrum-csv", *spec_csv, "Write the spectra as CSV");
  c->callback([=] {
    const FrameSeries s = load(*o);
    auto sp = *species;
    if (sp.empty()) sp = s.symbols;
    const std::size_t L = lag_frames(s, *max_lag);
    json j{{"velocities", s.has_velocities() ? "stored" : "finite differences"},
           {"t_ps", times(L + 1, s.dt_ps)}};
    std::vector<std::vector<double>> acfs;
    std::vector<Spectrum> specs;
    for (const auto& name : sp) {
      acfs.push_back(vector_acf(velocity_series(s, s.atoms_of(name)), L));
      specs.push_back(power_spectrum(acfs.back(), s.dt_ps));
      j["species"][name] = {{"vacf_A2_per_ps2", acfs.back()},
                            {"spectrum", spectrum_json(specs.back())},
                            {"peak_thz", spectrum_peak(specs.back())}};
      std::printf("%s: VACF(0) = %g Å²/ps², spectrum peak %.3f THz\n", name.c_str(), acfs.back()[0],
                  spectrum_peak(specs.back()));
    }
    std::ostringstream csv, scsv;
    csv << "t_ps";
    scsv << "freq_thz";
    for (const auto& n : sp) csv << ',' << n, scsv << ',' << n;
    csv << '\n';
    scsv << '\n';
    for (std::size_t k = 0; k <= L; ++k) {
      csv << num(k * s.dt_ps);
      for (const auto& a : acfs) csv << ',' << num(a[k]);
      csv << '\n';
    }
    for (std::size_t k = 0; k < specs[0].freq_thz.size(); ++k) {
      scsv << num(specs[0].freq_thz[k]);
      for (const auto& p : specs) scsv << ',' << num(p.power[k]);
      scsv << '\n';
    }
    write_json(*o, j);
    write_text(o->csv_out, csv.str());
    write_text(*spec_csv, scsv.str());
  });
}

// "tau(C1) = 1.23 ps (1/e crossing; exp fit 1.2 ps, KWW 1.3 ps, beta 0.85)" or
// "tau(C1) > 2 ps: not resolved (C1 stays above 1/e in the 2-ps window, lowest 0.91)".
std::string describe_relaxation(const std::string& name, const RelaxationFit& f) {
  char b[320];
  if (!f.resolved)
    std::snprintf(b, sizeof b,
                  "tau(%s) > %.4g ps: not resolved (%s stays above 1/e = 0.368 in the %.4g-ps "
                  "window, lowest %.3f; run longer)",
                  name.c_str(), f.lower_bound_ps, name.c_str(), f.window_ps, f.c_end);
  else if (f.points == 0)
    std::snprintf(b, sizeof b, "tau(%s) = %.4g ps (1/e crossing; too few lags for a fit)",
                  name.c_str(), f.tau_1e_ps);
  else
    std::snprintf(b, sizeof b,
                  "tau(%s) = %.4g ps (1/e crossing; exp fit %.4g ps, KWW %.4g ps with beta "
                  "%.3f, %d lags)",
                  name.c_str(), f.tau_1e_ps, f.tau_exp_ps, f.tau_kww_ps, f.beta, f.points);
  return b;
}

struct ClusterOpts {
  std::string centre = "S", ligand = "O";
  double bond_cutoff = 1.9;
};
void add_cluster_options(CLI::App* c, ClusterOpts& k) {
  c->add_option("--centre", k.centre, "Centre species of the anion clusters (S, Se, B, ...)");
  c->add_option("--ligand", k.ligand, "Ligand species (O, H, ...)");
  c->add_option("--bond-cutoff", k.bond_cutoff, "Centre–ligand bond cutoff (Å)");
}

void add_rotation(CLI::App& analyze) {
  auto o = std::make_shared<Common>();
  auto k = std::make_shared<ClusterOpts>();
  auto max_lag = std::make_shared<double>(0.0);
  auto temp = std::make_shared<double>(300.0);
  auto nth = std::make_shared<int>(36);
  auto nph = std::make_shared<int>(72);
  auto map_csv = std::make_shared<std::string>();
  auto c = analyze.add_subcommand(
      "rotation", "Anion-cluster reorientation C_1, C_2, relaxation times, ρ(θ,φ), A(θ,φ)");
  add_common(c, *o);
  add_cluster_options(c, *k);
  c->add_option("--max-lag", *max_lag, "Correlation length (ps); default half the trajectory");
  c->add_option("-T,--temperature", *temp, "Temperature for A = -kT ln ρ (K)");
  c->add_option("--ntheta", *nth, "Polar-angle bins");
  c->add_option("--nphi", *nph, "Azimuth bins");
  c->add_option("--map-csv", *map_csv, "Write theta,phi,rho,A as CSV");
  c->callback([=] {
    const FrameSeries s = load(*o);
    const auto cl = find_clusters(s, k->centre, k->ligand, k->bond_cutoff);
    const auto u = orientation_vectors(s, cl);
    const std::size_t L = lag_frames(s, *max_lag);
    const auto c1 = reorientation_acf(u, 1, L), c2 = reorientation_acf(u, 2, L);
    const auto f1 = fit_relaxation(c1, s.dt_ps), f2 = fit_relaxation(c2, s.dt_ps);
    const auto w = angular_velocities(s, cl);
    const auto wacf = vector_acf(w, L);
    const Spectrum ws = power_spectrum(wacf, s.dt_ps);
    const AngularMap m = angular_map(u, *nth, *nph, *temp);
    // Times only where the data support them (rotation.hpp): null otherwise, with the bound.
    auto fit_json = [](const RelaxationFit& f) {
      auto value = [&f](double x) { return f.resolved && f.points > 0 ? json(x) : json(nullptr); };
      return json{{"resolved", f.resolved},
                  {"rule", "tau reported only when C falls to 1/e within the analysed window"},
                  {"window_ps", f.window_ps},
                  {"min_C_in_window", f.c_end},
                  {"tau_lower_bound_ps", f.resolved ? json(nullptr) : json(f.lower_bound_ps)},
                  {"tau_1e_ps", f.resolved ? json(f.tau_1e_ps) : json(nullptr)},
                  {"tau_exp_ps", value(f.tau_exp_ps)},
                  {"tau_kww_ps", value(f.tau_kww_ps)},
                  {"beta", value(f.beta)},
                  {"tau_mean_ps", value(f.tau_mean_ps)},
                  {"points", f.points}};
    };
    json cj = json::array();
    for (const auto& x : cl) cj.push_back({{"centre", x.centre}, {"ligands", x.ligands}});
    json fe = json::array();
    for (const auto& row : m.free_energy) fe.push_back(finite_or_null(row));
    json j{{"formula", analysis::reduced_formula(s.types, s.symbols)},
           {"temperature_K", *temp},
           {"centre", k->centre},
           {"ligand", k->ligand},
           {"bond_cutoff", k->bond_cutoff},
           {"clusters", cj},
           {"t_ps", times(L + 1, s.dt_ps)},
           {"C1", c1},
           {"C2", c2},
           {"fit_C1", fit_json(f1)},
           {"fit_C2", fit_json(f2)},
           {"angular_velocity_acf_rad2_per_ps2", wacf},
           {"angular_velocity_spectrum", spectrum_json(ws)},
           {"map",
            {{"n_theta", *nth},
             {"n_phi", *nph},
             {"temperature_K", *temp},
             {"rho_per_sr", m.rho},
             {"free_energy_eV", fe}}}};
    write_json(*o, j);
    std::ostringstream csv;
    csv << "t_ps,C1,C2\n";
    for (std::size_t t = 0; t <= L; ++t)
      csv << num(t * s.dt_ps) << ',' << num(c1[t]) << ',' << num(c2[t]) << '\n';
    write_text(o->csv_out, csv.str());
    std::ostringstream mc;
    mc << "theta_deg,phi_deg,rho_per_sr,free_energy_eV\n";
    for (int i = 0; i < *nth; ++i)
      for (int jj = 0; jj < *nph; ++jj)
        mc << num((i + 0.5) * 180.0 / *nth) << ',' << num(-180.0 + (jj + 0.5) * 360.0 / *nph) << ','
           << num(m.rho[i][jj]) << ',' << num(m.free_energy[i][jj]) << '\n';
    write_text(*map_csv, mc.str());
    std::printf("%zu %s%s clusters, correlation window %.4g ps\n", cl.size(), k->centre.c_str(),
                k->ligand.c_str(), f1.window_ps);
    std::printf("%s\n%s\n", describe_relaxation("C1", f1).c_str(),
                describe_relaxation("C2", f2).c_str());
  });
}

void add_density(CLI::App& analyze) {
  auto o = std::make_shared<Common>();
  auto sp = std::make_shared<std::string>("Na");
  auto opt = std::make_shared<DensityOptions>();
  auto convention = std::make_shared<std::string>("pymatgen");
  auto drift = std::make_shared<std::string>("auto");
  auto cube = std::make_shared<std::string>();
  auto chgcar = std::make_shared<std::string>();
  auto c = analyze.add_subcommand(
      "density", "Probability density of a species on a grid (cube / CHGCAR for VESTA)");
  add_common(c, *o);
  c->add_option("--species", *sp, "Species");
  c->add_option("--spacing", opt->spacing, "Grid spacing (Å; pymatgen's interval)");
  c->add_option("--convention", *convention,
                "pymatgen (ProbabilityDensityAnalysis exactly: points k*spacing/|a|, nearest "
                "point) | even (ceil(|a|/spacing) evenly spaced points, the cube/CHGCAR layout)")
      ->check(CLI::IsMember({"pymatgen", "even"}));
  c->add_option("--drift", *drift,
                "framework drift removed first: auto (yes for a pymatgen DiffusionAnalyzer JSON, "
                "as from_diffusion_analyzer; no otherwise) | yes (framework = atoms not of the "
                "analyzer's specie, else not of --species) | no")
      ->check(CLI::IsMember({"auto", "yes", "no"}));
  c->add_option("--cube", *cube, "Write a Gaussian cube file (Bohr⁻³, integrates to 1)");
  c->add_option("--chgcar", *chgcar,
                "Write a CHGCAR file (pymatgen convention: values as pymatgen's to_chgcar, "
                "rho*V/0.5291772083^3; even: rho*V)");
  c->callback([=] {
    const FrameSeries s = load(*o);
    DensityOptions d = *opt;
    d.convention = *convention == "even" ? DensityConvention::kEven : DensityConvention::kPymatgen;
    const bool remove_drift = *drift == "yes" || (*drift == "auto" && !s.analyzer_specie.empty());
    if (remove_drift)
      d.framework = s.atoms_not_of(s.analyzer_specie.empty() ? *sp : s.analyzer_specie);
    const DensityGrid g = probability_density(s, s.atoms_of(*sp), d);
    const DensityStats st = density_stats(g);
    if (!cube->empty()) write_cube(*cube, g, s);
    if (!chgcar->empty()) write_chgcar(*chgcar, g, s);
    if (!o->csv_out.empty()) write_density_csv(o->csv_out, g);
    const Vec3 at{st.argmax[0] * g.step[0], st.argmax[1] * g.step[1], st.argmax[2] * g.step[2]};
    write_json(*o, {{"species", *sp},
                    {"convention", *convention},
                    {"spacing_A", d.spacing},
                    {"drift_removed", remove_drift},
                    {"framework_atoms", d.framework.size()},
                    {"grid", {g.n[0], g.n[1], g.n[2]}},
                    {"grid_step_frac", {g.step[0], g.step[1], g.step[2]}},
                    {"voxel_volume_A3", g.voxel_volume},
                    {"samples", g.samples},
                    {"max_density_per_A3", st.max},
                    {"max_at_frac", {at.x, at.y, at.z}},
                    {"min_density_per_A3", st.min},
                    {"integral", st.integral}});
    std::printf(
        "%s density (%s convention%s) on %d x %d x %d grid points from %zu samples: max %.10g "
        "A^-3 at fractional (%.4f, %.4f, %.4f), min %.10g A^-3, integral %.12g\n",
        sp->c_str(), convention->c_str(), remove_drift ? ", framework drift removed" : "", g.n[0],
        g.n[1], g.n[2], g.samples, st.max, at.x, at.y, at.z, st.min, st.integral);
  });
}

void add_ldfc(CLI::App& analyze) {
  auto o = std::make_shared<Common>();
  auto l = std::make_shared<LdfcOptions>();
  auto k = std::make_shared<ClusterOpts>();
  auto c = analyze.add_subcommand(
      "ldfc", "LDFC = ν(Na VACF) − ν(cluster angular-velocity ACF), low-frequency centroids");
  add_common(c, *o);
  add_cluster_options(c, *k);
  c->add_option("--mobile", l->mobile, "Mobile species");
  c->add_option("--cutoff-thz", l->cutoff_thz,
                "Low-frequency band [0, cutoff] for the centroids (THz)");
  c->add_option("--max-lag", l->max_lag_ps, "Correlation length (ps); default half the trajectory");
  c->callback([=] {
    const FrameSeries s = load(*o);
    LdfcOptions opt = *l;
    opt.centre = k->centre;
    opt.ligand = k->ligand;
    opt.bond_cutoff = k->bond_cutoff;
    const LdfcResult r = compute_ldfc(s, opt);
    write_json(*o, {{"nu_mobile_thz", r.nu_na},
                    {"nu_rotation_thz", r.nu_rot},
                    {"ldfc_thz", r.ldfc},
                    {"cutoff_thz", opt.cutoff_thz},
                    {"n_clusters", r.n_clusters},
                    {"mobile_spectrum", spectrum_json(r.na)},
                    {"rotation_spectrum", spectrum_json(r.rot)}});
    // --csv: both spectra on their common frequency grid (same lags, same Δt).
    std::ostringstream csv;
    csv << "freq_thz,mobile_power_per_thz,rotation_power_per_thz\n";
    for (std::size_t k = 0; k < r.na.freq_thz.size() && k < r.rot.power.size(); ++k)
      csv << num(r.na.freq_thz[k]) << ',' << num(r.na.power[k]) << ',' << num(r.rot.power[k])
          << '\n';
    write_text(o->csv_out, csv.str());
    std::printf("nu(%s) = %.4f THz, nu(rot) = %.4f THz, LDFC = %.4f THz\n", opt.mobile.c_str(),
                r.nu_na, r.nu_rot, r.ldfc);
  });
}

}  // namespace

void register_mechanism_commands(CLI::App& analyze, CLI::App& bench) {
  add_hops(analyze);
  add_vanhove(analyze);
  add_rdf(analyze);
  add_vacf(analyze);
  add_rotation(analyze);
  add_density(analyze);
  add_ldfc(analyze);
}

}  // namespace superion::cli
