// `--device` of `superion train` and `superion bench train`: the emulated device trains end to
// end (the log names the backend and its memory plan, the JSON the device keys) and writes the
// potential of `--device cpu` byte for byte (training errors within 1e-8 in any case), a run in
// chunks (`--device-memory`) writes the resident run's potential within its memory budget,
// `--device gpu` without a CUDA device (or build) stops with a clear message and no output, an
// unknown device is rejected, and `bench train --json` writes the keys of the GPU benchmarks.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "device_choice.hpp"
#include "test_util.hpp"

namespace {

using superion::testing::run_superion;
using superion::testing::TempDir;

nlohmann::json read_json(const std::filesystem::path& p) {
  std::ifstream in(p);
  return nlohmann::json::parse(in);
}

TEST(DeviceTrainCli, EmuTrainsLikeCpu) {
  SUPERION_REQUIRE_SHARED(li, "mtp/cfg/Li_T450_73cfg.cfg");
  TempDir dir;
  // Li T450, 3 configurations of 128 atoms, level 6: 16 radial coefficients against 1182 rows
  // (well posed, so the LM trajectories of the two backends agree).
  std::ifstream in(li);
  std::ofstream out(dir / "li3.cfg");
  std::string line;
  int cfgs = 0;
  while (std::getline(in, line)) {
    if (line.rfind("BEGIN_CFG", 0) == 0 && ++cfgs > 3) break;
    out << line << '\n';
  }
  out.close();
  const std::string base = "train --data " + (dir / "li3.cfg").string() +
                           " --level 6 --rcut 5.0 --max-iter 6 --threads 1 ";
  for (const char* d : {"cpu", "emu"}) {
    std::string log;
    const int rc = run_superion(base + "--device " + d + " --json " +
                                    (dir / (std::string(d) + ".json")).string() + " -o " +
                                    (dir / (std::string(d) + ".mtp")).string(),
                                &log);
    ASSERT_EQ(rc, 0) << log;
    EXPECT_NE(log.find(std::string("trainer backend: ") + d), std::string::npos) << log;
  }
  const auto c = read_json(dir / "cpu.json"), e = read_json(dir / "emu.json");
  EXPECT_EQ(e["device"], "emu");
  EXPECT_GT(e["device_peak_bytes"].get<double>(), 0.0);
  EXPECT_EQ(e["device_resident"], true);
  EXPECT_EQ(c["device"], "cpu");
  const double l0 = c["loss"].get<double>(), l1 = e["loss"].get<double>();
  EXPECT_LE(std::fabs(l1 - l0), 1e-8 * l0);
  for (const char* k : {"energy_per_atom_rmse_meV", "force_component_rmse_eV_A"}) {
    const double a = c["train"][k].get<double>(), b = e["train"][k].get<double>();
    EXPECT_LE(std::fabs(a - b), 1e-8 * a) << k;
  }
  // The emulated device repeats the CPU trainer's operations: the same potential, byte for byte.
  std::ifstream pa(dir / "cpu.mtp"), pb(dir / "emu.mtp");
  const std::string sa((std::istreambuf_iterator<char>(pa)), std::istreambuf_iterator<char>());
  const std::string sb((std::istreambuf_iterator<char>(pb)), std::istreambuf_iterator<char>());
  EXPECT_FALSE(sa.empty());
  EXPECT_EQ(sa, sb);
}

// `--device-memory` small enough to force chunked uploads: the log and the JSON report the chunks
// and the memory, the counted peak stays within the budget, and the potential is the resident
// run's byte for byte (chunks are whole summation groups, so no sum changes).
TEST(DeviceTrainCli, EmuChunkedTrainsLikeResident) {
  SUPERION_REQUIRE_SHARED(li, "mtp/cfg/Li_T450_73cfg.cfg");
  TempDir dir;
  // 24 Li configurations of 128 atoms (394 rows each): 3 summation groups of up to 10.
  std::ifstream in(li);
  std::ofstream out(dir / "li24.cfg");
  std::string line;
  int cfgs = 0;
  while (std::getline(in, line)) {
    if (line.rfind("BEGIN_CFG", 0) == 0 && ++cfgs > 24) break;
    out << line << '\n';
  }
  out.close();
  const std::string base = "train --data " + (dir / "li24.cfg").string() +
                           " --level 6 --rcut 5.0 --max-iter 3 --threads 1 --device emu "
                           "--valid-fraction 0 ";  // chunking alone, no validation trainer
  std::string log;
  ASSERT_EQ(
      run_superion(base + "--json " + (dir / "r.json").string() + " -o " + (dir / "r.mtp").string(),
                   &log),
      0)
      << log;
  // 28 MiB: one group (about 24 MiB with its scratch) at a time.
  ASSERT_EQ(run_superion(base + "--device-memory 28 --json " + (dir / "c.json").string() + " -o " +
                             (dir / "c.mtp").string(),
                         &log),
            0)
      << log;
  EXPECT_NE(log.find("chunked uploads"), std::string::npos) << log;
  EXPECT_NE(log.find("device memory: peak"), std::string::npos) << log;
  const auto r = read_json(dir / "r.json"), c = read_json(dir / "c.json");
  EXPECT_EQ(r["device_resident"], true);
  EXPECT_EQ(r["device_chunks"], 1);
  EXPECT_EQ(c["device_resident"], false);
  EXPECT_GT(c["device_chunks"].get<int>(), 1);
  EXPECT_GT(c["device_chunk_configs"].get<int>(), 0);
  EXPECT_LT(c["device_chunk_configs"].get<int>(), 24);
  EXPECT_EQ(c["device_memory_budget_bytes"].get<double>(), 28.0 * 1048576.0);
  EXPECT_LE(c["device_memory_plan_bytes"].get<double>(), 28.0 * 1048576.0);
  EXPECT_GT(c["device_peak_bytes"].get<double>(), 0.0);
  EXPECT_LE(c["device_peak_bytes"].get<double>(), 28.0 * 1048576.0);
  std::ifstream pa(dir / "r.mtp"), pb(dir / "c.mtp");
  const std::string sa((std::istreambuf_iterator<char>(pa)), std::istreambuf_iterator<char>());
  const std::string sb((std::istreambuf_iterator<char>(pb)), std::istreambuf_iterator<char>());
  EXPECT_FALSE(sa.empty());
  EXPECT_EQ(sa, sb);
}

TEST(DeviceTrainCli, GpuWithoutDeviceAndUnknownDeviceAreErrors) {
  TempDir dir;
  const std::string data =
      std::string(SUPERION_SOURCE_DIR) + "/data/reference/Na3ClSO4/md_500K_strain+0.00.xyz";
  std::string log;
  int rc = run_superion(
      "train --data " + data + " --level 6 --device bogus -o " + (dir / "a.mtp").string(), &log);
  EXPECT_NE(rc, 0);
  EXPECT_NE(log.find("bogus"), std::string::npos) << log;
  EXPECT_FALSE(std::filesystem::exists(dir / "a.mtp"));
  if (superion::md::cuda_backend_built() && superion::md::cuda_device_count() > 0)
    GTEST_SKIP() << "a CUDA device is present: the no-device error cannot be tested";
  rc = run_superion(
      "train --data " + data + " --level 6 --device gpu -o " + (dir / "b.mtp").string(), &log);
  EXPECT_NE(rc, 0);
  EXPECT_NE(log.find("--device gpu"), std::string::npos) << log;
  EXPECT_FALSE(std::filesystem::exists(dir / "b.mtp"));
}

TEST(DeviceTrainCli, BenchTrainJsonKeys) {
  TempDir dir;
  const std::string src = SUPERION_SOURCE_DIR;
  std::string log;
  const int rc = run_superion(
      "bench train --structure " + src + "/data/reference/Na3ClSO4/md_500K_strain+0.00.xyz" +
          " --species Na,Cl,S,O --label-potential " + src +
          "/tests/data/pso/na3clso4_level10.mtp --configs 6 --level 6 --max-iter 2 --threads 1 "
          "--device emu --json " +
          (dir / "b.json").string(),
      &log);
  ASSERT_EQ(rc, 0) << log;
  const auto j = read_json(dir / "b.json");
  for (const char* k : {"device", "backend", "level", "configs", "atoms", "seconds_per_iteration",
                        "seconds_to_converge", "peak_device_bytes", "iterations", "loss"})
    EXPECT_TRUE(j.contains(k)) << k;
  EXPECT_EQ(j["backend"], "emu");
  EXPECT_EQ(j["configs"], 6);
  EXPECT_EQ(j["atoms"], 54);
  EXPECT_EQ(j["iterations"], 2);
  EXPECT_GT(j["peak_device_bytes"].get<double>(), 0.0);
}

}  // namespace
