// `--device` on the command line: `superion md --device emu` writes exactly the files of
// `--device cpu` (thermo CSV, extxyz, H5MD positions) for several replicas in one batch; a
// checkpoint of one engine continues on the other through --resume; `--device gpu` without a CUDA
// device (or build) stops with a clear message; bench md --device emu --json writes its keys.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "device_choice.hpp"
#include "test_util.hpp"

namespace {

using superion::testing::run_superion;
using superion::testing::TempDir;

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const std::string kSystem = std::string("--potential ") + SUPERION_SOURCE_DIR +
                            "/tests/data/pso/na3clso4_level10.mtp --structure " +
                            SUPERION_SOURCE_DIR +
                            "/data/reference/Na3ClSO4/md_500K_strain+0.00.xyz --species "
                            "Na,Cl,S,O --supercell 2 2 1 --threads 2 ";

TEST(DeviceCli, EmuBatchWritesTheCpuRunsFiles) {
  TempDir dir;
  for (const char* d : {"cpu", "emu"}) {
    const std::string p = (dir / d).string();
    std::string out;
    const int rc =
        run_superion("md --quiet " + kSystem +
                         "--temperatures 300,500 --replicas 2 --steps 60 --thermostat langevin "
                         "--thermo-every 20 --thermo " +
                         p + "_th.csv --dump-xyz " + p + "_d.xyz --traj-every 20 --device " + d,
                     &out);
    ASSERT_EQ(rc, 0) << out;
  }
  for (const char* tag : {"_T300_r0", "_T300_r1", "_T500_r0", "_T500_r1"}) {
    for (const char* f : {"_th", "_d"}) {
      const std::string ext = std::string(f) == "_th" ? ".csv" : ".xyz";
      const auto a = dir / (std::string("cpu") + f + tag + ext),
                 b = dir / (std::string("emu") + f + tag + ext);
      ASSERT_TRUE(std::filesystem::exists(a) && std::filesystem::exists(b)) << a << " " << b;
      EXPECT_EQ(slurp(a), slurp(b)) << a << " differs from " << b;
    }
  }
}

TEST(DeviceCli, CheckpointOfOneEngineResumesOnTheOther) {
  TempDir dir;
  const std::string c = (dir / "c.ckpt").string();
  std::string out;
  // 40 steps on the CPU with a checkpoint, then 40 more on the emulated device …
  ASSERT_EQ(run_superion("md --quiet " + kSystem +
                             "--temperature 400 --steps 40 --thermostat nose-hoover "
                             "--checkpoint " +
                             c + " --device cpu",
                         &out),
            0)
      << out;
  ASSERT_EQ(run_superion("md --quiet " + kSystem +
                             "--temperature 400 --steps 80 --thermostat nose-hoover "
                             "--resume " +
                             c + " --checkpoint " + (dir / "x.ckpt").string() + " --dump-xyz " +
                             (dir / "x.xyz").string() + " --traj-every 80 --device emu",
                         &out),
            0)
      << out;
  // … equals 80 steps on the CPU.
  ASSERT_EQ(run_superion("md --quiet " + kSystem +
                             "--temperature 400 --steps 80 --thermostat nose-hoover "
                             "--dump-xyz " +
                             (dir / "y.xyz").string() + " --traj-every 80 --device cpu",
                         &out),
            0)
      << out;
  const std::string x = slurp(dir / "x.xyz"), y = slurp(dir / "y.xyz");
  ASSERT_FALSE(x.empty());
  // The resumed run's file holds the last frame only; the full run's last frame must match it.
  EXPECT_NE(y.find(x), std::string::npos) << "the resumed frame at step 80 differs";
}

TEST(DeviceCli, GpuWithoutDeviceIsAClearError) {
  if (superion::md::cuda_device_count() > 0) GTEST_SKIP() << "a CUDA device is present";
  std::string out;
  const int rc =
      run_superion("md --quiet " + kSystem + "--temperature 300 --steps 2 --device gpu", &out);
  EXPECT_NE(rc, 0);
  EXPECT_NE(out.find("--device gpu"), std::string::npos) << out;
  EXPECT_TRUE(out.find("no CUDA device") != std::string::npos ||
              out.find("without the CUDA backend") != std::string::npos)
      << out;
}

TEST(DeviceCli, BenchJsonHasTheGpuCheckKeys) {
  TempDir dir;
  std::string out;
  const std::string j = (dir / "b.json").string();
  ASSERT_EQ(
      run_superion("bench md " + kSystem + "--steps 5 --replicas 2 --device emu --json " + j, &out),
      0)
      << out;
  const auto doc = nlohmann::json::parse(slurp(j));
  for (const char* k : {"device", "backend", "level", "atoms", "replicas", "atom_steps_per_second",
                        "ns_per_day", "bytes_per_atom"})
    EXPECT_TRUE(doc.contains(k)) << k;
  EXPECT_EQ(doc["backend"], "emu");
  EXPECT_EQ(doc["replicas"], 2);
  EXPECT_GT(doc["bytes_per_atom"].get<double>(), 0.0);
}

}  // namespace
