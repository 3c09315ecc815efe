// Long-lived hop events (Na antiperovskite convention, docs/analysis.md §hops):
//   d_i(t)  = | r_i(t + t_p/2) - r_i(t - t_p/2) |          (unwrapped positions)
//   h_i(t; t_p, a, t_a) = Π_{t' ∈ [t - t_a/2, t + t_a/2]} θ( d_i(t') - a )
// Atom i is hopping at frame t when the displacement over a window t_p is at least a at every
// frame t' within t_a/2 of t: it moved by >= a AND stayed displaced for >= t_a (a vibration that
// returns within t_a is rejected). θ(0) = 1. In frames: P = round(t_p/dt/2) (half window),
// A = round(t_a/dt/2); h_i(t) is defined for P + A <= t <= T-1-P-A and 0 elsewhere.
// One EVENT = one maximal run of consecutive frames with h_i = 1 for one atom; its time is the
// run's middle frame. Simultaneity: n(t) = Σ_i h_i(t); concerted groups = sets of events whose
// runs overlap in time (connected components of the overlap graph), sized by their atom count.
// Consequences (tested): an instantaneous jump at frame J that is held gives exactly one event with
// run [J−P+A, J+P−1−A] (so t_a < t_p is required); an excursion that returns after m frames
// (m <= 2P) gives two events (out and back) if m >= 2A+1 and none otherwise.
#pragma once

#include <vector>

#include "mechanism/series.hpp"

namespace superion::mechanism {

struct HopOptions {
  double t_p_ps = 1.0;  // displacement window
  double a = 1.5;       // displacement threshold (Å)
  double t_a_ps = 0.2;  // persistence time (< t_p: docs/analysis.md §hops)
};

struct HopEvent {
  int atom;   // index in the trajectory
  int start;  // first frame with h = 1
  int end;    // last frame with h = 1
  int centre() const { return (start + end) / 2; }
};

struct HopResult {
  int half_window = 0, half_persist = 0;       // P, A in frames
  std::vector<int> atoms;                      // analysed atoms
  std::vector<std::vector<unsigned char>> h;   // [atom k][frame] indicator
  std::vector<HopEvent> events;                // sorted by start, then atom
  std::vector<int> simultaneous;               // n(t) per frame
  std::vector<long> simultaneous_histogram;    // [n] = #frames with n(t) = n (n >= 0)
  std::vector<long> concerted_histogram;       // [m] = #groups of m overlapping events (m >= 1)
  std::vector<double> hop_frequency_per_atom;  // events / (atom·ps over the valid window)
};

// Hop analysis for the given atoms. Throws InputError for windows that do not fit the trajectory.
HopResult analyse_hops(const FrameSeries& s, const std::vector<int>& atoms, const HopOptions& opt);
// Number of events per threshold a (same t_p, t_a), for the "events vs a" curve.
std::vector<long> hop_counts_vs_threshold(const FrameSeries& s, const std::vector<int>& atoms,
                                          HopOptions opt, const std::vector<double>& thresholds);

}  // namespace superion::mechanism
