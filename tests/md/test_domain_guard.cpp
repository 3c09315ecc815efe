// Training domain stored with potentials and the MD guard (issue: a potential fitted to little
// data heated from 1000 K to 1600 K with a falling energy and exit 0). The domain = shortest
// distance of each type pair in the training data, kept in the potential_tag; `superion md` stops
// (default) or warns when a pair comes closer by more than the tolerance, naming the pair, and a
// blow-up names its likely cause. A random named 3-species MTP and cells made here.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "core/error.hpp"
#include "domain_guard.hpp"
#include "io/formats.hpp"
#include "mtp/mtp_file.hpp"
#include "mtp/named_test_potential.hpp"
#include "mtp/training_domain.hpp"
#include "test_util.hpp"

using namespace superion;
using superion::testing::run_superion;

namespace {

// Brute-force shortest distance of each type pair over all images within 2 cells.
std::vector<double> brute_force_domain(const Structure& s, int C, double cutoff) {
  std::vector<double> d(static_cast<std::size_t>(C) * C, cutoff);
  for (std::size_t i = 0; i < s.size(); ++i)
    for (std::size_t j = 0; j < s.size(); ++j)
      for (int a = -2; a <= 2; ++a)
        for (int b = -2; b <= 2; ++b)
          for (int c = -2; c <= 2; ++c) {
            if (i == j && !a && !b && !c) continue;
            const double r =
                norm(s.positions[j] + row_times(Vec3{double(a), double(b), double(c)}, s.cell) -
                     s.positions[i]);
            auto& x = d[static_cast<std::size_t>(s.types[i]) * C + s.types[j]];
            x = std::min(x, r);
          }
  for (double& x : d) x = std::floor(x * 1e4) / 1e4;
  return d;
}

// The named cell and a potential whose stored domain is that of "training data" whose Na-Cl pairs
// were 0.3 Å farther apart than in the cell (so the cell starts 0.3 Å outside it); the potential
// is written to dir/pot.mtp and the cell to dir/cell.vasp. na_cl: the cell's own Na-Cl limit.
struct CellOutsideDomain {
  Dataset cell;
  Mtp potential;
  double na_cl;
};

CellOutsideDomain write_cell_outside_domain(const superion::testing::TempDir& dir) {
  const Dataset cell = superion::testing::cell_listed_as({"Na", "Cl", "O"});
  Mtp m = superion::testing::named_potential();
  m.domain_min_distance = training_domain(cell, 3, 4.5);
  const double na_cl = m.domain_min_distance[0 * 3 + 1];
  m.domain_min_distance[0 * 3 + 1] = m.domain_min_distance[1 * 3 + 0] = na_cl + 0.3;
  write_mtp(m, dir / "pot.mtp", MtpPrecision::kLossless);
  io::write_dataset(dir / "cell.vasp", cell, "poscar");
  return {cell, m, na_cl};
}

}  // namespace

TEST(TrainingDomain, ShortestPairDistancesStoredAndCheckedExactly) {
  const Dataset cell = superion::testing::cell_listed_as({"Na", "Cl", "O"});
  const Structure& s = cell.configs[0].structure;
  const std::vector<double> d = training_domain(cell, 3, 4.5);
  EXPECT_EQ(d, brute_force_domain(s, 3, 4.5));  // both floor to 1e-4 Å
  // Stored in the potential_tag after the names; written with 4 decimals, read back exactly.
  Mtp m = superion::testing::named_potential();
  m.domain_min_distance = d;
  const std::string text = format_mtp(m, MtpPrecision::kLossless);
  EXPECT_NE(text.find("\npotential_tag = elements Na Cl O domain Na-Na "), std::string::npos)
      << text.substr(0, 400);
  const Mtp r = parse_mtp(text, "p.mtp");
  EXPECT_EQ(r.domain_min_distance, d);
  EXPECT_EQ(format_mtp(r, MtpPrecision::kLossless), text);
  // The training structure itself is inside (every pair at or above its limit).
  EXPECT_FALSE(check_training_domain(s, d, 3, 0.0).outside);
  // Move one atom of the closest pair of the cell (which sets its type pair's limit) 0.3 Å
  // towards the other: outside by 0.3 Å for that pair.
  std::size_t ia = 0, ib = 1;
  double best = 1e9;
  const Mat3 inv = inverse(s.cell);
  const bool pbc[3] = {true, true, true};
  for (std::size_t i = 0; i < s.size(); ++i)
    for (std::size_t j = i + 1; j < s.size(); ++j) {
      const double r = norm(minimum_image(s.positions[j] - s.positions[i], s.cell, inv, pbc));
      if (r < best) best = r, ia = i, ib = j;
    }
  Structure moved = s;
  const Vec3 dir = minimum_image(s.positions[ib] - s.positions[ia], s.cell, inv, pbc);
  moved.positions[ia] = moved.positions[ia] + dir * (0.3 / best);
  const DomainExit e = check_training_domain(moved, d, 3, 0.1);
  ASSERT_TRUE(e.outside);
  EXPECT_NEAR(e.distance, best - 0.3, 1e-9);
  EXPECT_NEAR(e.depth(), 0.3, 1e-4);  // the limit is floored to 1e-4 Å
  EXPECT_EQ(std::min(e.atom_a, e.atom_b), std::min(ia, ib));
  EXPECT_FALSE(check_training_domain(moved, d, 3, 0.5).outside);  // within the tolerance
}

// `superion md` with a potential that stores its domain: a start structure 0.3 Å inside a pair's
// limit stops at once (exit 1) naming the pair and the data's limit; warn continues and reports;
// off is silent; a potential without a domain says it cannot check; a blow-up names the cause.
TEST(TrainingDomain, MdStopsWarnsOrIgnoresAndBlowUpsNameTheCause) {
  superion::testing::TempDir dir;
  const auto [cell, m, na_cl] = write_cell_outside_domain(dir);
  const std::string base = "md --potential " + (dir / "pot.mtp").string() + " --structure " +
                           (dir / "cell.vasp").string() +
                           " --steps 20 --timestep 0.1fs --temperature 10 --threads 1 --thermo " +
                           (dir / "t.csv").string();
  std::string out;
  EXPECT_EQ(run_superion(base, &out), 1) << out;
  char expect[128];
  std::snprintf(expect, sizeof expect, "the run left the training domain of %s at step 0: Na-Cl at",
                (dir / "pot.mtp").string().c_str());
  EXPECT_NE(out.find(expect), std::string::npos) << out;
  std::snprintf(expect, sizeof expect, "shortest Na-Cl distance in the training data (%.3f A)",
                na_cl + 0.3);
  EXPECT_NE(out.find(expect), std::string::npos) << out;
  EXPECT_NE(out.find("training domain of " + (dir / "pot.mtp").string() +
                     " (shortest distances, A): Na-Na"),
            std::string::npos)
      << out;
  EXPECT_TRUE(std::filesystem::exists(dir / "t.csv"));  // outputs kept up to the stop

  EXPECT_EQ(run_superion(base + " --outside-domain warn", &out), 0) << out;
  EXPECT_NE(out.find("warning: the run left the training domain"), std::string::npos) << out;
  EXPECT_NE(out.find("outside the training domain in 3 of 3 checks"), std::string::npos) << out;

  EXPECT_EQ(run_superion(base + " --outside-domain off", &out), 0) << out;
  EXPECT_EQ(out.find("left the training domain"), std::string::npos) << out;
  EXPECT_EQ(run_superion(base + " --domain-tolerance 0.5", &out), 0) << out;  // 0.3 Å is allowed

  // A blow-up (limit 1 K) names the likely cause: here the domain exit.
  EXPECT_EQ(run_superion(base + " --outside-domain warn --max-temperature 1", &out), 1) << out;
  EXPECT_NE(out.find("temperature blow-up"), std::string::npos) << out;
  EXPECT_NE(out.find("likely cause: the potential left its training domain: Na-Cl at"),
            std::string::npos)
      << out;
  // Inside the domain (tolerance large), the cause named is the time step / thermostat.
  Mtp inside = m;
  inside.domain_min_distance = training_domain(cell, 3, 4.5);
  write_mtp(inside, dir / "inside.mtp", MtpPrecision::kLossless);
  const std::string pot_inside = " --potential " + (dir / "inside.mtp").string();
  EXPECT_EQ(run_superion("md" + pot_inside + " --structure " + (dir / "cell.vasp").string() +
                             " --steps 5 --timestep 0.1fs --temperature 10 --max-temperature 1",
                         &out),
            1)
      << out;
  EXPECT_NE(out.find("the structure is inside the training domain"), std::string::npos) << out;
  // Without a stored domain: said at the start; the blow-up cause says it cannot be checked.
  Mtp none = m;
  none.domain_min_distance.clear();
  write_mtp(none, dir / "none.mtp", MtpPrecision::kLossless);
  EXPECT_EQ(run_superion("md --potential " + (dir / "none.mtp").string() + " --structure " +
                             (dir / "cell.vasp").string() +
                             " --steps 5 --timestep 0.1fs --temperature 10 --max-temperature 1",
                         &out),
            1)
      << out;
  EXPECT_NE(out.find("training domain: none stored in"), std::string::npos) << out;
  EXPECT_NE(out.find("it stores no training domain to check"), std::string::npos) << out;
}

// The device engine (--device emu: the device code on the CPU) applies the same guard from its
// position samples: stop by default, warn and count, and a blow-up names the likely cause (the
// domain exit, read from the replica's positions after the failure).
TEST(TrainingDomain, DeviceEngineStopsWarnsAndNamesTheCause) {
  superion::testing::TempDir dir;
  write_cell_outside_domain(dir);  // pot.mtp, cell.vasp
  const std::string common = "md --device emu --potential " + (dir / "pot.mtp").string() +
                             " --structure " + (dir / "cell.vasp").string() +
                             " --steps 20 --timestep 0.1fs --threads 1 --thermo " +
                             (dir / "t.csv").string();
  const std::string base = common + " --temperature 10";
  std::string out;
  EXPECT_EQ(run_superion(base, &out), 1) << out;
  EXPECT_NE(out.find("the run left the training domain of " + (dir / "pot.mtp").string() +
                     " at step 0: Na-Cl at"),
            std::string::npos)
      << out;
  EXPECT_EQ(run_superion(base + " --outside-domain warn", &out), 0) << out;
  EXPECT_NE(out.find("outside the training domain in 3 of 3 replica checks"), std::string::npos)
      << out;
  // Several replicas in one batch: the message names the replica.
  EXPECT_EQ(run_superion(common + " --temperatures 10,20", &out), 1) << out;
  EXPECT_NE(out.find(" at step 0 (replica _T10): Na-Cl at"), std::string::npos) << out;
  EXPECT_EQ(run_superion(base + " --outside-domain warn --max-temperature 1", &out), 1) << out;
  EXPECT_NE(out.find("temperature blow-up"), std::string::npos) << out;
  EXPECT_NE(out.find("likely cause: the potential left its training domain: Na-Cl at"),
            std::string::npos)
      << out;
}

// `superion train` stores the domain of its training data.
TEST(TrainingDomain, TrainStoresTheDomainOfItsData) {
  superion::testing::TempDir dir;
  std::string out;
  ASSERT_EQ(superion::testing::train_on_labelled_cells(dir, 3, 40, {"Na", "Cl", "O"}, 1, &out), 0)
      << out;
  const Mtp trained = read_mtp(dir / "new.mtp");
  const Dataset lab = io::read_dataset(dir / "labelled.xyz");
  EXPECT_EQ(trained.domain_min_distance, training_domain(lab, 3, 4.5));
}
