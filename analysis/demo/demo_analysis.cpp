// Analysis stage of `superion demo`; see demo_analysis.hpp.
#include "demo_analysis.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "mechanism/hops.hpp"
#include "mechanism/ldfc.hpp"
#include "mechanism/rotation.hpp"
#include "mechanism/series.hpp"
#include "mechanism/structure_fns.hpp"
#include "trajectory.hpp"
#include "trajectory_window.hpp"

namespace superion::demo {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kBondCutoff = 1.9;  // Å: S–O 1.50, Se–O 1.66; O–O within a tetrahedron 2.4–2.7

std::string num(double x) {
  if (!std::isfinite(x)) return "nan";
  char b[32];
  std::snprintf(b, sizeof b, "%.8g", x);
  return b;
}

void write_text(const fs::path& p, const std::string& text) {
  AtomicFile f(p);
  f.stream() << text;
  f.commit();
}

std::unique_ptr<analysis::TrajectoryReader> open_after(const fs::path& traj, double skip_ps) {
  analysis::TimeWindow w;
  if (skip_ps > 0) w.start_ps = skip_ps;
  return analysis::apply_time_window(analysis::open_trajectory(traj.string()), w);
}

mechanism::HopOptions hop_options() {
  mechanism::HopOptions h;
  h.t_p_ps = 1.0;
  h.a = 1.5;
  h.t_a_ps = 0.5;
  return h;
}

// Time at which c first falls below 1/e (linear interpolation), NaN when it does not.
double one_over_e_time(const std::vector<double>& c, double dt) {
  const double e1 = std::exp(-1.0);
  for (std::size_t k = 1; k < c.size(); ++k)
    if (c[k] < e1) return dt * (k - 1 + (c[k - 1] - e1) / (c[k - 1] - c[k]));
  return kNaN;
}

}  // namespace

RunDiffusion analyze_run(const fs::path& traj, const std::string& tag, double T, double skip_ps,
                         const std::string& /*species_centre*/, const fs::path& out_dir) {
  RunDiffusion r;
  r.tag = tag;
  r.T = T;
  try {
    auto reader = open_after(traj, skip_ps);
    analysis::DiffusionOptions o;
    o.species = "Na";
    o.temperature_K = T;
    r.d = analysis::analyze_diffusion(*reader, o);
    r.max_msd_A2 = r.d.msd.empty() ? 0.0 : *std::max_element(r.d.msd.begin(), r.d.msd.end());
    reader->rewind();
    const mechanism::FrameSeries s = mechanism::load_series(*reader);
    const auto na = s.atoms_of("Na");
    r.hop_events = static_cast<long>(mechanism::analyse_hops(s, na, hop_options()).events.size());
    r.ok = true;
    fs::create_directories(out_dir);
    analysis::write_diffusion_json(r.d, (out_dir / ("diffusion_" + tag + ".json")).string());
    analysis::write_msd_csv(r.d, (out_dir / ("msd_" + tag + ".csv")).string());
  } catch (const Error& e) {
    r.error = e.what();
  }
  return r;
}

TemperatureD combine(const std::vector<RunDiffusion>& runs) {
  TemperatureD t;
  double sum = 0, sum2 = 0, ne = 0;
  for (const auto& r : runs) {
    if (!r.ok) continue;
    t.T = r.T;
    ++t.replicas;
    t.D_replicas.push_back(r.d.D);
    sum += r.d.D;
    sum2 += r.d.D * r.d.D;
    ne += r.d.ne_factor;
    t.hop_events += r.hop_events;
    t.max_msd_A2 = std::max(t.max_msd_A2, r.max_msd_A2);
  }
  if (t.replicas == 0) {
    t.D = t.D_err = kNaN;
    return t;
  }
  const double n = t.replicas;
  t.D = sum / n;
  t.ne_factor = ne / n;
  if (t.replicas == 1) {
    for (const auto& r : runs)
      if (r.ok) t.D_err = r.d.D_err;
  } else {
    const double var = std::max(0.0, (sum2 - n * t.D * t.D) / (n - 1));
    t.D_err = std::sqrt(var / n);
  }
  t.diffusive = t.hop_events >= kMinHops && t.D > 0 && std::isfinite(t.D);
  return t;
}

ArrheniusSummary arrhenius_of(const std::vector<TemperatureD>& temps, double ne_factor_300,
                              double resolve_rel_err, const fs::path& json_out) {
  ArrheniusSummary a;
  std::vector<analysis::ArrheniusPoint> pts;
  for (const auto& t : temps) {
    if (t.diffusive && t.D_err > 0 && std::isfinite(t.D_err)) {
      pts.push_back({t.T, t.D, t.D_err, t.ne_factor * t.T});
      a.temperatures_used.push_back(t.T);
    } else {
      a.temperatures_excluded.push_back(t.T);
    }
  }
  if (pts.size() < 2) {
    a.reason = "fewer than 2 temperatures with Na diffusion (>= " + std::to_string(kMinHops) +
               " hop events and D > 0)";
    return a;
  }
  a.fit = analysis::fit_arrhenius(pts);
  a.fitted = true;
  if (!json_out.empty()) analysis::write_arrhenius_json(a.fit, pts, 300.0, json_out.string());
  a.D300 = a.fit.D_at(300.0);
  a.D300_err = a.fit.D_err_at(300.0);
  a.sigma300 = a.D300 * ne_factor_300;
  a.sigma300_err = a.D300_err * ne_factor_300;
  const double rel = a.fit.Ea_err_eV / a.fit.Ea_eV;
  if (pts.size() < 3)
    a.reason = "only " + std::to_string(pts.size()) + " temperatures with Na diffusion (need 3)";
  else if (!(a.fit.Ea_eV > 0))
    a.reason = "the fitted Ea is not positive";
  else if (!(rel <= resolve_rel_err)) {
    char pct[32];
    std::snprintf(pct, sizeof pct, "%.0f", 100 * rel);
    a.reason = "Ea error " + std::string(pct) + " % exceeds " + num(100 * resolve_rel_err) + " %";
  }
  a.resolved = a.reason.empty();
  return a;
}

Agreement compare_D(const TemperatureD& m, const TemperatureD& r) {
  Agreement g;
  g.T = m.T;
  const double rel = std::hypot(m.D_err / m.D, r.D_err / r.D);
  g.z = (std::log(m.D) - std::log(r.D)) / rel;
  g.agree = std::isfinite(g.z) && std::abs(g.z) <= 2.0;
  return g;
}

Reorientation reorientation_of(const fs::path& traj, double skip_ps, const std::string& centre) {
  Reorientation r;
  auto reader = open_after(traj, skip_ps);
  const mechanism::FrameSeries s = mechanism::load_series(*reader);
  const auto clusters = mechanism::find_clusters(s, centre, "O", kBondCutoff);
  const auto u = mechanism::orientation_vectors(s, clusters);
  const std::size_t L = s.n_frames() / 2;
  r.dt_ps = s.dt_ps;
  r.clusters = static_cast<int>(clusters.size());
  r.C1 = mechanism::reorientation_acf(u, 1, L);
  r.C2 = mechanism::reorientation_acf(u, 2, L);
  r.t_max_ps = L * s.dt_ps;
  const double t1 = one_over_e_time(r.C1, s.dt_ps), t2 = one_over_e_time(r.C2, s.dt_ps);
  r.tau1_reached = std::isfinite(t1);
  r.tau2_reached = std::isfinite(t2);
  r.tau1_ps = r.tau1_reached ? t1 : r.t_max_ps;
  r.tau2_ps = r.tau2_reached ? t2 : r.t_max_ps;
  return r;
}

json mechanism_of(const fs::path& traj, double T, double skip_ps, const std::string& centre,
                  const fs::path& out) {
  fs::create_directories(out);
  auto reader = open_after(traj, skip_ps);
  const mechanism::FrameSeries s = mechanism::load_series(*reader);
  const auto na = s.atoms_of("Na");
  json j{{"T_K", T}, {"frames", s.n_frames()}, {"dt_ps", s.dt_ps}};

  // Hop events: raster (atom, start, end) and counts.
  const mechanism::HopOptions ho = hop_options();
  const mechanism::HopResult h = mechanism::analyse_hops(s, na, ho);
  {
    std::ostringstream csv;
    csv << "atom,start_ps,end_ps,centre_ps\n";
    for (const auto& e : h.events)
      csv << e.atom << ',' << num(e.start * s.dt_ps) << ',' << num(e.end * s.dt_ps) << ','
          << num(e.centre() * s.dt_ps) << '\n';
    write_text(out / "hop_events.csv", csv.str());
  }
  double freq = 0;
  for (double f : h.hop_frequency_per_atom) freq += f;
  j["hops"] = {{"t_p_ps", ho.t_p_ps},
               {"a_A", ho.a},
               {"t_a_ps", ho.t_a_ps},
               {"events", h.events.size()},
               {"na_atoms", na.size()},
               {"mean_hop_frequency_per_atom_per_ps", na.empty() ? 0.0 : freq / na.size()},
               {"concerted_histogram", h.concerted_histogram}};

  // Van Hove G_s and G_d of Na at a few lags.
  mechanism::VanHoveOptions vo;
  vo.r_max = 8.0;
  vo.n_grid = 161;
  vo.sigma = 0.1;
  vo.origin_stride = std::max(1, static_cast<int>(std::lround(0.1 / s.dt_ps)));
  std::vector<double> lag_ps;
  for (double t : {0.5, 1.0, 2.0, 5.0})
    if (t < 0.5 * s.n_frames() * s.dt_ps) lag_ps.push_back(t);
  for (double t : lag_ps) vo.lags.push_back(static_cast<int>(std::lround(t / s.dt_ps)));
  if (!vo.lags.empty()) {
    const mechanism::VanHoveResult v = mechanism::van_hove(s, na, na, vo);
    std::ostringstream csv;
    csv << "r_A";
    for (double t : lag_ps) csv << ",gs4pir2_t" << num(t) << ",gd_t" << num(t);
    csv << '\n';
    for (std::size_t k = 0; k < v.r.size(); ++k) {
      csv << num(v.r[k]);
      for (std::size_t l = 0; l < lag_ps.size(); ++l)
        csv << ',' << num(v.gs_4pir2[l][k]) << ',' << num(v.gd[l][k]);
      csv << '\n';
    }
    write_text(out / "vanhove.csv", csv.str());
    j["vanhove"] = {{"lags_ps", lag_ps}, {"sigma_A", vo.sigma}, {"r_max_A", vo.r_max}};
  }

  // Reorientation and the angular free energy A(theta, phi).
  const auto clusters = mechanism::find_clusters(s, centre, "O", kBondCutoff);
  const auto u = mechanism::orientation_vectors(s, clusters);
  const std::size_t L = s.n_frames() / 2;
  const auto c1 = mechanism::reorientation_acf(u, 1, L), c2 = mechanism::reorientation_acf(u, 2, L);
  {
    std::ostringstream csv;
    csv << "t_ps,C1,C2\n";
    for (std::size_t k = 0; k < c1.size(); ++k)
      csv << num(k * s.dt_ps) << ',' << num(c1[k]) << ',' << num(c2[k]) << '\n';
    write_text(out / "reorientation.csv", csv.str());
  }
  const double t1 = one_over_e_time(c1, s.dt_ps), t2 = one_over_e_time(c2, s.dt_ps);
  auto tau_json = [&](double t) {
    return std::isfinite(t) ? json{{"tau_ps", t}, {"reached", true}}
                            : json{{"tau_lower_bound_ps", L * s.dt_ps}, {"reached", false}};
  };
  j["reorientation"] = {{"clusters", clusters.size()},
                        {"tau_rule", "time where C_l first falls below 1/e within half the run"},
                        {"C1", tau_json(t1)},
                        {"C2", tau_json(t2)}};
  const int nth = 36, nph = 72;
  const mechanism::AngularMap m = mechanism::angular_map(u, nth, nph, T);
  {
    std::ostringstream csv;
    csv << "theta_deg,phi_deg,rho_per_sr,free_energy_eV\n";
    for (int i = 0; i < nth; ++i)
      for (int k = 0; k < nph; ++k)
        csv << num((i + 0.5) * 180.0 / nth) << ',' << num(-180.0 + (k + 0.5) * 360.0 / nph) << ','
            << num(m.rho[i][k]) << ','
            << (std::isfinite(m.free_energy[i][k]) ? num(m.free_energy[i][k]) : "inf") << '\n';
    write_text(out / "angular_map.csv", csv.str());
  }

  // LDFC: Na VACF spectrum vs the anions' angular-velocity spectrum (low-frequency centroids).
  mechanism::LdfcOptions lo;
  lo.centre = centre;
  lo.bond_cutoff = kBondCutoff;
  const mechanism::LdfcResult l = mechanism::compute_ldfc(s, lo);
  {
    std::ostringstream csv;
    csv << "freq_THz,S_Na,S_rot\n";
    for (std::size_t k = 0; k < l.na.freq_thz.size() && k < l.rot.power.size(); ++k)
      csv << num(l.na.freq_thz[k]) << ',' << num(l.na.power[k]) << ',' << num(l.rot.power[k])
          << '\n';
    write_text(out / "ldfc_spectra.csv", csv.str());
  }
  j["ldfc"] = {{"nu_Na_THz", l.nu_na},
               {"nu_rot_THz", l.nu_rot},
               {"LDFC_THz", l.ldfc},
               {"cutoff_THz", lo.cutoff_thz}};
  return j;
}

}  // namespace superion::demo
