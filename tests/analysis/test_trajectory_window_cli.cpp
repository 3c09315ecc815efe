// `superion analyze ... --start-time/--end-time` end to end: diffusion on a window of an extxyz
// file equals diffusion on a file holding only those frames; hop events are timed from the first
// kept frame; --frame-interval windows by frame index; the JSON records the window; bad windows
// exit 2 naming the file and the window, without writing output.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "analysis/mechanism_fixtures.hpp"
#include "synthetic_trajectory.hpp"
#include "test_util.hpp"

using superion::testing::run_superion;
using superion::testing::TempDir;

namespace {

nlohmann::json read_json(const std::filesystem::path& p) {
  std::ifstream in(p);
  return nlohmann::json::parse(in);
}

// Brownian Na among fixed Cl, frames [first, last] of a 600-frame run (0.01 ps apart) as extxyz
// with time= keys.
std::string write_brownian(const TempDir& dir, const std::string& name, int first, int last) {
  using namespace superion::analysis;
  BrownianSpec s;
  s.cell = superion::Mat3{};
  s.cell[0][0] = s.cell[1][1] = s.cell[2][2] = 9.0;
  s.symbols = {"Na", "Cl"};
  s.counts = {16, 8};
  s.D_A2_ps = {0.3, 0.0};
  s.frame_interval_ps = 0.01;
  s.n_frames = 600;
  s.seed = 77;
  BrownianTrajectory traj(s);
  const std::string path = (dir / name).string();
  std::ofstream out(path);
  Frame f;
  for (int k = 0; traj.next(f); ++k) {
    if (k < first || k > last) continue;
    out << f.positions.size()
        << "\nLattice=\"9 0 0 0 9 0 0 0 9\" Properties=species:S:1:pos:R:3 time=" << f.time_ps
        << " pbc=\"T T T\"\n";
    for (std::size_t i = 0; i < f.positions.size(); ++i) {
      char buf[128];
      std::snprintf(buf, sizeof buf, "%s %.10f %.10f %.10f\n", i < 16 ? "Na" : "Cl",
                    f.positions[i].x, f.positions[i].y, f.positions[i].z);
      out << buf;
    }
  }
  return path;
}

// The hop trajectory of test_mechanism_cli: Na 0 jumps 3 Å at frame 150 (t = 1.5 ps) and stays.
std::string write_hop_traj(const TempDir& dir) {
  const std::string path = (dir / "hop.extxyz").string();
  superion::testing::write_hop_extxyz(path);
  return path;
}

}  // namespace

TEST(TrajectoryWindowCli, DiffusionWindowEqualsTrimmedFile) {
  TempDir dir;
  const std::string full = write_brownian(dir, "full.extxyz", 0, 599);
  const std::string part = write_brownian(dir, "part.extxyz", 200, 500);
  const std::string common = " --species Na --temperature 600 --json ";
  std::string log;
  ASSERT_EQ(run_superion("analyze diffusion " + full + " --start-time 2 --end-time 5" + common +
                             (dir / "a.json").string(),
                         &log),
            0)
      << log;
  ASSERT_EQ(run_superion("analyze diffusion " + part + common + (dir / "b.json").string(), &log), 0)
      << log;
  const auto a = read_json(dir / "a.json"), b = read_json(dir / "b.json");
  EXPECT_EQ(a["n_frames"], 301);
  EXPECT_EQ(a["n_frames"], b["n_frames"]);
  // Same text frames in the same order → same arithmetic; 1e-12 relative is last-bit noise only.
  for (const char* key : {"D_cm2_s", "D_err_cm2_s", "D_charge_cm2_s", "sigma_mS_cm"})
    EXPECT_NEAR(a[key].get<double>(), b[key].get<double>(), 1e-12 * std::fabs(b[key].get<double>()))
        << key;
  EXPECT_EQ(a["fit_window_ps"], b["fit_window_ps"]);  // lags start at 0 at the first kept frame
  EXPECT_DOUBLE_EQ(a["start_time_ps"].get<double>(), 2.0);
  EXPECT_DOUBLE_EQ(a["end_time_ps"].get<double>(), 5.0);
  EXPECT_NEAR(a["first_frame_time_ps"].get<double>(), 2.0, 1e-9);
  EXPECT_NEAR(a["last_frame_time_ps"].get<double>(), 5.0, 1e-9);
  EXPECT_FALSE(b.contains("start_time_ps"));  // no window given, none recorded
}

TEST(TrajectoryWindowCli, BadWindowsExit2NamingFileAndWindow) {
  TempDir dir;
  const std::string full = write_brownian(dir, "full.extxyz", 0, 99);  // 0 .. 0.99 ps
  const std::string json = (dir / "x.json").string();
  const std::string common = " --species Na --temperature 600 --json " + json;
  std::string log;
  EXPECT_EQ(
      run_superion("analyze diffusion " + full + " --start-time 0.5 --end-time 0.2" + common, &log),
      2);
  EXPECT_NE(log.find("full.extxyz"), std::string::npos) << log;
  EXPECT_NE(log.find("--start-time 0.5 ps is not before --end-time 0.2 ps"), std::string::npos)
      << log;
  EXPECT_EQ(run_superion("analyze diffusion " + full + " --start-time 3" + common, &log), 2);
  EXPECT_NE(log.find("full.extxyz"), std::string::npos) << log;
  EXPECT_NE(log.find("t >= 3 ps keeps 0 frames"), std::string::npos) << log;
  EXPECT_EQ(
      run_superion("analyze hops " + full + " --species Na --start-time 0.5 --end-time 0.5", &log),
      2);
  EXPECT_NE(log.find("not before"), std::string::npos) << log;
  EXPECT_FALSE(std::filesystem::exists(json));
}

TEST(TrajectoryWindowCli, HopTimesCountFromTheFirstKeptFrame) {
  TempDir dir;
  const std::string traj = write_hop_traj(dir);
  const std::string hop = " --tp 0.5 --ta 0.1 -a 1.5 --json ";
  std::string log;
  // Without a window the held jump at frame 150 gives the run [130, 169] (test_mechanism_cli).
  // From t = 1 ps (frame 100) the same run is frames [30, 69] of the window.
  ASSERT_EQ(
      run_superion("analyze hops " + traj + " --start-time 1.0" + hop + (dir / "h.json").string(),
                   &log),
      0)
      << log;
  const auto h = read_json(dir / "h.json");
  ASSERT_EQ(h["n_events"], 1);
  EXPECT_EQ(h["events"][0]["start"], 30);
  EXPECT_EQ(h["events"][0]["end"], 69);
  EXPECT_DOUBLE_EQ(h["start_time_ps"].get<double>(), 1.0);
  EXPECT_TRUE(h["end_time_ps"].is_null());
  // --frame-interval overrides the file times for the window as well: 0.02 ps per frame puts
  // frame 100 at t = 2 ps (with the file times, t >= 2 ps would start after the jump: no event).
  ASSERT_EQ(run_superion("analyze hops " + traj + " --frame-interval 0.02 --start-time 2.0" + hop +
                             (dir / "h2.json").string(),
                         &log),
            0)
      << log;
  const auto h2 = read_json(dir / "h2.json");
  ASSERT_EQ(h2["n_events"], 1);
  // The frame counts of t_p and t_a halve with the doubled interval; the event still straddles the
  // jump at window frame 50.
  EXPECT_LT(h2["events"][0]["start"].get<int>(), 50);
  EXPECT_GT(h2["events"][0]["end"].get<int>(), 50);
  // A window that ends before the jump sees no hop.
  ASSERT_EQ(
      run_superion("analyze hops " + traj + " --end-time 1.2" + hop + (dir / "h3.json").string(),
                   &log),
      0)
      << log;
  EXPECT_EQ(read_json(dir / "h3.json")["n_events"], 0);
}

TEST(TrajectoryWindowCli, OtherMechanismCommandsAcceptTheWindow) {
  TempDir dir;
  const std::string traj = write_hop_traj(dir);
  std::string log;
  ASSERT_EQ(run_superion("analyze rdf " + traj + " --pairs Na-Cl --start-time 0.5 --end-time 1 " +
                             "--json " + (dir / "r.json").string(),
                         &log),
            0)
      << log;
  // The stderr line names the window.
  EXPECT_NE(log.find("read 51 frames"), std::string::npos) << log;
  EXPECT_NE(log.find("[0.5 <= t <= 1 ps]"), std::string::npos) << log;
  EXPECT_DOUBLE_EQ(read_json(dir / "r.json")["start_time_ps"].get<double>(), 0.5);
  ASSERT_EQ(run_superion("analyze vacf " + traj + " --species Na --start-time 1 --json " +
                             (dir / "v.json").string(),
                         &log),
            0)
      << log;
  EXPECT_NE(log.find("read 200 frames"), std::string::npos) << log;
}
