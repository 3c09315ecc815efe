// Deterministic sums of a fixed shape, shared by the CPU engine and the device backend.
//
// A sum of n numbers is defined as a tree whose shape depends only on n: the numbers are cut into
// chunks of kFixedSumChunk consecutive values, each chunk is summed sequentially (0.0 + x0 + x1 +
// …), and the chunk sums are summed by the same rule until one value is left. Whoever evaluates
// the tree (one CPU thread, OpenMP threads, GPU threads, any block size) adds exactly the same
// numbers in exactly the same order, so energies, virials, kinetic energies and thermostat sums are
// bit-identical between the CPU engine and the emulated device, for any thread count.
// (Thrust's reduce on the OpenMP system partitions by the number of threads, and GPU reductions
// by the block count; neither is used for sums that feed the physics.)
#pragma once

#include <algorithm>
#include <vector>

#include "core/hd.hpp"

namespace superion {

// Values per leaf of the tree (also the fan-in of every level).
constexpr long kFixedSumChunk = 128;

// 0.0 + x[0] + x[stride] + … + x[(n−1)·stride], left to right.
SUPERION_HD inline double sequential_sum(const double* x, long n, long stride = 1) {
  double s = 0.0;
  for (long i = 0; i < n; ++i) s += x[i * stride];
  return s;
}

// Number of chunk sums of the level above n values (1 for n <= kFixedSumChunk).
SUPERION_HD inline long fixed_sum_chunks(long n) {
  return n <= kFixedSumChunk ? 1 : (n + kFixedSumChunk - 1) / kFixedSumChunk;
}

// Sum of chunk `k` of n values (stride between values): one node of the tree.
SUPERION_HD inline double fixed_sum_chunk(const double* x, long n, long stride, long k) {
  const long begin = k * kFixedSumChunk;
  const long len = n - begin < kFixedSumChunk ? n - begin : kFixedSumChunk;
  return sequential_sum(x + begin * stride, len, stride);
}

// The whole tree on the host (the reference for every device implementation).
inline double fixed_sum(const double* x, long n, long stride = 1) {
  if (n <= kFixedSumChunk) return sequential_sum(x, n, stride);
  std::vector<double> part(static_cast<std::size_t>(fixed_sum_chunks(n)));
  for (long k = 0; k < static_cast<long>(part.size()); ++k)
    part[static_cast<std::size_t>(k)] = fixed_sum_chunk(x, n, stride, k);
  return fixed_sum(part.data(), static_cast<long>(part.size()), 1);
}

inline double fixed_sum(const std::vector<double>& x) {
  return fixed_sum(x.data(), static_cast<long>(x.size()), 1);
}

}  // namespace superion
