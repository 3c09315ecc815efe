// The mlearn potentials trained by `superion train` (bench/results/mlearn/, commands and tables in
// docs/training.md) re-evaluated on the mlearn test sets of ../shared/data/mlearn: their test MAEs
// are the documented ones, and the comparison with the paper's own potentials (mvl_fitted.mtp)
// that the documentation states holds. Evaluation is deterministic, so the documented values are
// checked to their printed precision.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "io/formats.hpp"
#include "mtp/error_metrics.hpp"
#include "mtp/mtp_evaluator.hpp"
#include "mtp/mtp_file.hpp"
#include "test_util.hpp"

namespace superion {
namespace {

using testing::test_data;

const std::filesystem::path kResults =
    std::filesystem::path(SUPERION_SOURCE_DIR) / "bench/results/mlearn";

struct TestMae {
  double energy_mev_atom;  // energy per atom MAE, meV/atom
  double force_component;  // force component MAE, eV/Å
};

Dataset mlearn_test_set(const std::string& element) {
  return io::read_dataset(test_data("mlearn/" + element + "/test.cfg"));
}

TestMae test_mae(const std::filesystem::path& potential, const Dataset& test_set) {
  const ErrorReport r = evaluate_errors(MtpEvaluator(read_mtp(potential)), test_set);
  return {1000.0 * r.energy_pa_mae, r.force_component_mae};
}

class MlearnPotentials : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(test_data("mlearn/Ni/test.cfg")))
      GTEST_SKIP() << "mlearn test sets not found (tests/data/shared, ../shared/data): mlearn "
                      "potentials not re-evaluated";
  }
};

// Documented values (docs/training.md, 4 decimals in meV/atom, 6 in eV/Å): half a unit of the
// last printed digit.
void expect_documented(const TestMae& m, double energy, double force) {
  EXPECT_NEAR(m.energy_mev_atom, energy, 5e-5);
  EXPECT_NEAR(m.force_component, force, 5e-7);
}

TEST_F(MlearnPotentials, NiAndSiBeatThePaperPotentialsInEnergyAndMatchThemInForce) {
  const Dataset ni_test = mlearn_test_set("Ni");
  const TestMae ni = test_mae(kResults / "Ni_lm.mtp", ni_test);
  const TestMae ni_paper = test_mae(test_data("mlearn/Ni/mvl_fitted.mtp"), ni_test);
  expect_documented(ni, 0.4481, 0.013914);
  EXPECT_LT(ni.energy_mev_atom, ni_paper.energy_mev_atom);
  EXPECT_LT(ni.force_component, ni_paper.force_component);

  const Dataset si_test = mlearn_test_set("Si");
  const TestMae si = test_mae(kResults / "Si_lm.mtp", si_test);
  const TestMae si_paper = test_mae(test_data("mlearn/Si/mvl_fitted.mtp"), si_test);
  expect_documented(si, 2.2980, 0.056017);
  EXPECT_LT(si.energy_mev_atom, si_paper.energy_mev_atom);
  // Documented as equal to the paper's force error (+0.05 %); below the published 0.06 eV/Å.
  EXPECT_LT(si.force_component, 1.001 * si_paper.force_component);
  EXPECT_LT(si.force_component, 0.06);
}

TEST_F(MlearnPotentials, LiAndCuMeetThePublishedValues) {
  // Published (Zuo et al. 2020): Li 0.49 meV/atom, 0.01 eV/Å; Cu 0.41, 0.01 (two decimals).
  const Dataset li_test = mlearn_test_set("Li");
  const TestMae li = test_mae(kResults / "Li_lbfgs.mtp", li_test);
  expect_documented(li, 0.4855, 0.010088);
  EXPECT_LT(li.energy_mev_atom, 0.49);
  EXPECT_LT(li.force_component, 0.0105);  // 0.01 at the published precision
  const TestMae li_lm = test_mae(kResults / "Li_lm.mtp", li_test);
  expect_documented(li_lm, 0.4984, 0.009636);
  EXPECT_LT(li_lm.force_component, 0.01);

  const Dataset cu_test = mlearn_test_set("Cu");
  const TestMae cu = test_mae(kResults / "Cu_lbfgs.mtp", cu_test);
  expect_documented(cu, 0.4016, 0.006949);
  EXPECT_LT(cu.energy_mev_atom, 0.41);
  EXPECT_LT(cu.force_component, 0.01);
  const TestMae cu_lm = test_mae(kResults / "Cu_lm.mtp", cu_test);
  expect_documented(cu_lm, 0.4343, 0.006926);
}

}  // namespace
}  // namespace superion
