// Trajectory readers: the same wrapped Brownian trajectory written as extxyz, XDATCAR, LAMMPS dump
// (triclinic, image flags) and H5MD must give the same diffusion result as the generator itself;
// malformed files give one clear InputError.
#include <gtest/gtest.h>
#include <hdf5.h>

#include <cmath>
#include <cstdio>
#include <fstream>

#include "analysis/pymatgen_json.hpp"
#include "core/error.hpp"
#include "core/geometry.hpp"
#include "diffusion.hpp"
#include "synthetic_trajectory.hpp"
#include "test_util.hpp"
#include "trajectory.hpp"

using namespace superion;
using namespace superion::analysis;

namespace {

BrownianSpec spec() {
  BrownianSpec s;
  s.cell = Mat3{};
  s.cell[0][0] = 9.0;
  s.cell[1][0] = 1.5;
  s.cell[1][1] = 10.0;
  s.cell[2][0] = -1.0;
  s.cell[2][1] = 0.7;
  s.cell[2][2] = 11.0;
  s.symbols = {"Li", "S"};
  s.counts = {12, 6};
  s.D_A2_ps = {0.4, 0.01};
  s.frame_interval_ps = 0.02;
  s.n_frames = 400;
  s.seed = 99;
  return s;
}

struct Collected {
  std::vector<Frame> frames;
  std::vector<std::vector<Vec3>> unwrapped;
  TrajectorySystem sys;
};

Collected collect() {
  BrownianTrajectory t(spec());
  Collected c;
  c.sys = t.system();
  Frame f;
  while (t.next(f)) {
    c.frames.push_back(f);
    c.unwrapped.push_back(t.unwrapped());
  }
  return c;
}

DiffusionResult analyze(TrajectoryReader& r) {
  DiffusionOptions o;
  o.species = "Li";
  o.temperature_K = 800;
  o.min_obs = 2;
  return analyze_diffusion(r, o);
}

std::string sym(const Collected& c, std::size_t i) {
  return c.sys.species_symbols[c.sys.types[i]];
}

void write_extxyz(const Collected& c, const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "w");
  for (const auto& fr : c.frames) {
    std::fprintf(f, "%zu\nLattice=\"", fr.positions.size());
    for (int r = 0; r < 3; ++r)
      for (int k = 0; k < 3; ++k) std::fprintf(f, "%s%.17g", (r || k) ? " " : "", fr.cell[r][k]);
    std::fprintf(f, "\" Properties=species:S:1:pos:R:3 time=%.17g pbc=\"T T T\"\n", fr.time_ps);
    for (std::size_t i = 0; i < fr.positions.size(); ++i)
      std::fprintf(f, "%s %.17g %.17g %.17g\n", sym(c, i).c_str(), fr.positions[i].x,
                   fr.positions[i].y, fr.positions[i].z);
  }
  std::fclose(f);
}

void write_xdatcar(const Collected& c, const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "w");
  const Mat3& cell = c.frames[0].cell;
  std::fprintf(f, "test\n1.0\n");
  for (int r = 0; r < 3; ++r)
    std::fprintf(f, " %.17g %.17g %.17g\n", cell[r][0], cell[r][1], cell[r][2]);
  std::fprintf(f, " Li S\n 12 6\n");
  const Mat3 inv = inverse(cell);
  for (std::size_t k = 0; k < c.frames.size(); ++k) {
    std::fprintf(f, "Direct configuration= %zu\n", k + 1);
    for (const auto& p : c.frames[k].positions) {
      const Vec3 fr = to_fractional(p, inv);
      std::fprintf(f, " %.17g %.17g %.17g\n", fr.x, fr.y, fr.z);
    }
  }
  std::fclose(f);
}

// Triclinic LAMMPS dump, atoms shuffled by id, wrapped x y z plus image flags from the true path.
void write_dump(const Collected& c, const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "w");
  const Mat3& h = c.frames[0].cell;
  const double xy = h[1][0], xz = h[2][0], yz = h[2][1];
  const Mat3 inv = inverse(h);
  for (std::size_t k = 0; k < c.frames.size(); ++k) {
    std::fprintf(
        f, "ITEM: TIMESTEP\n%zu\nITEM: NUMBER OF ATOMS\n%zu\nITEM: BOX BOUNDS xy xz yz pp pp pp\n",
        k * 20, c.frames[k].positions.size());
    std::fprintf(f, "%.17g %.17g %.17g\n", std::min({0.0, xy, xz, xy + xz}),
                 h[0][0] + std::max({0.0, xy, xz, xy + xz}), xy);
    std::fprintf(f, "%.17g %.17g %.17g\n", std::min(0.0, yz), h[1][1] + std::max(0.0, yz), xz);
    std::fprintf(f, "%.17g %.17g %.17g\n", 0.0, h[2][2], yz);
    std::fprintf(f, "ITEM: ATOMS id type x y z ix iy iz\n");
    const std::size_t n = c.frames[k].positions.size();
    for (std::size_t j = 0; j < n; ++j) {
      const std::size_t i = (j * 7) % n;  // shuffled order (n = 18, gcd(7, 18) = 1)
      const Vec3 fu = to_fractional(c.unwrapped[k][i], inv);
      const Vec3 img{std::floor(fu.x), std::floor(fu.y), std::floor(fu.z)};
      const Vec3 w = c.unwrapped[k][i] - row_times(img, h);
      std::fprintf(f, "%zu %d %.17g %.17g %.17g %d %d %d\n", i + 1, c.sys.types[i] + 1, w.x, w.y,
                   w.z, int(img.x), int(img.y), int(img.z));
    }
  }
  std::fclose(f);
}

void write_h5md(const Collected& c, const std::string& path) {
  const hsize_t F = c.frames.size(), N = c.frames[0].positions.size();
  hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
  H5Pset_create_intermediate_group(lcpl, 1);
  auto write = [&](const char* name, hid_t type, std::vector<hsize_t> dims, const void* data) {
    hid_t sp = H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr);
    hid_t ds = H5Dcreate2(file, name, type, sp, lcpl, H5P_DEFAULT, H5P_DEFAULT);
    H5Dwrite(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
    H5Dclose(ds);
    H5Sclose(sp);
  };
  std::vector<double> pos, box, time;
  std::vector<int> img;  // image flags of the true unwrapped path, so the reader uses them
  for (std::size_t k = 0; k < c.frames.size(); ++k) {
    const Mat3 inv = inverse(c.frames[k].cell);
    for (std::size_t i = 0; i < N; ++i) {
      const Vec3 fu = to_fractional(c.unwrapped[k][i], inv),
                 fw = to_fractional(c.frames[k].positions[i], inv);
      for (int d = 0; d < 3; ++d) img.push_back(static_cast<int>(std::lround(fu[d] - fw[d])));
    }
  }
  for (const auto& fr : c.frames) {
    for (const auto& p : fr.positions) pos.insert(pos.end(), {p.x, p.y, p.z});
    for (int r = 0; r < 3; ++r)
      for (int k = 0; k < 3; ++k) box.push_back(fr.cell[r][k]);
    time.push_back(fr.time_ps);
  }
  write("/particles/all/position/value", H5T_NATIVE_DOUBLE, {F, N, 3}, pos.data());
  write("/particles/all/position/time", H5T_NATIVE_DOUBLE, {F}, time.data());
  write("/particles/all/image/value", H5T_NATIVE_INT, {F, N, 3}, img.data());
  write("/particles/all/box/edges/value", H5T_NATIVE_DOUBLE, {F, 3, 3}, box.data());
  write("/particles/all/species", H5T_NATIVE_INT, {N}, c.sys.types.data());
  // symbols attribute: variable-length UTF-8 strings, as h5py writes a list of str
  hid_t ds = H5Dopen2(file, "/particles/all/species", H5P_DEFAULT);
  hid_t st = H5Tcopy(H5T_C_S1);
  H5Tset_size(st, H5T_VARIABLE);
  H5Tset_cset(st, H5T_CSET_UTF8);
  hsize_t two = 2;
  hid_t sp = H5Screate_simple(1, &two, nullptr);
  hid_t at = H5Acreate2(ds, "symbols", st, sp, H5P_DEFAULT, H5P_DEFAULT);
  const char* syms[2] = {"Li", "S"};
  H5Awrite(at, st, syms);
  H5Aclose(at);
  H5Sclose(sp);
  H5Tclose(st);
  H5Dclose(ds);
  H5Pclose(lcpl);
  H5Fclose(file);
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

}  // namespace

TEST(TrajectoryReaders, AllFormatsGiveTheSameDiffusion) {
  const Collected c = collect();
  BrownianTrajectory gen(spec());
  const DiffusionResult ref = analyze(gen);
  superion::testing::TempDir dir;
  write_extxyz(c, (dir / "t.extxyz").string());
  write_xdatcar(c, (dir / "XDATCAR").string());
  write_dump(c, (dir / "t.dump").string());
  write_h5md(c, (dir / "t.h5").string());
  TrajectoryOptions o;
  o.frame_interval_ps = 0.02;  // XDATCAR has no times
  o.timestep_ps = 0.001;       // dump steps 0, 20, 40 … → 0.02 ps
  o.type_symbols = {"Li", "S"};
  for (const char* name : {"t.extxyz", "XDATCAR", "t.dump", "t.h5"}) {
    auto r = open_trajectory((dir / name).string(), o);
    EXPECT_EQ(r->system().size(), 18u) << name;
    EXPECT_EQ(r->system().indices_of("Li").size(), 12u) << name;
    const DiffusionResult d = analyze(*r);
    // Text formats carry 17 significant digits; differences are round-off of unwrapping.
    EXPECT_NEAR(d.D, ref.D, 1e-9 * ref.D) << name;
    EXPECT_NEAR(d.D_charge, ref.D_charge, 1e-9 * ref.D_charge) << name;
    EXPECT_EQ(d.n_frames, 400) << name;
    EXPECT_NEAR(d.frame_interval_ps, 0.02, 1e-12) << name;
  }
  // Image flags are read (dump and H5MD): r + n·cell of frame 399 equals the true unwrapped path.
  for (const char* name : {"t.dump", "t.h5"}) {
    auto r = open_trajectory((dir / name).string(), o);
    Frame f;
    for (int k = 0; k < 400; ++k) ASSERT_TRUE(r->next(f));
    ASSERT_EQ(f.images.size(), 18u) << name;
    int moved = 0;
    for (std::size_t i = 0; i < 18; ++i) {
      moved += f.images[i][0] != 0 || f.images[i][1] != 0 || f.images[i][2] != 0;
      const Vec3 u = f.positions[i] + row_times({double(f.images[i][0]), double(f.images[i][1]),
                                                 double(f.images[i][2])},
                                                f.cell);
      EXPECT_NEAR(norm(u - c.unwrapped[399][i]), 0.0, 1e-9) << name;
    }
    EXPECT_GT(moved, 0) << name << ": no atom left the cell, the test would not exercise images";
  }
  auto r = open_lammps_dump((dir / "t.dump").string(), o);
  Frame f;
  for (int k = 0; k <= 5; ++k) ASSERT_TRUE(r->next(f));
  ASSERT_EQ(f.images.size(), 18u);
  for (std::size_t i = 0; i < 18; ++i) {
    const Vec3 u =
        f.positions[i] +
        row_times({double(f.images[i][0]), double(f.images[i][1]), double(f.images[i][2])}, f.cell);
    EXPECT_NEAR(norm(u - c.unwrapped[5][i]), 0.0, 1e-9);
  }
}

namespace {
std::string error_of(const std::string& path, TrajectoryOptions o = {}) {
  try {
    auto r = open_trajectory(path, o);
    Frame f;
    while (r->next(f)) {
    }
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST(TrajectoryReaders, BadInputGivesClearErrors) {
  superion::testing::TempDir dir;
  const std::string frame1 =
      "2\nLattice=\"5 0 0 0 5 0 0 0 5\" Properties=species:S:1:pos:R:3 time=0\nLi 0 0 0\nLi 1 1 "
      "1\n";
  write_text((dir / "count.xyz").string(),
             frame1 +
                 "3\nLattice=\"5 0 0 0 5 0 0 0 5\" Properties=species:S:1:pos:R:3 time=1\nLi 0 0 "
                 "0\nLi 1 1 1\nLi 2 2 2\n");
  EXPECT_NE(error_of((dir / "count.xyz").string()).find("atom count changed to 3"),
            std::string::npos);
  write_text((dir / "time.xyz").string(),
             frame1 +
                 "2\nLattice=\"5 0 0 0 5 0 0 0 5\" Properties=species:S:1:pos:R:3 time=0\nLi 0 0 "
                 "0\nLi 1 1 1\n");
  EXPECT_NE(error_of((dir / "time.xyz").string()).find("time is not strictly increasing"),
            std::string::npos);
  write_text((dir / "num.xyz").string(), "2\nLattice=\"5 0 0 0 5 0 0 0 5\"\nLi 0 0 0\nLi 1 x 1\n");
  EXPECT_NE(
      error_of((dir / "num.xyz").string()).find("num.xyz:4: expected a number for pos, got 'x'"),
      std::string::npos)
      << error_of((dir / "num.xyz").string());
  write_text((dir / "nocell.xyz").string(), "1\nProperties=species:S:1:pos:R:3\nLi 0 0 0\n");
  EXPECT_NE(error_of((dir / "nocell.xyz").string()).find("missing Lattice"), std::string::npos);
  write_text((dir / "a.dump").string(),
             "ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n1\nITEM: BOX BOUNDS pp pp pp\n0 5\n0 5\n0 "
             "5\nITEM: ATOMS id vx\n1 0\n");
  EXPECT_NE(error_of((dir / "a.dump").string()).find("dump needs columns id, type"),
            std::string::npos);
  EXPECT_NE(error_of((dir / "missing.xyz").string()).find("file not found"), std::string::npos);
  write_text((dir / "XDATCAR").string(),
             "t\n1\n5 0 0\n0 5 0\n0 0 5\nLi\n1\nDirect configuration= 1\n0 0 0\n");
  EXPECT_NE(error_of((dir / "XDATCAR").string()).find("--frame-interval"), std::string::npos);
  write_text((dir / "bad.h5").string(), "not hdf5");
  EXPECT_NE(error_of((dir / "bad.h5").string()).find("cannot open as HDF5"), std::string::npos);
  // Unequal frame spacing is rejected by the analysis (lags need a constant interval).
  write_text((dir / "gap.xyz").string(),
             frame1 + "2\nLattice=\"5 0 0 0 5 0 0 0 5\" time=1\nLi 0 0 0\nLi 1 1 1\n" +
                 "2\nLattice=\"5 0 0 0 5 0 0 0 5\" time=3\nLi 0 0 0\nLi 1 1 1\n");
  auto r = open_trajectory((dir / "gap.xyz").string());
  DiffusionOptions o;
  o.species = "Li";
  o.temperature_K = 300;
  try {
    analyze_diffusion(*r, o);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("not equally spaced"), std::string::npos) << e.what();
  }
}

TEST(TrajectoryReaders, CliExitCodeAndJson) {
  SUPERION_REQUIRE_SHARED(path, "diffusion/LGPS_600K/DiffusionAnalyzer.json");
  superion::testing::TempDir dir;
  const std::string out = (dir / "d.json").string();
  const std::string cmd = std::string(SUPERION_BINARY) + " analyze diffusion '" + path.string() +
                          "' --json '" + out + "' --csv '" + (dir / "m.csv").string() +
                          "' > /dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  std::ifstream in(out);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (const char* key :
       {"\"D_cm2_s\"", "\"D_err_cm2_s\"", "\"sigma_mS_cm\"", "\"D_charge_cm2_s\"",
        "\"sigma_charge_mS_cm\"", "\"haven_ratio\"", "\"D_xyz_cm2_s\"", "\"sigma_xyz_mS_cm\""})
    EXPECT_NE(text.find(key), std::string::npos) << key;
  const std::string bad = std::string(SUPERION_BINARY) + " analyze diffusion '" + path.string() +
                          "' --species Na 2> /dev/null > /dev/null";
  const int rc = std::system(bad.c_str());
  EXPECT_EQ(WEXITSTATUS(rc), 2);  // InputError: species not present
}

// Frame times of extxyz: `time` and `time_ps` are ps, `time_fs` (written by `superion convert` for
// CP2K runs) is fs. Exact: 5 fs = 0.005 ps up to one rounding of 1e-3 * 5.
TEST(TrajectoryReaders, ExtxyzTimeKeys) {
  superion::testing::TempDir dir;
  for (const std::string key : {"time=", "time_ps=", "time_fs="}) {
    const double scale = key == "time_fs=" ? 1000.0 : 1.0;
    std::string text;
    for (int k = 0; k < 3; ++k)
      text += "1\nLattice=\"5 0 0 0 5 0 0 0 5\" Properties=species:S:1:pos:R:3 " + key +
              std::to_string(0.005 * k * scale) + "\nLi 0 0 0\n";
    const auto path = (dir / "t.xyz").string();
    write_text(path, text);
    auto r = open_trajectory(path);
    Frame f;
    for (int k = 0; k < 3; ++k) {
      ASSERT_TRUE(r->next(f)) << key;
      EXPECT_NEAR(f.time_ps, 0.005 * k, 1e-15) << key;
    }
  }
}

// pymatgen's Structure.from_dict builds sites from the fractional `abc` and the lattice; files may
// carry `abc` only, `xyz` only, or both. All three (and per-frame NPT `lattices`) must give the
// same trajectory and the same diffusion result, through the reader and every analyze command.
TEST(TrajectoryReaders, PymatgenJsonWithAbcOrXyzSites) {
  const Collected c = collect();
  superion::testing::AnalyzerJson a;
  a.cell = c.frames[0].cell;
  for (std::size_t i = 0; i < c.sys.size(); ++i) a.symbols.push_back(sym(c, i));
  a.unwrapped = c.unwrapped;
  a.specie = "Li";
  a.time_step_fs = 2;
  a.step_skip = 10;  // 0.02 ps between frames, as the generator
  superion::testing::TempDir dir;
  using superion::testing::SiteCoords;
  const std::vector<std::pair<std::string, SiteCoords>> files{{"abc.json", SiteCoords::kAbc},
                                                              {"xyz.json", SiteCoords::kXyz},
                                                              {"both.json", SiteCoords::kBoth}};
  for (const auto& [name, how] : files) write_analyzer_json((dir / name).string(), a, how);
  auto ref_reader = open_trajectory((dir / "xyz.json").string());
  const DiffusionResult ref = analyze(*ref_reader);
  for (const auto& [name, how] : files) {
    auto r = open_trajectory((dir / name).string());
    Frame f;
    ASSERT_TRUE(r->next(f)) << name;
    for (std::size_t i = 0; i < f.positions.size(); ++i)  // abc·cell vs xyz: one rounding
      EXPECT_NEAR(norm(f.positions[i] - c.unwrapped[0][i]), 0.0, 1e-12) << name;
    r->rewind();
    const DiffusionResult d = analyze(*r);
    EXPECT_NEAR(d.D, ref.D, 1e-12 * ref.D) << name;
    EXPECT_EQ(r->system().analyzer_specie, "Li") << name;
  }
  // Every analyze command that reads a trajectory accepts the abc-only file (arrhenius reads
  // diffusion results).
  const std::string abc = (dir / "abc.json").string();
  for (const std::string& cmd : std::vector<std::string>{
           "diffusion " + abc + " --species Li --temperature 800 --min-obs 2",
           "hops " + abc + " --species Li",
           "vanhove " + abc + " --species Li --times 0.2 --rmax 4 --ngrid 21",
           "vanhove " + abc + " --species Li --convention pymatgen --avg-nsteps 10 --step-skip 100",
           "rdf " + abc + " --rmax 4 --bins 20", "vacf " + abc + " --species Li",
           "density " + abc + " --species Li"}) {
    std::string out;
    EXPECT_EQ(superion::testing::run_superion("analyze " + cmd, &out), 0) << cmd << "\n" << out;
    EXPECT_EQ(out.find("'xyz'"), std::string::npos) << out;
  }
  // rotation and ldfc need clusters (S centres with O ligands): the error is about the ligands.
  std::string out;
  EXPECT_EQ(superion::testing::run_superion("analyze rotation " + abc, &out), 2) << out;
  EXPECT_NE(out.find("'O'"), std::string::npos) << out;
  // NPT: one lattice per frame (here all equal) is accepted; a wrong count is a clear error.
  nlohmann::json j = nlohmann::json::parse(std::ifstream(dir / "abc.json"));
  nlohmann::json lat = j["structure"]["lattice"]["matrix"];
  j["lattices"] = nlohmann::json::array();
  for (std::size_t k = 0; k < c.frames.size(); ++k) j["lattices"].push_back(lat);
  std::ofstream(dir / "npt.json") << j.dump();
  auto npt = open_trajectory((dir / "npt.json").string());
  EXPECT_NEAR(analyze(*npt).D, ref.D, 1e-12 * ref.D);
  j["lattices"].erase(0);
  std::ofstream(dir / "bad_npt.json") << j.dump();
  EXPECT_NE(error_of((dir / "bad_npt.json").string()).find("lattices for 400 frames"),
            std::string::npos);
}

// One diffusing ion in a short run: neither the spread over ions nor block errors exist; the
// summary says why instead of printing "± nan" (the JSON keeps null).
TEST(TrajectoryReaders, DiffusionSummarySaysWhyThereIsNoError) {
  BrownianSpec s = spec();
  s.counts = {1, 6};
  s.n_frames = 60;
  BrownianTrajectory t(s);
  Collected c;
  c.sys = t.system();
  Frame f;
  while (t.next(f)) c.frames.push_back(f);
  superion::testing::TempDir dir;
  write_extxyz(c, (dir / "one.extxyz").string());
  std::string out;
  ASSERT_EQ(superion::testing::run_superion("analyze diffusion " + (dir / "one.extxyz").string() +
                                                " --species Li --temperature 800 --min-obs 1",
                                            &out),
            0)
      << out;
  EXPECT_EQ(out.find("nan"), std::string::npos) << out;
  EXPECT_NE(out.find("D        = "), std::string::npos) << out;
  EXPECT_NE(out.find(" (no error estimate)"), std::string::npos) << out;
  EXPECT_NE(out.find("no error estimate for D, sigma, Haven: one diffusing ion"), std::string::npos)
      << out;
}
