// One set of test bodies for every engine (OpenMM's platform tests): each suite is parameterised by
// the engine, "cpu" (the CPU engine: the reference itself, a sanity instance), "emu" (the device
// code built for the host, tests/device/test_device_emu.cpp) or "gpu" (the CUDA build,
// tests/gpu/test_device_gpu.cpp, label gpu). The device is compared with the CPU engine:
//   emu: bit for bit (same passes, same order, same libm), checked with ==, and within the issue's
//        bounds;
//   gpu: within the bounds (nvcc contracts a·b + c into FMAs and its exp/log/sin may differ
//        by an ulp, so a few ulp per operation; MD compared over a horizon short enough that
//        chaotic growth of those differences stays below the bound).
// Without a CUDA build or device the gpu instances skip with a message.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "device_choice.hpp"
#include "mtp/mtp_evaluator.hpp"

namespace superion::testing {

inline md::DeviceKind engine_kind(const std::string& name) {
  if (name == "cpu") return md::DeviceKind::kCpu;
  if (name == "emu") return md::DeviceKind::kEmu;
  return md::DeviceKind::kGpu;
}

// Skips the current test (with the reason) when the engine cannot run here.
#define SUPERION_REQUIRE_ENGINE(name)                                                     \
  do {                                                                                    \
    if ((name) == std::string("gpu")) {                                                   \
      if (!::superion::md::cuda_backend_built())                                          \
        GTEST_SKIP() << "this build has no CUDA backend (nvcc absent): GPU test skipped"; \
      if (::superion::md::cuda_device_count() == 0)                                       \
        GTEST_SKIP() << "no CUDA device present: GPU test skipped";                       \
    }                                                                                     \
  } while (0)

// Whether results of this engine must equal the CPU engine's bit for bit.
inline bool bitwise(const std::string& name) {
  return name != "gpu";
}

// Energies, forces, virials of `structures` on the engine (cpu: MtpEvaluator one by one).
inline std::vector<MtpPrediction> evaluate_on(
    const std::string& name, const Mtp& model, const std::vector<Structure>& structures,
    const std::optional<TypeWalls>& walls = std::nullopt) {
  if (name == "cpu") {
    const MtpEvaluator ev(model);
    std::vector<MtpPrediction> out;
    for (const Structure& s : structures) {
      const double range = std::max(model.max_dist, walls ? walls->max_rw() : 0.0);
      const NeighborList nl = build_neighbor_list(s, range, false);
      MtpPrediction p;
      ev.evaluate(s, nl, p, walls ? &*walls : nullptr);
      out.push_back(std::move(p));
    }
    return out;
  }
  return md::device_evaluate(engine_kind(name), model, structures, walls);
}

// Largest relative deviation of the device prediction from the CPU's, and whether every number is
// bitwise equal: energy relative to max(|E|, Σ|E_i|) (a sum's rounding scales with the sum of the
// magnitudes), forces relative to the largest |F| component of the configuration, virial relative
// to its largest component, site energies relative to the largest |E_i|.
struct Deviation {
  double energy = 0, forces = 0, virial = 0, sites = 0;
  bool identical = true;
};

inline Deviation compare(const MtpPrediction& ref, const MtpPrediction& got) {
  Deviation d;
  auto rel = [](double a, double b, double scale) {
    return std::fabs(a - b) / std::max(scale, 1e-300);
  };
  d.identical = ref.energy == got.energy;
  double esum = 0, emax = 0;
  for (double e : ref.site_energies) {
    esum += std::fabs(e);
    emax = std::max(emax, std::fabs(e));
  }
  d.energy = rel(ref.energy, got.energy, std::max(std::fabs(ref.energy), esum));
  double fmax = 0, wmax = 0;
  for (const Vec3& f : ref.forces)
    fmax = std::max({fmax, std::fabs(f.x), std::fabs(f.y), std::fabs(f.z)});
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b) wmax = std::max(wmax, std::fabs(ref.virial[a][b]));
  if (ref.forces.size() != got.forces.size()) {
    d.identical = false;
    d.forces = 1e300;
    return d;
  }
  for (std::size_t i = 0; i < ref.forces.size(); ++i)
    for (int k = 0; k < 3; ++k) {
      d.forces = std::max(d.forces, rel(ref.forces[i][k], got.forces[i][k], fmax));
      d.identical = d.identical && ref.forces[i][k] == got.forces[i][k];
    }
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b) {
      d.virial = std::max(d.virial, rel(ref.virial[a][b], got.virial[a][b], wmax));
      d.identical = d.identical && ref.virial[a][b] == got.virial[a][b];
    }
  for (std::size_t i = 0; i < ref.site_energies.size() && i < got.site_energies.size(); ++i) {
    d.sites = std::max(
        d.sites, rel(ref.site_energies[i], got.site_energies[i], std::fabs(ref.site_energies[i])));
    d.identical = d.identical && ref.site_energies[i] == got.site_energies[i];
  }
  return d;
}

}  // namespace superion::testing
