// Arrhenius fit with covariance propagation; see arrhenius.hpp.
#include "arrhenius.hpp"

#include <cmath>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/units.hpp"

namespace superion::analysis {
namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

ArrheniusFit fit_arrhenius(const std::vector<ArrheniusPoint>& pts) {
  if (pts.size() < 2)
    throw Error("Arrhenius fit needs at least 2 temperatures, got " + std::to_string(pts.size()));
  bool all_err = true;
  for (const auto& p : pts) {
    if (!(p.T > 0) || !(p.D > 0)) throw Error("Arrhenius points need T > 0 and D > 0");
    if (!(p.D_err > 0)) all_err = false;
  }
  ArrheniusFit f;
  f.n = pts.size();
  f.weighted = all_err;
  // y = a + b·x with x = 1/T, y = ln D.
  double sw = 0, sx = 0, sy = 0;
  std::vector<double> w(pts.size());
  for (std::size_t i = 0; i < pts.size(); ++i) {
    w[i] = all_err ? std::pow(pts[i].D / pts[i].D_err, 2) : 1.0;
    sw += w[i];
    sx += w[i] / pts[i].T;
    sy += w[i] * std::log(pts[i].D);
  }
  const double xb = sx / sw, yb = sy / sw;
  double sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    const double dx = 1.0 / pts[i].T - xb;
    sxx += w[i] * dx * dx;
    sxy += w[i] * dx * (std::log(pts[i].D) - yb);
  }
  if (!(sxx > 1e-20 * sw * xb * xb))
    throw Error("Arrhenius fit needs at least 2 different temperatures");
  const double b = sxy / sxx, a = yb - b * xb;
  // (XᵀWX)⁻¹ for the centred parametrisation, mapped back to (a, b).
  double scale = 1.0, chi2 = 0;
  for (std::size_t i = 0; i < pts.size(); ++i)
    chi2 += w[i] * std::pow(std::log(pts[i].D) - a - b / pts[i].T, 2);
  const double dof = static_cast<double>(pts.size()) - 2.0;
  f.chi2_reduced = dof > 0 ? chi2 / dof : kNaN;
  if (!all_err)
    scale = dof > 0 ? chi2 / dof : kNaN;
  else if (dof > 0 && chi2 / dof > 1.0)
    scale = chi2 / dof;  // scatter beyond the stated errors: inflate (Birge ratio), never shrink
  f.cov_bb = scale / sxx;
  f.cov_ab = -xb * f.cov_bb;
  f.cov_aa = scale / sw + xb * xb * f.cov_bb;
  const double k = units::kBoltzmann_eV_K;
  f.Ea_eV = -b * k;
  f.Ea_err_eV = std::sqrt(f.cov_bb) * k;
  f.ln_D0 = a;
  f.prefactor_cm2_s = std::exp(a);
  f.prefactor_err_cm2_s = f.prefactor_cm2_s * std::sqrt(f.cov_aa);
  double fsum = 0;
  int fn = 0;
  for (const auto& p : pts)
    if (p.ne_factor_times_T > 0) fsum += p.ne_factor_times_T, ++fn;
  f.ne_factor_times_T = fn ? fsum / fn : 0.0;
  return f;
}

double ArrheniusFit::D_at(double T) const {
  return std::exp(ln_D0 - Ea_eV / (units::kBoltzmann_eV_K * T));
}
double ArrheniusFit::D_err_at(double T) const {
  const double x = 1.0 / T;
  return D_at(T) * std::sqrt(cov_aa + 2.0 * x * cov_ab + x * x * cov_bb);
}
double ArrheniusFit::sigma_at(double T) const {
  return ne_factor_times_T > 0 ? ne_factor_times_T / T * D_at(T) : kNaN;
}
double ArrheniusFit::sigma_err_at(double T) const {
  return ne_factor_times_T > 0 ? ne_factor_times_T / T * D_err_at(T) : kNaN;
}

ArrheniusPoint read_arrhenius_point_json(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path, 0, "cannot open file");
  nlohmann::json j;
  try {
    in >> j;
    ArrheniusPoint p;
    p.T = j.at("temperature_K").get<double>();
    p.D = j.at("D_cm2_s").get<double>();
    if (j.contains("D_err_cm2_s") && j["D_err_cm2_s"].is_number())
      p.D_err = j["D_err_cm2_s"].get<double>();
    if (j.contains("nernst_einstein_factor_mS_cm_per_cm2_s"))
      p.ne_factor_times_T = j["nernst_einstein_factor_mS_cm_per_cm2_s"].get<double>() * p.T;
    p.clipped = j.value("D_clipped", false);
    p.species = j.value("species", std::string());
    p.formula = j.value("formula", std::string());
    p.source = path;
    return p;
  } catch (const nlohmann::json::exception& e) {
    throw InputError(
        path, 0,
        std::string("expected a superion diffusion JSON (temperature_K, D_cm2_s): ") + e.what());
  }
}

std::vector<ArrheniusPoint> read_arrhenius_table(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path, 0, "cannot open file");
  std::string line;
  long ln = 0;
  auto split = [](const std::string& s) {
    std::vector<std::string> out;
    std::stringstream ss(s);
    std::string t;
    while (std::getline(ss, t, ',')) {
      const auto b = t.find_first_not_of(" \t\r"), e = t.find_last_not_of(" \t\r");
      out.push_back(b == std::string::npos ? "" : t.substr(b, e - b + 1));
    }
    return out;
  };
  if (!std::getline(in, line))
    throw InputError(path, 1, "empty file; expected a header T_K,D_cm2_s[,D_err_cm2_s]");
  ++ln;
  const auto head = split(line);
  int cT = -1, cD = -1, cE = -1, cF = -1;
  for (int i = 0; i < static_cast<int>(head.size()); ++i) {
    if (head[i] == "T_K") cT = i;
    if (head[i] == "D_cm2_s") cD = i;
    if (head[i] == "D_err_cm2_s") cE = i;
    if (head[i] == "sigma_factor_T") cF = i;
  }
  if (cT < 0 || cD < 0) throw InputError(path, 1, "header must name columns T_K and D_cm2_s");
  std::vector<ArrheniusPoint> pts;
  while (std::getline(in, line)) {
    ++ln;
    if (line.find_first_not_of(" \t\r") == std::string::npos || line[0] == '#') continue;
    const auto c = split(line);
    auto num = [&](int col) {
      if (col >= static_cast<int>(c.size()))
        throw InputError(path, ln, "missing column " + head[col]);
      try {
        std::size_t pos = 0;
        const double v = std::stod(c[col], &pos);
        if (pos != c[col].size()) throw std::invalid_argument("x");
        return v;
      } catch (const std::exception&) {
        throw InputError(path, ln,
                         "expected a number in column " + head[col] + ", got '" + c[col] + "'");
      }
    };
    ArrheniusPoint p;
    p.T = num(cT);
    p.D = num(cD);
    if (cE >= 0) p.D_err = num(cE);
    if (cF >= 0) p.ne_factor_times_T = num(cF);
    if (!(p.T > 0) || !(p.D > 0)) throw InputError(path, ln, "T_K and D_cm2_s must be positive");
    pts.push_back(p);
  }
  return pts;
}

void write_arrhenius_json(const ArrheniusFit& f, const std::vector<ArrheniusPoint>& pts, double T,
                          const std::string& path, const std::vector<ArrheniusPoint>& excluded) {
  auto num = [](double v) {
    return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
  };
  nlohmann::json j;
  j["Ea_eV"] = num(f.Ea_eV);
  j["Ea_err_eV"] = num(f.Ea_err_eV);
  j["prefactor_cm2_s"] = num(f.prefactor_cm2_s);
  j["prefactor_err_cm2_s"] = num(f.prefactor_err_cm2_s);
  j["weighted"] = f.weighted;
  j["chi2_reduced"] = num(f.chi2_reduced);
  j["covariance_lnD0_b"] = {{num(f.cov_aa), num(f.cov_ab)}, {num(f.cov_ab), num(f.cov_bb)}};
  j["extrapolation_T_K"] = T;
  j["D_extrap_cm2_s"] = num(f.D_at(T));
  j["D_extrap_err_cm2_s"] = num(f.D_err_at(T));
  j["sigma_extrap_mS_cm"] = num(f.sigma_at(T));
  j["sigma_extrap_err_mS_cm"] = num(f.sigma_err_at(T));
  nlohmann::json p = nlohmann::json::array();
  for (const auto& q : pts)
    p.push_back(
        {{"T_K", q.T}, {"D_cm2_s", q.D}, {"D_err_cm2_s", q.D_err}, {"inv_T_1000", 1000.0 / q.T}});
  j["points"] = p;
  // Temperatures left out of the fit (D clipped at the floor: upper bounds, not data).
  nlohmann::json ex = nlohmann::json::array();
  for (const auto& q : excluded)
    ex.push_back({{"T_K", q.T},
                  {"D_upper_bound_cm2_s", q.D},
                  {"inv_T_1000", 1000.0 / q.T},
                  {"reason", "no diffusion resolved: the MSD slope is at pymatgen's floor"},
                  {"file", q.source}});
  j["excluded_points"] = ex;
  for (const char* key : {"species", "formula"}) {
    std::string v;
    for (const auto& q : pts) {
      const std::string& x = std::string(key) == "species" ? q.species : q.formula;
      if (x.empty() || (!v.empty() && x != v)) {
        v.clear();
        break;
      }
      v = x;
    }
    if (!v.empty()) j[key] = v;
  }
  // A smooth fitted line for plots (1000/T from the data range to the extrapolation T).
  double xmin = 1000.0 / T, xmax = 1000.0 / T;
  for (const auto& q : pts)
    xmin = std::min(xmin, 1000.0 / q.T), xmax = std::max(xmax, 1000.0 / q.T);
  nlohmann::json line = nlohmann::json::array();
  for (int i = 0; i <= 50; ++i) {
    const double x = xmin + (xmax - xmin) * i / 50.0, t = 1000.0 / x;
    line.push_back(
        {{"inv_T_1000", x}, {"D_cm2_s", f.D_at(t)}, {"D_err_cm2_s", num(f.D_err_at(t))}});
  }
  j["fit_line"] = line;
  AtomicFile out(path);
  out.stream() << j.dump(2) << "\n";
  out.commit();
}

}  // namespace superion::analysis
