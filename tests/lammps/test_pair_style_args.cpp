// The LAMMPS-independent parts of superion-lammps (built and run without LAMMPS): pair_style
// argument parsing, mlip.ini, the type→species mapping and the owned+ghost neighbour search
// (against a brute-force search).
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "core/error.hpp"
#include "local_neighbors.hpp"
#include "pair_style_args.hpp"
#include "species_map.hpp"

namespace superion::lammps {
namespace {

TEST(PairStyleArgs, Mtp) {
  const auto a = parse_mtp_style({"p.mtp", "species", "Na", "Cl"});
  EXPECT_EQ(a.potential, "p.mtp");
  EXPECT_EQ(a.species, (std::vector<std::string>{"Na", "Cl"}));
  EXPECT_THROW(parse_mtp_style({}), Error);
  EXPECT_THROW(parse_mtp_style({"p.mtp", "bogus"}), Error);
  // Names are normalised ("na" -> "Na", so they compare with the stored ones) and checked.
  EXPECT_EQ(parse_mtp_style({"p.mtp", "species", "na", "CL"}).species,
            (std::vector<std::string>{"Na", "Cl"}));
  EXPECT_THROW(parse_mtp_style({"p.mtp", "species", "Na", "Qq"}), Error);
  EXPECT_THROW(parse_mtp_style({"p.mtp", "species", "Na", "Na"}), Error);
}

TEST(PairStyleArgs, MlipIni) {
  const auto a = parse_mlip_ini(
      "# comment\nmtp-filename " SUPERION_SOURCE_DIR
      "/tests/data/pso/na3clso4_level10.mtp\n"
      "select FALSE\n  select:threshold 2.1\ncalculate-efs TRUE\nwrite-cfgs out.cfg\n",
      "mlip.ini", "");
  EXPECT_NE(a.potential.find("na3clso4_level10.mtp"), std::string::npos);
  EXPECT_EQ(a.ignored.size(), 2u);  // write-cfgs, select:threshold
  try {
    parse_mlip_ini("mtp-filename x.mtp\nselect TRUE\n", "mlip.ini", "");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("select TRUE"), std::string::npos);
  }
  try {
    parse_mlip_ini("mtp-filename\n", "mlip.ini", "");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.line(), 1);
  }
  EXPECT_THROW(parse_mlip_ini("mtp-filename none.mtp\n", "mlip.ini", ""), InputError);
}

TEST(PairStyleArgs, Mlip3) {
  const auto a = parse_mlip_style({"load_from=x.almtp", "extrapolation_control=false",
                                   "extrapolation_control:threshold_save=2"});
  EXPECT_EQ(a.potential, "x.almtp");
  EXPECT_EQ(a.ignored.size(), 1u);
  EXPECT_THROW(parse_mlip_style({"load_from=x.almtp", "extrapolation_control=true"}), Error);
}

TEST(SpeciesMap, NamedAndUnnamed) {
  // Unnamed potential: distinct names in order are species 0, 1, …
  EXPECT_EQ(map_types_to_species({"Na", "Cl", "Na", "NULL"}, 4, 2, {}, "p"),
            (std::vector<int>{0, 1, 0, -1}));
  EXPECT_THROW(map_types_to_species({"Na", "Cl", "S"}, 3, 2, {}, "p"), Error);
  // Named potential: looked up by name, any order and subset.
  EXPECT_EQ(map_types_to_species({"O", "na"}, 2, 4, {"Na", "Cl", "S", "O"}, "p"),
            (std::vector<int>{3, 0}));
  EXPECT_THROW(map_types_to_species({"Br"}, 1, 4, {"Na", "Cl", "S", "O"}, "p"), Error);
  EXPECT_THROW(map_types_to_species({"Xx"}, 1, 4, {}, "p"), Error);
  EXPECT_THROW(map_types_to_species({"Na"}, 2, 4, {}, "p"), Error);  // count
  // No names: type k is species k-1.
  EXPECT_EQ(map_types_to_species({}, 3, 4, {}, "p"), (std::vector<int>{0, 1, 2}));
  EXPECT_THROW(map_types_to_species({}, 5, 4, {}, "p"), Error);
}

TEST(SpeciesMap, ElementsMappingAndMasses) {
  // Elements from pair_coeff names, else from the potential's stored names, else unknown.
  EXPECT_EQ(elements_of_types({"o", "Na", "NULL"}, {3, 0, -1}, {"Na", "Cl", "S", "O"}),
            (std::vector<std::string>{"O", "Na", ""}));
  EXPECT_EQ(elements_of_types({}, {0, 1}, {"Na", "Cl"}), (std::vector<std::string>{"Na", "Cl"}));
  EXPECT_EQ(elements_of_types({}, {0, 1}, {}), (std::vector<std::string>{"", ""}));
  EXPECT_EQ(describe_type_map({3, 0, -1}, {"O", "Na", ""}),
            "type 1 -> species 3 (O), type 2 -> species 0 (Na), type 3 -> NULL");
  // Rounded masses pass; O's mass on a type named Na (a mixed-up order) is reported, naming type,
  // element and both masses; unset masses (NaN) and unknown elements are not checked.
  const std::vector<std::string> el{"Na", "Cl", "S", "O", ""};
  EXPECT_TRUE(mass_warnings(el, {23.0, 35.5, 32.0, 16.0, 1.0}, 0.5).empty());
  const auto w = mass_warnings(el, {15.999, 32.06, std::nan(""), 22.99, 7.0}, 0.5);
  ASSERT_EQ(w.size(), 3u);
  EXPECT_NE(w[0].find("atom type 1 is Na but has mass 16 amu (Na: 22.99 amu)"), std::string::npos)
      << w[0];
  EXPECT_NE(w[1].find("atom type 2 is Cl"), std::string::npos) << w[1];
  EXPECT_NE(w[2].find("atom type 4 is O"), std::string::npos) << w[2];
}

TEST(LocalNeighbors, MatchesBruteForce) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(-3.0, 13.0);
  const int nlocal = 150, nall = 700;
  std::vector<double> x(3 * nall);
  for (auto& v : x) v = u(rng);
  LocalNeighbors nb;
  const double rc = 2.7;
  build_local_neighbors(x.data(), nlocal, nall, rc, nb);
  ASSERT_EQ(nb.offsets.size(), static_cast<std::size_t>(nlocal) + 1);
  for (int i = 0; i < nlocal; ++i) {
    std::vector<int> expect;
    for (int j = 0; j < nall; ++j) {
      if (j == i) continue;
      double r2 = 0;
      for (int d = 0; d < 3; ++d)
        r2 += (x[3 * j + d] - x[3 * i + d]) * (x[3 * j + d] - x[3 * i + d]);
      if (r2 < rc * rc) expect.push_back(j);
    }
    const std::vector<int> got(nb.neighbors.begin() + nb.offsets[i],
                               nb.neighbors.begin() + nb.offsets[i + 1]);
    EXPECT_EQ(got, expect) << "atom " << i;
  }
}

}  // namespace
}  // namespace superion::lammps
