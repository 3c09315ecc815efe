// A 1000-step NVE run (velocity Verlet, dt = 1 fs) of a 72-atom Na3ClSO4 cell at 300 K in
// superion-lammps (fix nve) follows `superion md --thermostat none` from the same start state.
//
// Same integrator, same start (positions and superion's initial velocities, read back exactly
// from its H5MD file), same forces to ~1e-15 relative. Two things make the runs differ:
//  1. Units: LAMMPS metal uses mvv2e = 1.0364269e-4, superion the CODATA 2018 value
//     1.0364269656e-4 (6e-9 relative). The LAMMPS masses are scaled by the ratio so that
//     F/(m·mvv2e), and with it the kinetic energy, is the same in both programs; without this the
//     trajectories would differ from the first step at the 1e-9 level.
//  2. Rounding: the two programs sum forces in different orders, so the states differ by
//     ~1e-16 relative after the first step, and MD is chaotic: the difference grows roughly as
//     exp(λt) (λ of a few per ps for a 300 K solid) plus a linear accumulation of rounding.
//     Over 1 ps this gives ~1e-13 Å (measured; docs/lammps.md). The bounds below — 1e-9 Å on
//     every unwrapped coordinate and 1e-9 relative on the potential and total energy at every
//     100th step — leave 3–4 orders of magnitude for the exponential growth while still failing
//     on any real difference (a wrong force term, mass or time step shows up at 1e-6 or more
//     within a few steps).
#include <gtest/gtest.h>

#include <cstdio>

#include "core/units.hpp"
#include "io/formats.hpp"
#include "lammps_test_util.hpp"
#include "md_setup.hpp"
#include "test_util.hpp"
#include "trajectory.hpp"

namespace superion {
namespace {

constexpr double kLammpsMvv2eMetal = 1.0364269e-4;  // LAMMPS update.cpp, units metal

std::string fmt17(double v) {
  char b[40];
  std::snprintf(b, sizeof b, "%.17g", v);
  return b;
}

TEST(LammpsNve, FollowsSuperionMd) {
  testing::TempDir dir;
  io::ReadOptions ro;
  ro.species = {"Na", "Cl", "S", "O"};
  Dataset unit = io::read_dataset(
      SUPERION_SOURCE_DIR "/data/reference/Na3ClSO4/md_500K_strain+0.00.xyz", "auto", ro);
  Structure s = md::make_supercell(unit.configs[0].structure, {2, 2, 2});
  // Inside the box, so LAMMPS keeps the coordinates as given (no wrapping).
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b) ASSERT_EQ(s.cell[a][b] == 0.0, a != b) << "orthogonal cell";
  for (auto& p : s.positions)
    for (int d = 0; d < 3; ++d) {
      double& x = d == 0 ? p.x : d == 1 ? p.y : p.z;
      x -= std::floor(x / s.cell[d][d]) * s.cell[d][d];
    }
  Dataset start;
  start.species = ro.species;
  start.configs.push_back(Configuration{});
  start.configs[0].structure = s;
  io::WriteOptions wo;
  wo.lossless = true;
  io::write_dataset(dir / "start.xyz", start, "auto", wo);

  const std::string pot = SUPERION_SOURCE_DIR "/tests/data/pso/na3clso4_level10.mtp";
  std::string out;
  ASSERT_EQ(testing::run_superion(
                "md --potential " + pot + " --structure " + (dir / "start.xyz").string() +
                    " --species Na,Cl,S,O --thermostat none --temperature 300 "
                    "--seed 3 --timestep 1fs --steps 1000 --threads 1 --quiet "
                    "--traj " +
                    (dir / "md.h5").string() + " --traj-every 100 --traj-velocities --thermo " +
                    (dir / "thermo.csv").string() + " --thermo-every 100",
                &out),
            0)
      << out;

  // Superion's frames: exact start velocities, and unwrapped positions every 100 steps.
  auto traj = analysis::open_trajectory((dir / "md.h5").string());
  std::vector<analysis::Frame> frames;
  for (analysis::Frame f; traj->next(f);) frames.push_back(f);
  ASSERT_EQ(frames.size(), 11u);
  const std::size_t n = s.size();
  ASSERT_EQ(frames[0].velocities.size(), n);

  // LAMMPS data file with the same positions and velocities; masses scaled (see above).
  const std::vector<double> mass = s.atom_masses();
  std::string data = "superion NVE comparison\n\n" + std::to_string(n) + " atoms\n4 atom types\n\n";
  const char* axis[3] = {"x", "y", "z"};
  for (int d = 0; d < 3; ++d)
    data += "0 " + fmt17(s.cell[d][d]) + " " + axis[d] + "lo " + axis[d] + "hi\n";
  data += "\nMasses\n\n";
  for (int t = 0; t < 4; ++t)
    for (std::size_t i = 0; i < n; ++i)
      if (s.types[i] == t) {
        data +=
            std::to_string(t + 1) + " " + fmt17(mass[i] * units::kMvv2e / kLammpsMvv2eMetal) + "\n";
        break;
      }
  data += "\nAtoms # atomic\n\n";
  for (std::size_t i = 0; i < n; ++i)
    data += std::to_string(i + 1) + " " + std::to_string(s.types[i] + 1) + " " +
            fmt17(s.positions[i].x) + " " + fmt17(s.positions[i].y) + " " +
            fmt17(s.positions[i].z) + "\n";
  data += "\nVelocities\n\n";
  for (std::size_t i = 0; i < n; ++i) {
    const Vec3& v = frames[0].velocities[i];
    data += std::to_string(i + 1) + " " + fmt17(v.x) + " " + fmt17(v.y) + " " + fmt17(v.z) + "\n";
  }
  testing::write_text(dir / "start.data", data);
  testing::write_text(dir / "in.nve",
                      "units metal\natom_style atomic\nread_data start.data\n"
                      "pair_style mtp " +
                          pot +
                          "\npair_coeff * * Na Cl S O\n"
                          "timestep 0.001\nfix 1 all nve\n"
                          "thermo 100\nthermo_style custom step pe ke etotal\n"
                          "thermo_modify format float %.17g\n"
                          "dump d all custom 100 nve.dump id xu yu zu\n"
                          "dump_modify d format float %.17g sort id\n"
                          "run 1000\n");
  ASSERT_EQ(testing::run_lammps(dir.path(), "in.nve", 0, &out), 0) << out;
  const auto thermo = testing::read_thermo(dir / "log.lammps");
  ASSERT_EQ(thermo.size(), 11u) << out;

  // superion thermo CSV: step,time_ps,temperature_K,potential_eV,kinetic_eV,conserved_eV,...
  std::ifstream csv(dir / "thermo.csv");
  std::string line;
  std::getline(csv, line);
  std::vector<std::vector<double>> rows;
  while (std::getline(csv, line)) {
    std::vector<double> r;
    std::stringstream ls(line);
    for (std::string c; std::getline(ls, c, ',');) r.push_back(std::stod(c));
    rows.push_back(r);
  }
  ASSERT_EQ(rows.size(), 11u);
  double worst_e = 0;
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const double pe = thermo[k].at("PotEng"), etot = thermo[k].at("TotEng");
    worst_e = std::max({worst_e, std::abs(pe - rows[k][3]) / std::abs(rows[k][3]),
                        std::abs(etot - rows[k][5]) / std::abs(rows[k][5])});
  }
  // The CSV prints energies with 10 decimals (~1e-14 relative here): far below the bound.
  EXPECT_LE(worst_e, 1e-9) << "potential/total energy";

  // Positions at step 1000: superion's wrapped + image·L against LAMMPS's unwrapped xu.
  const auto atoms = testing::read_dump(dir / "nve.dump");
  const analysis::Frame& last = frames.back();
  ASSERT_EQ(last.images.size(), n);
  double worst_x = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double xs[3] = {last.positions[i].x + last.images[i][0] * s.cell[0][0],
                          last.positions[i].y + last.images[i][1] * s.cell[1][1],
                          last.positions[i].z + last.images[i][2] * s.cell[2][2]};
    const double xl[3] = {atoms.at("xu")[i], atoms.at("yu")[i], atoms.at("zu")[i]};
    for (int d = 0; d < 3; ++d) worst_x = std::max(worst_x, std::abs(xs[d] - xl[d]));
  }
  EXPECT_LE(worst_x, 1e-9) << "largest coordinate difference after 1000 steps (A)";
  std::printf("NVE 1000 steps: largest coordinate difference %.3g A, energy %.3g relative\n",
              worst_x, worst_e);
}

}  // namespace
}  // namespace superion
