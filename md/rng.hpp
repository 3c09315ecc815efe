// Counter-based random numbers for MD (Philox4x32-10, Salmon et al., SC'11). A random draw is a
// pure function of (seed, stream, step, index), so the generator has no state to save: a run
// resumed from a checkpoint at step n draws exactly the numbers the uninterrupted run drew, on any
// number of threads, and the CUDA backend can draw the same numbers per atom in its kernels.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>

#include "core/hd.hpp"

namespace superion::md {

using PhiloxBlock = std::array<std::uint32_t, 4>;

// One Philox4x32 bijection with 10 rounds: counter (4×32 bit) and key (2×32 bit) → 4×32 bit.
SUPERION_HD inline PhiloxBlock philox4x32_10(PhiloxBlock c, std::array<std::uint32_t, 2> k) {
  constexpr std::uint32_t kM0 = 0xD2511F53u, kM1 = 0xCD9E8D57u;  // round multipliers
  constexpr std::uint32_t kW0 = 0x9E3779B9u, kW1 = 0xBB67AE85u;  // key schedule (Weyl) increments
  for (int round = 0; round < 10; ++round) {
    const std::uint64_t p0 = static_cast<std::uint64_t>(kM0) * c[0];
    const std::uint64_t p1 = static_cast<std::uint64_t>(kM1) * c[2];
    const auto hi0 = static_cast<std::uint32_t>(p0 >> 32), lo0 = static_cast<std::uint32_t>(p0);
    const auto hi1 = static_cast<std::uint32_t>(p1 >> 32), lo1 = static_cast<std::uint32_t>(p1);
    c = PhiloxBlock{hi1 ^ c[1] ^ k[0], lo1, hi0 ^ c[3] ^ k[1], lo0};
    k[0] += kW0;
    k[1] += kW1;
  }
  return c;
}

// Streams keep independent uses of one seed apart.
enum class RngStream : std::uint32_t {
  kInitialVelocities = 1,
  kLangevin = 2,
  kCsvr = 3,
  kTest = 99,
};

// Uniform double in the open interval (0, 1) from 64 random bits (53 used, offset by half a step
// so that 0 and 1 never occur and log() below is always finite).
SUPERION_HD inline double uniform_open(std::uint32_t hi, std::uint32_t lo) {
  const std::uint64_t bits = ((static_cast<std::uint64_t>(hi) << 32) | lo) >> 11;
  return (static_cast<double>(bits) + 0.5) * (1.0 / 9007199254740992.0);  // 2^-53
}

// Two independent standard normal numbers (Box–Muller) for draw `index` of `stream` at `step`.
struct NormalPair {
  double a, b;
};
SUPERION_HD inline NormalPair normal_pair(std::uint64_t seed, RngStream stream, std::uint64_t step,
                                          std::uint64_t index) {
  const PhiloxBlock c{
      static_cast<std::uint32_t>(index), static_cast<std::uint32_t>(index >> 32),
      static_cast<std::uint32_t>(step),
      static_cast<std::uint32_t>(step >> 32) ^ (static_cast<std::uint32_t>(stream) << 24)};
  const PhiloxBlock r =
      philox4x32_10(c, {static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)});
  const double u1 = uniform_open(r[0], r[1]), u2 = uniform_open(r[2], r[3]);
  const double radius = sqrt(-2.0 * log(u1));
  const double angle = 6.283185307179586476925 * u2;
  return {radius * cos(angle), radius * sin(angle)};
}

// Three standard normals for atom `atom` (two Philox blocks, the fourth number is unused).
struct Normal3 {
  double x, y, z;
};
SUPERION_HD inline Normal3 normal3(std::uint64_t seed, RngStream stream, std::uint64_t step,
                                   std::uint64_t atom) {
  const NormalPair p = normal_pair(seed, stream, step, 2 * atom);
  const NormalPair q = normal_pair(seed, stream, step, 2 * atom + 1);
  return {p.a, p.b, q.a};
}

}  // namespace superion::md
