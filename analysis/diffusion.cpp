// Diffusion analysis pipeline: stream + unwrap + drift removal (pass 1), FFT MSD per atom and
// direction in memory-bounded chunks (pass 2), pymatgen-convention fits and error estimates.
#include "diffusion.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <numeric>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/geometry.hpp"
#include "core/progress.hpp"
#include "core/units.hpp"

namespace superion::analysis {
namespace {

// Frame-major store of drift-corrected displacements [frame][atom][3], in RAM up to a budget and
// in an anonymous temporary file (deleted on close) beyond it.
class DisplacementStore {
 public:
  DisplacementStore(std::size_t n_atoms, std::size_t budget_bytes)
      : n_(n_atoms), budget_(budget_bytes) {}
  void append(const std::vector<double>& frame) {
    if (!file_ && (ram_.size() + frame.size()) * sizeof(double) > budget_) spill();
    if (file_) {
      if (std::fwrite(frame.data(), sizeof(double), frame.size(), file_.get()) != frame.size())
        throw Error("writing the temporary displacement file failed (disk full?)");
    } else {
      ram_.insert(ram_.end(), frame.begin(), frame.end());
    }
    ++frames_;
  }
  long frames() const { return frames_; }
  bool spilled() const { return static_cast<bool>(file_); }
  std::size_t bytes() const { return static_cast<std::size_t>(frames_) * n_ * 3 * sizeof(double); }
  // series[(a − a0)·3 + k][t] for atoms [a0, a1).
  void gather(std::size_t a0, std::size_t a1, std::vector<double>& series) {
    const std::size_t nc = a1 - a0, f = static_cast<std::size_t>(frames_);
    series.resize(nc * 3 * f);
    std::vector<double> row(nc * 3);
    if (file_ && std::fflush(file_.get()) != 0)
      throw Error("flushing the temporary displacement file failed");
    for (std::size_t t = 0; t < f; ++t) {
      const double* src;
      if (file_) {
        const long long off = static_cast<long long>((t * n_ + a0) * 3 * sizeof(double));
        if (fseeko(file_.get(), static_cast<off_t>(off), SEEK_SET) != 0 ||
            std::fread(row.data(), sizeof(double), row.size(), file_.get()) != row.size())
          throw Error("reading the temporary displacement file failed");
        src = row.data();
      } else {
        src = ram_.data() + (t * n_ + a0) * 3;
      }
      for (std::size_t j = 0; j < nc * 3; ++j) series[j * f + t] = src[j];
    }
    if (file_) std::fseek(file_.get(), 0, SEEK_END);
  }

 private:
  void spill() {
    file_.reset(std::tmpfile());
    if (!file_) throw Error("cannot create a temporary file to spill displacements (set TMPDIR)");
    if (!ram_.empty() &&
        std::fwrite(ram_.data(), sizeof(double), ram_.size(), file_.get()) != ram_.size())
      throw Error("writing the temporary displacement file failed (disk full?)");
    std::vector<double>().swap(ram_);
  }
  struct FileClose {
    void operator()(std::FILE* f) const { std::fclose(f); }
  };
  std::size_t n_, budget_;
  long frames_ = 0;
  std::vector<double> ram_;
  std::unique_ptr<std::FILE, FileClose> file_;
};

constexpr double kA2psToCm2s = 1e-4;  // Å²/ps → cm²/s

}  // namespace

LineFit fit_line(const std::vector<double>& t, const std::vector<double>& y,
                 const std::vector<double>& w) {
  LineFit f;
  f.n = t.size();
  if (t.size() < 2 || y.size() != t.size() || w.size() != t.size())
    throw Error("fit_line: need >= 2 points");
  double sw = 0, st = 0, sy = 0;
  for (std::size_t k = 0; k < t.size(); ++k) {
    sw += w[k];
    st += w[k] * t[k];
    sy += w[k] * y[k];
  }
  const double tb = st / sw, yb = sy / sw;
  double sxx = 0, sxy = 0;
  for (std::size_t k = 0; k < t.size(); ++k) {
    sxx += w[k] * (t[k] - tb) * (t[k] - tb);
    sxy += w[k] * (t[k] - tb) * (y[k] - yb);
  }
  if (!(sxx > 0)) throw Error("fit_line: all times are equal");
  f.slope = sxy / sxx;
  f.intercept = yb - f.slope * tb;
  for (std::size_t k = 0; k < t.size(); ++k) {
    const double r = y[k] - f.slope * t[k] - f.intercept;
    f.residual += w[k] * r * r;
  }
  return f;
}

double default_ion_charge(const std::string& s) {
  static const std::map<std::string, double> z = {
      {"H", 1},  {"Li", 1},  {"Na", 1},  {"K", 1},  {"Rb", 1}, {"Cs", 1}, {"Ag", 1},
      {"Cu", 1}, {"Tl", 1},  {"Mg", 2},  {"Ca", 2}, {"Sr", 2}, {"Ba", 2}, {"Zn", 2},
      {"F", -1}, {"Cl", -1}, {"Br", -1}, {"I", -1}, {"O", -2}, {"S", -2}, {"Al", 3}};
  auto it = z.find(s);
  return it == z.end() ? 0.0 : it->second;
}

double nernst_einstein_factor(std::size_t n_ions, double volume_A3, double charge,
                              double temperature_K) {
  using namespace units;
  const double v_cm3 = volume_A3 * 1e-24;
  const double gas_constant = kAvogadro * kBoltzmann_J_K;
  const double fe = kAvogadro * kElementaryCharge_C;
  return 1000.0 * static_cast<double>(n_ions) / (v_cm3 * kAvogadro) * charge * charge * fe * fe /
         (gas_constant * temperature_K);
}

DiffusionResult analyze_diffusion(TrajectoryReader& reader, const DiffusionOptions& opt) {
  const TrajectorySystem& sys = reader.system();
  const std::string src = reader.source();
  const std::vector<std::size_t> ions = sys.indices_of(opt.species);
  if (ions.empty()) {
    std::string have;
    for (const auto& s : sys.species_symbols) have += (have.empty() ? "" : ", ") + s;
    throw InputError(
        src, 0, "species '" + opt.species + "' is not in the trajectory (species: " + have + ")");
  }
  if (!(opt.temperature_K > 0)) throw Error("temperature must be positive (K)");
  std::vector<std::size_t> framework;
  {
    std::vector<char> is_ion(sys.size(), 0);
    for (auto i : ions) is_ion[i] = 1;
    for (std::size_t i = 0; i < sys.size(); ++i)
      if (!is_ion[i]) framework.push_back(i);
  }
  DiffusionResult r;
  r.species = opt.species;
  r.formula = reduced_formula(sys.types, sys.species_symbols);
  r.smoothing = opt.smoothing;
  r.temperature_K = opt.temperature_K;
  r.n_ions = ions.size();
  r.n_framework = framework.size();
  r.charge = opt.charge != 0 ? opt.charge : default_ion_charge(opt.species);
  if (r.charge == 0)
    throw Error("no default charge for species '" + opt.species + "': give --charge");

  // ---- pass 1: unwrap, remove drift, store ion displacements, collective series
  const std::size_t n = sys.size(), ni = ions.size();
  DisplacementStore store(ni, opt.memory_budget_bytes / 2);
  std::vector<double> com;  // [frame][3], Σ over ions of corrected displacement
  std::vector<Vec3> unwrapped(n), initial(n), prev(n);
  std::vector<double> row(ni * 3);
  Frame fr;
  double t0 = 0, t_prev = 0, interval = 0;
  long f = 0;
  // Long trajectories: frames read so far, shown after 2 s (core/progress.hpp).
  Progress::Options po;
  po.delay_s = 2.0;
  Progress progress(stderr, "reading " + src, static_cast<double>(reader.frame_count()), po);
  while (reader.next(fr)) {
    progress.update(static_cast<double>(f));
    if (fr.positions.size() != n)
      throw InputError(src, 0,
                       "frame " + std::to_string(f) + " has " +
                           std::to_string(fr.positions.size()) + " atoms, expected " +
                           std::to_string(n));
    if (f == 0) {
      t0 = fr.time_ps;
      r.volume_A3 = std::fabs(det(fr.cell));
      if (!(r.volume_A3 > 0)) throw InputError(src, 0, "the first frame has a degenerate cell");
    } else {
      const double step = fr.time_ps - t_prev;
      if (!(step > 0))
        throw InputError(src, 0, "time is not strictly increasing at frame " + std::to_string(f));
      if (f == 1)
        interval = step;
      else if (std::fabs(step - interval) > 1e-6 * interval)
        throw InputError(src, 0,
                         "frames are not equally spaced in time (frame " + std::to_string(f) +
                             ": " + std::to_string(step) + " ps vs " + std::to_string(interval) +
                             " ps)");
    }
    t_prev = fr.time_ps;
    const bool pbc[3] = {sys.pbc[0], sys.pbc[1], sys.pbc[2]};
    if (sys.positions_unwrapped || f == 0) {
      for (std::size_t i = 0; i < n; ++i) unwrapped[i] = fr.positions[i];
      if (!sys.positions_unwrapped && !fr.images.empty())
        for (std::size_t i = 0; i < n; ++i)
          unwrapped[i] += row_times(
              {double(fr.images[i][0]), double(fr.images[i][1]), double(fr.images[i][2])}, fr.cell);
    } else if (!fr.images.empty()) {
      for (std::size_t i = 0; i < n; ++i)
        unwrapped[i] =
            fr.positions[i] +
            row_times({double(fr.images[i][0]), double(fr.images[i][1]), double(fr.images[i][2])},
                      fr.cell);
    } else {
      // Minimum-image steps between consecutive frames (valid while atoms move < half a cell
      // width).
      // Fast path: a rounded step shorter than half the smallest face distance is the minimum
      // image (every nonzero lattice vector is at least that distance long); else full search.
      const Mat3 inv = inverse(fr.cell);
      const Vec3 w = cell_face_distances(fr.cell);
      const double r_safe = 0.5 * std::min({w.x, w.y, w.z}), r_safe2 = r_safe * r_safe;
      for (std::size_t i = 0; i < n; ++i) {
        const Vec3 d = fr.positions[i] - prev[i];
        Vec3 fd = row_times(d, inv);
        for (int k = 0; k < 3; ++k)
          if (pbc[k]) fd[k] -= std::floor(fd[k] + 0.5);
        const Vec3 c = row_times(fd, fr.cell);
        unwrapped[i] += norm2(c) < r_safe2 ? c : minimum_image(d, fr.cell, inv, pbc);
      }
    }
    prev = fr.positions;
    if (f == 0) initial = unwrapped;
    Vec3 drift{};
    if (opt.drift_correction && !framework.empty()) {
      for (auto i : framework) drift += unwrapped[i] - initial[i];
      drift *= 1.0 / static_cast<double>(framework.size());
    }
    for (auto i : framework)
      r.max_framework_displacement =
          std::max(r.max_framework_displacement, norm(unwrapped[i] - initial[i] - drift));
    Vec3 s{};
    for (std::size_t j = 0; j < ni; ++j) {
      const Vec3 d = unwrapped[ions[j]] - initial[ions[j]] - drift;
      row[3 * j] = d.x;
      row[3 * j + 1] = d.y;
      row[3 * j + 2] = d.z;
      s += d;
    }
    com.insert(com.end(), {s.x, s.y, s.z});
    store.append(row);
    ++f;
  }
  progress.finish({}, static_cast<double>(f));
  const long nf = f;
  if (nf < 3) throw InputError(src, 0, "need at least 3 frames, got " + std::to_string(nf));
  r.n_frames = nf;
  r.first_frame_time_ps = t0;
  r.last_frame_time_ps = t_prev;
  r.frame_interval_ps = interval;
  r.spilled_to_disk = store.spilled();
  r.stored_bytes = store.bytes();
  r.ne_factor = nernst_einstein_factor(ni, r.volume_A3, r.charge, r.temperature_K);

  // ---- lags, weights, slope coefficients
  const std::vector<long> lags = pymatgen_lags(opt.smoothing, nf, static_cast<long>(ni), interval,
                                               opt.min_obs, opt.avg_nsteps);
  const std::size_t nl = lags.size();
  if (nl < 3) throw Error("the fit window has only " + std::to_string(nl) + " points; need >= 3");
  r.lag_ps.resize(nl);
  std::vector<double> w(nl, 1.0);
  for (std::size_t k = 0; k < nl; ++k) {
    r.lag_ps[k] = static_cast<double>(lags[k]) * interval;
    // pymatgen weights the "max" fit by 1/dt with dt in fs (the scale matters for its residual).
    if (opt.smoothing == Smoothing::Max) w[k] = 1.0 / (r.lag_ps[k] * 1000.0);
  }
  std::vector<double> coef(nl);  // slope = Σ coef_k·y_k for any y
  {
    double sw = 0, st = 0;
    for (std::size_t k = 0; k < nl; ++k) sw += w[k], st += w[k] * r.lag_ps[k];
    const double tb = st / sw;
    double sxx = 0;
    for (std::size_t k = 0; k < nl; ++k) sxx += w[k] * (r.lag_ps[k] - tb) * (r.lag_ps[k] - tb);
    for (std::size_t k = 0; k < nl; ++k) coef[k] = w[k] * (r.lag_ps[k] - tb) / sxx;
  }

  // ---- the lags computed: the fit's plus, for 'max' smoothing, ~400 from 0 to the end of the run
  // (the whole curve for plots; the other modes' fit lags already start at 0). coef_all is the
  // slope functional on them (0 outside the fit).
  std::vector<long> all_lags = lags;
  if (opt.smoothing == Smoothing::Max) {
    const long stride = std::max(1L, (nf - 1) / 400);
    for (long m = 0; m < nf; m += stride) all_lags.push_back(m);
    all_lags.push_back(nf - 1);
    std::sort(all_lags.begin(), all_lags.end());
    all_lags.erase(std::unique(all_lags.begin(), all_lags.end()), all_lags.end());
  }
  const std::size_t na = all_lags.size();
  std::vector<std::size_t> fit_pos(nl);
  std::vector<double> coef_all(na, 0.0);
  for (std::size_t k = 0; k < nl; ++k) {
    fit_pos[k] = static_cast<std::size_t>(
        std::lower_bound(all_lags.begin(), all_lags.end(), lags[k]) - all_lags.begin());
    coef_all[fit_pos[k]] = coef[k];
  }

  // ---- pass 2: per-atom, per-direction MSD in chunks
  const LagCorrelator corr(nf, opt.smoothing, opt.avg_nsteps);
  std::array<std::vector<double>, 3> msd_all;
  for (auto& v : msd_all) v.assign(na, 0.0);
  std::vector<std::array<double, 3>> atom_slope(ni, {0, 0, 0});
  const std::size_t per_atom_bytes = 3 * static_cast<std::size_t>(nf) * sizeof(double);
  const std::size_t chunk =
      std::max<std::size_t>(1, (opt.memory_budget_bytes / 2) / per_atom_bytes);
  std::vector<double> series;
  const int nthreads = omp_get_max_threads();
  if (opt.smoothing == Smoothing::Max) {
    // One forward FFT per two series; sums over ions are inverted once per direction.
    SpectralMsdAccumulator acc(nf, all_lags, coef_all, 3, nthreads);
    for (std::size_t a0 = 0; a0 < ni; a0 += chunk) {
      const std::size_t a1 = std::min(ni, a0 + chunk);
      store.gather(a0, a1, series);
      const long ns = static_cast<long>((a1 - a0) * 3), npairs = (ns + 1) / 2;
#pragma omp parallel for schedule(dynamic, 1)
      for (long p = 0; p < npairs; ++p) {
        const long sa = 2 * p, sb = 2 * p + 1;
        const double* a = series.data() + static_cast<std::size_t>(sa) * nf;
        const double* b = sb < ns ? a + nf : nullptr;
        double sl_a = 0, sl_b = 0;
        acc.add(a, static_cast<int>(sa % 3), b, static_cast<int>(sb % 3), sl_a, sl_b,
                omp_get_thread_num());
        atom_slope[a0 + static_cast<std::size_t>(sa / 3)][sa % 3] = sl_a;
        if (b) atom_slope[a0 + static_cast<std::size_t>(sb / 3)][sb % 3] = sl_b;
      }
    }
    const auto sums = acc.msd_sums();
    for (int d = 0; d < 3; ++d) msd_all[d] = sums[d];
  } else {
    std::vector<CorrelatorWorkspace> ws(static_cast<std::size_t>(nthreads));
    for (std::size_t a0 = 0; a0 < ni; a0 += chunk) {
      const std::size_t a1 = std::min(ni, a0 + chunk);
      store.gather(a0, a1, series);
      const long ns = static_cast<long>((a1 - a0) * 3), npairs = (ns + 1) / 2;
#pragma omp parallel for schedule(dynamic, 1)
      for (long p = 0; p < npairs; ++p) {
        double* a = series.data() + static_cast<std::size_t>(2 * p) * nf;
        double* b = (2 * p + 1 < ns) ? a + nf : nullptr;
        corr.compute(a, b, all_lags, a, b, ws[static_cast<std::size_t>(omp_get_thread_num())]);
      }
      for (std::size_t j = a0; j < a1; ++j)
        for (int d = 0; d < 3; ++d) {
          const double* m = series.data() + ((j - a0) * 3 + d) * static_cast<std::size_t>(nf);
          double sl = 0;
          for (std::size_t k = 0; k < na; ++k) {
            msd_all[d][k] += m[k];
            sl += coef_all[k] * m[k];
          }
          atom_slope[j][d] = sl;
        }
    }
  }
  r.curve_msd.assign(na, 0.0);
  r.curve_lag_ps.resize(na);
  for (std::size_t k = 0; k < na; ++k)
    r.curve_lag_ps[k] = static_cast<double>(all_lags[k]) * interval;
  for (int d = 0; d < 3; ++d)
    for (std::size_t k = 0; k < na; ++k) {
      msd_all[d][k] /= static_cast<double>(ni);
      r.curve_msd[k] += msd_all[d][k];
    }
  r.curve_msd_xyz = msd_all;
  r.msd.assign(nl, 0.0);
  for (int d = 0; d < 3; ++d) {
    r.msd_xyz[d].resize(nl);
    for (std::size_t k = 0; k < nl; ++k) {
      r.msd_xyz[d][k] = msd_all[d][fit_pos[k]];
      r.msd[k] += r.msd_xyz[d][k];
    }
  }
  r.curve_in_fit.assign(na, 0);
  for (std::size_t k = 0; k < nl; ++k) r.curve_in_fit[fit_pos[k]] = 1;

  // ---- collective (charge) MSD from the summed displacement
  auto mscd_of = [&](const std::vector<double>& c, long len, long start,
                     const std::vector<long>& lg, const LagCorrelator& cr) {
    std::vector<double> sx(len), sy(len), sz(len), mx(lg.size()), my(lg.size()), mz(lg.size());
    for (long t = 0; t < len; ++t) {
      sx[t] = c[3 * (start + t)];
      sy[t] = c[3 * (start + t) + 1];
      sz[t] = c[3 * (start + t) + 2];
    }
    CorrelatorWorkspace w1;
    cr.compute(sx.data(), sy.data(), lg, mx.data(), my.data(), w1);
    cr.compute(sz.data(), nullptr, lg, mz.data(), nullptr, w1);
    std::vector<double> out(lg.size());
    for (std::size_t k = 0; k < lg.size(); ++k)
      out[k] = (mx[k] + my[k] + mz[k]) / static_cast<double>(ni);
    return out;
  };
  r.curve_mscd = mscd_of(com, nf, 0, all_lags, corr);
  r.mscd.resize(nl);
  for (std::size_t k = 0; k < nl; ++k) r.mscd[k] = r.curve_mscd[fit_pos[k]];

  // ---- fits (pymatgen: slope clipped at 1e-15 Å²/fs; D = m/60 in Å²/fs → cm²/s)
  const double min_slope = 1e-15 * 1000.0;  // Å²/ps
  double sum_t = 0, sum_t2 = 0;
  for (double t : r.lag_ps) sum_t += t, sum_t2 += t * t;
  const double nd = static_cast<double>(nl);
  const double denom = (nd * sum_t2 - sum_t * sum_t) * (nd - 2.0);  // pymatgen's, dt in ps
  auto pm_err = [&](double residual, double dim2) {  // dim2 = 6 (total) or 2 (component)
    return std::sqrt(nd * residual / denom) / (dim2 * 10.0) / 1000.0;
  };
  const LineFit ft = fit_line(r.lag_ps, r.msd, w);
  r.fit_slope_A2_ps = ft.slope;
  r.fit_intercept_A2 = ft.intercept;
  r.D = std::max(ft.slope, min_slope) * kA2psToCm2s / 6.0;
  r.D_clipped = !(ft.slope > min_slope);
  r.D_err_fit = pm_err(ft.residual, 6.0);
  for (int d = 0; d < 3; ++d) {
    const LineFit fd = fit_line(r.lag_ps, r.msd_xyz[d], w);
    r.D_xyz[d] = std::max(fd.slope, min_slope) * kA2psToCm2s / 2.0;
    r.D_xyz_err_fit[d] = pm_err(fd.residual, 2.0);
  }
  // Standard error over ions of the per-ion slopes (same window and weights).
  {
    std::array<double, 3> mean{0, 0, 0}, var{0, 0, 0};
    std::vector<double> tot(ni);
    double mt = 0, vt = 0;
    for (std::size_t j = 0; j < ni; ++j) {
      tot[j] = atom_slope[j][0] + atom_slope[j][1] + atom_slope[j][2];
      mt += tot[j];
      for (int d = 0; d < 3; ++d) mean[d] += atom_slope[j][d];
    }
    mt /= ni;
    for (int d = 0; d < 3; ++d) mean[d] /= ni;
    for (std::size_t j = 0; j < ni; ++j) {
      vt += (tot[j] - mt) * (tot[j] - mt);
      for (int d = 0; d < 3; ++d)
        var[d] += (atom_slope[j][d] - mean[d]) * (atom_slope[j][d] - mean[d]);
    }
    const double q = ni > 1 ? 1.0 / (static_cast<double>(ni - 1) * static_cast<double>(ni)) : 0.0;
    r.D_err =
        ni > 1 ? std::sqrt(vt * q) * kA2psToCm2s / 6.0 : std::numeric_limits<double>::quiet_NaN();
    for (int d = 0; d < 3; ++d)
      r.D_xyz_err[d] = ni > 1 ? std::sqrt(var[d] * q) * kA2psToCm2s / 2.0
                              : std::numeric_limits<double>::quiet_NaN();
  }
  const LineFit fc = fit_line(r.lag_ps, r.mscd, w);
  r.D_charge = std::max(fc.slope, min_slope) * kA2psToCm2s / 6.0;
  r.D_charge_err_fit = pm_err(fc.residual, 6.0);
  // Block average for the collective D: K independent blocks analysed with the same mode.
  {
    const int K = opt.charge_blocks;
    std::vector<double> dk;
    const long nb = K > 1 ? nf / K : 0;
    if (nb >= 3) {
      try {
        const std::vector<long> lb = pymatgen_lags(opt.smoothing, nb, static_cast<long>(ni),
                                                   interval, opt.min_obs, opt.avg_nsteps);
        if (lb.size() >= 3) {
          const LagCorrelator cb(nb, opt.smoothing, opt.avg_nsteps);
          std::vector<double> tb(lb.size()), wb(lb.size(), 1.0);
          for (std::size_t k = 0; k < lb.size(); ++k) {
            tb[k] = static_cast<double>(lb[k]) * interval;
            if (opt.smoothing == Smoothing::Max) wb[k] = 1.0 / (tb[k] * 1000.0);
          }
          for (int b = 0; b < K; ++b) {
            const auto m = mscd_of(com, nb, static_cast<long>(b) * nb, lb, cb);
            dk.push_back(fit_line(tb, m, wb).slope * kA2psToCm2s / 6.0);
          }
        }
      } catch (const Error&) {
        dk.clear();  // blocks too short for this smoothing mode: no block error
      }
    }
    if (dk.size() >= 2) {
      double mean = 0, var = 0;
      for (double v : dk) mean += v;
      mean /= dk.size();
      for (double v : dk) var += (v - mean) * (v - mean);
      // Spread of the block estimates, NOT divided by √K: with pymatgen's window (lags up to the
      // whole run) the full-run estimator is not the mean of the block estimators; its relative
      // variance is that of one block (few independent long-lag intervals in either case).
      r.D_charge_err = std::sqrt(var / (dk.size() - 1));
    } else {
      r.D_charge_err = std::numeric_limits<double>::quiet_NaN();
    }
  }
  r.sigma = r.ne_factor * r.D;
  r.sigma_err = r.ne_factor * r.D_err;
  for (int d = 0; d < 3; ++d) {
    r.sigma_xyz[d] = r.ne_factor * r.D_xyz[d];
    r.sigma_xyz_err[d] = r.ne_factor * r.D_xyz_err[d];
  }
  r.sigma_charge = r.ne_factor * r.D_charge;
  r.sigma_charge_err = r.ne_factor * r.D_charge_err;
  r.haven_ratio = r.D / r.D_charge;
  r.haven_ratio_err = r.haven_ratio * std::sqrt(std::pow(r.D_err / r.D, 2) +
                                                std::pow(r.D_charge_err / r.D_charge, 2));
  return r;
}

void write_diffusion_json(const DiffusionResult& r, const std::string& path) {
  nlohmann::json j;
  auto num = [](double v) {
    return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
  };
  auto arr = [&](const std::array<double, 3>& a) {
    return nlohmann::json::array({num(a[0]), num(a[1]), num(a[2])});
  };
  j["species"] = r.species;
  j["formula"] = r.formula;
  j["temperature_K"] = r.temperature_K;
  j["smoothing"] = to_string(r.smoothing);
  j["frame_interval_ps"] = r.frame_interval_ps;
  j["n_frames"] = r.n_frames;
  j["first_frame_time_ps"] = r.first_frame_time_ps;
  j["last_frame_time_ps"] = r.last_frame_time_ps;
  record_time_window(j, r.window);
  j["n_ions"] = r.n_ions;
  j["n_framework"] = r.n_framework;
  j["volume_A3"] = r.volume_A3;
  j["charge"] = r.charge;
  j["nernst_einstein_factor_mS_cm_per_cm2_s"] = r.ne_factor;
  j["fit_window_ps"] = {r.lag_ps.front(), r.lag_ps.back()};
  j["fit_points"] = r.lag_ps.size();
  // The fitted line of the tracer MSD (Å² = slope·t + intercept, t in ps), for plots.
  j["fit_slope_A2_ps"] = num(r.fit_slope_A2_ps);
  j["fit_intercept_A2"] = num(r.fit_intercept_A2);
  j["D_cm2_s"] = num(r.D);
  // The fitted MSD slope was <= pymatgen's floor (1e-15 A^2/fs): D is that floor, not a
  // measured value (no diffusion resolved in this window).
  j["D_clipped"] = r.D_clipped;
  j["D_err_cm2_s"] = num(r.D_err);
  j["D_err_fit_cm2_s"] = num(r.D_err_fit);
  j["sigma_mS_cm"] = num(r.sigma);
  j["sigma_err_mS_cm"] = num(r.sigma_err);
  j["D_xyz_cm2_s"] = arr(r.D_xyz);
  j["D_xyz_err_cm2_s"] = arr(r.D_xyz_err);
  j["D_xyz_err_fit_cm2_s"] = arr(r.D_xyz_err_fit);
  j["sigma_xyz_mS_cm"] = arr(r.sigma_xyz);
  j["sigma_xyz_err_mS_cm"] = arr(r.sigma_xyz_err);
  j["D_charge_cm2_s"] = num(r.D_charge);
  j["D_charge_err_cm2_s"] = num(r.D_charge_err);
  j["D_charge_err_fit_cm2_s"] = num(r.D_charge_err_fit);
  j["sigma_charge_mS_cm"] = num(r.sigma_charge);
  j["sigma_charge_err_mS_cm"] = num(r.sigma_charge_err);
  j["haven_ratio"] = num(r.haven_ratio);
  j["haven_ratio_err"] = num(r.haven_ratio_err);
  j["max_framework_displacement_A"] = r.max_framework_displacement;
  AtomicFile out(path);
  out.stream() << j.dump(2) << "\n";
  out.commit();
}

void write_msd_csv(const DiffusionResult& r, const std::string& path) {
  AtomicFile out(path);
  auto& s = out.stream();
  s << "t_ps,MSD_A2,MSD_x_A2,MSD_y_A2,MSD_z_A2,MSCD_A2,in_fit\n";
  char buf[256];
  for (std::size_t k = 0; k < r.curve_lag_ps.size(); ++k) {
    std::snprintf(buf, sizeof buf, "%.10g,%.17g,%.17g,%.17g,%.17g,%.17g,%d\n", r.curve_lag_ps[k],
                  r.curve_msd[k], r.curve_msd_xyz[0][k], r.curve_msd_xyz[1][k],
                  r.curve_msd_xyz[2][k], r.curve_mscd[k], r.curve_in_fit[k]);
    s << buf;
  }
  out.commit();
}

}  // namespace superion::analysis
