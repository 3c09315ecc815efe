// `superion relax` and the domain options of `superion pso` end to end: rigid SO4 found across
// the cell boundary, the relaxed cubic antiperovskite with the committed MTP, the domain columns
// of ranking.csv, and one clear error for a cluster that is not there.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "test_util.hpp"

using superion::testing::run_superion;
using superion::testing::TempDir;

namespace {

const std::string kSource = SUPERION_SOURCE_DIR;

// Cubic Na3ClSO4 antiperovskite (a = 5.2 Å, S–O 1.48 Å) with the O atoms wrapped into the cell.
void write_cubic(const std::string& path, double so = 1.48) {
  const double a = 5.2, d = so / std::sqrt(3.0);
  std::ofstream f(path);
  f << "9\nLattice=\"" << a << " 0 0 0 " << a << " 0 0 0 " << a
    << "\" Properties=species:S:1:pos:R:3 pbc=\"T T T\"\n";
  f << "Na " << a / 2 << " " << a / 2 << " 0\nNa " << a / 2 << " 0 " << a / 2 << "\nNa 0 " << a / 2
    << " " << a / 2 << "\nCl " << a / 2 << " " << a / 2 << " " << a / 2 << "\nS 0 0 0\n";
  f << "O " << d << " " << d << " " << d << "\nO " << d << " " << a - d << " " << a - d << "\nO "
    << a - d << " " << d << " " << a - d << "\nO " << a - d << " " << a - d << " " << d << "\n";
}

}  // namespace

TEST(PsoCli, RelaxFindsTheClustersAndReproducesTheCubicReference) {
  TempDir tmp;
  write_cubic((tmp / "cubic.xyz").string());
  std::string out;
  const std::string pot = kSource + "/tests/data/pso/na3clso4_level10.mtp";
  ASSERT_EQ(run_superion("relax " + (tmp / "cubic.xyz").string() + " -o " +
                             (tmp / "relaxed.xyz").string() + " --calculator mtp:" + pot +
                             ":Na,Cl,S,O --clusters SO4 --fmax 1e-4 --smax 1e-3",
                         &out),
            0)
      << out;
  EXPECT_NE(out.find("1 rigid clusters"), std::string::npos) << out;
  EXPECT_NE(out.find("P-43m (215)"), std::string::npos) << out;
  // −699.270940 eV/atom in docs/pso.md (and tests/pso/test_pso_mtp.cpp): same relaxer, same
  // criteria; 1e-5 eV/atom allows for the input written here with 6 significant digits.
  const auto pos = out.find("relaxed: ");
  ASSERT_NE(pos, std::string::npos) << out;
  EXPECT_NEAR(std::stod(out.substr(pos + 9)), -699.270940, 1e-5) << out;
  EXPECT_TRUE(std::filesystem::exists(tmp / "relaxed.xyz"));

  // An S–O bond 0.5 Å too long is no SO4: one error naming the atom, exit code != 0, no output.
  write_cubic((tmp / "bad.xyz").string(), 1.98);
  EXPECT_NE(
      run_superion("relax " + (tmp / "bad.xyz").string() + " -o " + (tmp / "bad_out.xyz").string() +
                       " --calculator mtp:" + pot + ":Na,Cl,S,O --clusters SO4",
                   &out),
      0);
  EXPECT_NE(out.find("SO4 cluster around atom 5 (S)"), std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists(tmp / "bad_out.xyz"));
}

TEST(PsoCli, DomainColumnsInTheRanking) {
  // Rocksalt NaCl with the shipped rigid-ion model; the "training data" is one rocksalt cell at
  // a = 5.64 Å, so the walls are Na–Cl 2.82, Na–Na = Cl–Cl 3.99 Å.
  TempDir tmp;
  {
    std::ofstream f(tmp / "rocksalt.xyz");
    f << "2\nLattice=\"0 2.82 2.82 2.82 0 2.82 2.82 2.82 0\" Properties=species:S:1:pos:R:3 "
         "pbc=\"T T T\"\nNa 0 0 0\nCl 2.82 2.82 2.82\n";
  }
  std::string out;
  ASSERT_EQ(run_superion("pso --composition NaCl --formula-units 2 --calculator classical:NaCl "
                         "--population 6 --generations 2 --seed 3 --domain " +
                             (tmp / "rocksalt.xyz").string() + " -o " + (tmp / "out").string(),
                         &out),
            0)
      << out;
  EXPECT_NE(out.find("domain of"), std::string::npos) << out;
  std::ifstream csv(tmp / "out" / "ranking.csv");
  std::string header, row;
  std::getline(csv, header);
  EXPECT_NE(header.find("wall_eV_atom,domain_violation_A,domain_worst_pair,inside_domain"),
            std::string::npos);
  int rows = 0;
  while (std::getline(csv, row)) {
    ++rows;
    std::vector<std::string> f;
    std::stringstream ss(row);
    std::string item;
    while (std::getline(ss, item, ',')) f.push_back(item);
    if (!row.empty() && row.back() == ',') f.push_back("");
    ASSERT_EQ(f.size(), 11u) << row;
    const double wall = std::stod(f[7]), viol = std::stod(f[8]);
    EXPECT_GE(wall, 0.0);
    // inside_domain = violation within the 1e-3 Å default tolerance; a violation has a pair.
    EXPECT_EQ(f[10], viol <= 1e-3 ? "1" : "0") << row;
    if (viol > 0) {
      EXPECT_FALSE(f[9].empty()) << row;
    }
  }
  EXPECT_GE(rows, 1);
}
