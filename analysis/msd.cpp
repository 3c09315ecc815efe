// FFT-based all-origin MSD of scalar series; see msd.hpp for the identities used.
#include "msd.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace superion::analysis {

namespace {

// Centres the real series a and b (b may be null: zeros), packs them as z = a + i·b, zero-padded to
// p points, for one complex FFT of two real series, and fills the prefix sums of their squares
// (prefix[t] = Σ_{s<t} x_s²). Centring is exact for the MSD (shift invariant) and limits the
// cancellation in S − 2C.
void pack_centred_pair(const double* a, const double* b, long n, std::size_t p,
                       std::vector<std::complex<double>>& z, std::vector<double>& prefix_a,
                       std::vector<double>& prefix_b) {
  double mean_a = 0, mean_b = 0;
  for (long t = 0; t < n; ++t) mean_a += a[t];
  mean_a /= n;
  if (b) {
    for (long t = 0; t < n; ++t) mean_b += b[t];
    mean_b /= n;
  }
  z.assign(p, {0.0, 0.0});
  prefix_a.resize(n + 1);
  prefix_b.resize(n + 1);
  prefix_a[0] = prefix_b[0] = 0.0;
  for (long t = 0; t < n; ++t) {
    const double xa = a[t] - mean_a, xb = b ? b[t] - mean_b : 0.0;
    z[t] = {xa, xb};
    prefix_a[t + 1] = prefix_a[t] + xa * xa;
    prefix_b[t + 1] = prefix_b[t] + xb * xb;
  }
}

// The transforms X_k, Y_k of two real series from the transform of z = x + i·y (p a power of 2):
// X_k = (Z_k + conj Z_{p−k}) / 2, Y_k = (Z_k − conj Z_{p−k}) / (2i).
struct TwoRealTransforms {
  std::complex<double> x, y;
};
TwoRealTransforms split_two_real(const std::vector<std::complex<double>>& z, std::size_t k) {
  const std::size_t p = z.size();
  const std::complex<double> zk = z[k], zm = std::conj(z[(p - k) & (p - 1)]);
  return {0.5 * (zk + zm), std::complex<double>(0, -0.5) * (zk - zm)};
}

}  // namespace

Smoothing parse_smoothing(const std::string& s) {
  if (s == "max") return Smoothing::Max;
  if (s == "constant") return Smoothing::Constant;
  if (s == "none" || s == "false" || s == "False") return Smoothing::None;
  throw Error("unknown smoothing '" + s + "' (expected max, constant or none)");
}

std::string to_string(Smoothing s) {
  return s == Smoothing::Max ? "max" : (s == Smoothing::Constant ? "constant" : "none");
}

std::vector<long> pymatgen_lags(Smoothing mode, long n_frames, long n_ions,
                                double frame_interval_ps, int min_obs, int avg_nsteps) {
  std::vector<long> lags;
  if (mode == Smoothing::Max) {
    // pymatgen: int(1000 / (step_skip * time_step_fs)); the tiny relative guard keeps exact
    // quotients such as 1/0.02 = 50 from rounding down to 49.
    long min_dt = static_cast<long>(std::floor(1.0 / frame_interval_ps * (1.0 + 1e-12)));
    min_dt =
        std::max(min_dt, 1L);  // pymatgen would use 0 (and divide by zero) for intervals > 1 ps
    if (min_obs <= 0) throw Error("min_obs must be positive");
    const long max_dt = std::min(n_ions * n_frames / min_obs, n_frames);
    if (min_dt >= max_dt)
      throw Error("not enough data for 'max' smoothing: need more than " + std::to_string(min_dt) +
                  " frames (1 ps) and n_ions*frames/min_obs > 1 ps; have " +
                  std::to_string(n_frames) + " frames");
    const long step = std::max((max_dt - min_dt) / 200, 1L);
    for (long m = min_dt; m < max_dt; m += step) lags.push_back(m);
  } else if (mode == Smoothing::Constant) {
    if (n_frames <= avg_nsteps)
      throw Error("'constant' smoothing needs more frames (" + std::to_string(n_frames) +
                  ") than avg_nsteps (" + std::to_string(avg_nsteps) + ")");
    for (long m = 0; m < n_frames - avg_nsteps; ++m) lags.push_back(m);
  } else {
    for (long m = 0; m < n_frames; ++m) lags.push_back(m);
  }
  return lags;
}

LagCorrelator::LagCorrelator(long n_frames, Smoothing mode, int avg_nsteps)
    : n_(n_frames),
      mode_(mode),
      avg_(avg_nsteps),
      p_(next_pow2(static_cast<std::size_t>(std::max(2 * n_frames, 2L)))),
      plan_(mode == Smoothing::None ? 1 : p_) {}

void LagCorrelator::compute(const double* a, const double* b, const std::vector<long>& lags,
                            double* ma, double* mb, CorrelatorWorkspace& ws) const {
  for (long m : lags)
    if (m < 0 || m >= n_) throw Error("LagCorrelator: lag out of range");
  if (mode_ == Smoothing::None) {
    // Copy first: outputs may alias the inputs.
    ws.xa.assign(a, a + n_);
    if (b) ws.xb.assign(b, b + n_);
    for (std::size_t k = 0; k < lags.size(); ++k) {
      const double da = ws.xa[lags[k]] - ws.xa[0];
      ma[k] = da * da;
      if (b) {
        const double db = ws.xb[lags[k]] - ws.xb[0];
        mb[k] = db * db;
      }
    }
    return;
  }
  if (mode_ == Smoothing::Max) {
    compute_max(a, b, lags, ma, mb, ws);
    return;
  }
  compute_constant(a, lags, ma, ws);
  if (b) compute_constant(b, lags, mb, ws);
}

void LagCorrelator::compute_max(const double* a, const double* b, const std::vector<long>& lags,
                                double* ma, double* mb, CorrelatorWorkspace& ws) const {
  const long n = n_;
  const std::size_t p = p_;
  pack_centred_pair(a, b, n, p, ws.z, ws.prefix_a, ws.prefix_b);
  plan_.forward(ws.z.data());
  // |A_k|² and |B_k|² from Z = A + iB (A, B transforms of real series), packed as |A|² + i|B|².
  ws.w.resize(p);
  for (std::size_t k = 0; k < p; ++k) {
    const TwoRealTransforms t = split_two_real(ws.z, k);
    ws.w[k] = {std::norm(t.x), std::norm(t.y)};
  }
  plan_.inverse(ws.w.data());
  const double inv_p = 1.0 / static_cast<double>(p);
  for (std::size_t k = 0; k < lags.size(); ++k) {
    const long m = lags[k];
    const double cnt = static_cast<double>(n - m);
    const double ca = ws.w[m].real() * inv_p, cb = ws.w[m].imag() * inv_p;
    const double sa = (ws.prefix_a[n] - ws.prefix_a[m]) + ws.prefix_a[n - m];
    ma[k] = (sa - 2.0 * ca) / cnt;
    if (b) {
      const double sb = (ws.prefix_b[n] - ws.prefix_b[m]) + ws.prefix_b[n - m];
      mb[k] = (sb - 2.0 * cb) / cnt;
    }
  }
}

void LagCorrelator::compute_constant(const double* a, const std::vector<long>& lags, double* ma,
                                     CorrelatorWorkspace& ws) const {
  const long n = n_, na = avg_;
  const std::size_t p = p_;
  double mean = 0;
  for (long t = 0; t < n; ++t) mean += a[t];
  mean /= n;
  // z = x + i·x_A, where x_A is x truncated to the first avg_nsteps origins.
  ws.z.assign(p, {0.0, 0.0});
  ws.prefix_a.resize(n + 1);
  ws.prefix_a[0] = 0.0;
  for (long t = 0; t < n; ++t) {
    const double x = a[t] - mean;
    ws.z[t] = {x, t < na ? x : 0.0};
    ws.prefix_a[t + 1] = ws.prefix_a[t] + x * x;
  }
  plan_.forward(ws.z.data());
  ws.w.resize(p);
  for (std::size_t k = 0; k < p; ++k) {
    const TwoRealTransforms t = split_two_real(ws.z, k);
    ws.w[k] = std::conj(t.y) * t.x;  // cross-correlation Σ_o x_A(o)·x(o+m)
  }
  plan_.inverse(ws.w.data());
  const double inv_p = 1.0 / static_cast<double>(p);
  for (std::size_t k = 0; k < lags.size(); ++k) {
    const long m = lags[k];
    if (m + na > n) throw Error("constant smoothing: lag too large");
    const double cross = ws.w[m].real() * inv_p;
    const double s = (ws.prefix_a[m + na] - ws.prefix_a[m]) + ws.prefix_a[na];
    ma[k] = (s - 2.0 * cross) / static_cast<double>(na);
  }
}

}  // namespace superion::analysis

namespace superion::analysis {

SpectralMsdAccumulator::SpectralMsdAccumulator(long n_frames, std::vector<long> lags,
                                               const std::vector<double>& coef, int n_groups,
                                               int n_threads)
    : n_(n_frames),
      lags_(std::move(lags)),
      p_(next_pow2(static_cast<std::size_t>(std::max(2 * n_frames, 2L)))),
      plan_(p_),
      groups_(n_groups) {
  if (coef.size() != lags_.size()) throw Error("SpectralMsdAccumulator: one coefficient per lag");
  h_.resize(lags_.size());
  for (std::size_t k = 0; k < lags_.size(); ++k) {
    if (lags_[k] < 0 || lags_[k] >= n_) throw Error("SpectralMsdAccumulator: lag out of range");
    h_[k] = coef[k] / static_cast<double>(n_ - lags_[k]);
  }
  // g_f with exact angle reduction (f·m mod P) through a cosine table.
  const std::size_t half = p_ / 2;
  std::vector<double> cos_tab(p_);
  const double two_pi = 2.0 * std::acos(-1.0);
  for (std::size_t j = 0; j < p_; ++j)
    cos_tab[j] = std::cos(two_pi * static_cast<double>(j) / static_cast<double>(p_));
  g_.assign(half + 1, 0.0);
#pragma omp parallel for schedule(static)
  for (long f = 0; f <= static_cast<long>(half); ++f) {
    double s = 0;
    for (std::size_t k = 0; k < lags_.size(); ++k)
      s += h_[k] *
           cos_tab[(static_cast<std::size_t>(f) * static_cast<std::size_t>(lags_[k])) & (p_ - 1)];
    g_[f] = s;
  }
  slots_.resize(static_cast<std::size_t>(std::max(n_threads, 1)));
}

void SpectralMsdAccumulator::add(const double* a, int ga, const double* b, int gb, double& slope_a,
                                 double& slope_b, int thread) {
  Slot& s = slots_.at(static_cast<std::size_t>(thread));
  const std::size_t half = p_ / 2;
  if (s.spec.empty()) {
    s.spec.assign(groups_, std::vector<double>(half + 1, 0.0));
    s.sq.assign(groups_, std::vector<double>(lags_.size(), 0.0));
  }
  const long n = n_;
  pack_centred_pair(a, b, n, p_, s.z, s.pa, s.pb);
  plan_.forward(s.z.data());
  double dot_a = 0, dot_b = 0;
  std::vector<double>& spa = s.spec[ga];
  std::vector<double>* spb = b ? &s.spec[gb] : nullptr;
  for (std::size_t f = 0; f <= half; ++f) {
    const TwoRealTransforms t = split_two_real(s.z, f);
    const double sa = std::norm(t.x), sb = std::norm(t.y);
    const double wf = (f == 0 || f == half) ? 1.0 : 2.0;
    spa[f] += sa;
    dot_a += wf * sa * g_[f];
    if (spb) {
      (*spb)[f] += sb;
      dot_b += wf * sb * g_[f];
    }
  }
  const double inv_p = 1.0 / static_cast<double>(p_);
  double sl_a = -2.0 * dot_a * inv_p, sl_b = -2.0 * dot_b * inv_p;
  for (std::size_t k = 0; k < lags_.size(); ++k) {
    const long m = lags_[k];
    const double qa = (s.pa[n] - s.pa[m]) + s.pa[n - m];
    s.sq[ga][k] += qa;
    sl_a += h_[k] * qa;
    if (b) {
      const double qb = (s.pb[n] - s.pb[m]) + s.pb[n - m];
      s.sq[gb][k] += qb;
      sl_b += h_[k] * qb;
    }
  }
  slope_a = sl_a;
  slope_b = b ? sl_b : 0.0;
}

std::vector<std::vector<double>> SpectralMsdAccumulator::msd_sums() const {
  const std::size_t half = p_ / 2;
  std::vector<std::vector<double>> out(groups_, std::vector<double>(lags_.size(), 0.0));
  std::vector<std::complex<double>> w(p_);
  for (int g = 0; g < groups_; ++g) {
    std::vector<double> spec(half + 1, 0.0), sq(lags_.size(), 0.0);
    for (const Slot& s : slots_) {
      if (s.spec.empty()) continue;
      for (std::size_t f = 0; f <= half; ++f) spec[f] += s.spec[g][f];
      for (std::size_t k = 0; k < lags_.size(); ++k) sq[k] += s.sq[g][k];
    }
    for (std::size_t f = 0; f <= half; ++f) {
      w[f] = {spec[f], 0.0};
      if (f > 0 && f < half) w[p_ - f] = {spec[f], 0.0};
    }
    plan_.inverse(w.data());
    for (std::size_t k = 0; k < lags_.size(); ++k) {
      const long m = lags_[k];
      out[g][k] =
          (sq[k] - 2.0 * w[m].real() / static_cast<double>(p_)) / static_cast<double>(n_ - m);
    }
  }
  return out;
}

}  // namespace superion::analysis
