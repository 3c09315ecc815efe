// `superion convert IN OUT --frames SLICE` end to end: exactly the configurations Python's
// list[START:STOP:STEP] would keep (checked by count and by each kept energy, which encodes the
// input index), a bad slice or an empty selection → exit 2 with a clear message and no output.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <vector>

#include "io/formats.hpp"
#include "test_util.hpp"

using namespace superion;
using superion::testing::run_superion;
using superion::testing::TempDir;

namespace {
// 20 configurations; configuration i has energy -10 - 0.25 i eV and atom 0 at x = 0.01 i.
std::string write_input(const TempDir& dir) {
  const std::string path = (dir / "in.extxyz").string();
  std::ofstream out(path);
  for (int i = 0; i < 20; ++i) {
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "2\nLattice=\"5 0 0 0 5 0 0 0 5\" Properties=species:S:1:pos:R:3 energy=%.4f "
                  "pbc=\"T T T\"\nNa %.4f 0 0\nCl 2.5 2.5 2.5\n",
                  -10.0 - 0.25 * i, 0.01 * i);
    out << buf;
  }
  return path;
}
}  // namespace

TEST(ConvertFrames, SelectsPythonSliceOfConfigurations) {
  TempDir dir;
  const std::string in = write_input(dir);
  // Expected indices from Python: list(range(20))[slice].
  const std::vector<std::pair<std::string, std::vector<int>>> cases = {
      {"5::5", {5, 10, 15}}, {"-3:", {17, 18, 19}}, {":-17", {0, 1, 2}}, {"-8:-2:3", {12, 15}},
      {"1:4", {1, 2, 3}},    {"::7", {0, 7, 14}},   {"-1", {19}},        {"-30:2", {0, 1}},
  };
  for (const auto& [slice, expected] : cases) {
    const std::string out = (dir / "out.extxyz").string();
    std::string log;
    ASSERT_EQ(run_superion("convert " + in + " " + out + " --frames=" + slice, &log), 0)
        << slice << ": " << log;
    const Dataset d = io::read_dataset(out);
    ASSERT_EQ(d.size(), expected.size()) << slice;
    for (std::size_t k = 0; k < expected.size(); ++k) {
      // Energies are written with 10 decimals and are multiples of 0.25: 1e-9 eV is print
      // rounding only.
      ASSERT_TRUE(d.configs[k].energy.has_value());
      EXPECT_NEAR(*d.configs[k].energy, -10.0 - 0.25 * expected[k], 1e-9) << slice << " #" << k;
      EXPECT_NEAR(d.configs[k].structure.positions[0].x, 0.01 * expected[k], 1e-9) << slice;
    }
  }
  // The separate-argument form with a negative start (CLI11 must not take it for an option).
  const std::string out = (dir / "neg.extxyz").string();
  std::string log;
  ASSERT_EQ(run_superion("convert " + in + " " + out + " --frames -2:", &log), 0) << log;
  EXPECT_EQ(io::read_dataset(out).size(), 2u);
}

TEST(ConvertFrames, BadSliceOrEmptySelectionIsAnInputError) {
  TempDir dir;
  const std::string in = write_input(dir);
  const std::string out = (dir / "out.extxyz").string();
  for (const char* bad : {"1:2:3:4", "::0", "::-2", "a:b", "1.5:", "20", "-21", "10:5", "25:"}) {
    std::string log;
    EXPECT_EQ(run_superion("convert " + in + " " + out + " --frames=" + bad, &log), 2) << bad;
    EXPECT_NE(log.find(std::string("--frames '") + bad + "'"), std::string::npos) << log;
    EXPECT_FALSE(std::filesystem::exists(out)) << bad;
  }
}
