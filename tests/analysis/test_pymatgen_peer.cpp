// `superion analyze diffusion|vanhove|density` against pymatgen-analysis-diffusion run live: on
// the stored DiffusionAnalyzer (LGPS 600 K) and on trajectories made here (a monoclinic cell whose
// lengths are not multiples of the grid spacing). Needs the peer venv from
// scripts/install-peers.sh (or SUPERION_PEER_PYTHON); skips visibly without it.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "analysis/pymatgen_json.hpp"
#include "test_util.hpp"

namespace {

std::string peer_python() {
  if (const char* p = std::getenv("SUPERION_PEER_PYTHON")) return p;
  const std::filesystem::path venv =
      std::filesystem::path(SUPERION_SOURCE_DIR) / ".venv-peers/bin/python";
  return std::filesystem::exists(venv) ? venv.string() : "";
}

// Runs pymatgen's DiffusionAnalyzer (peer script; `peer_slice` = its optional START:STOP of the
// frames) and `superion analyze diffusion` with `our_options` on the LGPS run and fills their JSON.
// Skips (GTEST_SKIP) without the peer venv or pymatgen; the caller returns when IsSkipped().
void run_lgps_diffusion(const std::filesystem::path& json, const std::string& peer_slice,
                        const std::string& our_options, nlohmann::json& ref, nlohmann::json& got) {
  const std::string py = peer_python();
  if (py.empty())
    GTEST_SKIP()
        << "pymatgen-analysis-diffusion venv absent (scripts/install-peers.sh): peer check skipped";
  superion::testing::TempDir tmp;
  const std::string peer = py + " " + SUPERION_SOURCE_DIR +
                           "/scripts/peers/pymatgen_diffusion.py " + json.string() + " " +
                           (tmp / "ref.json").string() + peer_slice;
  const int rc = std::system(peer.c_str());
  if (rc != 0 && WEXITSTATUS(rc) == 3)
    GTEST_SKIP() << "pymatgen-analysis-diffusion not importable: skipped";
  ASSERT_EQ(rc, 0) << peer;
  const std::string ours = std::string(SUPERION_BINARY) + " analyze diffusion " + json.string() +
                           our_options + " --json " + (tmp / "ours.json").string() + " > /dev/null";
  ASSERT_EQ(std::system(ours.c_str()), 0);
  ref = nlohmann::json::parse(std::ifstream(tmp / "ref.json"));
  got = nlohmann::json::parse(std::ifstream(tmp / "ours.json"));
}

// Same algorithm and constants: only floating-point summation order differs (measured ≤ 6e-11).
void expect_same_diffusion(const nlohmann::json& ref, const nlohmann::json& got) {
  for (const char* key :
       {"D_cm2_s", "sigma_mS_cm", "D_charge_cm2_s", "sigma_charge_mS_cm", "haven_ratio"}) {
    const double r = ref[key].get<double>(), g = got[key].get<double>();
    EXPECT_NEAR(g, r, 1e-9 * std::abs(r)) << key;
  }
  for (int k = 0; k < 3; ++k) {
    const double r = ref["sigma_xyz_mS_cm"][k].get<double>(),
                 g = got["sigma_xyz_mS_cm"][k].get<double>();
    EXPECT_NEAR(g, r, 1e-9 * std::abs(r)) << "sigma_xyz " << k;
  }
}

}  // namespace

TEST(PymatgenPeer, LgpsDiffusionAgreesToRoundOff) {
  SUPERION_REQUIRE_SHARED(json, "diffusion/LGPS_600K/DiffusionAnalyzer.json");
  nlohmann::json ref, got;
  run_lgps_diffusion(json, "", " --species Li --temperature 600", ref, got);
  if (IsSkipped() || HasFatalFailure()) return;
  expect_same_diffusion(ref, got);
}

// `--start-time 5 --end-time 15` against pymatgen on only those frames (250..750 of 0.02 ps):
// the window must equal cutting the run, equilibration included in nothing. Measured 2.4e-14
// relative; 1e-9 as above.
TEST(PymatgenPeer, LgpsWindowedDiffusionAgreesToRoundOff) {
  SUPERION_REQUIRE_SHARED(json, "diffusion/LGPS_600K/DiffusionAnalyzer.json");
  nlohmann::json ref, got;
  run_lgps_diffusion(json, " 250:751", " --start-time 5 --end-time 15", ref, got);
  if (IsSkipped() || HasFatalFailure()) return;
  EXPECT_EQ(got["n_frames"], 501);
  expect_same_diffusion(ref, got);
}

// `superion analyze vanhove --convention pymatgen` against VanHoveAnalysis (Li, 20 origins, lags
// every 100 frames). Same binning and sums; only summation order differs (measured ≤ 7e-16
// absolute on values up to 4), so 1e-12 absolute is a tight bound.
TEST(PymatgenPeer, LgpsVanHoveAgreesToRoundOff) {
  SUPERION_REQUIRE_SHARED(json, "diffusion/LGPS_600K/DiffusionAnalyzer.json");
  const std::string py = peer_python();
  if (py.empty())
    GTEST_SKIP() << "pymatgen-analysis-diffusion venv absent (scripts/install-peers.sh): peer "
                    "check skipped";
  superion::testing::TempDir tmp;
  const std::string peer = py + " " + SUPERION_SOURCE_DIR + "/scripts/peers/pymatgen_vanhove.py " +
                           json.string() + " Li 20 100 " + (tmp / "ref.json").string();
  const int rc = std::system(peer.c_str());
  if (rc != 0 && WEXITSTATUS(rc) == 3) GTEST_SKIP() << "pymatgen-analysis-diffusion not importable";
  ASSERT_EQ(rc, 0) << peer;
  const std::string ours = std::string(SUPERION_BINARY) + " analyze vanhove " + json.string() +
                           " --species Li --convention pymatgen --avg-nsteps 20 --step-skip 100"
                           " --json " +
                           (tmp / "ours.json").string() + " > /dev/null";
  ASSERT_EQ(std::system(ours.c_str()), 0);
  const auto ref = nlohmann::json::parse(std::ifstream(tmp / "ref.json"));
  const auto got = nlohmann::json::parse(std::ifstream(tmp / "ours.json"));
  ASSERT_EQ(got["lags"].size(), ref["gs"].size());
  for (std::size_t l = 0; l < ref["gs"].size(); ++l) {
    ASSERT_EQ(got["lags"][l]["gs_4pir2"].size(), ref["gs"][l].size());
    for (std::size_t k = 0; k < ref["gs"][l].size(); ++k) {
      EXPECT_NEAR(got["lags"][l]["gs_4pir2"][k].get<double>(), ref["gs"][l][k].get<double>(), 1e-12)
          << "G_s lag " << l << " r index " << k;
      EXPECT_NEAR(got["lags"][l]["gd"][k].get<double>(), ref["gd"][l][k].get<double>(), 1e-12)
          << "G_d lag " << l << " r index " << k;
    }
  }
}

namespace {

// A monoclinic cell (β = 103°, |a| = 10.3, |b| = 7.93, |c| = 8.65 Å: no length a multiple of the
// density spacings or of the van Hove dr = 0.1 Å, see the van Hove test) with 10 Na random-walking
// (0.15 Å steps per frame) and 12 framework atoms (Cl, S) vibrating (0.1 Å) around fixed sites;
// everything drifts by (0.004, −0.003, 0.002) Å per frame, so removing the framework drift matters.
// 200 frames, 0.02 ps apart.
superion::testing::AnalyzerJson drifting_monoclinic_run() {
  using superion::Vec3;
  superion::testing::AnalyzerJson a;
  const double beta = 103.0 * M_PI / 180.0;
  a.cell = superion::Mat3{};
  a.cell[0][0] = 10.3;
  a.cell[1][1] = 7.93;
  a.cell[2][0] = 8.65 * std::cos(beta);
  a.cell[2][2] = 8.65 * std::sin(beta);
  std::mt19937_64 rng(2023);
  std::uniform_real_distribution<double> u(0, 1);
  std::normal_distribution<double> g(0, 1);
  std::vector<Vec3> site;
  for (int i = 0; i < 22; ++i) {
    a.symbols.push_back(i < 10 ? "Na" : i < 16 ? "Cl" : "S");
    site.push_back(superion::to_cartesian(Vec3{u(rng), u(rng), u(rng)}, a.cell));
  }
  std::vector<Vec3> na(site.begin(), site.begin() + 10);
  for (int t = 0; t < 200; ++t) {
    const Vec3 drift{0.004 * t, -0.003 * t, 0.002 * t};
    std::vector<Vec3> frame(22);
    for (int i = 0; i < 22; ++i) {
      if (i < 10) {
        if (t > 0) na[i] = na[i] + Vec3{0.15 * g(rng), 0.15 * g(rng), 0.15 * g(rng)};
        frame[i] = na[i] + drift;
      } else {
        frame[i] = site[i] + drift + Vec3{0.1 * g(rng), 0.1 * g(rng), 0.1 * g(rng)};
      }
    }
    a.unwrapped.push_back(frame);
  }
  a.specie = "Na";
  a.time_step_fs = 2;
  a.step_skip = 10;
  return a;
}

// The same run as an extended XYZ file with WRAPPED positions (what MD writes).
void write_wrapped_extxyz(const superion::testing::AnalyzerJson& a, const std::string& path) {
  std::ofstream o(path);
  o.precision(17);
  const superion::Mat3 inv = superion::inverse(a.cell);
  for (std::size_t t = 0; t < a.unwrapped.size(); ++t) {
    o << a.symbols.size() << "\nLattice=\"";
    for (int r = 0; r < 3; ++r)
      for (int k = 0; k < 3; ++k) o << (r || k ? " " : "") << a.cell[r][k];
    o << "\" Properties=species:S:1:pos:R:3 time=" << 0.02 * t << " pbc=\"T T T\"\n";
    for (std::size_t i = 0; i < a.symbols.size(); ++i) {
      superion::Vec3 f = superion::to_fractional(a.unwrapped[t][i], inv);
      for (int k = 0; k < 3; ++k) f[k] -= std::floor(f[k]);
      const superion::Vec3 x = superion::to_cartesian(f, a.cell);
      o << a.symbols[i] << ' ' << x.x << ' ' << x.y << ' ' << x.z << '\n';
    }
  }
}

// Grid values of a CHGCAR (ours or pymatgen's): every number after the grid-size line, which
// follows the first blank line after the POSCAR block.
std::vector<double> chgcar_values(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (n > 2 && line.find_first_not_of(" \t\r") == std::string::npos) break;
  }
  std::getline(in, line);  // grid sizes
  std::vector<double> v;
  double x;
  while (in >> x) v.push_back(x);
  return v;
}

// Runs the peer (MODE analyzer|raw on `json`) and `superion analyze density INPUT OPTIONS`, and
// compares max, min, integral and every grid value (CSV) and CHGCAR value. Same counts on the same
// grid points, the same arithmetic for ρ: identical up to rounding (measured 0); 1e-10 relative.
void compare_density(const std::filesystem::path& json, const std::string& mode,
                     const std::string& input, const std::string& options, double spacing) {
  superion::testing::TempDir tmp;
  const std::string py = peer_python();
  char sp[32];
  std::snprintf(sp, sizeof sp, "%.17g", spacing);
  const std::string peer = py + " " + SUPERION_SOURCE_DIR + "/scripts/peers/pymatgen_density.py " +
                           json.string() + " Na " + sp + " " + mode + " " +
                           (tmp / "ref.json").string() + " " + (tmp / "ref.CHGCAR").string();
  const int rc = std::system(peer.c_str());
  if (rc != 0 && WEXITSTATUS(rc) == 3) GTEST_SKIP() << "pymatgen-analysis-diffusion not importable";
  ASSERT_EQ(rc, 0) << peer;
  std::string out;
  ASSERT_EQ(superion::testing::run_superion(
                "analyze density " + input + " --species Na --spacing " + sp + options +
                    " --json " + (tmp / "ours.json").string() + " --csv " +
                    (tmp / "ours.csv").string() + " --chgcar " + (tmp / "ours.CHGCAR").string(),
                &out),
            0)
      << out;
  const auto ref = nlohmann::json::parse(std::ifstream(tmp / "ref.json"));
  const auto got = nlohmann::json::parse(std::ifstream(tmp / "ours.json"));
  for (int k = 0; k < 3; ++k) ASSERT_EQ(got["grid"][k], ref["lens"][k]) << "grid size " << k;
  const double mx = ref["max"].get<double>();
  EXPECT_NEAR(got["max_density_per_A3"].get<double>(), mx, 1e-10 * mx);
  EXPECT_NEAR(got["min_density_per_A3"].get<double>(), ref["min"].get<double>(), 1e-10 * mx);
  EXPECT_NEAR(got["integral"].get<double>(), ref["integral"].get<double>(), 1e-10);
  EXPECT_NEAR(got["integral"].get<double>(), 1.0, 1e-12);
  std::ifstream csv(tmp / "ours.csv");
  std::string line;
  std::getline(csv, line);
  std::size_t k = 0, differ = 0;
  const auto& pr = ref["pr"];
  while (std::getline(csv, line)) {
    const double rho = std::stod(line.substr(line.rfind(',') + 1));
    ASSERT_LT(k, pr.size());
    if (std::fabs(rho - pr[k].get<double>()) > 1e-10 * mx) ++differ;
    ++k;
  }
  EXPECT_EQ(k, pr.size());
  EXPECT_EQ(differ, 0u) << "grid values differing from pymatgen's";
  const auto ours = chgcar_values(tmp / "ours.CHGCAR"), theirs = chgcar_values(tmp / "ref.CHGCAR");
  ASSERT_EQ(ours.size(), theirs.size());
  double cmax = 0;
  for (double v : theirs) cmax = std::max(cmax, v);
  for (std::size_t i = 0; i < ours.size(); ++i)
    ASSERT_NEAR(ours[i], theirs[i], 1e-10 * cmax) << "CHGCAR value " << i;
}

}  // namespace

// `analyze density` (default pymatgen convention) against ProbabilityDensityAnalysis: from the
// DiffusionAnalyzer JSON (drift removed, as from_diffusion_analyzer) at spacings 0.5 and 0.37 Å,
// and from the wrapped extxyz of the same run against the plain constructor (no drift).
TEST(PymatgenPeer, DensityAgreesOnDriftingMonoclinicRun) {
  const std::string py = peer_python();
  if (py.empty())
    GTEST_SKIP() << "pymatgen-analysis-diffusion venv absent (scripts/install-peers.sh): peer "
                    "check skipped";
  superion::testing::TempDir dir;
  const auto run = drifting_monoclinic_run();
  const auto json = dir / "run.json";
  write_analyzer_json(json.string(), run, superion::testing::SiteCoords::kBoth);
  write_wrapped_extxyz(run, (dir / "run.xyz").string());
  for (double spacing : {0.5, 0.37}) {
    SCOPED_TRACE("analyzer JSON, spacing " + std::to_string(spacing));
    compare_density(json, "analyzer", json.string(), "", spacing);
    if (IsSkipped() || HasFatalFailure()) return;
  }
  {
    SCOPED_TRACE("wrapped extxyz, no drift correction");
    compare_density(json, "raw", (dir / "run.xyz").string(), "", 0.5);
  }
  {
    SCOPED_TRACE("analyzer JSON with --drift no");
    compare_density(json, "raw", json.string(), " --drift no", 0.5);
  }
}

// The other "pymatgen convention" claims (docs/diffusion.md, docs/analysis.md §vanhove) on the
// same drifting monoclinic run: DiffusionAnalyzer (drift removed, 'max' smoothing) and
// VanHoveAnalysis (20 origins, lags every 30 frames) agree to round-off, with the bounds of the
// LGPS checks above. Known exception (docs/analysis.md §vanhove): when a lattice-vector length is a
// multiple of dr, pymatgen bins an atom's distance to its own image, computed as (f + n) − f in
// fractional coordinates, on either side of that bin edge depending on the rounding of f; with
// |b| = 7.9 Å and dr = 0.1 Å, 52 of 400 such distances fell into bin 78 instead of 79 (measured).
// The cell here avoids that degenerate case.
TEST(PymatgenPeer, DiffusionAndVanHoveAgreeOnDriftingMonoclinicRun) {
  const std::string py = peer_python();
  if (py.empty())
    GTEST_SKIP() << "pymatgen-analysis-diffusion venv absent (scripts/install-peers.sh): peer "
                    "check skipped";
  superion::testing::TempDir dir;
  const auto json = dir / "run.json";
  write_analyzer_json(json.string(), drifting_monoclinic_run(),
                      superion::testing::SiteCoords::kBoth);
  nlohmann::json ref, got;
  run_lgps_diffusion(json, "", " --species Na --temperature 600", ref, got);
  if (IsSkipped() || HasFatalFailure()) return;
  expect_same_diffusion(ref, got);
  const std::string peer = py + " " + SUPERION_SOURCE_DIR + "/scripts/peers/pymatgen_vanhove.py " +
                           json.string() + " Na 20 30 " + (dir / "vh_ref.json").string();
  ASSERT_EQ(std::system(peer.c_str()), 0) << peer;
  std::string out;
  ASSERT_EQ(superion::testing::run_superion(
                "analyze vanhove " + json.string() +
                    " --species Na --convention pymatgen --avg-nsteps 20 --step-skip 30 --json " +
                    (dir / "vh.json").string(),
                &out),
            0)
      << out;
  const auto vr = nlohmann::json::parse(std::ifstream(dir / "vh_ref.json"));
  const auto vg = nlohmann::json::parse(std::ifstream(dir / "vh.json"));
  ASSERT_EQ(vg["lags"].size(), vr["gs"].size());
  for (std::size_t l = 0; l < vr["gs"].size(); ++l)
    for (std::size_t k = 0; k < vr["gs"][l].size(); ++k) {
      ASSERT_NEAR(vg["lags"][l]["gs_4pir2"][k].get<double>(), vr["gs"][l][k].get<double>(), 1e-12)
          << "G_s lag " << l << " r index " << k;
      ASSERT_NEAR(vg["lags"][l]["gd"][k].get<double>(), vr["gd"][l][k].get<double>(), 1e-12)
          << "G_d lag " << l << " r index " << k;
    }
}
