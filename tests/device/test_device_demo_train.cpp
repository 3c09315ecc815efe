// The training stage of `superion demo` on the device (`--device emu`; a GPU when present takes the
// same path through `superion train --device`): demo::run_train_stage on the emulated device writes
// the CPU run's potential byte for byte and the same held-out errors (8 + 4 CHGNet-labelled
// Na3ClSO4 frames of the committed reference, 4 species, level 6, 12 iterations).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "demo_train.hpp"
#include "io/formats.hpp"

namespace {

using namespace superion;
namespace fs = std::filesystem;

std::string file_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(DeviceDemoTrain, EmulatedDeviceTrainsTheCpuPotential) {
  const fs::path src = SUPERION_SOURCE_DIR
      "/data/reference/Na3ClSO4-chgnet/train/md_900K_strain+0.00_schottky.xyz.gz";
  if (!fs::exists(src)) GTEST_SKIP() << "no " << src;
  io::ReadOptions ro;
  ro.species = {"Na", "Cl", "S", "O"};
  Dataset d = io::read_dataset(src, "auto", ro);
  ASSERT_GE(d.configs.size(), 12u);
  Dataset train = d, test = d;
  train.configs.assign(d.configs.begin(), d.configs.begin() + 8);
  test.configs.assign(d.configs.begin() + 8, d.configs.begin() + 12);
  const fs::path dir = fs::temp_directory_path() / "superion_device_demo_train";
  fs::remove_all(dir);
  fs::create_directories(dir);
  io::WriteOptions wo;
  wo.lossless = true;
  io::write_dataset(dir / "train.xyz", train, "extxyz", wo);
  io::write_dataset(dir / "test.xyz", test, "extxyz", wo);

  demo::TrainStage st;
  st.train_data = dir / "train.xyz";
  st.test_data = dir / "test.xyz";
  st.species = ro.species;
  st.level = 6;
  st.max_iter = 12;
  st.seed = 3;
  st.threads = 1;
  st.device = "cpu";
  const demo::TrainStageResult cpu = demo::run_train_stage(st, dir / "cpu");
  st.device = "emu";
  const demo::TrainStageResult emu = demo::run_train_stage(st, dir / "emu");
  ASSERT_TRUE(fs::exists(cpu.potential));
  ASSERT_TRUE(fs::exists(emu.potential));
  EXPECT_EQ(file_bytes(emu.potential), file_bytes(cpu.potential));
  EXPECT_EQ(emu.test_errors.at("energy_per_atom_rmse_meV"),
            cpu.test_errors.at("energy_per_atom_rmse_meV"));
  EXPECT_EQ(emu.test_errors.at("force_component_rmse_eV_A"),
            cpu.test_errors.at("force_component_rmse_eV_A"));
  fs::remove_all(dir);
}

}  // namespace
