// H5MD writer tests: round trip through the analysis H5MD reader (bit-exact values, unwrapping by
// image flags), atomic rename on close, resume after a crash (including a real killed process),
// input errors, and the layout as seen by h5py and MDAnalysis (skipped when not installed).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>

#include "core/error.hpp"
#include "core/geometry.hpp"
#include "h5md_writer.hpp"
#include "test_util.hpp"
#include "trajectory.hpp"

using namespace superion;
using namespace superion::md;
using superion::testing::TempDir;

namespace {

// A random walk of 24 atoms in a triclinic, slowly breathing cell (as NPT would give), wrapped
// with image flags exactly as an MD driver would do it.
struct Walk {
  Structure s;
  std::vector<std::vector<Vec3>> unwrapped, wrapped, velocities;
  std::vector<std::vector<std::array<int, 3>>> images;
  std::vector<Mat3> cells;
  std::vector<std::int64_t> steps;
  std::vector<double> times;
  std::vector<std::vector<double>> obs;
};

Walk make_walk(int frames, std::uint64_t seed = 11) {
  Walk w;
  Mat3 c0;
  c0[0][0] = 7.0;
  c0[1][0] = 1.1;
  c0[1][1] = 6.5;
  c0[2][0] = -0.7;
  c0[2][1] = 0.4;
  c0[2][2] = 6.8;
  w.s.cell = c0;
  w.s.species_symbols = {"Na", "Cl", "S", "O"};
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::normal_distribution<double> g(0.0, 1.0);
  for (int i = 0; i < 24; ++i) {
    w.s.positions.push_back(to_cartesian({u(rng), u(rng), u(rng)}, c0));
    w.s.types.push_back(i % 4);
  }
  std::vector<Vec3> x = w.s.positions;
  for (int f = 0; f < frames; ++f) {
    Mat3 cell = (1.0 + 0.01 * std::sin(0.3 * f)) * c0;
    const Mat3 inv = inverse(cell);
    std::vector<Vec3> v(x.size()), wr(x.size());
    std::vector<std::array<int, 3>> im(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
      v[i] = {g(rng), g(rng), g(rng)};
      x[i] += 0.6 * v[i];  // large steps: atoms cross the cell many times
      const Vec3 fr = to_fractional(x[i], inv);
      Vec3 fw;
      for (int k = 0; k < 3; ++k) {
        const double n = std::floor(fr[k]);
        im[i][k] = static_cast<int>(n);
        fw[k] = fr[k] - n;
      }
      wr[i] = to_cartesian(fw, cell);
    }
    w.unwrapped.push_back(x);
    w.wrapped.push_back(wr);
    w.velocities.push_back(v);
    w.images.push_back(im);
    w.cells.push_back(cell);
    w.steps.push_back(100 + 50LL * f);
    w.times.push_back(0.2 + 0.1 * f);
    w.obs.push_back({-100.0 + f, 3.0 + 0.5 * f, 600.0 + f});
  }
  return w;
}

H5mdOptions options() {
  H5mdOptions o;
  o.velocities = true;
  o.observables = {"potential_energy", "kinetic_energy", "temperature"};
  o.author = "test";
  return o;
}

void append(H5mdWriter& wr, const Walk& w, int f) {
  wr.append(w.steps[f], w.times[f], w.cells[f], w.wrapped[f], w.images[f], &w.velocities[f],
            w.obs[f]);
}

bool same_bits(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

// Reads the file with analysis' H5MD reader and compares frames first..first+count of `w`
// (file frame k ↔ walk frame map[k]).
void expect_matches(const std::filesystem::path& file, const Walk& w, const std::vector<int>& map) {
  auto r = analysis::open_h5md(file.string(), {});
  ASSERT_EQ(r->frame_count(), static_cast<long>(map.size()));
  const auto& sys = r->system();
  EXPECT_EQ(sys.types, w.s.types);
  EXPECT_EQ(sys.species_symbols, w.s.species_symbols);
  EXPECT_FALSE(sys.positions_unwrapped);
  EXPECT_NEAR(sys.masses[0], 22.98976928, 1e-6);  // Na from the element table, stored in /mass
  analysis::Frame fr;
  double worst = 0;
  for (int f : map) {
    ASSERT_TRUE(r->next(fr));
    EXPECT_EQ(fr.step, w.steps[f]);
    EXPECT_TRUE(same_bits(fr.time_ps, w.times[f]));
    for (int a = 0; a < 3; ++a)
      for (int b = 0; b < 3; ++b) EXPECT_TRUE(same_bits(fr.cell[a][b], w.cells[f][a][b]));
    ASSERT_EQ(fr.positions.size(), 24u);
    ASSERT_EQ(fr.images.size(), 24u);
    ASSERT_EQ(fr.velocities.size(), 24u);
    for (std::size_t i = 0; i < 24; ++i) {
      for (int k = 0; k < 3; ++k) {
        EXPECT_TRUE(same_bits(fr.positions[i][k], w.wrapped[f][i][k]));
        EXPECT_TRUE(same_bits(fr.velocities[i][k], w.velocities[f][i][k]));
      }
      EXPECT_EQ(fr.images[i], w.images[f][i]);
      const Vec3 unwrapped =
          fr.positions[i] +
          to_cartesian({double(fr.images[i][0]), double(fr.images[i][1]), double(fr.images[i][2])},
                       fr.cell);
      worst = std::max(worst, norm(unwrapped - w.unwrapped[f][i]));
    }
  }
  EXPECT_FALSE(r->next(fr));
  // Stored values are bit-exact; r + n·cell differs from the true path only by the rounding of
  // wrapping (|x| up to ~100 Å → a few ulp of 100 = 1e-13 Å).
  EXPECT_LT(worst, 1e-12);
}

int run(const std::string& cmd) {
  const int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

// A 10-frame walk written to dir/t.h5 for the peer readers.
Walk write_walk_file(const TempDir& dir) {
  Walk w = make_walk(10);
  H5mdWriter wr(dir / "t.h5", w.s, options());
  for (int f = 0; f < 10; ++f) append(wr, w, f);
  wr.close();
  return w;
}

// A reference file for a peer script: the positions one per line with round-trip precision (the
// stream stays open for more lines).
std::ofstream reference_file(const std::filesystem::path& path,
                             const std::vector<Vec3>& positions) {
  std::ofstream ref(path);
  ref.precision(17);
  for (const Vec3& p : positions) ref << p.x << " " << p.y << " " << p.z << "\n";
  return ref;
}

}  // namespace

TEST(H5mdWriter, RoundTripThroughAnalysisReader) {
  TempDir dir;
  const Walk w = make_walk(40);
  int max_image = 0;
  for (const auto& im : w.images.back())
    for (int k : im) max_image = std::max(max_image, std::abs(k));
  ASSERT_GE(max_image, 2) << "the walk must cross the cell to exercise image flags";
  const auto path = dir / "traj.h5";
  H5mdWriter wr(path, w.s, options());
  for (int f = 0; f < 40; ++f) append(wr, w, f);
  EXPECT_EQ(wr.frames(), 40);
  EXPECT_EQ(wr.last_step(), w.steps.back());
  // Before close only the .tmp exists: a crash never leaves something that looks finished.
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_TRUE(std::filesystem::exists(path.string() + ".tmp"));
  wr.close();
  EXPECT_TRUE(std::filesystem::exists(path));
  EXPECT_FALSE(std::filesystem::exists(path.string() + ".tmp"));
  std::vector<int> all(40);
  for (int f = 0; f < 40; ++f) all[f] = f;
  expect_matches(path, w, all);
  // Also through the format dispatcher (extension .h5).
  auto r = analysis::open_trajectory(path.string());
  EXPECT_EQ(r->frame_count(), 40);
}

TEST(H5mdWriter, CompressionAndSmallChunksGiveIdenticalData) {
  TempDir dir;
  const Walk w = make_walk(25);
  H5mdOptions o = options();
  o.compression = 6;
  o.chunk_frames = 4;
  H5mdWriter wr(dir / "z.h5", w.s, o);
  for (int f = 0; f < 25; ++f) append(wr, w, f);
  wr.close();
  std::vector<int> all(25);
  for (int f = 0; f < 25; ++f) all[f] = f;
  expect_matches(dir / "z.h5", w, all);
}

TEST(H5mdWriter, ResumeAfterCrashDropsLaterFrames) {
  TempDir dir;
  const Walk w = make_walk(30);
  const auto path = dir / "traj.h5";
  {
    H5mdWriter wr(path, w.s, options());
    for (int f = 0; f < 12; ++f) {
      append(wr, w, f);
      if (f == 8) wr.flush();
    }
    // destroyed without close(): the run "failed"
  }
  EXPECT_FALSE(std::filesystem::exists(path));
  ASSERT_TRUE(std::filesystem::exists(path.string() + ".tmp"));
  // Resume from a checkpoint at the step of frame 8: frames 9..11 are dropped and rewritten.
  {
    H5mdWriter wr = H5mdWriter::resume(path, w.s, options(), w.steps[8]);
    EXPECT_EQ(wr.frames(), 9);
    EXPECT_EQ(wr.last_step(), w.steps[8]);
    for (int f = 9; f < 20; ++f) append(wr, w, f);
    wr.close();
  }
  std::vector<int> map(20);
  for (int f = 0; f < 20; ++f) map[f] = f;
  expect_matches(path, w, map);
  // Resume a finished file (continue a completed run): the file goes back to .tmp until close().
  {
    H5mdWriter wr = H5mdWriter::resume(path, w.s, options(), w.steps[19]);
    EXPECT_FALSE(std::filesystem::exists(path));
    EXPECT_EQ(wr.frames(), 20);
    for (int f = 20; f < 30; ++f) append(wr, w, f);
    wr.close();
  }
  map.resize(30);
  for (int f = 0; f < 30; ++f) map[f] = f;
  expect_matches(path, w, map);
}

TEST(H5mdWriter, ResumeAfterKilledProcess) {
  TempDir dir;
  const Walk w = make_walk(20);
  const auto path = dir / "killed.h5";
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    // Child: write, flush at the "checkpoint" (frame 9), keep writing, then die abruptly
    // (no destructors, no close, no HDF5 shutdown).
    try {
      H5mdWriter wr(path, w.s, options());
      for (int f = 0; f < 14; ++f) {
        append(wr, w, f);
        if (f == 9) wr.flush();
      }
    } catch (...) {
      _exit(3);
    }
    _exit(0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);
  ASSERT_TRUE(std::filesystem::exists(path.string() + ".tmp"));
  H5mdWriter wr = H5mdWriter::resume(path, w.s, options(), w.steps[9]);
  EXPECT_EQ(wr.frames(), 10);
  for (int f = 10; f < 20; ++f) append(wr, w, f);
  wr.close();
  std::vector<int> map(20);
  for (int f = 0; f < 20; ++f) map[f] = f;
  expect_matches(path, w, map);
}

TEST(H5mdWriter, BadInputIsRefusedClearly) {
  TempDir dir;
  const Walk w = make_walk(3);
  H5mdWriter wr(dir / "e.h5", w.s, options());
  std::vector<Vec3> short_pos(w.wrapped[0].begin(), w.wrapped[0].end() - 1);
  EXPECT_THROW(wr.append(1, 0.1, w.cells[0], short_pos, w.images[0], &w.velocities[0], w.obs[0]),
               Error);
  EXPECT_THROW(wr.append(1, 0.1, w.cells[0], w.wrapped[0], w.images[0], nullptr, w.obs[0]), Error);
  EXPECT_THROW(wr.append(1, 0.1, w.cells[0], w.wrapped[0], w.images[0], &w.velocities[0], {1.0}),
               Error);
  append(wr, w, 1);
  try {
    append(wr, w, 0);  // earlier step
    ADD_FAILURE() << "a decreasing step must be refused";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("must increase"), std::string::npos) << e.what();
  }
  wr.close();
  EXPECT_THROW(append(wr, w, 2), Error);
  // Resume with a different structure or different velocity option.
  Structure other = w.s;
  std::swap(other.types[0], other.types[1]);
  try {
    H5mdWriter::resume(dir / "e.h5", other, options(), 1000);
    ADD_FAILURE() << "species mismatch must be refused";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("e.h5"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("species"), std::string::npos) << e.what();
  }
  // The refused resume left the finished file in place.
  EXPECT_TRUE(std::filesystem::exists(dir / "e.h5"));
  EXPECT_FALSE(std::filesystem::exists(dir / "e.h5.tmp"));
  H5mdOptions nov = options();
  nov.velocities = false;
  EXPECT_THROW(H5mdWriter::resume(dir / "e.h5", w.s, nov, 1000), InputError);
  EXPECT_TRUE(std::filesystem::exists(dir / "e.h5"));
  EXPECT_THROW(H5mdWriter::resume(dir / "absent.h5", w.s, options(), 0), InputError);
  // A damaged .tmp (not HDF5) is named in the message.
  std::ofstream(dir / "bad.h5.tmp") << "garbage";
  try {
    H5mdWriter::resume(dir / "bad.h5", w.s, options(), 0);
    ADD_FAILURE();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("bad.h5.tmp"), std::string::npos) << e.what();
  }
}

// The layout exactly as h5py (a reader independent of ours) sees it.
TEST(H5mdWriter, ReadableByH5py) {
  if (run("/usr/bin/python3 -c 'import h5py, numpy' > /dev/null 2>&1") != 0)
    GTEST_SKIP() << "/usr/bin/python3 has no h5py/numpy (apt install python3-h5py)";
  TempDir dir;
  const Walk w = write_walk_file(dir);
  // Expected unwrapped final positions.
  reference_file(dir / "ref.txt", w.unwrapped[9]).close();
  const std::string script = R"PY(
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
assert list(f["h5md"].attrs["version"]) == [1, 1]
assert f["h5md/creator"].attrs["name"] == "superion"
assert f["h5md/author"].attrs["name"] == "test"
box = f["particles/all/box"]
assert int(box.attrs["dimension"]) == 3
assert list(box.attrs["boundary"]) == ["periodic"] * 3, box.attrs["boundary"]
pos = f["particles/all/position/value"]
assert pos.shape == (10, 24, 3) and pos.dtype == np.float64
assert f["particles/all/image/value"].dtype == np.int32
assert f["particles/all/position/step"].dtype == np.int64
assert f["particles/all/position/time"].attrs["unit"] == "ps"
assert f["particles/all/velocity/value"].attrs["unit"] == "Angstrom ps-1"
# step/time are shared (hard links): the same object everywhere
for g in ["image", "velocity", "box/edges"]:
    assert f["particles/all/" + g + "/step"].id == f["particles/all/position/step"].id
    assert f["particles/all/" + g + "/time"].id == f["particles/all/position/time"].id
edges = f["particles/all/box/edges/value"]
assert edges.shape == (10, 3, 3)
assert list(f["particles/all/species"].attrs["symbols"]) == ["Na", "Cl", "S", "O"]
assert f["observables/temperature/value"].shape == (10,)
assert f["observables/temperature/value"].attrs["unit"] == "K"
assert f["observables/potential_energy/value"].attrs["unit"] == "eV"
u = pos[9] + f["particles/all/image/value"][9] @ edges[9]
ref = np.loadtxt(sys.argv[2])
err = np.abs(u - ref).max()
assert err < 1e-12, err
print("ok", err)
)PY";
  std::ofstream(dir / "check.py") << script;
  EXPECT_EQ(run("/usr/bin/python3 " + (dir / "check.py").string() + " " + (dir / "t.h5").string() +
                " " + (dir / "ref.txt").string()),
            0);
}

// MDAnalysis' H5MD reader (a PyPI peer in .venv-peers, scripts/install-peers.sh).
TEST(H5mdWriter, ReadableByMDAnalysis) {
  const std::string py =
      (std::filesystem::path(SUPERION_SOURCE_DIR) / ".venv-peers/bin/python").string();
  if (!std::filesystem::exists(py) || run(py + " -c 'import MDAnalysis' > /dev/null 2>&1") != 0)
    GTEST_SKIP() << "MDAnalysis not installed in " << py << " (scripts/install-peers.sh)";
  TempDir dir;
  const Walk w = write_walk_file(dir);
  std::ofstream ref = reference_file(dir / "ref.txt", w.wrapped[7]);
  // Cell lengths and angles (degrees) of frame 7 as MDAnalysis' `dimensions` should give them.
  const Mat3& c = w.cells[7];
  const Vec3 a = c.row(0), b = c.row(1), cc = c.row(2);
  const double deg = 180.0 / std::acos(-1.0);
  ref << "# " << norm(a) << " " << norm(b) << " " << norm(cc) << " "
      << deg * std::acos(dot(b, cc) / (norm(b) * norm(cc))) << " "
      << deg * std::acos(dot(a, cc) / (norm(a) * norm(cc))) << " "
      << deg * std::acos(dot(a, b) / (norm(a) * norm(b))) << "\n";
  ref.close();
  const std::string script = R"PY(
import sys, warnings, numpy as np
warnings.simplefilter("ignore")
import MDAnalysis as mda
u = mda.Universe.empty(24, trajectory=False)
u.load_new(sys.argv[1], format="H5MD")
assert u.trajectory.n_frames == 10, u.trajectory.n_frames
ts = u.trajectory[7]
ref = np.loadtxt(sys.argv[2], comments="#")
err = np.abs(ts.positions - ref).max()
assert err < 1e-5, err   # MDAnalysis stores positions as float32
assert abs(ts.time - 0.9) < 1e-9, ts.time
assert ts.has_velocities
dims = [float(x) for x in open(sys.argv[2]).read().split("#")[1].split()]
derr = np.abs(ts.dimensions - np.array(dims)).max()
assert derr < 1e-4, (ts.dimensions, dims)   # float32 lengths (Å) and angles (degrees)
print("ok", err, ts.dimensions)
)PY";
  std::ofstream(dir / "check.py") << script;
  EXPECT_EQ(run(py + " " + (dir / "check.py").string() + " " + (dir / "t.h5").string() + " " +
                (dir / "ref.txt").string()),
            0);
}

// Prints the writing cost for a 4608-atom system (the issue's large benchmark size): µs per
// frame and file size, without and with gzip. No timing assertion (shared machines).
TEST(H5mdWriter, ThroughputReport) {
  TempDir dir;
  Structure s;
  for (int k = 0; k < 3; ++k) s.cell[k][k] = 40.0;
  s.species_symbols = {"Na", "Cl", "S", "O"};
  std::mt19937_64 rng(1);
  std::uniform_real_distribution<double> u(0.0, 40.0);
  for (int i = 0; i < 4608; ++i) {
    s.positions.push_back({u(rng), u(rng), u(rng)});
    s.types.push_back(i % 4);
  }
  std::vector<std::array<int, 3>> img(s.size(), {0, 0, 0});
  std::vector<Vec3> v(s.size(), Vec3{1, 2, 3});
  const int frames = 100;
  for (int level : {0, 4}) {
    H5mdOptions o = options();
    o.compression = level;
    const auto path = dir / ("b" + std::to_string(level) + ".h5");
    const auto t0 = std::chrono::steady_clock::now();
    {
      H5mdWriter wr(path, s, o);
      for (int f = 0; f < frames; ++f) {
        for (auto& p : s.positions) p.x = std::fmod(p.x + 0.01, 40.0);
        wr.append(f, 0.01 * (f + 1), s.cell, s.positions, img, &v, {1.0, 2.0, 3.0});
      }
      wr.close();
    }
    const double us =
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
    const double mb = std::filesystem::file_size(path) / 1e6;
    std::printf(
        "H5MD 4608 atoms, positions+images+velocities, gzip %d: %.0f us/frame, "
        "%.2f MB/frame on disk\n",
        level, us / frames, mb / frames);
    EXPECT_GT(mb, 0.0);
  }
}

// A trajectory cut short on disk (e.g. the disk filled up) is refused with a message naming the
// file, whatever the cut.
TEST(H5mdWriter, TruncatedFileIsRefusedOnResume) {
  TempDir dir;
  const Walk w = make_walk(8);
  const auto path = dir / "cut.h5";
  {
    H5mdWriter wr(path, w.s, options());
    for (int f = 0; f < 8; ++f) append(wr, w, f);
    wr.close();
  }
  const auto full = std::filesystem::file_size(path);
  std::ifstream in(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (double frac : {0.05, 0.3, 0.6, 0.9}) {
    const auto cut = dir / "cut2.h5";
    std::filesystem::remove(cut.string() + ".tmp");
    std::ofstream(cut, std::ios::binary | std::ios::trunc)
        .write(bytes.data(), static_cast<std::streamsize>(frac * full));
    try {
      H5mdWriter wr = H5mdWriter::resume(cut, w.s, options(), w.steps[6]);
      // HDF5 may open a file whose cut falls in raw data only: appending must then still work.
      append(wr, w, static_cast<int>(wr.frames()));
      wr.close();
      std::printf("cut at %.0f %%: resumed with %ld frames\n", 100 * frac, wr.frames());
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("cut2.h5"), std::string::npos) << e.what();
      std::printf("cut at %.0f %%: %s\n", 100 * frac, e.what());
    }
  }
}
