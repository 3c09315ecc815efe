// CLI tests of `superion analyze hops|rotation|density|...`: a small extxyz trajectory written here
// (one Na jumps 3 Å at frame 150 and is held; SO4 clusters straddle the cell boundary), exact hop
// run from the definition, JSON outputs parse, missing species → exit code 2 with a clear message.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "analysis/mechanism_fixtures.hpp"
#include "test_util.hpp"

namespace {

std::string write_traj(const superion::testing::TempDir& dir) {
  const std::string path = (dir / "traj.extxyz").string();
  superion::testing::write_hop_extxyz(path);
  return path;
}

using ::superion::testing::run_superion;

nlohmann::json read_json(const std::filesystem::path& p) {
  std::ifstream in(p);
  return nlohmann::json::parse(in);
}

}  // namespace

TEST(MechanismCli, HopsRotationDensityLdfc) {
  superion::testing::TempDir dir;
  const std::string traj = write_traj(dir);
  std::string out;
  // t_p = 0.5 ps → P = 25, t_a = 0.1 ps → A = 5: held jump at J = 150 → run [130, 169].
  ASSERT_EQ(run_superion("analyze hops " + traj + " --tp 0.5 --ta 0.1 -a 1.5 --json " +
                             (dir / "h.json").string(),
                         &out),
            0)
      << out;
  const auto h = read_json(dir / "h.json");
  ASSERT_EQ(h["n_events"], 1);
  EXPECT_EQ(h["events"][0]["atom"], 0);
  EXPECT_EQ(h["events"][0]["start"], 130);
  EXPECT_EQ(h["events"][0]["end"], 169);
  ASSERT_EQ(run_superion("analyze rotation " + traj + " --json " + (dir / "r.json").string() +
                             " --map-csv " + (dir / "map.csv").string(),
                         &out),
            0)
      << out;
  const auto r = read_json(dir / "r.json");
  EXPECT_EQ(r["clusters"].size(), 8u);
  EXPECT_NEAR(r["C1"][0].get<double>(), 1.0, 1e-12);
  // The clusters only wobble (C1 stays near 1): no reorientation time, only a lower bound.
  EXPECT_FALSE(r["fit_C1"]["resolved"].get<bool>());
  EXPECT_TRUE(r["fit_C1"]["tau_exp_ps"].is_null());
  EXPECT_NEAR(r["fit_C1"]["tau_lower_bound_ps"].get<double>(), 1.5, 1e-9);  // 150 lags x 0.01 ps
  EXPECT_NE(out.find("tau(C1) > 1.5 ps: not resolved"), std::string::npos) << out;
  ASSERT_EQ(
      run_superion("analyze density " + traj + " --cube " + (dir / "na.cube").string() + " --csv " +
                       (dir / "na.csv").string() + " --json " + (dir / "d.json").string(),
                   &out),
      0)
      << out;
  EXPECT_TRUE(std::filesystem::exists(dir / "na.cube"));
  // --csv writes the grid (one row per point) and the summary gives max (10 digits) and integral.
  const auto d = read_json(dir / "d.json");
  std::ifstream csv(dir / "na.csv");
  std::string line;
  long rows = -1;
  while (std::getline(csv, line)) ++rows;
  EXPECT_EQ(rows, d["grid"][0].get<long>() * d["grid"][1].get<long>() * d["grid"][2].get<long>());
  EXPECT_NEAR(d["integral"].get<double>(), 1.0, 1e-12);
  EXPECT_NE(out.find("integral 1"), std::string::npos) << out;
  char mx[64];
  std::snprintf(mx, sizeof mx, "max %.10g A^-3", d["max_density_per_A3"].get<double>());
  EXPECT_NE(out.find(mx), std::string::npos) << out;
  ASSERT_EQ(run_superion("analyze ldfc " + traj + " --csv " + (dir / "l.csv").string(), &out), 0)
      << out;
  EXPECT_TRUE(std::filesystem::exists(dir / "l.csv"));
  ASSERT_EQ(run_superion("analyze ldfc " + traj + " --json " + (dir / "l.json").string(), &out), 0)
      << out;
  EXPECT_TRUE(read_json(dir / "l.json").contains("ldfc_thz"));
  ASSERT_EQ(run_superion("analyze vanhove " + traj + " --times 0 0.5 --rmax 5 --ngrid 51 --csv " +
                             (dir / "vh.csv").string(),
                         &out),
            0)
      << out;
  ASSERT_EQ(run_superion("analyze rdf " + traj + " --pairs S-O --rmax 5 --bins 50 --csv " +
                             (dir / "rdf.csv").string(),
                         &out),
            0)
      << out;
}

TEST(MechanismCli, MissingSpeciesIsAnInputError) {
  superion::testing::TempDir dir;
  const std::string traj = write_traj(dir);
  std::string out;
  EXPECT_EQ(
      run_superion("analyze rotation " + traj + " --centre Se --json " + (dir / "x.json").string(),
                   &out),
      2);
  EXPECT_NE(out.find("species 'Se' is not in the trajectory"), std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists(dir / "x.json"));
}
