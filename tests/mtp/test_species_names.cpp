// Element names in potentials (issue: a cell listed O, S, Cl, Na ran with the wrong species;
// Cl replaced by Br ran to the end). Potentials store `potential_tag = elements Na Cl O`, which
// MLIP reads and ignores; every command maps structures onto MTP types by name, prints the
// mapping, refuses elements the potential lacks and warns when a potential has no names.
// A random 3-species level-6 MTP and a random triclinic cell, written here: no shared data.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <random>
#include <sstream>

#include "calculators/mtp_calculator.hpp"
#include "core/error.hpp"
#include "io/formats.hpp"
#include "model_setup.hpp"
#include "mtp/basis_generator.hpp"
#include "mtp/mtp_file.hpp"
#include "mtp/named_test_potential.hpp"
#include "mtp/species_map.hpp"
#include "test_util.hpp"

using namespace superion;
using superion::testing::cell_listed_as;
using superion::testing::named_potential;
using superion::testing::run_superion;

namespace {

// MLIP-2's documented reading of the header (MTP_FACTS §2.2, as `ifs >> tmpstr`, `ignore(2)`,
// `getline`): returns the token read after the potential_tag line, which must be
// radial_basis_type for MLIP to accept the file.
std::string token_after_tag_as_mlip_reads(const std::string& text) {
  std::istringstream in(text);
  std::string line, tok;
  std::getline(in, line);  // MTP
  std::getline(in, line);  // version = 1.1.0
  in >> tok;               // potential_name
  if (tok == "potential_name") in.ignore(2), in >> tok, in >> tok;
  if (tok == "scaling") in.ignore(2), in >> tok, in >> tok;
  if (tok != "species_count") return "no species_count";
  in.ignore(2);
  int c = 0;
  in >> c;
  in >> tok;
  if (tok == "potential_tag") std::getline(in, line), in >> tok;
  return tok;
}

}  // namespace

TEST(SpeciesNames, StoredInPotentialTagReadableByMlipAndLossless) {
  const Mtp m = named_potential();
  const std::string text = format_mtp(m, MtpPrecision::kLossless);
  EXPECT_NE(text.find("\npotential_tag = elements Na Cl O\n"), std::string::npos) << text;
  EXPECT_EQ(token_after_tag_as_mlip_reads(text), "radial_basis_type");
  const Mtp r = parse_mtp(text, "named.mtp");
  EXPECT_EQ(r.species_names, m.species_names);
  EXPECT_EQ(r.parameters(), m.parameters());
  EXPECT_EQ(format_mtp(r, MtpPrecision::kLossless), text);  // byte for byte
  // Another tool's tag is kept verbatim; an MLIP file's empty tag stays `potential_tag = `.
  std::string other = text;
  other.replace(other.find("elements Na Cl O"), 16, "fitted by someone, 2024");
  const Mtp o = parse_mtp(other, "other.mtp");
  EXPECT_TRUE(o.species_names.empty());
  EXPECT_EQ(format_mtp(o, MtpPrecision::kLossless), other);
  std::string empty = text;
  empty.replace(empty.find("elements Na Cl O"), 16, "");
  EXPECT_EQ(format_mtp(parse_mtp(empty, "e.mtp"), MtpPrecision::kLossless), empty);
  EXPECT_EQ(token_after_tag_as_mlip_reads(empty), "radial_basis_type");
  // Bad names are errors at the tag's line (line 6: MTP, version, name, scaling, species_count).
  auto error_of = [&](const std::string& tag) {
    std::string t = text;
    t.replace(t.find("elements Na Cl O"), 16, tag);
    try {
      parse_mtp(t, "bad.mtp");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(error_of("elements Na Xx O").find("bad.mtp:6: potential_tag: 'Xx' is not"),
            std::string::npos)
      << error_of("elements Na Xx O");
  EXPECT_NE(error_of("elements Na Cl").find("names 2 elements but the potential has 3"),
            std::string::npos)
      << error_of("elements Na Cl");
}

TEST(SpeciesNames, MappingRules) {
  const Mtp named = named_potential();
  const SpeciesMapping a = species_mapping(named, "p.mtp", {});
  EXPECT_EQ(a.source, SpeciesMapping::Source::kPotential);
  EXPECT_EQ(a.pairs(), "Na=0 Cl=1 O=2");
  EXPECT_TRUE(a.warning().empty());
  EXPECT_EQ(species_mapping(named, "p.mtp", {"na", "Cl", "O"}).source,
            SpeciesMapping::Source::kPotential);  // same names (normalised)
  EXPECT_THROW(species_mapping(named, "p.mtp", {"Cl", "Na", "O"}), InputError);
  EXPECT_THROW(species_mapping(named, "p.mtp", {"Na", "Cl"}), InputError);
  Mtp anonymous = named;
  anonymous.species_names.clear();
  const SpeciesMapping b = species_mapping(anonymous, "p.mtp", {});
  EXPECT_FALSE(b.known());
  EXPECT_NE(b.warning().find("stores no element names"), std::string::npos);
  EXPECT_EQ(species_mapping(anonymous, "p.mtp", {"O", "Na", "Cl"}).pairs(), "O=0 Na=1 Cl=2");
  // Structures are mapped by name; an element the potential lacks is refused.
  Structure s = cell_listed_as({"O", "Cl", "Na"}).configs[0].structure;
  const Structure listed = s;
  map_structure(s, a, "cell");
  ASSERT_EQ(s.species_symbols, named.species_names);
  for (std::size_t i = 0; i < s.size(); ++i) EXPECT_EQ(s.symbol(i), listed.symbol(i));
  EXPECT_NE(s.types, listed.types);
  Structure br = cell_listed_as({"O", "Cl", "Na"}).configs[0].structure;
  br.species_symbols[1] = "Br";
  try {
    map_structure(br, a, "cell.vasp");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("element Br is not in the potential p.mtp, whose MTP "
                                         "types are Na=0 Cl=1 O=2"),
              std::string::npos)
        << e.what();
  }
}

// The commands: eval / md / relax on the cell listed in two orders give the same energy with a
// potential that stores its names (before: the second order ran with the wrong species), print
// the mapping, refuse Br, and warn for a potential without names.
TEST(SpeciesNames, CommandsMapByNameAndRefuseMismatches) {
  superion::testing::TempDir dir;
  const Mtp named = named_potential();
  write_mtp(named, dir / "named.mtp", MtpPrecision::kLossless);
  Mtp anonymous = named;
  anonymous.species_names.clear();
  write_mtp(anonymous, dir / "anonymous.mtp", MtpPrecision::kLossless);
  io::write_dataset(dir / "ordered.vasp", cell_listed_as({"Na", "Cl", "O"}), "poscar");
  io::write_dataset(dir / "reordered.vasp", cell_listed_as({"O", "Cl", "Na"}), "poscar");
  Dataset br = cell_listed_as({"O", "Cl", "Na"});
  br.species[1] = "Br";
  br.configs[0].structure.species_symbols = br.species;
  io::write_dataset(dir / "bromide.vasp", br, "poscar");
  const std::string pot = (dir / "named.mtp").string();

  std::string a, b;
  ASSERT_EQ(run_superion("eval " + pot + " " + (dir / "ordered.vasp").string(), &a), 0) << a;
  ASSERT_EQ(run_superion("eval " + pot + " " + (dir / "reordered.vasp").string(), &b), 0) << b;
  EXPECT_NE(b.find("species -> MTP types: Na=0 Cl=1 O=2 (element names stored in " + pot + ")"),
            std::string::npos)
      << b;
  // Energy column of the first configuration (printed with 12 decimals; the listings differ in
  // atom order only, so the energies agree to summation round-off, 1e-9 eV).
  auto energy = [](const std::string& out) {
    const auto p = out.find("\n     1 ");
    if (p == std::string::npos) return 1e300;
    std::istringstream row(out.substr(p));
    int config = 0, atoms = 0;
    double e = 0;
    row >> config >> atoms >> e;
    return e;
  };
  EXPECT_NEAR(energy(a), energy(b), 1e-9) << a << b;
  EXPECT_LT(energy(a), 1e299) << a;

  // md: the step-0 potential energy (4th thermo column) is the same for both listings.
  auto step0_potential = [&](const std::string& cell, const std::string& csv, std::string* out) {
    const int rc = run_superion("md --potential " + pot + " --structure " + cell +
                                    " --steps 1 --timestep 0.1fs --thermostat none --thermo " +
                                    csv + " --thermo-every 1 --threads 1",
                                out);
    std::ifstream in(csv);
    std::string header, row;
    std::getline(in, header);
    std::getline(in, row);
    for (int k = 0; k < 3; ++k) row = row.substr(row.find(',') + 1);
    return rc == 0 ? std::stod(row) : 1e300;
  };
  std::string mo;
  const double p1 = step0_potential((dir / "ordered.vasp").string(), (dir / "a.csv").string(), &mo);
  const double p2 =
      step0_potential((dir / "reordered.vasp").string(), (dir / "b.csv").string(), &mo);
  EXPECT_NEAR(p1, p2, 1e-6) << mo;  // thermo CSV prints 6 decimals
  EXPECT_LT(p1, 1e299);
  EXPECT_NE(mo.find("species -> MTP types: Na=0 Cl=1 O=2"), std::string::npos) << mo;

  // Cl replaced by Br: refused by eval and md with the potential's elements named.
  for (const std::string& cmd :
       std::vector<std::string>{"eval " + pot + " " + (dir / "bromide.vasp").string(),
                                "md --potential " + pot + " --structure " +
                                    (dir / "bromide.vasp").string() + " --steps 2"}) {
    std::string out;
    EXPECT_EQ(run_superion(cmd, &out), 2) << out;
    EXPECT_NE(out.find("element Br is not in the potential " + pot +
                       ", whose MTP types are Na=0 Cl=1 O=2"),
              std::string::npos)
        << out;
  }
  // --species that contradicts the stored names is refused.
  std::string out;
  EXPECT_EQ(run_superion(
                "eval " + pot + " " + (dir / "ordered.vasp").string() + " --species O,Cl,Na", &out),
            2);
  EXPECT_NE(out.find("differs from the element order Na,Cl,O stored in"), std::string::npos) << out;
  // A potential without names: the data's order is assumed, with a warning on stderr.
  ASSERT_EQ(run_superion("eval " + (dir / "anonymous.mtp").string() + " " +
                             (dir / "reordered.vasp").string(),
                         &out),
            0)
      << out;
  EXPECT_NE(out.find("O=0 Cl=1 Na=2 (ASSUMED from the data's order"), std::string::npos) << out;
  EXPECT_NE(out.find("warning: " + (dir / "anonymous.mtp").string() + " stores no element names"),
            std::string::npos)
      << out;

  // The calculator of relax/pso/screen maps by name too.
  const MtpCalculator calc(pot);
  const double e1 = calc.compute(cell_listed_as({"Na", "Cl", "O"}).configs[0].structure).energy;
  const double e2 = calc.compute(cell_listed_as({"O", "Cl", "Na"}).configs[0].structure).energy;
  EXPECT_NEAR(e1, e2, 1e-12 * std::fabs(e1));  // atoms permuted: summation order only
}

// `superion train` stores the element names of its data in the potential it writes.
TEST(SpeciesNames, TrainStoresTheDataElements) {
  superion::testing::TempDir dir;
  std::string out;
  ASSERT_EQ(superion::testing::train_on_labelled_cells(dir, 4, 20, {"O", "Na", "Cl"}, 2, &out), 0)
      << out;
  // The types of the new potential are the data's elements in order of first appearance.
  const std::vector<std::string> order = io::read_dataset(dir / "labelled.xyz").species;
  ASSERT_EQ(order.size(), 3u);
  EXPECT_EQ(read_mtp(dir / "new.mtp").species_names, order);
  EXPECT_NE(out.find("species -> MTP types: " + order[0] + "=0 " + order[1] + "=1 " + order[2] +
                     "=2 (stored in"),
            std::string::npos)
      << out;
}
