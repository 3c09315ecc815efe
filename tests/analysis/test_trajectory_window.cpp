// WindowedTrajectory (--start-time/--end-time): analysing a window of a trajectory must give the
// same result as analysing a trajectory that holds only those frames; rewind() replays the same
// frames; bounds written in decimal keep the frame at that time; bad windows are rejected with a
// message naming the file and the window.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "diffusion.hpp"
#include "synthetic_trajectory.hpp"
#include "trajectory_window.hpp"

using namespace superion::analysis;

namespace {

// Every frame of a seeded Brownian run (Na diffusing, Cl framework), kept in memory so that
// a sub-range can be copied into a second trajectory.
struct Recorded {
  TrajectorySystem system;
  std::vector<superion::Mat3> cells;
  std::vector<double> times;
  std::vector<std::vector<superion::Vec3>> positions;

  std::unique_ptr<MemoryTrajectory> frames(std::size_t first, std::size_t last,
                                           const std::string& name) const {
    return std::make_unique<MemoryTrajectory>(
        system, std::vector<superion::Mat3>(cells.begin() + first, cells.begin() + last + 1),
        std::vector<double>(times.begin() + first, times.begin() + last + 1),
        std::vector<std::vector<superion::Vec3>>(positions.begin() + first,
                                                 positions.begin() + last + 1),
        name);
  }
  std::unique_ptr<MemoryTrajectory> all(const std::string& name) const {
    return frames(0, times.size() - 1, name);
  }
};

Recorded record(long n_frames) {
  BrownianSpec s;
  s.cell = superion::Mat3{};
  s.cell[0][0] = 10.0;
  s.cell[1][0] = 1.0;
  s.cell[1][1] = 10.5;
  s.cell[2][2] = 11.0;
  s.symbols = {"Na", "Cl"};
  s.counts = {32, 16};
  s.D_A2_ps = {0.3, 0.0};
  s.frame_interval_ps = 0.01;
  s.n_frames = n_frames;
  s.seed = 4242;
  BrownianTrajectory traj(s);
  Recorded r;
  r.system = traj.system();
  Frame f;
  while (traj.next(f)) {
    r.cells.push_back(f.cell);
    r.times.push_back(f.time_ps);
    r.positions.push_back(f.positions);
  }
  return r;
}

std::vector<double> read_times(TrajectoryReader& reader) {
  std::vector<double> t;
  Frame f;
  while (reader.next(f)) t.push_back(f.time_ps);
  return t;
}

DiffusionOptions na_options() {
  DiffusionOptions o;
  o.species = "Na";
  o.temperature_K = 600;
  return o;
}

// Expects `fn` to throw InputError whose message contains every string in `parts`.
template <class Fn>
void expect_error(Fn fn, const std::vector<std::string>& parts) {
  try {
    fn();
    ADD_FAILURE() << "no error";
  } catch (const superion::InputError& e) {
    for (const auto& p : parts)
      EXPECT_NE(std::string(e.what()).find(p), std::string::npos) << e.what() << " lacks " << p;
  }
}

}  // namespace

TEST(TrajectoryWindow, SameDiffusionAsTheTrimmedTrajectory) {
  const Recorded rec = record(2000);
  TimeWindow w;
  w.start_ps = 5.0;  // frame 500
  w.end_ps = 15.0;   // frame 1500
  WindowedTrajectory windowed(rec.all("full"), w);
  auto trimmed = rec.frames(500, 1500, "trimmed");
  const DiffusionResult a = analyze_diffusion(windowed, na_options());
  const DiffusionResult b = analyze_diffusion(*trimmed, na_options());
  // Both analyses see identical frames in the same order, so the arithmetic is identical; 1e-12
  // relative only leaves room for nothing but last-bit noise.
  EXPECT_EQ(a.n_frames, 1001);
  EXPECT_EQ(a.n_frames, b.n_frames);
  EXPECT_NEAR(a.D, b.D, 1e-12 * std::fabs(b.D));
  EXPECT_NEAR(a.D_err, b.D_err, 1e-12 * std::fabs(b.D_err));
  EXPECT_NEAR(a.D_charge, b.D_charge, 1e-12 * std::fabs(b.D_charge));
  for (int d = 0; d < 3; ++d) EXPECT_NEAR(a.D_xyz[d], b.D_xyz[d], 1e-12 * std::fabs(b.D_xyz[d]));
  ASSERT_EQ(a.lag_ps.size(), b.lag_ps.size());
  EXPECT_EQ(a.lag_ps, b.lag_ps);  // lags count from the first kept frame in both
  // MSD values: 1e-12 relative as for D (with several OpenMP threads the sums over atoms may be
  // reduced in a different order between the two runs).
  ASSERT_EQ(a.msd.size(), b.msd.size());
  for (std::size_t k = 0; k < a.msd.size(); ++k)
    EXPECT_NEAR(a.msd[k], b.msd[k], 1e-12 * std::fabs(b.msd[k]) + 1e-300) << k;
  EXPECT_NEAR(a.first_frame_time_ps, 5.0, 1e-12);
  EXPECT_NEAR(a.last_frame_time_ps, 15.0, 1e-12);
  // And the window really changes the answer (the full run has other noise): a guard against a
  // decorator that passes everything through.
  auto full = rec.all("full");
  const DiffusionResult c = analyze_diffusion(*full, na_options());
  EXPECT_EQ(c.n_frames, 2000);
  EXPECT_NE(c.D, a.D);
}

TEST(TrajectoryWindow, RewindReplaysTheSameFramesAndCountsThem) {
  const Recorded rec = record(300);
  for (const auto& [start, end, first, last] : std::vector<std::tuple<double, double, int, int>>{
           {0.5, 0.69, 50, 69}, {2.3, INFINITY, 230, 299}, {-INFINITY, 0.35, 0, 35}}) {
    TimeWindow w;
    w.start_ps = start;
    w.end_ps = end;
    WindowedTrajectory reader(rec.all("traj.xyz"), w);
    EXPECT_EQ(reader.frame_count(), -1);  // unknown before a complete pass
    const std::vector<double> t1 = read_times(reader);
    ASSERT_EQ(t1.size(), static_cast<std::size_t>(last - first + 1)) << start << " " << end;
    // Times are f × 0.01 ps as the generator computes them; the end bounds are decimal literals
    // just below those products (69 × 0.01 = 0.6900000000000001 > 0.69, likewise 35 × 0.01), so
    // only the window's 1e-9 relative slack keeps the frame at the bound.
    EXPECT_EQ(t1.front(), rec.times[first]);
    EXPECT_EQ(t1.back(), rec.times[last]);
    EXPECT_EQ(reader.frame_count(), last - first + 1);
    reader.rewind();
    EXPECT_EQ(read_times(reader), t1);
    EXPECT_NE(reader.source().find("traj.xyz ["), std::string::npos) << reader.source();
  }
}

TEST(TrajectoryWindow, OverrideIntervalSelectsByFrameIndex) {
  const Recorded rec = record(100);  // file times f × 0.01 ps
  TimeWindow w;
  w.start_ps = 0.5;  // with 0.05 ps per frame: frames 10..20
  w.end_ps = 1.0;
  WindowedTrajectory reader(rec.all("m"), w, 0.05);
  const std::vector<double> t = read_times(reader);
  ASSERT_EQ(t.size(), 11u);
  EXPECT_NEAR(t.front(), 0.5, 1e-12);  // the reported times are index × interval too
  EXPECT_NEAR(t.back(), 1.0, 1e-12);
}

TEST(TrajectoryWindow, RejectsBadWindows) {
  const Recorded rec = record(100);  // 0 .. 0.99 ps
  TimeWindow w;
  w.start_ps = 0.5;
  w.end_ps = 0.5;
  expect_error([&] { WindowedTrajectory r(rec.all("run.xyz"), w); },
               {"run.xyz", "--start-time 0.5", "--end-time 0.5"});
  w.end_ps = 0.2;
  expect_error([&] { WindowedTrajectory r(rec.all("run.xyz"), w); }, {"run.xyz", "not before"});
  w.start_ps = NAN;
  expect_error([&] { WindowedTrajectory r(rec.all("run.xyz"), w); }, {"run.xyz", "finite"});
  // After the last frame: nothing kept.
  TimeWindow late;
  late.start_ps = 5.0;
  WindowedTrajectory r1(rec.all("run.xyz"), late);
  expect_error([&] { read_times(r1); },
               {"run.xyz", "t >= 5 ps", "keeps 0 frames", "spans 0 to 0.99 ps"});
  // A single frame: fewer than the 2 any time analysis needs.
  TimeWindow one;
  one.start_ps = 0.495;
  one.end_ps = 0.505;
  WindowedTrajectory r2(rec.all("run.xyz"), one);
  expect_error([&] { read_times(r2); }, {"run.xyz", "0.495 <= t <= 0.505 ps", "keeps 1 frame "});
  // Before the first frame: the message says where the trajectory starts.
  TimeWindow early;
  early.end_ps = -1.0;
  WindowedTrajectory r3(rec.all("run.xyz"), early);
  expect_error([&] { read_times(r3); }, {"keeps 0 frames", "starts at 0 ps"});
  // The diffusion analysis passes the error on unchanged.
  WindowedTrajectory r4(rec.all("run.xyz"), late);
  expect_error([&] { analyze_diffusion(r4, na_options()); }, {"run.xyz", "keeps 0 frames"});
}

TEST(TrajectoryWindow, InactiveWindowLeavesTheReaderAlone) {
  const Recorded rec = record(10);
  auto reader = rec.all("m");
  TrajectoryReader* raw = reader.get();
  auto same = apply_time_window(std::move(reader), TimeWindow{});
  EXPECT_EQ(same.get(), raw);
  EXPECT_EQ(same->frame_count(), 10);
}
