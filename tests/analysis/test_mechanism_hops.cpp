// Proof tests for long-lived hop events on a lattice-hop model: atoms on a cubic lattice of sites
// (4 Å apart, with 0.15 Å deterministic vibration) jump instantaneously at known frames.
// Oracles: the event counts and runs derived by hand from the definition (hops.hpp), and a
// brute-force evaluation of h_i(t) straight from Eq. 1.
#include <gtest/gtest.h>

#include <cmath>

#include "core/error.hpp"
#include "mechanism/hops.hpp"

using namespace superion;
using namespace superion::mechanism;

namespace {

constexpr double kSite = 4.0, kDt = 0.1;
constexpr int kT = 800;

// Atom k's site offset (in units of kSite along x) as a function of frame.
struct Plan {
  std::vector<std::pair<int, int>> moves;  // (frame from which the new offset holds, offset)
  int offset(int t) const {
    int o = 0;
    for (const auto& m : moves)
      if (t >= m.first) o = m.second;
    return o;
  }
};

FrameSeries lattice_model(const std::vector<Plan>& plans) {
  const int n = static_cast<int>(plans.size());
  const Mat3 cell = 16.0 * Mat3::identity();  // 4×4×4 sites
  SeriesBuilder b("lattice", kDt, std::vector<int>(n, 0), {"Na"});
  for (int t = 0; t < kT; ++t) {
    std::vector<Vec3> p(n);
    for (int i = 0; i < n; ++i) {
      const Vec3 site{kSite * ((i % 4) + plans[i].offset(t)), kSite * ((i / 4) % 4), 2.0};
      const Vec3 vib =
          Vec3{std::sin(1.3 * t + i), std::cos(0.7 * t + 2 * i), std::sin(2.1 * t)} * 0.15;
      Vec3 q = site + vib;
      for (int k = 0; k < 3; ++k) q[k] -= 16.0 * std::floor(q[k] / 16.0);  // stored wrapped
      p[i] = q;
    }
    b.add(cell, p);
  }
  return b.take();
}

// h from the definition, with the same frame windows.
std::vector<unsigned char> brute_h(const FrameSeries& s, int i, int P, int A, double a) {
  const int T = static_cast<int>(s.n_frames());
  std::vector<unsigned char> h(T, 0);
  for (int t = P + A; t <= T - 1 - P - A; ++t) {
    bool all = true;
    for (int tp = t - A; tp <= t + A; ++tp)
      all &= norm(s.unwrapped[tp + P][i] - s.unwrapped[tp - P][i]) >= a;
    h[t] = all;
  }
  return h;
}

std::vector<Plan> plans() {
  std::vector<Plan> p(8);
  p[0].moves = {{100, 1}};  // concerted with atom 1
  p[1].moves = {{100, -1}};
  p[2].moves = {{300, 1}};  // alone
  p[3].moves = {{500, 1}};  // overlapping with atom 4 (3 frames later)
  p[4].moves = {{503, -1}};
  p[5].moves = {{600, 1}, {602, 0}};  // rattle of 2 frames: rejected (m < 2A+1 = 3)
  p[6].moves = {{650, 1}, {656, 0}};  // excursion of 6 frames: out and back = 2 events
  // atom 7 never moves; also the atom at i%4 = 3 jumping +1 crosses the periodic boundary:
  p[7].moves = {{200, 1}, {400, 2}};  // two separate held hops, the first across the boundary
  return p;
}

}  // namespace

TEST(MechanismHops, LatticeModelExactEventsAndConcertedGroups) {
  const FrameSeries s = lattice_model(plans());
  std::vector<int> atoms(8);
  for (int i = 0; i < 8; ++i) atoms[i] = i;
  HopOptions o;
  o.t_p_ps = 1.0;  // P = 5 frames
  o.t_a_ps = 0.2;  // A = 1 frame
  o.a = 2.0;
  const HopResult r = analyse_hops(s, atoms, o);
  ASSERT_EQ(r.half_window, 5);
  ASSERT_EQ(r.half_persist, 1);
  const int P = 5, A = 1;
  // Expected events (atom, start, end) from hops.hpp: held jump at J → [J-P+A, J+P-1-A] = [J-4,
  // J+3]; excursion J..J+m-1 → [J-P+A, J-P+m-1-A] and [J+P+A, J+P+m-1-A].
  std::vector<HopEvent> expect = {{0, 96, 103},  {1, 96, 103},  {7, 196, 203},
                                  {2, 296, 303}, {7, 396, 403}, {3, 496, 503},
                                  {4, 499, 506}, {6, 646, 649}, {6, 656, 659}};
  ASSERT_EQ(r.events.size(), expect.size());
  for (std::size_t k = 0; k < expect.size(); ++k) {
    EXPECT_EQ(r.events[k].atom, expect[k].atom) << k;
    EXPECT_EQ(r.events[k].start, expect[k].start) << k;
    EXPECT_EQ(r.events[k].end, expect[k].end) << k;
  }
  // Concerted groups: {0,1}, {3,4} → two of size 2; {7},{2},{7},{6},{6} → five of size 1.
  ASSERT_GE(r.concerted_histogram.size(), 3u);
  EXPECT_EQ(r.concerted_histogram[1], 5);
  EXPECT_EQ(r.concerted_histogram[2], 2);
  // Simultaneity: n = 2 for the 8 frames of {0,1} and the 5 overlapping frames of {3,4}.
  EXPECT_EQ(r.simultaneous_histogram[2], 8 + 5);
  long ones = 0;
  for (const auto& e : expect) ones += e.end - e.start + 1;
  EXPECT_EQ(r.simultaneous_histogram[1], ones - 2 * (8 + 5));
  // Brute force of Eq. 1.
  for (int i = 0; i < 8; ++i) EXPECT_EQ(r.h[i], brute_h(s, i, P, A, o.a)) << "atom " << i;
  // Events vs threshold: the vibration (< 0.6 Å peak-to-peak per axis) never reaches 1.5 Å; a jump
  // is 4 Å ± vibration, so thresholds above 5 Å see nothing.
  const auto counts = hop_counts_vs_threshold(s, atoms, o, {1.5, 3.0, 5.5});
  EXPECT_EQ(counts, (std::vector<long>{9, 9, 0}));
}

TEST(MechanismHops, WindowsAreValidated) {
  const FrameSeries s = lattice_model(plans());
  HopOptions o;
  o.t_p_ps = 1.0;
  o.t_a_ps = 1.0;  // t_a >= t_p can never see a hop
  EXPECT_THROW(analyse_hops(s, {0}, o), InputError);
  o.t_a_ps = 0.2;
  o.t_p_ps = 100.0;  // longer than the trajectory
  EXPECT_THROW(analyse_hops(s, {0}, o), InputError);
  o.t_p_ps = 1.0;
  o.a = -1;
  EXPECT_THROW(analyse_hops(s, {0}, o), InputError);
}
