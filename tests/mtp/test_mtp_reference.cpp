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

// mlearn (Zuo et al. 2020) paper MTPs: per-configuration predictions stored in
// mvl_fitted_test_pred.json (E_pred, F_pred, virial_pred) and the published test MAEs.
class MlearnPaper : public ::testing::TestWithParam<const char*> {};

TEST_P(MlearnPaper, ReproducesStoredPredictionsAndPublishedMae) {
  const std::string el = GetParam();
  SUPERION_REQUIRE_SHARED(pot, "mlearn/" + el + "/mvl_fitted.mtp");
  SUPERION_REQUIRE_SHARED(cfg, "mlearn/" + el + "/test.cfg");
  SUPERION_REQUIRE_SHARED(json, "mlearn/" + el + "/mvl_fitted_test_pred.json");
  const MtpEvaluator ev(read_mtp(pot));
  const Dataset data = io::read_cfg(cfg);
  std::ifstream js(json);
  const nlohmann::json j = nlohmann::json::parse(js);
  const auto& cfgs = j.at("configs");
  ASSERT_EQ(cfgs.size(), data.size());
  double de = 0, df = 0, dw = 0, e_mae = 0, f_mae = 0;
  std::size_t nf = 0;
  for (std::size_t k = 0; k < data.size(); ++k) {
    const auto& c = data.configs[k];
    const auto& jc = cfgs[k];
    ASSERT_EQ(jc.at("natoms").get<std::size_t>(), c.size());
    const MtpPrediction p = ev.evaluate(c.structure);
    de = std::max(de, std::fabs(p.energy - jc.at("E_pred").get<double>()) / c.size());
    const auto& fj = jc.at("F_pred");
    for (std::size_t i = 0; i < c.size(); ++i)
      for (int a = 0; a < 3; ++a) {
        df = std::max(df, std::fabs(p.forces[i][a] - fj[i][a].get<double>()));
        f_mae += std::fabs(p.forces[i][a] - (*c.forces)[i][a]);
        ++nf;
      }
    // virial_pred: xx yy zz yz xz xy (eV), the PlusStress order.
    const auto& wj = jc.at("virial_pred");
    const int idx[6][2] = {{0, 0}, {1, 1}, {2, 2}, {1, 2}, {0, 2}, {0, 1}};
    for (int v = 0; v < 6; ++v)
      dw = std::max(dw, std::fabs(p.virial[idx[v][0]][idx[v][1]] - wj[v].get<double>()));
    e_mae += std::fabs(p.energy - *c.energy) / c.size();
  }
  e_mae = 1000.0 * e_mae / data.size();
  f_mae /= nf;
  const auto& s = j.at("summary");
  std::printf(
      "%s: max |dE|/N %.3e eV, max |dF| %.3e eV/A, max |dW| %.3e eV vs stored predictions; "
      "test MAE E %.4f meV/atom (stored %.4f), F %.5f eV/A (stored %.5f)\n",
      el.c_str(), de, df, dw, e_mae, s.at("E_MAE_meV_atom").get<double>(), f_mae,
      s.at("F_MAE_eV_A").get<double>());
  // The stored predictions were written with ~16 digits: agreement to round-off level.
  EXPECT_LE(de, 1e-12);
  EXPECT_LE(df, 1e-11);
  EXPECT_LE(dw, 1e-10);
  EXPECT_NEAR(e_mae, s.at("E_MAE_meV_atom").get<double>(), 1e-6);
  EXPECT_NEAR(f_mae, s.at("F_MAE_eV_A").get<double>(), 1e-9);
  // Published test MAEs (paper Table, 2 decimals). Si is not checked: the paper's 2.21 meV/atom
  // differs from the 2.31 meV/atom that the published potential gives on the published test set
  // (the stored summary agrees with us), so the paper number came from another evaluation.
  if (el == "Li") {
    EXPECT_NEAR(e_mae, 0.49, 0.005);
  }
  if (el == "Cu") {
    EXPECT_NEAR(e_mae, 0.41, 0.005);
  }
  if (el == "Ni") {
    EXPECT_NEAR(e_mae, 0.48, 0.005);
  }
  if (el != "Si") {
    EXPECT_NEAR(f_mae, 0.01, 0.005);
  }
}

INSTANTIATE_TEST_SUITE_P(Elements, MlearnPaper, ::testing::Values("Li", "Cu", "Ni", "Si"));
