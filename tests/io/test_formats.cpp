// Format table: auto detection by file name, explicit names, errors, and dispatch to the readers.
#include <gtest/gtest.h>

#include "io/formats.hpp"
#include "io_test_util.hpp"
#include "test_util.hpp"

using namespace superion;

TEST(Formats, AutoDetectionByName) {
  const std::pair<const char*, const char*> cases[] = {
      {"train.cfg", "cfg"},         {"dir/A.CFG", "cfg"},         {"x.xyz", "extxyz"},
      {"x.extxyz", "extxyz"},       {"POSCAR", "poscar"},         {"CONTCAR_5", "poscar"},
      {"POSCAR.h2o.md", "poscar"},  {"Na3PS4.vasp", "poscar"},    {"in.poscar", "poscar"},
      {"nacl.data", "lammps-data"}, {"data.nacl", "lammps-data"}, {"x.lmp", "lammps-data"},
  };
  for (const auto& [file, name] : cases) EXPECT_STREQ(io::find_format(file).name, name) << file;
  EXPECT_STREQ(io::find_format("whatever.txt", "extxyz").name, "extxyz");
  EXPECT_THROW(io::find_format("whatever.txt"), Error);
  EXPECT_THROW(io::find_format("x.cfg", "nope"), Error);
  // Every entry can be found by its own name, and names are unique.
  for (const auto& f : io::formats()) EXPECT_EQ(&io::find_format("x", f.name), &f);
}

TEST(Formats, DispatchReadsSharedFiles) {
  SUPERION_REQUIRE_SHARED(poscar, "vasp/dpdata_h2o_md/POSCAR.h2o.md");
  SUPERION_REQUIRE_SHARED(xyz, "mlearn/Cu/test.xyz");
  SUPERION_REQUIRE_SHARED(cfg, "mlearn/Cu/test.cfg");
  EXPECT_EQ(io::read_dataset(poscar).total_atoms(), 6u);
  const Dataset x = io::read_dataset(xyz);
  const Dataset c = io::read_dataset(cfg, "auto", {{"Cu"}});
  EXPECT_EQ(c.species, x.species);
  EXPECT_EQ(c.configs[0].structure.species_symbols, std::vector<std::string>{"Cu"});
  EXPECT_TRUE(io::read_dataset(cfg, "cfg").species.empty());  // cfg alone has no symbols
}
