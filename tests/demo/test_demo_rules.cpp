// The aggregation rules of `superion demo` (analysis/demo/demo_analysis.hpp) on numbers whose
// answers are known exactly: replica mean and standard error, the diffusive criterion, the
// Arrhenius fit over diffusive temperatures only with its resolve rule, the MTP-vs-reference z.
#include <gtest/gtest.h>

#include <cmath>

#include "demo_analysis.hpp"

using namespace superion::demo;

namespace {

constexpr double kB = 8.617333262e-5;  // eV/K

RunDiffusion replica(double T, double D, long hops) {
  RunDiffusion r;
  r.T = T;
  r.ok = true;
  r.d.D = D;
  r.d.D_err = 0.5 * D;
  r.d.ne_factor = 2.0e7;
  r.hop_events = hops;
  r.max_msd_A2 = 10.0;
  return r;
}

TemperatureD temperature(double T, double D, double rel_err, bool diffusive = true) {
  TemperatureD t;
  t.T = T;
  t.replicas = 4;
  t.D = D;
  t.D_err = rel_err * D;
  t.ne_factor = 2.0e7;
  t.hop_events = diffusive ? 100 : 0;
  t.diffusive = diffusive;
  return t;
}

}  // namespace

TEST(DemoRules, ReplicaMeanAndStandardError) {
  const TemperatureD t =
      combine({replica(700, 1e-5, 4), replica(700, 2e-5, 4), replica(700, 3e-5, 4)});
  EXPECT_EQ(t.replicas, 3);
  EXPECT_NEAR(t.D, 2e-5, 1e-18);
  // sample standard deviation of (1, 2, 3)e-5 is 1e-5; standard error 1e-5/sqrt(3)
  EXPECT_NEAR(t.D_err, 1e-5 / std::sqrt(3.0), 1e-18);
  EXPECT_EQ(t.hop_events, 12);
  EXPECT_TRUE(t.diffusive);  // 12 >= kMinHops
}

TEST(DemoRules, OneReplicaKeepsItsOwnErrorAndFewHopsAreNotDiffusive) {
  const TemperatureD one = combine({replica(500, 4e-6, 3)});
  EXPECT_NEAR(one.D_err, 2e-6, 1e-20);  // the estimator's own error
  EXPECT_FALSE(one.diffusive) << "3 hop events < kMinHops = " << kMinHops;
  RunDiffusion failed = replica(500, 1e-5, 100);
  failed.ok = false;
  const TemperatureD none = combine({failed});
  EXPECT_EQ(none.replicas, 0);
  EXPECT_FALSE(none.diffusive);
  EXPECT_TRUE(std::isnan(none.D));
}

TEST(DemoRules, ArrheniusRecoversEaAndExcludesNonDiffusiveTemperatures) {
  const double Ea = 0.18, D0 = 1e-3;
  std::vector<TemperatureD> ts;
  for (double T : {500.0, 700.0, 900.0, 1100.0})
    ts.push_back(temperature(T, D0 * std::exp(-Ea / (kB * T)), 0.1));
  // A clipped, non-diffusive point far off the line must not enter the fit.
  ts.push_back(temperature(400.0, 1.7e-17, 1e3, false));
  const ArrheniusSummary a = arrhenius_of(ts, 3.0e7, 0.2, "");
  ASSERT_TRUE(a.fitted);
  EXPECT_NEAR(a.fit.Ea_eV, Ea, 1e-9);  // exact data: the fit returns Ea to rounding
  EXPECT_TRUE(a.resolved) << a.reason;
  ASSERT_EQ(a.temperatures_excluded.size(), 1u);
  EXPECT_EQ(a.temperatures_excluded[0], 400.0);
  EXPECT_NEAR(a.D300, D0 * std::exp(-Ea / (kB * 300.0)), 1e-9 * a.D300);
  EXPECT_NEAR(a.sigma300, 3.0e7 * a.D300, 1e-9 * a.sigma300);
}

TEST(DemoRules, UnresolvedWhenTooFewTemperaturesOrTooLargeAnError) {
  const double Ea = 0.18, D0 = 1e-3;
  auto D = [&](double T) { return D0 * std::exp(-Ea / (kB * T)); };
  const ArrheniusSummary two =
      arrhenius_of({temperature(900, D(900), 0.1), temperature(1100, D(1100), 0.1)}, 3e7, 0.2, "");
  EXPECT_TRUE(two.fitted);
  EXPECT_FALSE(two.resolved);
  EXPECT_NE(two.reason.find("need 3"), std::string::npos) << two.reason;
  // Three close temperatures with 60 % errors: Ea cannot be pinned to 20 %.
  const ArrheniusSummary wide =
      arrhenius_of({temperature(900, D(900), 0.6), temperature(1000, D(1000), 0.6),
                    temperature(1100, D(1100), 0.6)},
                   3e7, 0.2, "");
  EXPECT_FALSE(wide.resolved);
  EXPECT_NE(wide.reason.find("exceeds 20"), std::string::npos) << wide.reason;
  const ArrheniusSummary none = arrhenius_of({temperature(900, 1e-17, 1, false)}, 3e7, 0.2, "");
  EXPECT_FALSE(none.fitted);
  EXPECT_FALSE(none.reason.empty());
}

TEST(DemoRules, AgreementZScore) {
  // ln(2) apart with relative errors 0.3 and 0.4: z = ln 2 / 0.5 = 1.386 -> agree
  const Agreement a = compare_D(temperature(800, 2e-5, 0.3), temperature(800, 1e-5, 0.4));
  EXPECT_NEAR(a.z, std::log(2.0) / 0.5, 1e-12);
  EXPECT_TRUE(a.agree);
  const Agreement b = compare_D(temperature(800, 4e-5, 0.1), temperature(800, 1e-5, 0.1));
  EXPECT_NEAR(b.z, std::log(4.0) / std::hypot(0.1, 0.1), 1e-12);
  EXPECT_FALSE(b.agree);
}
