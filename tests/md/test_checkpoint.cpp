// Checkpoint tests: bit-exact round trip, RNG continuation, .bak rotation, and clear errors for
// truncated, corrupted, foreign and newer-version files.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>

#include "checkpoint.hpp"
#include "core/error.hpp"
#include "test_util.hpp"

using namespace superion;
using namespace superion::md;
using superion::testing::TempDir;

namespace {

// A state with awkward doubles (subnormal, -0, NaN payload-free values excluded) to check bits.
Checkpoint sample(std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(-10.0, 10.0);
  Checkpoint c;
  c.step = 123456789012LL;
  c.time_ps = 246.913578024;
  c.cell[0][0] = 13.1;
  c.cell[1][0] = 0.3;
  c.cell[1][1] = 12.9;
  c.cell[2][0] = -0.2;
  c.cell[2][1] = 0.1;
  c.cell[2][2] = 13.3;
  c.pbc = {true, false, true};
  const int n = 37;
  for (int i = 0; i < n; ++i) {
    c.positions.push_back({u(rng), u(rng), u(rng)});
    c.velocities.push_back({u(rng) * 1e-3, u(rng), u(rng) * 1e3});
    c.images.push_back({i - 18, -i, 1 << (i % 31)});
    c.types.push_back(i % 3);
    c.masses.push_back(i % 3 == 0 ? 22.98976928 : (i % 3 == 1 ? 35.45 : 15.999));
  }
  c.positions[0] = {std::numeric_limits<double>::denorm_min(), -0.0,
                    std::numeric_limits<double>::max()};
  c.species_symbols = {"Na", "Cl", "O"};
  c.thermostat_type = "nose-hoover";
  c.thermostat_state = {0.1, -0.2, 1.0 / 3.0, 1e-300};
  std::mt19937_64 engine(42);
  for (int k = 0; k < 1000; ++k) engine();
  c.rng_state = rng_state_string(engine);
  c.arrays["rigid_offsets"] = {1.48, 0.0, -1.48};
  c.arrays["empty"] = {};
  c.metadata["potential"] = "/path/with spaces/pot.mtp";
  c.metadata["seed"] = "42";
  c.metadata["options"] = "--temperature 600\n--thermostat csvr";
  return c;
}

bool same_bits(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

void expect_identical(const Checkpoint& a, const Checkpoint& b) {
  EXPECT_EQ(a.step, b.step);
  EXPECT_TRUE(same_bits(a.time_ps, b.time_ps));
  for (int r = 0; r < 3; ++r)
    for (int k = 0; k < 3; ++k) EXPECT_TRUE(same_bits(a.cell[r][k], b.cell[r][k]));
  EXPECT_EQ(a.pbc, b.pbc);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i)
    for (int k = 0; k < 3; ++k) {
      EXPECT_TRUE(same_bits(a.positions[i][k], b.positions[i][k])) << i;
      EXPECT_TRUE(same_bits(a.velocities[i][k], b.velocities[i][k])) << i;
    }
  EXPECT_EQ(a.images, b.images);
  EXPECT_EQ(a.types, b.types);
  EXPECT_EQ(a.species_symbols, b.species_symbols);
  ASSERT_EQ(a.masses.size(), b.masses.size());
  for (std::size_t i = 0; i < a.masses.size(); ++i)
    EXPECT_TRUE(same_bits(a.masses[i], b.masses[i]));
  EXPECT_EQ(a.thermostat_type, b.thermostat_type);
  ASSERT_EQ(a.thermostat_state.size(), b.thermostat_state.size());
  for (std::size_t i = 0; i < a.thermostat_state.size(); ++i)
    EXPECT_TRUE(same_bits(a.thermostat_state[i], b.thermostat_state[i]));
  EXPECT_EQ(a.rng_state, b.rng_state);
  EXPECT_EQ(a.arrays, b.arrays);  // == on doubles: exact equality is what we want here
  EXPECT_EQ(a.metadata, b.metadata);
}

std::vector<unsigned char> slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void spit(const std::filesystem::path& p, const std::vector<unsigned char>& b) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

std::string error_of(const std::filesystem::path& p) {
  try {
    read_checkpoint(p);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Checkpoint, Crc32KnownValue) {
  // The standard CRC-32 check value of the ASCII string "123456789".
  const char* s = "123456789";
  EXPECT_EQ(crc32(reinterpret_cast<const unsigned char*>(s), 9), 0xCBF43926u);
}

TEST(Checkpoint, RoundTripIsBitExact) {
  TempDir dir;
  std::mt19937_64 rng(7);
  const Checkpoint c = sample(rng);
  write_checkpoint(dir / "state.ckpt", c);
  const Checkpoint r = read_checkpoint(dir / "state.ckpt");
  expect_identical(c, r);
  // No temporary file is left next to it.
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
    (void)e;
    ++files;
  }
  EXPECT_EQ(files, 1);
}

TEST(Checkpoint, RngStateContinuesIdentically) {
  std::mt19937_64 a(2024);
  for (int k = 0; k < 777; ++k) a();
  const std::string s = rng_state_string(a);
  std::mt19937_64 b;
  restore_rng_state(b, s);
  for (int k = 0; k < 10000; ++k) ASSERT_EQ(a(), b());
  EXPECT_THROW(restore_rng_state(b, "not a state"), Error);
}

TEST(Checkpoint, PreviousKeptAsBak) {
  TempDir dir;
  std::mt19937_64 rng(1);
  Checkpoint c1 = sample(rng);
  c1.step = 100;
  Checkpoint c2 = c1;
  c2.step = 200;
  Checkpoint c3 = c1;
  c3.step = 300;
  const auto p = dir / "run.ckpt";
  write_checkpoint(p, c1);
  EXPECT_FALSE(std::filesystem::exists(p.string() + ".bak"));
  write_checkpoint(p, c2);
  EXPECT_EQ(read_checkpoint(p).step, 200);
  EXPECT_EQ(read_checkpoint(p.string() + ".bak").step, 100);
  write_checkpoint(p, c3);
  EXPECT_EQ(read_checkpoint(p).step, 300);
  EXPECT_EQ(read_checkpoint(p.string() + ".bak").step, 200);
}

TEST(Checkpoint, TruncatedFileIsDetectedAndNamed) {
  TempDir dir;
  std::mt19937_64 rng(3);
  const auto p = dir / "t.ckpt";
  write_checkpoint(p, sample(rng));
  const auto bytes = slurp(p);
  // Every truncation length (header, payload, checksum) must give a clear error, never a crash.
  for (std::size_t len : {std::size_t{0}, std::size_t{10}, std::size_t{20}, std::size_t{30},
                          bytes.size() / 2, bytes.size() - 5, bytes.size() - 1}) {
    spit(p, std::vector<unsigned char>(bytes.begin(), bytes.begin() + len));
    const std::string e = error_of(p);
    EXPECT_NE(e.find(p.string()), std::string::npos) << "len " << len << ": " << e;
    if (len >= 28) {
      EXPECT_NE(e.find("truncated"), std::string::npos) << len << ": " << e;
    }
  }
}

TEST(Checkpoint, CorruptionIsDetected) {
  TempDir dir;
  std::mt19937_64 rng(4);
  const auto p = dir / "c.ckpt";
  write_checkpoint(p, sample(rng));
  const auto good = slurp(p);
  // Flip one bit at many payload positions: the CRC must catch each.
  for (std::size_t pos = 28; pos < good.size(); pos += 97) {
    auto bad = good;
    bad[pos] ^= 0x10;
    spit(p, bad);
    const std::string e = error_of(p);
    EXPECT_NE(e.find("corrupt"), std::string::npos) << pos << ": " << e;
    EXPECT_NE(e.find(p.string()), std::string::npos) << e;
  }
  auto foreign = good;
  foreign[0] = 'X';
  spit(p, foreign);
  EXPECT_NE(error_of(p).find("not a superion checkpoint"), std::string::npos);
  auto newer = good;
  newer[16] = 2;  // version field
  spit(p, newer);
  EXPECT_NE(error_of(p).find("version 2 is not supported"), std::string::npos) << error_of(p);
  auto longer = good;
  longer.push_back(0);
  spit(p, longer);
  EXPECT_NE(error_of(p).find("unexpected bytes"), std::string::npos) << error_of(p);
  EXPECT_NE(error_of(dir / "missing.ckpt").find("cannot open"), std::string::npos);
}

TEST(Checkpoint, InconsistentSizesRefusedOnWrite) {
  TempDir dir;
  std::mt19937_64 rng(5);
  Checkpoint c = sample(rng);
  c.velocities.pop_back();
  EXPECT_THROW(write_checkpoint(dir / "x.ckpt", c), Error);
  EXPECT_FALSE(std::filesystem::exists(dir / "x.ckpt"));
}

// Prints size and write/read time of a 4608-atom checkpoint (no timing assertion).
TEST(Checkpoint, SizeReport) {
  TempDir dir;
  std::mt19937_64 rng(8);
  Checkpoint c = sample(rng);
  const Checkpoint small = c;
  while (c.size() < 4608) {
    for (std::size_t i = 0; i < small.size() && c.size() < 4608; ++i) {
      c.positions.push_back(small.positions[i]);
      c.velocities.push_back(small.velocities[i]);
      c.images.push_back(small.images[i]);
      c.types.push_back(small.types[i]);
      c.masses.push_back(small.masses[i]);
    }
  }
  const auto t0 = std::chrono::steady_clock::now();
  write_checkpoint(dir / "big.ckpt", c);
  const auto t1 = std::chrono::steady_clock::now();
  const Checkpoint r = read_checkpoint(dir / "big.ckpt");
  const auto t2 = std::chrono::steady_clock::now();
  EXPECT_EQ(r.size(), 4608u);
  std::printf("checkpoint 4608 atoms: %ju bytes, write %.2f ms, read %.2f ms\n",
              static_cast<std::uintmax_t>(std::filesystem::file_size(dir / "big.ckpt")),
              std::chrono::duration<double, std::milli>(t1 - t0).count(),
              std::chrono::duration<double, std::milli>(t2 - t1).count());
}

// Mutated payloads with a recomputed (valid) CRC reach the field parser: every result must be a
// clean InputError or a successfully decoded checkpoint, never a crash or a huge allocation.
TEST(Checkpoint, MutatedPayloadsWithValidCrcNeverCrash) {
  std::mt19937_64 rng(6);
  const std::vector<unsigned char> good = encode_checkpoint(sample(rng));
  const std::size_t header = 28;
  std::uniform_int_distribution<std::size_t> pos(header, good.size() - 5);
  std::uniform_int_distribution<int> byte(0, 255);
  int errors = 0, decoded = 0;
  for (int k = 0; k < 3000; ++k) {
    auto bad = good;
    const int flips = 1 + k % 4;
    for (int j = 0; j < flips; ++j) bad[pos(rng)] = static_cast<unsigned char>(byte(rng));
    const std::uint32_t crc = crc32(bad.data() + header, bad.size() - header - 4);
    for (int b = 0; b < 4; ++b)
      bad[bad.size() - 4 + b] = static_cast<unsigned char>(crc >> (8 * b));
    try {
      decode_checkpoint(bad, "mutated.ckpt");
      ++decoded;
    } catch (const InputError& e) {
      ++errors;
      EXPECT_NE(std::string(e.what()).find("mutated.ckpt"), std::string::npos);
    }
  }
  EXPECT_GT(errors, 0);
  std::printf("mutated payloads: %d rejected with a message, %d decoded (changed values)\n", errors,
              decoded);
}
