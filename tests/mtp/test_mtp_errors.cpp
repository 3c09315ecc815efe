// `superion errors` reproduces MLIP-2's `calc-errors` report for Li_L10 on Li_T450 (all 6-digit
// numbers), the JSON keys exist, and `superion eval` writes predictions equal to the evaluator's.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "io/cfg.hpp"
#include "mtp/mtp_evaluator.hpp"
#include "mtp/mtp_file.hpp"
#include "test_util.hpp"

using namespace superion;

namespace {
// All "= number" values of a report, in order of appearance.
std::vector<double> numbers_after_equals(const std::string& text) {
  std::vector<double> v;
  const std::regex re("= ([-+0-9.eE]+)");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator();
       ++it)
    v.push_back(std::stod((*it)[1]));
  return v;
}
std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}
}  // namespace

TEST(MtpErrors, CliReproducesMlip2CalcErrors) {
  SUPERION_REQUIRE_SHARED(pot, "mtp/trained/Li_L10_mlip2.mtp");
  SUPERION_REQUIRE_SHARED(cfg, "mtp/cfg/Li_T450_73cfg.cfg");
  SUPERION_REQUIRE_SHARED(ref, "mtp/reference_efs/Li_L10_calc-errors_stdout.txt");
  superion::testing::TempDir dir;
  const std::string cmd = std::string(SUPERION_BINARY) + " errors " + pot.string() + " " +
                          cfg.string() + " --json " + (dir / "e.json").string() + " > " +
                          (dir / "out.txt").string();
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  const std::string out = slurp(dir / "out.txt");
  // Our MLIP-2 section comes first; compare its 21 numbers to MLIP-2's (printed with 6 digits).
  const auto expected = numbers_after_equals(slurp(ref));
  const auto got = numbers_after_equals(out);
  ASSERT_EQ(expected.size(), 21u);
  ASSERT_GE(got.size(), expected.size());
  for (std::size_t k = 0; k < expected.size(); ++k)
    EXPECT_NEAR(got[k], expected[k], 5e-6 * std::fabs(expected[k])) << "number " << k;
  const auto j = nlohmann::json::parse(slurp(dir / "e.json"));
  EXPECT_EQ(j.at("n_configs").get<int>(), 73);
  EXPECT_EQ(j.at("n_atoms").get<int>(), 9344);
  EXPECT_NEAR(j.at("energy_per_atom_mae_meV").get<double>(), 1e3 * expected[4],
              5e-6 * 1e3 * expected[4]);
  EXPECT_NEAR(j.at("energy_per_atom_rmse_meV").get<double>(), 1e3 * expected[5],
              5e-6 * 1e3 * expected[5]);
  EXPECT_NEAR(j.at("force_component_rmse_eV_A").get<double>(), expected[8], 5e-6 * expected[8]);
  EXPECT_NEAR(j.at("stress_rmse_GPa").get<double>(), expected[18], 5e-6 * expected[18]);
  EXPECT_GT(j.at("force_component_mae_eV_A").get<double>(), 0.0);
}

TEST(MtpErrors, CliEvalWritesPredictions) {
  SUPERION_REQUIRE_SHARED(pot, "mtp/trained/example2sp_L06_mlip2.mtp");
  SUPERION_REQUIRE_SHARED(ref, "mtp/reference_efs/example2sp_L06.lossless.cfg");
  superion::testing::TempDir dir;
  const std::string cmd = std::string(SUPERION_BINARY) + " eval " + pot.string() + " " +
                          ref.string() + " --lossless -o " + (dir / "p.cfg").string() +
                          " 2>/dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  const Dataset a = io::read_cfg(ref), b = io::read_cfg(dir / "p.cfg");
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t k = 0; k < a.size(); ++k) {
    EXPECT_NEAR(*b.configs[k].energy, *a.configs[k].energy,
                1e-10 * std::fabs(*a.configs[k].energy));
    for (std::size_t i = 0; i < a.configs[k].size(); ++i)
      for (int c = 0; c < 3; ++c)
        EXPECT_NEAR((*b.configs[k].forces)[i][c], (*a.configs[k].forces)[i][c], 1e-10);
  }
  // Unknown species and missing files: non-zero exit, no output file.
  const std::string bad = std::string(SUPERION_BINARY) + " eval " +
                          ::superion::testing::test_data("mtp/trained/Li_L06_mlip2.mtp").string() +
                          " " + ref.string() + " -o " + (dir / "q.cfg").string() + " 2>/dev/null";
  EXPECT_NE(std::system(bad.c_str()), 0);
  EXPECT_FALSE(std::filesystem::exists(dir / "q.cfg"));
}
