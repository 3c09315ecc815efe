// Test bodies on the data sets in full (device_train_tests.hpp uses small subsets so that
// it runs in every ctest): all 73 Li_T450 configurations at level 10, every Na3ClSO4 MD frame of
// data/reference (4 species, 22 frames) in each weighting mode, and 20 mlearn Cu configurations at
// level 20. The comparison and its 1e-10 scales are device_train_fixture.hpp's; the emulated device
// must in addition repeat the CPU's bits, and a run in chunks (memory budget) must repeat the
// resident run's bits. Instantiated for the emulated device (test_device_train_emu_slow.cpp, label
// slow) and the CUDA build (tests/gpu/test_device_train_gpu_slow.cpp, label gpu; skips without a
// device).
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "device_train_fixture.hpp"

namespace superion::testing {

class DeviceTrainFull : public DeviceTrain {
 protected:
  // A second device trainer within `budget` bytes must be chunked and give the resident one's
  // numbers bit for bit; alone, it must stay within the budget (the counted peak of a full pass:
  // assemble, evaluate with gradients, gauss_newton).
  void check_chunked(const TrainProblem& p, std::size_t budget) {
    const std::vector<double>& radial = p.model.radial_coeffs;
    device::TrainDeviceOptions o;
    o.memory_limit = budget;
    std::size_t whole_peak = 0;
    {
      auto whole = device(p);
      auto chunked = device(p, o);
      EXPECT_GT(chunked->info().chunks, 1) << p.name << ": the budget should force chunks";
      const TrainAgreement x = compare_backends(*whole, *chunked, radial, unit_magnitude);
      EXPECT_TRUE(x.bitwise) << p.name << ": chunked result differs, worst " << x.worst();
      whole_peak = whole->peak_device_bytes();
    }
    auto chunked = device(p, o);  // alone: the device counter sees only its memory
    LinearSystem s;
    chunked->assemble(radial, s);
    const std::vector<double> lin = solve_linear_system(s);
    std::vector<double> gr, gl;
    chunked->evaluate(radial, lin, &gr, &gl);
    GaussNewtonBlocks b;
    chunked->gauss_newton(radial, lin, b);
    const device::TrainDeviceInfo& i = chunked->info();
    EXPECT_LE(chunked->peak_device_bytes(), budget) << p.name;
    std::printf(
        "%s, %.0f MiB budget: %ld chunks of up to %ld configurations (%s), plan %.1f MiB, "
        "counted peak %.1f MiB; bit-identical to the resident run (1 chunk, peak %.1f MiB)\n",
        p.name.c_str(), budget / 1048576.0, i.chunks, i.chunk_configs,
        i.resident ? "resident" : "chunked uploads", i.planned / 1048576.0,
        chunked->peak_device_bytes() / 1048576.0, whole_peak / 1048576.0);
  }
};

// Every frame of the five Na3ClSO4 CP2K MD runs in data/reference (9-atom cells, 22 frames).
inline std::unique_ptr<TrainProblem> na3clso4_all_frames(WeightingScheme scheme) {
  const std::vector<std::string> sp{"Na", "Cl", "S", "O"};
  Dataset d;
  for (const char* f : {"md_500K_strain+0.00", "md_800K_strain+0.00", "md_800K_strain+0.05",
                        "md_800K_strain-0.05", "md_1100K_strain+0.00"}) {
    Dataset part = read_configs(
        std::string(SUPERION_SOURCE_DIR "/data/reference/Na3ClSO4/") + f + ".xyz", sp, 1000);
    d.species = part.species;
    for (Configuration& c : part.configs) d.configs.push_back(std::move(c));
  }
  Mtp m = read_mtp(SUPERION_SOURCE_DIR "/tests/data/pso/na3clso4_level10.mtp");
  m.trained = false;
  LossWeights w;
  w.stress = 0.01;
  w.scheme = scheme;
  return train_problem("Na3ClSO4 all frames level 10", m, std::move(d), w);
}

TEST_P(DeviceTrainFull, LiAll73ConfigurationsLevel10) {
  SUPERION_REQUIRE_ENGINE(GetParam());
  SUPERION_REQUIRE_SHARED(li, "mtp/cfg/Li_T450_73cfg.cfg");
  auto p = li_problem(73, WeightingScheme::kVibrations);
  ASSERT_EQ(p->set->size(), 73u);
  check(*p);
  check_chunked(*p, 64u << 20);
}

TEST_P(DeviceTrainFull, Na3ClSO4AllFramesEveryScheme) {
  SUPERION_REQUIRE_ENGINE(GetParam());
  for (WeightingScheme s :
       {WeightingScheme::kVibrations, WeightingScheme::kMolecules, WeightingScheme::kStructures}) {
    auto p = na3clso4_all_frames(s);
    ASSERT_EQ(p->set->size(), 22u);
    check(*p);
  }
}

TEST_P(DeviceTrainFull, MlearnCu20ConfigurationsLevel20) {
  SUPERION_REQUIRE_ENGINE(GetParam());
  SUPERION_REQUIRE_SHARED(cu, "mlearn/Cu/train.cfg");
  auto p = cu_problem(20);
  ASSERT_EQ(p->set->size(), 20u);
  check(*p);
}

}  // namespace superion::testing
