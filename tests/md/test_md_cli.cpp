// `superion md` / `superion bench md` CLI: a short NVE and CSVR run writes the thermo CSV with the
// documented columns and prints the speed line; bad input (missing file, unknown thermostat,
// atoms closer than min_dist/2, --steps and --time together) exits non-zero with a clear message
// and leaves no output file behind.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "test_util.hpp"

namespace {

const std::string kCell = SUPERION_SOURCE_DIR "/data/nyzc/nyzc37.vasp";

using ::superion::testing::run_superion;

std::vector<std::string> lines(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::vector<std::string> out;
  std::string l;
  while (std::getline(in, l)) out.push_back(l);
  return out;
}

TEST(MdCli, ShortRunWritesThermoCsvAndSpeed) {
  SUPERION_REQUIRE_SHARED(pot, "mtp/nyzc/fitted.mtp.2021.02.mtp");
  superion::testing::TempDir dir;
  std::string out;
  const int rc =
      run_superion("md --potential " + pot.string() + " --structure " + kCell +
                       " --species Na,Y,Zr,Cl --temperature 600 --timestep 2fs --steps 20 "
                       "--thermostat csvr --tdamp 50fs --seed 3 --thermo-every 5 --thermo " +
                       (dir / "t.csv").string() + " --dump-xyz " + (dir / "d.xyz").string() +
                       " --dump-every 10 --threads 1",
                   &out);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("Speed of this run = "), std::string::npos) << out;
  EXPECT_NE(out.find(" atom*step/second"), std::string::npos) << out;
  const auto csv = lines(dir / "t.csv");
  ASSERT_EQ(csv.size(), 6u);  // header + steps 0, 5, 10, 15, 20
  EXPECT_EQ(
      csv[0],
      "step,time_ps,temperature_K,potential_eV,kinetic_eV,conserved_eV,pressure_GPa,volume_A3");
  EXPECT_EQ(csv[5].rfind("20,0.040000,", 0), 0u) << csv[5];
  const auto xyz = lines(dir / "d.xyz");
  EXPECT_EQ(xyz.size(), 3u * (37 + 2));  // frames at steps 0, 10, 20
}

TEST(MdCli, TimeOptionSetsTheLength) {
  SUPERION_REQUIRE_SHARED(pot, "mtp/nyzc/fitted.mtp.2021.02.mtp");
  superion::testing::TempDir dir;
  std::string out;
  ASSERT_EQ(run_superion("md --potential " + pot.string() + " --structure " + kCell +
                             " --species Na,Y,Zr,Cl --temperature 300 --timestep 0.001 --time 10fs "
                             "--thermostat none --thermo-every 10 --thermo " +
                             (dir / "t.csv").string(),
                         &out),
            0)
      << out;
  const auto csv = lines(dir / "t.csv");
  ASSERT_EQ(csv.size(), 3u);
  EXPECT_EQ(csv[2].rfind("10,0.010000,", 0), 0u) << csv[2];
}

TEST(MdCli, TomlInputFileEqualsCommandLine) {
  SUPERION_REQUIRE_SHARED(pot, "mtp/nyzc/fitted.mtp.2021.02.mtp");
  superion::testing::TempDir dir;
  std::ofstream(dir / "run.toml") << "# test input\n[md]\npotential = \"" << pot.string()
                                  << "\"\nstructure = \"" << kCell
                                  << "\"\nspecies = [\"Na\", \"Y\", \"Zr\", \"Cl\"]\n"
                                     "temperature = 500\ntimestep = \"2fs\"  # comment\n"
                                     "steps = 10\nthermostat = \"langevin\"\nseed = 4\n"
                                     "thermo-every = 5\nsupercell = [1, 1, 1]\n";
  std::string out;
  ASSERT_EQ(run_superion("md --input " + (dir / "run.toml").string() + " --thermo " +
                             (dir / "a.csv").string(),
                         &out),
            0)
      << out;
  ASSERT_EQ(run_superion("md --potential " + pot.string() + " --structure " + kCell +
                             " --species Na,Y,Zr,Cl --temperature 500 --timestep 2fs --steps 10 "
                             "--thermostat langevin --seed 4 --thermo-every 5 --thermo " +
                             (dir / "b.csv").string(),
                         &out),
            0)
      << out;
  EXPECT_EQ(lines(dir / "a.csv"), lines(dir / "b.csv"));
  // The command line wins over the file; unknown keys name the file and line.
  ASSERT_EQ(run_superion("md --input " + (dir / "run.toml").string() + " --steps 5 --thermo " +
                             (dir / "c.csv").string(),
                         &out),
            0)
      << out;
  EXPECT_EQ(lines(dir / "c.csv").size(), 3u);
  std::ofstream(dir / "run.toml", std::ios::app) << "tempreature = 3\n";
  EXPECT_EQ(run_superion("md --input " + (dir / "run.toml").string(), &out), 2);
  EXPECT_NE(out.find("run.toml:13: unknown option 'tempreature'"), std::string::npos) << out;
}

TEST(MdCli, TemperatureListRunsReplicas) {
  SUPERION_REQUIRE_SHARED(pot, "mtp/nyzc/fitted.mtp.2021.02.mtp");
  superion::testing::TempDir dir;
  std::string out;
  ASSERT_EQ(
      run_superion("md --potential " + pot.string() + " --structure " + kCell +
                       " --species Na,Y,Zr,Cl --temperatures 300,600 --timestep 2fs --steps 10 "
                       "--thermostat csvr --thermo-every 10 --thermo " +
                       (dir / "t.csv").string(),
                   &out),
      0)
      << out;
  // One speed line per replica; files named with the temperature; each starts at its own T.
  EXPECT_NE(out.find("Speed of this run"), out.rfind("Speed of this run")) << out;
  const auto a = lines(dir / "t_T300.csv"), b = lines(dir / "t_T600.csv");
  ASSERT_EQ(a.size(), 3u);
  ASSERT_EQ(b.size(), 3u);
  EXPECT_EQ(a[1].rfind("0,0.000000,300.000000,", 0), 0u) << a[1];
  EXPECT_EQ(b[1].rfind("0,0.000000,600.000000,", 0), 0u) << b[1];
  EXPECT_FALSE(std::filesystem::exists(dir / "t.csv"));
  // --replicas: independent copies (seed + k) at one temperature, files _r0, _r1.
  ASSERT_EQ(
      run_superion(
          "md --potential " + pot.string() + " --structure " + kCell +
              " --species Na,Y,Zr,Cl --temperature 600 --replicas 2 --timestep 2fs --steps 10 "
              "--thermostat csvr --thermo-every 10 --thermo " +
              (dir / "r.csv").string(),
          &out),
      0)
      << out;
  const auto r0 = lines(dir / "r_r0.csv"), r1 = lines(dir / "r_r1.csv");
  ASSERT_EQ(r0.size(), 3u);
  ASSERT_EQ(r1.size(), 3u);
  EXPECT_NE(r0[2], r1[2]);  // different seeds, different trajectories
}

TEST(MdCli, BadInputExitsNonZeroWithoutOutput) {
  SUPERION_REQUIRE_SHARED(pot, "mtp/nyzc/fitted.mtp.2021.02.mtp");
  superion::testing::TempDir dir;
  const std::string base = "md --potential " + pot.string() +
                           " --species Na,Y,Zr,Cl --temperature 300 --steps 5 --thermo " +
                           (dir / "t.csv").string();
  std::string out;
  EXPECT_NE(run_superion(base + " --structure " + (dir / "missing.vasp").string(), &out), 0);
  EXPECT_NE(run_superion(base + " --structure " + kCell + " --thermostat berendsen", &out), 0);
  EXPECT_NE(run_superion(base + " --structure " + kCell + " --time 1ps", &out), 0);
  EXPECT_NE(run_superion(base + " --structure " + kCell + " --timestep 2qs", &out), 0);
  EXPECT_NE(out.find("unknown time unit"), std::string::npos) << out;
  // Wrong species list: Cl is not Na.
  EXPECT_EQ(
      run_superion("md --potential " + pot.string() +
                       " --species Na,Y,Zr,Br --temperature 300 --steps 5 --structure " + kCell,
                   &out),
      2)
      << out;

  // Second Na moved 0.32 Å from the first (line 10 of the POSCAR): stops with a message naming
  // them, exit code != 0, no thermo file.
  std::ifstream in(kCell);
  std::string close, line;
  for (int k = 0; std::getline(in, line); ++k)
    close += (k == 9 ? std::string("  0.5200000000 0.0000000000 0.0000000000") : line) + "\n";
  const auto bad = dir / "close.vasp";
  std::ofstream(bad) << close;
  EXPECT_NE(run_superion(base + " --structure " + bad.string(), &out), 0);
  EXPECT_NE(out.find("closer than the allowed"), std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists(dir / "t.csv"));
}

TEST(MdCli, BenchPrintsAtomStepsPerSecond) {
  SUPERION_REQUIRE_SHARED(pot, "mtp/nyzc/fitted.mtp.2021.02.mtp");
  std::string out;
  ASSERT_EQ(run_superion("bench md --potential " + pot.string() + " --structure " + kCell +
                             " --species Na,Y,Zr,Cl --supercell 1 1 2 --steps 5 --threads 1",
                         &out),
            0)
      << out;
  EXPECT_NE(out.find("74 atoms"), std::string::npos) << out;
  EXPECT_NE(out.find("atom*step/s"), std::string::npos) << out;
  EXPECT_NE(out.find("peak memory"), std::string::npos) << out;
}

}  // namespace
