// Long-lived hop indicator, events, simultaneity and concerted-group histograms (see hops.hpp).
#include "mechanism/hops.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace superion::mechanism {
namespace {

int half_frames(double t_ps, double dt, const FrameSeries& s, const char* name) {
  if (!(t_ps >= 0.0)) throw InputError(s.source, 0, std::string(name) + " must be >= 0 ps");
  return static_cast<int>(std::lround(t_ps / dt / 2.0));
}

}  // namespace

HopResult analyse_hops(const FrameSeries& s, const std::vector<int>& atoms, const HopOptions& opt) {
  s.require_frames(2, "hop analysis");
  if (!(opt.a > 0.0)) throw InputError(s.source, 0, "hop threshold a must be > 0 Å");
  HopResult r;
  r.atoms = atoms;
  const int P = half_frames(opt.t_p_ps, s.dt_ps, s, "t_p");
  const int A = half_frames(opt.t_a_ps, s.dt_ps, s, "t_a");
  if (P < 1) throw InputError(s.source, 0, "t_p must span at least 2 frames (t_p >= 2·dt)");
  // A jump held forever keeps d >= a for only ~t_p frames around it, so t_a >= t_p would reject
  // every hop.
  if (A >= P)
    throw InputError(s.source, 0,
                     "t_a must be shorter than t_p (in frames: t_a/2 = " + std::to_string(A) +
                         ", t_p/2 = " + std::to_string(P) + "), otherwise no hop can be detected");
  r.half_window = P;
  r.half_persist = A;
  const int T = static_cast<int>(s.n_frames());
  if (T - 1 - 2 * (P + A) < 0)
    throw InputError(s.source, 0,
                     "t_p + t_a (" + std::to_string(2 * (P + A)) +
                         " frames) is longer than the trajectory (" + std::to_string(T) +
                         " frames)");
  const double a2 = opt.a * opt.a;
  r.h.assign(atoms.size(), std::vector<unsigned char>(T, 0));
#pragma omp parallel for schedule(dynamic, 4)
  for (long k = 0; k < static_cast<long>(atoms.size()); ++k) {
    const int i = atoms[k];
    std::vector<unsigned char> far(T, 0);  // d_i(t) >= a
    for (int t = P; t < T - P; ++t)
      far[t] = norm2(s.unwrapped[t + P][i] - s.unwrapped[t - P][i]) >= a2;
    // h(t) = all far[t-A..t+A]: sliding count of "not far" frames.
    int bad = 0;
    for (int t = P; t <= P + 2 * A - 1 && t < T - P; ++t) bad += !far[t];
    for (int t = P + A; t <= T - 1 - P - A; ++t) {
      bad += !far[t + A];
      r.h[k][t] = bad == 0;
      bad -= !far[t - A];
    }
  }
  for (std::size_t k = 0; k < atoms.size(); ++k) {
    int t = 0;
    while (t < T) {
      if (!r.h[k][t]) {
        ++t;
        continue;
      }
      int e = t;
      while (e + 1 < T && r.h[k][e + 1]) ++e;
      r.events.push_back({atoms[k], t, e});
      t = e + 1;
    }
  }
  std::sort(r.events.begin(), r.events.end(), [](const HopEvent& x, const HopEvent& y) {
    return x.start != y.start ? x.start < y.start : x.atom < y.atom;
  });
  r.simultaneous.assign(T, 0);
  for (const auto& hk : r.h)
    for (int t = 0; t < T; ++t) r.simultaneous[t] += hk[t];
  r.simultaneous_histogram.assign(atoms.size() + 1, 0);
  for (int t = P + A; t <= T - 1 - P - A; ++t) ++r.simultaneous_histogram[r.simultaneous[t]];
  // Concerted groups: events sorted by start; a group extends while the next event starts before
  // the group's latest end (interval overlap, inclusive).
  r.concerted_histogram.assign(atoms.size() + 1, 0);
  std::size_t g = 0;
  while (g < r.events.size()) {
    int end = r.events[g].end;
    std::vector<int> members{r.events[g].atom};
    std::size_t n = g + 1;
    while (n < r.events.size() && r.events[n].start <= end) {
      end = std::max(end, r.events[n].end);
      members.push_back(r.events[n].atom);
      ++n;
    }
    std::sort(members.begin(), members.end());
    const std::size_t m = std::unique(members.begin(), members.end()) - members.begin();
    if (m >= r.concerted_histogram.size()) r.concerted_histogram.resize(m + 1, 0);
    ++r.concerted_histogram[m];
    g = n;
  }
  const double span_ps = (T - 2 * (P + A)) * s.dt_ps;
  r.hop_frequency_per_atom.assign(atoms.size(), 0.0);
  for (const auto& e : r.events) {
    const auto it = std::find(atoms.begin(), atoms.end(), e.atom);
    r.hop_frequency_per_atom[it - atoms.begin()] += 1.0 / span_ps;
  }
  return r;
}

std::vector<long> hop_counts_vs_threshold(const FrameSeries& s, const std::vector<int>& atoms,
                                          HopOptions opt, const std::vector<double>& thresholds) {
  std::vector<long> out;
  for (double a : thresholds) {
    opt.a = a;
    out.push_back(static_cast<long>(analyse_hops(s, atoms, opt).events.size()));
  }
  return out;
}

}  // namespace superion::mechanism
