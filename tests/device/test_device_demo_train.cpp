// The training step of `superion demo` on the device (`--device emu`; a GPU when present takes the
// same path, demo.cpp resolves `auto`): demo::train_mtp on the emulated device trains the CPU run's
// potential bit for bit (L-BFGS on 8 Na3ClSO4 CP2K frames, 4 species, level 6) and reports the same
// errors.
#include <gtest/gtest.h>

#include "demo_train.hpp"
#include "io/formats.hpp"

namespace {

using namespace superion;

TEST(DeviceDemoTrain, EmulatedDeviceTrainsTheCpuPotential) {
  io::ReadOptions ro;
  ro.species = {"Na", "Cl", "S", "O"};
  Dataset d = io::read_dataset(
      SUPERION_SOURCE_DIR "/data/reference/Na3ClSO4/md_1100K_strain+0.00.xyz", "auto", ro);
  ASSERT_GE(d.configs.size(), 8u);
  d.configs.resize(8);
  demo::TrainOptions o;
  o.level = 6;
  o.max_iter = 12;
  o.seed = 3;
  o.device = md::DeviceKind::kCpu;
  const demo::TrainResult cpu = demo::train_mtp(d, Dataset{}, o);
  o.device = md::DeviceKind::kEmu;
  const demo::TrainResult emu = demo::train_mtp(d, Dataset{}, o);
  EXPECT_GT(cpu.iterations, 0);
  EXPECT_EQ(emu.iterations, cpu.iterations);
  EXPECT_EQ(emu.stop_reason, cpu.stop_reason);
  EXPECT_EQ(emu.model.radial_coeffs, cpu.model.radial_coeffs);
  EXPECT_EQ(emu.model.moment_coeffs, cpu.model.moment_coeffs);
  EXPECT_EQ(emu.model.species_coeffs, cpu.model.species_coeffs);
  EXPECT_EQ(emu.train.energy_pa_rmse, cpu.train.energy_pa_rmse);
  EXPECT_EQ(emu.train.force_component_rmse, cpu.train.force_component_rmse);
}

}  // namespace
