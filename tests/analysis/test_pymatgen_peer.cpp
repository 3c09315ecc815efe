// `superion analyze diffusion` against pymatgen-analysis-diffusion run live on the same stored
// DiffusionAnalyzer (LGPS 600 K). Needs the peer venv from scripts/install-peers.sh (or
// SUPERION_PEER_PYTHON); skips visibly without it.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

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
