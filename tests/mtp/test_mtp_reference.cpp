// MTP energies, forces and PlusStress against MLIP-2's lossless `calc-efs` output (16 digits) for
// three trained potentials, and the mlearn paper MTPs against their published predictions.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "io/cfg.hpp"
#include "mtp/mtp_evaluator.hpp"
#include "mtp/mtp_file.hpp"
#include "test_util.hpp"

using namespace superion;

namespace {

struct Worst {
  double e = 0, f = 0, w = 0;  // max relative deviations
};

// Relative deviation |a-b| / max(|b|, scale): components near zero are measured against the scale
// of the quantity (largest component) instead of their own size.
double rel(double a, double b, double floor) {
  return std::fabs(a - b) / std::max(std::fabs(b), floor);
}

Worst compare_to_reference(const std::filesystem::path& pot, const std::filesystem::path& ref) {
  const MtpEvaluator ev(read_mtp(pot));
  const Dataset data = io::read_cfg(ref);
  EXPECT_GT(data.size(), 0u);
  // Force scale of the whole set: perfect-lattice configurations have forces ~1e-16 whose relative
  // error is meaningless, so force deviations are relative to max(|F_ref|, max |F| of the set).
  double fscale = 0;
  for (const auto& c : data.configs)
    for (const auto& f : *c.forces)
      fscale = std::max({fscale, std::fabs(f.x), std::fabs(f.y), std::fabs(f.z)});
  Worst w;
  for (const auto& c : data.configs) {
    const MtpPrediction p = ev.evaluate(c.structure);
    w.e = std::max(w.e, rel(p.energy, *c.energy, 1.0));
    double wmax = 0;
    for (int a = 0; a < 3; ++a)
      for (int b = 0; b < 3; ++b) wmax = std::max(wmax, std::fabs((*c.virial)[a][b]));
    for (std::size_t i = 0; i < c.size(); ++i)
      for (int k = 0; k < 3; ++k)
        w.f = std::max(w.f, rel(p.forces[i][k], (*c.forces)[i][k], fscale));
    // Off-diagonal virial components of cubic cells are ~1e-15 against diagonals of ~10 eV.
    for (int a = 0; a < 3; ++a)
      for (int b = 0; b < 3; ++b) w.w = std::max(w.w, rel(p.virial[a][b], (*c.virial)[a][b], wmax));
  }
  return w;
}

}  // namespace

class MlipReference : public ::testing::TestWithParam<std::pair<const char*, const char*>> {};

TEST_P(MlipReference, EnergiesForcesStressMatchMlip2) {
  SUPERION_REQUIRE_SHARED(pot, std::string("mtp/trained/") + GetParam().first);
  SUPERION_REQUIRE_SHARED(ref, std::string("mtp/reference_efs/") + GetParam().second);
  const Worst w = compare_to_reference(pot, ref);
  std::printf("max relative deviation: energy %.3e forces %.3e virial %.3e\n", w.e, w.f, w.w);
  EXPECT_LE(w.e, 1e-10);
  EXPECT_LE(w.f, 1e-10);
  EXPECT_LE(w.w, 1e-10);
}

INSTANTIATE_TEST_SUITE_P(
    Potentials, MlipReference,
    ::testing::Values(std::make_pair("Li_L06_mlip2.mtp", "Li_L06_on_Li_T450.lossless.cfg"),
                      std::make_pair("Li_L10_mlip2.mtp", "Li_L10_on_Li_T450.lossless.cfg"),
                      std::make_pair("example2sp_L06_mlip2.mtp", "example2sp_L06.lossless.cfg")));
