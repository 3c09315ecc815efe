// Streamed trajectory readers (extxyz, XDATCAR, LAMMPS dump, pymatgen JSON) on gzip-compressed
// files: auto-detected by name with ".gz", every frame identical to the plain file's, rewind works,
// and a .gz cut in the middle fails with one InputError naming the file while frames are streamed.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <random>
#include <string>

#include "core/error.hpp"
#include "gzip_test_util.hpp"
#include "io_test_util.hpp"
#include "test_util.hpp"
#include "trajectory.hpp"

namespace superion {
namespace {

namespace fs = std::filesystem;
using analysis::Frame;
using analysis::open_trajectory;
using analysis::TrajectoryOptions;
using analysis::TrajectoryReader;
using testing::gzip_file;
using testing::TempDir;
using testing::write_text;

constexpr int kAtoms = 24;    // 16 Na + 8 Cl
constexpr int kFrames = 300;  // enough text (≈1 MB extxyz) to cross the stream buffers many times

std::string fmt(const char* f, double a, double b, double c) {
  char buf[160];
  std::snprintf(buf, sizeof buf, f, a, b, c);
  return buf;
}

const char* symbol(int i) {
  return i < 16 ? "Na" : "Cl";
}

// Random-walk positions in a 10 Å cubic cell (17 significant digits, so text round trips).
struct Walk {
  std::vector<std::vector<Vec3>> r, v;
  Walk() {
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> u(-0.05, 0.05);
    std::vector<Vec3> x(kAtoms);
    for (int i = 0; i < kAtoms; ++i) x[i] = {0.4 * i, 0.3 * i, 0.2 * i};
    for (int f = 0; f < kFrames; ++f) {
      std::vector<Vec3> vel(kAtoms);
      for (int i = 0; i < kAtoms; ++i) {
        vel[i] = {u(rng), u(rng), u(rng)};
        x[i] = x[i] + vel[i];
      }
      r.push_back(x);
      v.push_back(vel);
    }
  }
};

std::string extxyz_text(const Walk& w) {
  std::string s;
  for (int f = 0; f < kFrames; ++f) {
    s += std::to_string(kAtoms) + "\n";
    s += "Lattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1:pos:R:3:vel:R:3 time=" +
         std::to_string(0.01 * (f + 1)) + " step=" + std::to_string(10 * f) + "\n";
    for (int i = 0; i < kAtoms; ++i)
      s += std::string(symbol(i)) +
           fmt(" %.17g %.17g %.17g", w.r[f][i][0], w.r[f][i][1], w.r[f][i][2]) +
           fmt(" %.17g %.17g %.17g\n", w.v[f][i][0], w.v[f][i][1], w.v[f][i][2]);
  }
  return s;
}

std::string xdatcar_text(const Walk& w) {
  std::string s = "NaCl walk\n1.0\n10 0 0\n0 10 0\n0 0 10\nNa Cl\n16 8\n";
  for (int f = 0; f < kFrames; ++f) {
    s += "Direct configuration= " + std::to_string(f + 1) + "\n";
    for (int i = 0; i < kAtoms; ++i)
      s += fmt(" %.17g %.17g %.17g\n", w.r[f][i][0] / 10, w.r[f][i][1] / 10, w.r[f][i][2] / 10);
  }
  return s;
}

std::string dump_text(const Walk& w) {
  std::string s;
  for (int f = 0; f < kFrames; ++f) {
    s += "ITEM: TIMESTEP\n" + std::to_string(20 * f) + "\nITEM: NUMBER OF ATOMS\n" +
         std::to_string(kAtoms) + "\nITEM: BOX BOUNDS pp pp pp\n0 10\n0 10\n0 10\n" +
         "ITEM: ATOMS id type x y z ix iy iz vx vy vz\n";
    for (int k = 0; k < kAtoms; ++k) {
      const int i = kAtoms - 1 - k;  // reverse id order: the reader sorts by id
      Vec3 wrapped;
      int img[3];
      for (int d = 0; d < 3; ++d) {
        img[d] = static_cast<int>(std::floor(w.r[f][i][d] / 10));
        wrapped[d] = w.r[f][i][d] - 10 * img[d];
      }
      s += std::to_string(i + 1) + " " + (i < 16 ? "1" : "2") +
           fmt(" %.17g %.17g %.17g", wrapped[0], wrapped[1], wrapped[2]) + " " +
           std::to_string(img[0]) + " " + std::to_string(img[1]) + " " + std::to_string(img[2]) +
           fmt(" %.17g %.17g %.17g\n", w.v[f][i][0], w.v[f][i][1], w.v[f][i][2]);
    }
  }
  return s;
}

void expect_same_system(const TrajectoryReader& a, const TrajectoryReader& b) {
  EXPECT_EQ(a.system().types, b.system().types);
  EXPECT_EQ(a.system().species_symbols, b.system().species_symbols);
  EXPECT_EQ(a.system().masses, b.system().masses);
  EXPECT_EQ(a.system().pbc, b.system().pbc);
  EXPECT_EQ(a.system().positions_unwrapped, b.system().positions_unwrapped);
}

// Exactly equal frames (decompression is lossless, the parsing the same).
void expect_same_frame(const Frame& a, const Frame& b, int k) {
  SCOPED_TRACE("frame " + std::to_string(k));
  EXPECT_EQ(a.step, b.step);
  EXPECT_EQ(a.time_ps, b.time_ps);
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) EXPECT_EQ(a.cell[r][c], b.cell[r][c]);
  ASSERT_EQ(a.positions.size(), b.positions.size());
  ASSERT_EQ(a.velocities.size(), b.velocities.size());
  ASSERT_EQ(a.images.size(), b.images.size());
  for (std::size_t i = 0; i < a.positions.size(); ++i)
    for (int d = 0; d < 3; ++d) ASSERT_EQ(a.positions[i][d], b.positions[i][d]) << i;
  for (std::size_t i = 0; i < a.velocities.size(); ++i)
    for (int d = 0; d < 3; ++d) ASSERT_EQ(a.velocities[i][d], b.velocities[i][d]) << i;
  EXPECT_EQ(a.images, b.images);
}

// Streams both files frame by frame, then rewinds both and compares the first frame again.
void expect_same_trajectory(const fs::path& plain, const fs::path& packed,
                            const TrajectoryOptions& o, bool expect_velocities) {
  SCOPED_TRACE(packed.filename().string());
  auto a = open_trajectory(plain.string(), o);
  auto b = open_trajectory(packed.string(), o);
  EXPECT_EQ(b->source(), packed.string());
  expect_same_system(*a, *b);
  EXPECT_EQ(b->system().size(), static_cast<std::size_t>(kAtoms));
  Frame fa, fb;
  int n = 0;
  while (a->next(fa)) {
    ASSERT_TRUE(b->next(fb)) << "the .gz ends after " << n << " frames";
    expect_same_frame(fa, fb, n);
    if (n == 0) EXPECT_EQ(!fb.velocities.empty(), expect_velocities);
    ++n;
  }
  EXPECT_FALSE(b->next(fb));
  EXPECT_EQ(n, kFrames);
  a->rewind();
  b->rewind();
  ASSERT_TRUE(a->next(fa));
  ASSERT_TRUE(b->next(fb));
  expect_same_frame(fa, fb, 0);
}

TEST(GzipTrajectory, StreamedFramesIdenticalToPlain) {
  TempDir tmp;
  const Walk w;
  write_text(tmp / "md.xyz", extxyz_text(w));
  write_text(tmp / "XDATCAR", xdatcar_text(w));
  write_text(tmp / "md.dump", dump_text(w));
  gzip_file(tmp / "md.xyz", tmp / "md.xyz.gz");
  gzip_file(tmp / "XDATCAR", tmp / "XDATCAR.gz");
  gzip_file(tmp / "md.dump", tmp / "md.dump.gz");
  TrajectoryOptions o;
  o.frame_interval_ps = 0.01;  // XDATCAR has no times
  o.timestep_ps = 0.0005;      // dump steps 0, 20, … → 0.01 ps apart
  o.type_symbols = {"Na", "Cl"};
  expect_same_trajectory(tmp / "md.xyz", tmp / "md.xyz.gz", o, true);
  expect_same_trajectory(tmp / "XDATCAR", tmp / "XDATCAR.gz", o, false);
  expect_same_trajectory(tmp / "md.dump", tmp / "md.dump.gz", o, true);
  // Compressed files under plain names are found by their magic bytes.
  fs::copy_file(tmp / "XDATCAR.gz", tmp / "XDATCAR_packed");
  expect_same_trajectory(tmp / "XDATCAR", tmp / "XDATCAR_packed", o, false);
}

TEST(GzipTrajectory, PymatgenJsonGz) {
  TempDir tmp;
  // Two Na sites, three steps: the smallest DiffusionAnalyzer.as_dict() the reader accepts.
  const std::string json = R"({"structure": {"lattice": {"matrix": [[5,0,0],[0,5,0],[0,0,5]]},
    "sites": [{"species": [{"element": "Na", "occu": 1}], "abc": [0,0,0], "xyz": [0,0,0]},
              {"species": [{"element": "Na", "occu": 1}], "abc": [0.5,0.5,0.5], "xyz": [2.5,2.5,2.5]}]},
    "displacements": [[[0,0,0],[0.1,0,0],[0.2,0,0]], [[0,0,0],[0,0.1,0],[0,0.2,0]]],
    "time_step": 2, "step_skip": 10, "specie": "Na", "temperature": 1000})";
  write_text(tmp / "analyzer.json", json);
  gzip_file(tmp / "analyzer.json", tmp / "analyzer.json.gz");
  auto a = open_trajectory((tmp / "analyzer.json").string());
  auto b = open_trajectory((tmp / "analyzer.json.gz").string());
  expect_same_system(*a, *b);
  Frame fa, fb;
  int n = 0;
  while (a->next(fa)) {
    ASSERT_TRUE(b->next(fb));
    expect_same_frame(fa, fb, n++);
  }
  EXPECT_FALSE(b->next(fb));
  EXPECT_EQ(n, 3);
}

TEST(GzipTrajectory, TruncatedGzFailsWhileStreaming) {
  TempDir tmp;
  const Walk w;
  write_text(tmp / "md.xyz", extxyz_text(w));
  gzip_file(tmp / "md.xyz", tmp / "full.xyz.gz");
  const std::size_t size = fs::file_size(tmp / "full.xyz.gz");
  testing::truncate_copy(tmp / "full.xyz.gz", tmp / "cut.xyz.gz", size / 2);
  const std::string name = (tmp / "cut.xyz.gz").string();
  // Opening reads only the first frame, so it succeeds; the error comes mid-stream.
  auto r = open_trajectory(name);
  Frame f;
  int n = 0;
  try {
    while (r->next(f)) ++n;
    ADD_FAILURE() << "no error after " << n << " frames";
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), name);
    EXPECT_NE(std::string(e.what()).find("gzip data truncated"), std::string::npos) << e.what();
  }
  EXPECT_GT(n, 10);  // half of the data holds far more than 10 frames
  EXPECT_LT(n, kFrames);
  // H5MD cannot be streamed from a .gz: a clear message.
  testing::gzip_text("not hdf5", tmp / "traj.h5.gz");
  testing::expect_input_error([&] { open_trajectory((tmp / "traj.h5.gz").string()); },
                              (tmp / "traj.h5.gz").string(), 0, "gunzip it first");
}

}  // namespace
}  // namespace superion
