// CP2K reader on small synthetic runs written here in CP2K's exact print formats (formats as in
// CP2K's motion_utils.F / md_energies.F): unit conversions, the stress sign and its kinetic part,
// matching frames by step, the cell from a restart file, the dispatcher, and errors naming
// file:line for truncated or mismatched files.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>

#include "core/elements.hpp"
#include "core/error.hpp"
#include "core/units.hpp"
#include "io/cp2k.hpp"
#include "io/formats.hpp"
#include "io_test_util.hpp"

namespace superion {
namespace {

namespace fs = std::filesystem;
using testing::expect_input_error;
using testing::write_text;

// Reference constants typed in from CODATA 2018 (independent of units.hpp).
constexpr double kHa = 27.211386245988;         // eV
constexpr double kBohr = 0.529177210903;        // Å
constexpr double kAuTime = 2.4188843265857e-5;  // ps

class Cp2kTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("superion_cp2k_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path p(const std::string& name) const { return dir_ / name; }

  // A 2-atom NaCl "MD" with steps 0, 2, 4 (printed every 2 steps) in a 4 Å cubic cell whose
  // size changes per step (so the .cell file is really used).
  void write_md(bool with_vel = true) {
    write_text(p("run-pos-1.xyz"),
               "       2\n"
               " i =        0, time =        0.000, E =       -10.0000000000\n"
               "  Na         0.0000000000        0.0000000000        0.0000000000\n"
               "  Cl         2.0000000000        2.0000000000        2.0000000000\n"
               "       2\n"
               " i =        2, time =        2.000, E =       -10.1000000000\n"
               "  Na         0.1000000000        0.0000000000        0.0000000000\n"
               "  Cl         2.0000000000        2.1000000000        2.0000000000\n"
               "       2\n"
               " i =        4, time =        4.000, E =       -10.2000000000\n"
               "  Na         0.2000000000        0.0000000000        0.0000000000\n"
               "  Cl         2.0000000000        2.2000000000        2.0000000000\n");
    write_text(p("run-frc-1.xyz"),
               "       2\n"
               " i =        0, time =        0.000, E =       -10.0000000000\n"
               "  Na         0.0100000000       -0.0200000000        0.0000000000\n"
               "  Cl        -0.0100000000        0.0200000000        0.0000000000\n"
               "       2\n"
               " i =        2, time =        2.000, E =       -10.1000000000\n"
               "  Na         0.0010000000        0.0000000000        0.0000000000\n"
               "  Cl        -0.0010000000        0.0000000000        0.0000000000\n"
               "       2\n"
               " i =        4, time =        4.000, E =       -10.2000000000\n"
               "  Na         0.0000000000        0.0000000000        0.0030000000\n"
               "  Cl         0.0000000000        0.0000000000       -0.0030000000\n");
    // Velocities (Bohr/a.u. time); the .ener kinetic energies below are ½Σmv² of these.
    if (with_vel)
      write_text(p("run-vel-1.xyz"),
                 "       2\n"
                 " i =        0, time =        0.000, E =       -10.0000000000\n"
                 "  Na         0.0001000000        0.0000000000        0.0000000000\n"
                 "  Cl         0.0000000000        0.0002000000        0.0000000000\n"
                 "       2\n"
                 " i =        2, time =        2.000, E =       -10.1000000000\n"
                 "  Na         0.0001000000        0.0001000000        0.0000000000\n"
                 "  Cl         0.0000000000        0.0000000000        0.0000000000\n"
                 "       2\n"
                 " i =        4, time =        4.000, E =       -10.2000000000\n"
                 "  Na         0.0000000000        0.0000000000        0.0000000000\n"
                 "  Cl         0.0000000000        0.0000000000        0.0001000000\n");
    write_text(p("run-1.ener"), ener_text());
    write_text(p("run-1.stress"),
               "#   Step   Time [fs]            xx [bar]            xy [bar]            xz [bar]  "
               "          yx [bar]            yy [bar]            yz [bar]            zx [bar]    "
               "        zy [bar]            zz [bar]\n"
               "       0       0.000     1000.0000000000       10.0000000000        0.0000000000  "
               "     12.0000000000     2000.0000000000        0.0000000000        0.0000000000    "
               "    0.0000000000     3000.0000000000\n"
               "       2       2.000     -100.0000000000        0.0000000000        0.0000000000  "
               "      0.0000000000     -100.0000000000        0.0000000000        0.0000000000    "
               "    0.0000000000     -100.0000000000\n"
               "       4       4.000        0.0000000000        0.0000000000        0.0000000000  "
               "      0.0000000000        0.0000000000        0.0000000000        0.0000000000    "
               "    0.0000000000        0.0000000000\n");
    write_text(
        p("run-1.cell"),
        "#   Step   Time [fs]       Ax [Angstrom]       Ay [Angstrom]       Az [Angstrom]  "
        "     Bx [Angstrom]       By [Angstrom]       Bz [Angstrom]       Cx [Angstrom]       "
        "Cy [Angstrom]       Cz [Angstrom]      Volume [Angstrom^3]\n"
        "       0       0.000        4.0000000000        0.0000000000        0.0000000000 "
        "       0.0000000000        4.0000000000        0.0000000000        0.0000000000 "
        "       0.0000000000        4.0000000000              64.0000000000\n"
        "       2       2.000        4.1000000000        0.0000000000        0.0000000000 "
        "       0.0000000000        4.0000000000        0.0000000000        0.0000000000 "
        "       0.0000000000        4.0000000000              65.6000000000\n"
        "       4       4.000        4.2000000000        0.1000000000        0.0000000000 "
        "       0.0000000000        4.0000000000        0.0000000000        0.0000000000 "
        "       0.0000000000        4.0000000000              67.2000000000\n");
  }

  // KE column = ½ Σ m v² in Hartree from the velocities above, with our (IUPAC) masses; CP2K
  // prints all steps, the pos file only every second one.
  static double ke_ha(double m1, double v1sq, double m2, double v2sq) {
    const double amu_me = 1822.888486209;  // electron masses per amu (CODATA 2018)
    return 0.5 * amu_me * (m1 * v1sq + m2 * v2sq);
  }
  std::string ener_text() const {
    const double mna = element("Na").mass, mcl = element("Cl").mass;
    const double ke[5] = {ke_ha(mna, 1e-8, mcl, 4e-8), 1e-3, ke_ha(mna, 2e-8, mcl, 0.0), 1e-3,
                          ke_ha(mna, 0.0, mcl, 1e-8)};
    const double pe[5] = {-10.0, -10.05, -10.1, -10.15, -10.2};
    std::string s =
        "#     Step Nr.          Time[fs]        Kin.[a.u.]          Temp[K]            Pot.[a.u.] "
        " "
        "      Cons Qty[a.u.]        UsedTime[s]\n";
    char buf[256];
    for (int i = 0; i < 5; ++i) {
      std::snprintf(buf, sizeof buf, "%10d %20.6f %20.9f %20.9f %20.9f %20.9f %20.9f\n", i,
                    double(i), ke[i], 300.0 + i, pe[i], pe[i] + ke[i], 1.5 * i);
      s += buf;
    }
    return s;
  }

  fs::path dir_;
};

TEST_F(Cp2kTest, MdRunUnitsStressAndFeatures) {
  write_md();
  io::Cp2kReport rep;
  const Dataset d = io::read_cp2k(p("run-pos-1.xyz"), {}, &rep);
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d.species, (std::vector<std::string>{"Na", "Cl"}));
  EXPECT_TRUE(rep.forces && rep.energy_file && rep.stress && rep.velocities);
  EXPECT_EQ(rep.cell_source, ".cell file");
  // Tolerance 1e-12 relative: only double rounding of the conversions.
  const double tol = 1e-12;
  EXPECT_NEAR(*d.configs[0].energy, -10.0 * kHa, tol * 10 * kHa);
  EXPECT_NEAR(*d.configs[2].energy, -10.2 * kHa, tol * 10 * kHa);
  EXPECT_NEAR((*d.configs[0].forces)[0].y, -0.02 * kHa / kBohr, tol);
  EXPECT_NEAR((*d.configs[2].forces)[1].z, -0.003 * kHa / kBohr, tol);
  EXPECT_DOUBLE_EQ(d.configs[1].structure.positions[1].y, 2.1);
  EXPECT_DOUBLE_EQ(d.configs[1].structure.cell[0][0], 4.1);
  EXPECT_DOUBLE_EQ(d.configs[2].structure.cell[0][1], 0.1);  // row A = (Ax, Ay, Az)
  EXPECT_EQ(d.configs[2].structure.types, (std::vector<int>{0, 1}));

  // Virial: W = V·σ_CP2K − Σ m v⊗v (eV), symmetrised. 1 bar = 1e-4 GPa, 1 eV/Å³ = 160.21766208 GPa.
  const double bar = 1e-4 / 160.21766208;
  const double mvv = 1.66053906660e-27 * 1e4 / 1.602176634e-19;  // amu·(Å/ps)² in eV
  const double au_v = kBohr / kAuTime;                           // Bohr/a.u. time in Å/ps
  const Mat3& w0 = *d.configs[0].virial;
  const double mna = element("Na").mass, mcl = element("Cl").mass;
  const double v0 = 64.0;
  EXPECT_NEAR(w0[0][0], 1000 * bar * v0 - mna * std::pow(1e-4 * au_v, 2) * mvv, 1e-12);
  EXPECT_NEAR(w0[1][1], 2000 * bar * v0 - mcl * std::pow(2e-4 * au_v, 2) * mvv, 1e-12);
  EXPECT_NEAR(w0[2][2], 3000 * bar * v0, 1e-12);
  EXPECT_NEAR(w0[0][1], 11 * bar * v0, 1e-12);  // (10 + 12)/2
  EXPECT_DOUBLE_EQ(w0[0][1], w0[1][0]);
  const Mat3& w1 = *d.configs[1].virial;  // off-diagonal kinetic part Na vx·vy
  EXPECT_NEAR(w1[0][1], -mna * std::pow(1e-4 * au_v, 2) * mvv, 1e-12);
  EXPECT_NEAR(w1[2][2], -100 * bar * 4.1 * 16.0, 1e-12);
  // Kinetic energy from the velocities agrees with .ener (only rounding of the 9 printed decimals).
  EXPECT_LT(rep.max_kinetic_mismatch, 1e-5);

  ASSERT_EQ(d.configs[1].features.size(), 3u);
  EXPECT_EQ(d.configs[1].features[0], (std::pair<std::string, std::string>{"cp2k_step", "2"}));
  EXPECT_EQ(d.configs[1].features[1].second, "2.000");
  EXPECT_EQ(d.configs[1].features[2],
            (std::pair<std::string, std::string>{"temperature_K", "302.000"}));
  EXPECT_EQ(d.configs[1].config_type, "cp2k");
}

TEST_F(Cp2kTest, DispatcherFindsRunByPosNameOrPrefix) {
  write_md();
  const Dataset a = io::read_dataset(p("run-pos-1.xyz"));  // auto: *-pos-N.xyz → cp2k
  EXPECT_EQ(io::find_format(p("run-pos-1.xyz")).name, std::string("cp2k"));
  EXPECT_EQ(io::find_format(p("other.xyz")).name, std::string("extxyz"));
  const Dataset b = io::read_dataset(p("run"), "cp2k");
  testing::expect_same_dataset(a, b, 0.0);
  // Round trip through extxyz keeps energies, forces and the virial (lossless writer).
  io::write_dataset(p("out.xyz"), a, "extxyz", {true, {}});
  const Dataset c = io::read_dataset(p("out.xyz"));
  testing::expect_same_dataset(a, c, 1e-14);
}

TEST_F(Cp2kTest, MdStressWithoutVelocitiesIsNotUsed) {
  write_md(false);
  io::Cp2kReport rep;
  const Dataset d = io::read_cp2k(p("run-pos-1.xyz"), {}, &rep);
  EXPECT_TRUE(rep.stress_skipped);
  EXPECT_FALSE(rep.stress);
  for (const auto& c : d.configs) EXPECT_FALSE(c.virial.has_value());
}

TEST_F(Cp2kTest, OptimisationTitleWithoutTimeAndCellFromRestart) {
  // GEO_OPT/CELL_OPT title has no time; no .cell: the cell comes from the restart file's
  // &SUBSYS/&CELL (not from the MOTION/PRINT/&CELL print key that comes first).
  write_text(p("opt-pos-1.xyz"),
             "       2\n"
             " i =        1, E =        -5.0000000000\n"
             "  Na         0.0000000000        0.0000000000        0.0000000000\n"
             "  Cl         1.0000000000        1.0000000000        1.0000000000\n");
  write_text(
      p("opt-1.stress"),
      "#   Step   Time [fs]  xx [bar] xy [bar] xz [bar] yx [bar] yy [bar] yz [bar] zx [bar] zy "
      "[bar] zz [bar]\n"
      "       1       0.000  500.0 0.0 0.0 0.0 500.0 0.0 0.0 0.0 500.0\n");
  write_text(
      p("opt-1.restart"),
      " &MOTION\n   &PRINT\n     &CELL\n       &EACH\n         CELL_OPT 1\n       &END EACH\n"
      "     &END CELL\n   &END PRINT\n &END MOTION\n"
      " &FORCE_EVAL\n   &SUBSYS\n     &CELL\n       A     3.0E+00 0.0 0.0\n"
      "       B [bohr]  0.0 2.0 0.0   ! comment\n       C     0.0 0.0 3.0\n"
      "       &CELL_REF\n         ABC 9 9 9\n       &END CELL_REF\n"
      "       PERIODIC  XYZ\n     &END CELL\n   &END SUBSYS\n &END FORCE_EVAL\n");
  io::Cp2kReport rep;
  const Dataset d = io::read_cp2k(p("opt-pos-1.xyz"), {}, &rep);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(rep.cell_source, "restart file");
  EXPECT_DOUBLE_EQ(d.configs[0].structure.cell[0][0], 3.0);
  EXPECT_DOUBLE_EQ(d.configs[0].structure.cell[1][1], 2.0 * kBohr);
  EXPECT_DOUBLE_EQ(d.configs[0].structure.cell[2][2], 3.0);
  EXPECT_NEAR(*d.configs[0].energy, -5.0 * kHa, 1e-12);
  EXPECT_FALSE(d.configs[0].forces.has_value());
  // No kinetic part in an optimisation: W = V·σ.
  const double vol = 9.0 * 2.0 * kBohr;
  EXPECT_NEAR((*d.configs[0].virial)[1][1], 500 * 1e-4 / 160.21766208 * vol, 1e-12);
  // A given species order is used; an element outside it is an error at the atom's line.
  const Dataset e = io::read_dataset(p("opt-pos-1.xyz"), "cp2k", {{"Cl", "Na"}});
  EXPECT_EQ(e.configs[0].structure.types, (std::vector<int>{1, 0}));
  expect_input_error(
      [&] {
        io::read_dataset(p("opt-pos-1.xyz"), "cp2k", {{"Na", "Br"}});
      },
      p("opt-pos-1.xyz").string(), 4, "'Cl'");
}

TEST_F(Cp2kTest, ErrorsNameFileAndLine) {
  write_md();
  const std::string pos = p("run-pos-1.xyz").string();
  // Truncated last frame: the error is at the last line read and names the frame.
  {
    std::string text;
    std::FILE* f = std::fopen(pos.c_str(), "rb");
    char buf[4096];
    const std::size_t n = std::fread(buf, 1, sizeof buf, f);
    std::fclose(f);
    text.assign(buf, n);
    text = text.substr(0, text.rfind("  Cl"));  // drop the last atom line
    write_text(pos, text);
    expect_input_error([&] { io::read_cp2k(pos); }, pos, 11, "1 of 2 atom lines");
  }
  write_md();
  // Force file lacks step 4.
  {
    std::string frc =
        "       2\n i =        0, time =        0.000, E =       -10.0000000000\n"
        "  Na 0 0 0\n  Cl 0 0 0\n"
        "       2\n i =        2, time =        2.000, E =       -10.1000000000\n"
        "  Na 0 0 0\n  Cl 0 0 0\n";
    write_text(p("run-frc-1.xyz"), frc);
    expect_input_error([&] { io::read_cp2k(pos); }, p("run-frc-1.xyz").string(), 0,
                       "no frame for step 4");
  }
  write_md();
  // .ener potential energy disagrees with the pos title at step 2 (line 4 of .ener).
  {
    std::string e = ener_text();
    const std::size_t k = e.find("-10.100000000");
    e.replace(k, 13, "-10.100100000");
    write_text(p("run-1.ener"), e);
    expect_input_error([&] { io::read_cp2k(pos); }, p("run-1.ener").string(), 4, "differs from E");
  }
  write_md();
  // Repeated step in the pos file (a restart appended to it).
  {
    write_text(pos,
               "2\n i = 0, time = 0.0, E = -10.0\nNa 0 0 0\nCl 2 2 2\n"
               "2\n i = 0, time = 0.0, E = -10.0\nNa 0 0 0\nCl 2 2 2\n");
    expect_input_error([&] { io::read_cp2k(pos); }, pos, 5, "does not follow step 0");
  }
  write_md();
  // Stress file with a short row; cell file lacking a step.
  {
    write_text(p("run-1.stress"), "# header\n 0 0.0 1 2 3\n");
    expect_input_error([&] { io::read_cp2k(pos); }, p("run-1.stress").string(), 2, "11 columns");
  }
  write_md();
  {
    write_text(p("run-1.cell"), "# header\n 0 0.0 4 0 0 0 4 0 0 0 4 64\n");
    expect_input_error([&] { io::read_cp2k(pos); }, p("run-1.cell").string(), 0,
                       "no row for step 2");
  }
  write_md();
  // Velocities in the wrong unit (Å/fs instead of a.u.): kinetic energy check fails.
  {
    write_text(p("run-vel-1.xyz"),
               "2\n i = 0, time = 0.0, E = -10.0\nNa 0.0021876913 0 0\nCl 0 0.0043753826 0\n"
               "2\n i = 2, time = 2.0, E = -10.1\nNa 0 0 0\nCl 0 0 0\n"
               "2\n i = 4, time = 4.0, E = -10.2\nNa 0 0 0\nCl 0 0 0\n");
    expect_input_error([&] { io::read_cp2k(pos); }, p("run-vel-1.xyz").string(), 1,
                       "kinetic energy");
  }
  // Missing pos file; a plain .xyz that is not PROJECT-pos-N.xyz.
  expect_input_error([&] { io::read_cp2k(p("nothing")); }, p("nothing-pos-1.xyz").string(), 0,
                     "no such file");
  expect_input_error([&] { io::read_cp2k(p("x.xyz")); }, p("x.xyz").string(), 0,
                     "PROJECT-pos-N.xyz");
  // No cell anywhere.
  fs::remove(p("run-1.cell"));
  expect_input_error([&] { io::read_cp2k(pos); }, p("run-1.cell").string(), 0,
                     "the cell is needed");
}

TEST(Cp2kNames, PosNameDetection) {
  EXPECT_TRUE(io::is_cp2k_pos_name("md-pos-1.xyz"));
  EXPECT_TRUE(io::is_cp2k_pos_name("a-b-pos-12.xyz"));
  EXPECT_FALSE(io::is_cp2k_pos_name("md-pos-.xyz"));
  EXPECT_FALSE(io::is_cp2k_pos_name("md-pos-1a.xyz"));
  EXPECT_FALSE(io::is_cp2k_pos_name("md.xyz"));
  const io::Cp2kFiles f = io::cp2k_files("/x/y/md-pos-2.xyz");
  EXPECT_EQ(f.frc, fs::path("/x/y/md-frc-2.xyz"));
  EXPECT_EQ(f.ener, fs::path("/x/y/md-2.ener"));
  EXPECT_EQ(f.cell, fs::path("/x/y/md-2.cell"));
  EXPECT_EQ(io::cp2k_files("/x/md").stress, fs::path("/x/md-1.stress"));
}

}  // namespace
}  // namespace superion
