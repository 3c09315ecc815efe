// Arrhenius fit: exact synthetic data recovers Ea and D0; the propagated covariance matches the
// analytic two-point result and a Monte-Carlo spread.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "arrhenius.hpp"
#include "core/error.hpp"
#include "core/units.hpp"
#include "test_util.hpp"

using namespace superion::analysis;
namespace units = superion::units;

namespace {
double arr(double D0, double Ea, double T) {
  return D0 * std::exp(-Ea / (units::kBoltzmann_eV_K * T));
}
}  // namespace

TEST(Arrhenius, ExactDataRecoversEaAndPrefactor) {
  std::vector<ArrheniusPoint> pts;
  for (double T : {500.0, 600.0, 700.0, 800.0, 1000.0})
    pts.push_back({T, arr(2.5e-3, 0.27, T), 0.0, 0.0});
  const ArrheniusFit f = fit_arrhenius(pts);
  EXPECT_NEAR(f.Ea_eV, 0.27, 1e-12);
  EXPECT_NEAR(f.prefactor_cm2_s, 2.5e-3, 1e-12 * 2.5e-3);
  EXPECT_FALSE(f.weighted);
  EXPECT_NEAR(f.Ea_err_eV, 0.0, 1e-12);  // zero residuals
  EXPECT_NEAR(f.D_at(300), arr(2.5e-3, 0.27, 300), 1e-10 * arr(2.5e-3, 0.27, 300));
  // Weighted with errors: exact data still exact.
  for (auto& p : pts) p.D_err = 0.05 * p.D;
  const ArrheniusFit g = fit_arrhenius(pts);
  EXPECT_TRUE(g.weighted);
  EXPECT_NEAR(g.Ea_eV, 0.27, 1e-12);
}

TEST(Arrhenius, TwoPointCovarianceIsAnalytic) {
  // ln D at two temperatures with relative errors s1, s2: b = Δln D / Δ(1/T) has
  // var(b) = (s1² + s2²)/Δ(1/T)², so Ea_err = k_B·√(s1² + s2²)/|1/T1 − 1/T2|.
  const double T1 = 600, T2 = 900, s1 = 0.1, s2 = 0.2;
  std::vector<ArrheniusPoint> pts = {{T1, arr(1e-3, 0.3, T1), s1 * arr(1e-3, 0.3, T1), 0},
                                     {T2, arr(1e-3, 0.3, T2), s2 * arr(1e-3, 0.3, T2), 0}};
  const ArrheniusFit f = fit_arrhenius(pts);
  EXPECT_NEAR(f.Ea_err_eV,
              units::kBoltzmann_eV_K * std::sqrt(s1 * s1 + s2 * s2) / (1 / T1 - 1 / T2), 1e-12);
  // At a data temperature the fitted line passes through the point with that point's error.
  EXPECT_NEAR(f.D_err_at(T1) / f.D_at(T1), s1, 1e-10);
  EXPECT_NEAR(f.D_err_at(T2) / f.D_at(T2), s2, 1e-10);
}

TEST(Arrhenius, ExtrapolationErrorMatchesMonteCarlo) {
  const std::vector<double> Ts = {500, 600, 700, 800};
  const double rel = 0.1;
  std::vector<ArrheniusPoint> pts;
  for (double T : Ts) pts.push_back({T, arr(3e-3, 0.25, T), rel * arr(3e-3, 0.25, T), 6e9});
  const ArrheniusFit f = fit_arrhenius(pts);
  std::mt19937 g(7);
  std::normal_distribution<double> n(0, 1);
  double s = 0, s2 = 0;
  const int M = 20000;
  for (int m = 0; m < M; ++m) {
    auto q = pts;
    for (auto& p : q) p.D *= std::exp(rel * n(g));
    const double l = std::log(fit_arrhenius(q).D_at(300));
    s += l;
    s2 += l * l;
  }
  const double sd = std::sqrt(s2 / M - (s / M) * (s / M));
  EXPECT_NEAR(f.D_err_at(300) / f.D_at(300), sd,
              0.03 * sd);  // MC standard error of an SD with 2e4 draws ≈ 0.5 %
  EXPECT_NEAR(f.sigma_at(300), 6e9 / 300 * f.D_at(300), 1e-12 * f.sigma_at(300));
  EXPECT_NEAR(f.sigma_err_at(300), 6e9 / 300 * f.D_err_at(300), 1e-12 * f.sigma_err_at(300));
}

TEST(Arrhenius, TableAndErrors) {
  superion::testing::TempDir dir;
  std::ofstream((dir / "t.csv").string())
      << "T_K,D_cm2_s,D_err_cm2_s\n600,1e-6,1e-7\n800,5e-6,2e-7\n";
  const auto pts = read_arrhenius_table((dir / "t.csv").string());
  ASSERT_EQ(pts.size(), 2u);
  EXPECT_DOUBLE_EQ(pts[1].D_err, 2e-7);
  std::ofstream((dir / "bad.csv").string()) << "T_K,D_cm2_s\n600,abc\n";
  EXPECT_THROW(read_arrhenius_table((dir / "bad.csv").string()), superion::InputError);
  std::ofstream((dir / "nohead.csv").string()) << "T,D\n600,1e-6\n";
  EXPECT_THROW(read_arrhenius_table((dir / "nohead.csv").string()), superion::InputError);
  EXPECT_THROW(fit_arrhenius({pts[0]}), superion::Error);
  EXPECT_THROW(fit_arrhenius({pts[0], pts[0]}), superion::Error);
}

TEST(Arrhenius, CliWritesJson) {
  superion::testing::TempDir dir;
  std::ofstream((dir / "t.csv").string())
      << "T_K,D_cm2_s\n500," << arr(1e-3, 0.3, 500) << "\n700," << arr(1e-3, 0.3, 700) << "\n900,"
      << arr(1e-3, 0.3, 900) << "\n";
  const std::string out = (dir / "a.json").string();
  const std::string cmd = std::string(SUPERION_BINARY) + " analyze arrhenius --table '" +
                          (dir / "t.csv").string() + "' --json '" + out + "' > /dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  std::ifstream in(out);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (const char* key :
       {"\"Ea_eV\"", "\"Ea_err_eV\"", "\"prefactor_cm2_s\"", "\"D_extrap_cm2_s\"", "\"fit_line\""})
    EXPECT_NE(text.find(key), std::string::npos) << key;
  // Printed with %g-like JSON precision: Ea recovered from the 6-digit table to 1e-5 eV.
  const auto pos = text.find("\"Ea_eV\": ");
  ASSERT_NE(pos, std::string::npos);
  EXPECT_NEAR(std::stod(text.substr(pos + 9)), 0.3, 1e-5);
}

// Never "± nan": two temperatures without errors on D leave nothing to estimate Ea's error from,
// and the summary says so instead of printing nan.
TEST(Arrhenius, CliSaysWhyThereIsNoError) {
  superion::testing::TempDir dir;
  std::ofstream(dir / "t.csv") << "T_K,D_cm2_s\n600,1e-6\n800,4e-6\n";
  std::string out;
  ASSERT_EQ(superion::testing::run_superion("analyze arrhenius --table " + (dir / "t.csv").string(),
                                            &out),
            0)
      << out;
  EXPECT_EQ(out.find("nan"), std::string::npos) << out;
  EXPECT_NE(out.find("no error estimate: 2 temperatures without errors"), std::string::npos) << out;
}

// A diffusion result whose MSD does not grow (frozen atoms: slope 0, D clipped to pymatgen's
// floor) is flagged D_clipped; `analyze arrhenius` leaves such temperatures out of the fit, says
// so, records them as upper bounds, and refuses to fit fewer than 2 resolved temperatures.
TEST(Arrhenius, ClippedDiffusionIsLeftOutOfTheFit) {
  superion::testing::TempDir dir;
  {
    std::ofstream xyz(dir / "frozen.xyz");
    for (int f = 0; f < 200; ++f)
      xyz << "2\nLattice=\"6 0 0 0 6 0 0 0 6\" Properties=species:S:1:pos:R:3 time=" << 0.01 * f
          << "\nNa 1 1 1\nCl 3 3 3\n";
  }
  std::string out;
  ASSERT_EQ(
      superion::testing::run_superion("analyze diffusion " + (dir / "frozen.xyz").string() +
                                          " --species Na --temperature 700 --min-obs 1 --json " +
                                          (dir / "d700.json").string(),
                                      &out),
      0)
      << out;
  EXPECT_NE(out.find("D not resolved: the MSD slope in the fit window is <= 0"), std::string::npos)
      << out;
  const auto d = nlohmann::json::parse(std::ifstream(dir / "d700.json"));
  EXPECT_TRUE(d["D_clipped"].get<bool>());
  for (const auto& [T, D] : {std::pair{900, 2e-6}, std::pair{1100, 5e-6}}) {
    nlohmann::json j = d;
    j["temperature_K"] = T;
    j["D_cm2_s"] = D;
    j["D_err_cm2_s"] = 0.1 * D;
    j["D_clipped"] = false;
    std::ofstream(dir / ("d" + std::to_string(T) + ".json")) << j.dump();
  }
  const std::string files = (dir / "d700.json").string() + " " + (dir / "d900.json").string() +
                            " " + (dir / "d1100.json").string();
  ASSERT_EQ(superion::testing::run_superion(
                "analyze arrhenius " + files + " --json " + (dir / "a.json").string(), &out),
            0)
      << out;
  EXPECT_NE(out.find("T = 700 K left out: no diffusion resolved"), std::string::npos) << out;
  EXPECT_NE(out.find("2 temperatures"), std::string::npos) << out;
  const auto a = nlohmann::json::parse(std::ifstream(dir / "a.json"));
  EXPECT_EQ(a["points"].size(), 2u);
  ASSERT_EQ(a["excluded_points"].size(), 1u);
  EXPECT_EQ(a["excluded_points"][0]["T_K"], 700.0);
  EXPECT_EQ(a["formula"], "NaCl");
  // Exact two-point slope: Ea = k ln(D2/D1) / (1/T1 − 1/T2).
  const double k = units::kBoltzmann_eV_K;
  EXPECT_NEAR(a["Ea_eV"].get<double>(), k * std::log(2.5) / (1.0 / 900 - 1.0 / 1100), 1e-9);
  EXPECT_EQ(superion::testing::run_superion("analyze arrhenius " + (dir / "d700.json").string() +
                                                " " + (dir / "d900.json").string(),
                                            &out),
            1)
      << out;
  EXPECT_NE(out.find("only 1 temperature(s) with resolved diffusion"), std::string::npos) << out;
}
