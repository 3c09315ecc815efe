// Neighbour list vs brute force on random triclinic cells, including cutoffs larger than the cell.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>
#include <tuple>

#include "core/error.hpp"
#include "core/geometry.hpp"
#include "neighbor/neighbor_list.hpp"

using namespace superion;

namespace {

Structure random_structure(std::mt19937_64& rng, int n_atoms, double skew, bool unwrap_some) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  Structure s;
  for (int k = 0; k < 3; ++k)
    for (int l = 0; l < 3; ++l) s.cell[k][l] = (k == l ? 4.0 + 4.0 * u(rng) : skew * (u(rng) - 0.5));
  for (int i = 0; i < n_atoms; ++i) {
    Vec3 f{u(rng), u(rng), u(rng)};
    if (unwrap_some && i % 3 == 0) f += Vec3{double(i % 5) - 2, -1.0, 3.0};  // outside the cell
    s.positions.push_back(to_cartesian(f, s.cell));
    s.types.push_back(i % 2);
  }
  return s;
}

using Key = std::tuple<int, int, int, int, int>;  // i, j, n0, n1, n2

std::set<Key> brute_force(const Structure& s, double cutoff) {
  const Vec3 w = cell_face_distances(s.cell);
  int reach[3];
  for (int k = 0; k < 3; ++k)
    reach[k] = s.pbc[k] ? static_cast<int>(std::ceil(cutoff / w[k])) + 6 : 0;  // generous: unwrapped input
  std::set<Key> out;
  for (std::size_t i = 0; i < s.size(); ++i)
    for (std::size_t j = 0; j < s.size(); ++j)
      for (int a = -reach[0]; a <= reach[0]; ++a)
        for (int b = -reach[1]; b <= reach[1]; ++b)
          for (int c = -reach[2]; c <= reach[2]; ++c) {
            if (i == j && a == 0 && b == 0 && c == 0) continue;
            const Vec3 d = s.positions[j] + row_times(Vec3{double(a), double(b), double(c)}, s.cell) - s.positions[i];
            if (norm2(d) < cutoff * cutoff) out.insert({int(i), int(j), a, b, c});
          }
  return out;
}

std::set<Key> as_set(const NeighborList& nl, const Structure& s) {
  std::set<Key> out;
  for (std::size_t i = 0; i < nl.n_atoms(); ++i)
    for (int e = nl.offsets[i]; e < nl.offsets[i + 1]; ++e) {
      const auto& n = nl.images[std::size_t(e)];
      const int j = nl.neighbors[std::size_t(e)];
      const Vec3 d = s.positions[std::size_t(j)] + row_times(Vec3{double(n[0]), double(n[1]), double(n[2])}, s.cell) - s.positions[i];
      EXPECT_NEAR(norm(d - nl.displacements[std::size_t(e)]), 0.0, 1e-12);
      out.insert({int(i), j, n[0], n[1], n[2]});
    }
  return out;
}

}  // namespace

TEST(NeighborList, FullListMatchesBruteForceOnRandomTriclinicCells) {
  std::mt19937_64 rng(42);
  for (int trial = 0; trial < 12; ++trial) {
    const double skew = 0.5 * trial;
    Structure s = random_structure(rng, 20 + trial, skew, trial % 2 == 1);
    for (double cutoff : {2.5, 4.0, 7.5, 11.0}) {  // up to well beyond half the cell
      const NeighborList nl = build_neighbor_list(s, cutoff);
      EXPECT_EQ(as_set(nl, s), brute_force(s, cutoff)) << "trial " << trial << " cutoff " << cutoff;
    }
  }
}

TEST(NeighborList, HalfListHoldsEachPairOnce) {
  std::mt19937_64 rng(7);
  Structure s = random_structure(rng, 17, 2.0, true);
  const double cutoff = 6.0;
  const auto full = as_set(build_neighbor_list(s, cutoff, false), s);
  const auto half = as_set(build_neighbor_list(s, cutoff, true), s);
  EXPECT_EQ(full.size(), 2 * half.size());
  for (const auto& [i, j, a, b, c] : half) {
    EXPECT_TRUE(full.count({i, j, a, b, c}));
    EXPECT_FALSE(half.count({j, i, -a, -b, -c})) << "pair stored twice";
  }
}

TEST(NeighborList, NonPeriodicAndMixedBoundaries) {
  std::mt19937_64 rng(3);
  for (int mode = 0; mode < 3; ++mode) {
    Structure s = random_structure(rng, 25, 1.0, false);
    if (mode == 0) s.pbc = {false, false, false};
    if (mode == 1) s.pbc = {true, false, true};
    if (mode == 2) {
      s.pbc = {false, false, false};
      s.cell = Mat3{};  // molecule: no cell at all
    }
    const double cutoff = 5.0;
    EXPECT_EQ(as_set(build_neighbor_list(s, cutoff), s), brute_force(s, cutoff)) << "mode " << mode;
  }
}

TEST(NeighborList, MinimumImageAgreesWithBruteForce) {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> u(-3, 3);
  for (int trial = 0; trial < 200; ++trial) {
    Structure s = random_structure(rng, 1, 3.0, false);
    const Mat3 inv = inverse(s.cell);
    const bool pbc[3] = {true, true, true};
    const Vec3 d{4 * u(rng), 4 * u(rng), 4 * u(rng)};
    const Vec3 mi = minimum_image(d, s.cell, inv, pbc);
    double best = 1e300;
    for (int a = -4; a <= 4; ++a)
      for (int b = -4; b <= 4; ++b)
        for (int c = -4; c <= 4; ++c)
          best = std::min(best, norm(d + row_times(Vec3{double(a), double(b), double(c)}, s.cell)));
    EXPECT_NEAR(norm(mi), best, 1e-12);
  }
}

TEST(NeighborList, RejectsBadInput) {
  Structure s;
  s.cell = Mat3::identity();
  s.positions = {{0, 0, 0}};
  s.types = {0};
  EXPECT_THROW(build_neighbor_list(s, 0.0), Error);
  s.positions[0].x = std::nan("");
  EXPECT_THROW(build_neighbor_list(s, 1.0), Error);
}
