// Antiperovskite tolerance factors: the formula, the enumeration, the paper's reference values and
// the CLI's JSON keys.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "screening/ions.hpp"
#include "test_util.hpp"

using namespace superion;

namespace {
const ToleranceEntry& find(const std::vector<ToleranceEntry>& v, const std::string& formula) {
  for (const auto& e : v)
    if (e.formula == formula) return e;
  throw Error("no entry " + formula);
}
}  // namespace

TEST(Tolerance, FormulaAndEnumeration) {
  // Na3OCl with Shannon radii: (1.81 + 1.02) / (√2 (1.40 + 1.02)).
  EXPECT_NEAR(antiperovskite_tolerance(1.02, 1.40, 1.81), 2.83 / (std::sqrt(2.0) * 2.42), 1e-15);
  const auto& lib = default_ion_library();
  const auto all = enumerate_antiperovskites(lib);
  int n_div = 0, n_mono = 0;
  for (const auto& i : lib) {
    n_div += i.charge == -2;
    n_mono += i.charge == -1;
  }
  EXPECT_EQ(all.size(), static_cast<std::size_t>(2 * n_div * n_mono));  // BA and AB of every pair
  const auto& ab = find(all, "Na3ClSO4");
  EXPECT_EQ(ab.type, "AB");
  EXPECT_EQ(ab.centre, "Cl");
  EXPECT_EQ(ab.corner, "SO4");
  EXPECT_TRUE(ab.uses_unverified);  // the SO4 radius is flagged, and the flag propagates
  for (const auto& e : all) EXPECT_EQ(e.in_window, e.t >= 0.8 && e.t <= 1.1);
}

TEST(Tolerance, PaperValuesForHydrideAndFluorideClusters) {
  // Guan et al. (ACS AMI 2024) quote t = 0.89, 1.09, 1.05 for Na3OBH4, Na3OAlH4, Na3OBF4. With
  // Shannon Na+/O2− and the Fang–Jena cluster radii we get 0.891, 1.075, 1.008: BH4 agrees to
  // 0.01, AlH4 is 0.015 low and BF4 0.042 low (documented in docs/screening.md).
  const auto all = enumerate_antiperovskites(default_ion_library());
  EXPECT_NEAR(find(all, "Na3OBH4").t, 0.89, 0.01);
  EXPECT_NEAR(find(all, "Na3OAlH4").t, 1.09, 0.02);
  EXPECT_NEAR(find(all, "Na3OBF4").t, 1.05, 0.05);
  EXPECT_TRUE(find(all, "Na3OBH4").in_window);
}

TEST(Tolerance, CliJsonAndUserLibrary) {
  superion::testing::TempDir tmp;
  std::ofstream(tmp / "ions.json") << R"([{"name":"Na","charge":1,"radius":1.0},
    {"name":"O","charge":-2,"radius":1.5},{"name":"Cl","charge":-1,"radius":2.0}])";
  const std::string cmd = std::string(SUPERION_BINARY) + " screen tolerance --ions " +
                          (tmp / "ions.json").string() + " --json " + (tmp / "t.json").string() +
                          " > /dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  const auto j = nlohmann::json::parse(std::ifstream(tmp / "t.json"));
  ASSERT_EQ(j.size(), 2u);
  for (const auto& e : j) {
    EXPECT_TRUE(e.contains("formula") && e.contains("type") && e.contains("t"));
    const double expect =
        e["type"] == "BA" ? 3.0 / (std::sqrt(2.0) * 2.5) : 2.5 / (std::sqrt(2.0) * 3.0);
    EXPECT_NEAR(e["t"].get<double>(), expect, 1e-12);
  }
  std::ofstream(tmp / "bad.json") << R"([{"name":"O","charge":-2}])";
  const std::string bad = std::string(SUPERION_BINARY) + " screen tolerance --ions " +
                          (tmp / "bad.json").string() + " --json " + (tmp / "x.json").string() +
                          " > /dev/null 2>&1";
  EXPECT_NE(std::system(bad.c_str()), 0);
  EXPECT_FALSE(std::filesystem::exists(tmp / "x.json"));
}
