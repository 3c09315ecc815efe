// External-program calculator: a stand-in "DFT code" (tests/screening/fake_dft.py, a Buckingham
// pair potential with our classical calculator's conventions) must give back our built-in
// calculator's energy, forces and virial to the precision of the file it writes; phonons run
// end to end through it; failures (exit status, no output, unconverged SCF, reordered atoms) are
// clear errors. SCF checks on real VASP outputs from ../shared/data/vasp, converged and modified.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "calculators/classical.hpp"
#include "calculators/command_calculator.hpp"
#include "calculators/scf_check.hpp"
#include "core/error.hpp"
#include "core/geometry.hpp"
#include "core/run_command.hpp"
#include "io/vasprun.hpp"
#include "test_util.hpp"

using namespace superion;
namespace fs = std::filesystem;

namespace {

const std::string kPython = "/usr/bin/python3";
const std::string kFake = std::string(SUPERION_SOURCE_DIR) + "/tests/screening/fake_dft.py";

// Charge-free Buckingham parameters (the fake code has no Coulomb term).
void write_params(const fs::path& p) {
  std::ofstream f(p);
  f << R"({"name": "buck", "charges": {"Na": 0, "Cl": 0}, "cutoff": 6.0,
  "buckingham": [{"pair": ["Na", "Cl"], "A": 1170.4, "rho": 0.3218, "C": 12.0},
                 {"pair": ["Cl", "Cl"], "A": 1227.2, "rho": 0.3214, "C": 29.06},
                 {"pair": ["Na", "Na"], "A": 600.0, "rho": 0.30, "C": 4.0}]})";
}

// Conventional rocksalt with random displacements, slightly triclinic.
Structure distorted_rocksalt(unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-1, 1);
  Structure s;
  const double a = 5.64;
  s.cell = a * Mat3::identity();
  s.cell[1][0] = 0.2;
  s.cell[2][1] = -0.15;
  s.species_symbols = {"Na", "Cl"};
  const double f[4][3] = {{0, 0, 0}, {0, .5, .5}, {.5, 0, .5}, {.5, .5, 0}};
  for (int t = 0; t < 2; ++t)
    for (const auto& p : f) {
      const Vec3 frac{p[0] + 0.5 * t + 0.02 * u(rng), p[1] + 0.02 * u(rng), p[2] + 0.02 * u(rng)};
      s.positions.push_back(to_cartesian(frac, s.cell));
      s.types.push_back(t);
    }
  return s;
}

bool have_python() {
  return fs::exists(kPython);
}

std::string error_of(const Calculator& c, const Structure& s) {
  try {
    c.compute(s);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(RunCommand, ReportsExitStatusSignalAndOutput) {
  superion::testing::TempDir tmp;
  auto r = run_shell_command("echo hello; echo oops >&2; exit 3", tmp.path(), tmp / "o", tmp / "e");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.describe(), "exit status 3");
  EXPECT_EQ(file_tail(tmp / "o"), "hello");
  EXPECT_EQ(file_tail(tmp / "e"), "oops");
  r = run_shell_command("kill -9 $$", tmp.path(), tmp / "o", tmp / "e");
  EXPECT_EQ(r.signal, 9);
  EXPECT_FALSE(r.ok());
  r = run_shell_command("pwd > where.txt", tmp.path(), tmp / "o", tmp / "e");
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(file_tail(tmp / "where.txt"), fs::canonical(tmp.path()).string());
  {
    std::ofstream f(tmp / "many");
    for (int k = 1; k <= 100; ++k) f << "line " << k << "\n";
  }
  EXPECT_EQ(file_tail(tmp / "many", 2), "line 99\nline 100");
}

TEST(CommandCalculator, ParsesSpecifications) {
  auto o = parse_command_spec(":'mpirun -np 4 vasp_std'");
  EXPECT_EQ(o.command_template, "mpirun -np 4 vasp_std");
  EXPECT_TRUE(o.check_scf);
  o = parse_command_spec("[keep,output=vasprun,input=xyz+poscar,noscf]:run {xyz} a:b");
  EXPECT_EQ(o.command_template, "run {xyz} a:b");
  EXPECT_TRUE(o.keep);
  EXPECT_FALSE(o.check_scf);
  EXPECT_EQ(o.output, "vasprun");
  EXPECT_EQ(o.inputs, (std::vector<std::string>{"xyz", "poscar"}));
  EXPECT_THROW(parse_command_spec("[keep:x"), Error);
  EXPECT_THROW(parse_command_spec("[bogus]:x"), Error);
  EXPECT_THROW(parse_command_spec(":  "), Error);
  EXPECT_THROW(make_calculator("command[output=qe]:pw.x"), Error);
  EXPECT_NO_THROW(make_calculator("command[output=cp2k]:cp2k.ssmp -i in.inp"));
  EXPECT_NE(make_calculator("command:vasp_std")->name().find("vasp_std"), std::string::npos);
}

TEST(CommandCalculator, VasprunOutputReproducesTheBuiltInCalculator) {
  if (!have_python()) GTEST_SKIP() << kPython << " not found: fake external code cannot run";
  superion::testing::TempDir tmp;
  write_params(tmp / "buck.json");
  const ClassicalCalculator ref(read_classical_parameters((tmp / "buck.json").string()));
  const auto calc = make_calculator("command[scratch=" + tmp.path().string() + "]:" + kPython +
                                    " " + kFake + " " + (tmp / "buck.json").string() + " vasprun");
  double de = 0, df = 0, dw = 0;
  for (unsigned seed : {1u, 2u}) {
    const Structure s = distorted_rocksalt(seed);
    const CalcResult a = calc->compute(s), b = ref.compute(s);
    de = std::max(de, std::fabs(a.energy - b.energy));
    for (std::size_t i = 0; i < s.size(); ++i)
      for (int k = 0; k < 3; ++k) df = std::max(df, std::fabs(a.forces[i][k] - b.forces[i][k]));
    for (int x = 0; x < 3; ++x)
      for (int y = 0; y < 3; ++y) dw = std::max(dw, std::fabs(a.virial[x][y] - b.virial[x][y]));
    // vasprun.xml precision: VASP's %16.8f for energy, forces and stress (kB), i.e. half a unit
    // of 1e-8 (5e-9) plus the two codes' double round-off (~1e-12); the virial W = σ V/1602.18
    // carries 5e-9 kB · 180 Å³ / 1602 ≈ 6e-10 eV.
    EXPECT_NEAR(a.energy, b.energy, 1e-8);
    ASSERT_EQ(a.forces.size(), s.size());
    for (std::size_t i = 0; i < s.size(); ++i)
      for (int k = 0; k < 3; ++k) EXPECT_NEAR(a.forces[i][k], b.forces[i][k], 1e-8) << i << k;
    for (int x = 0; x < 3; ++x)
      for (int y = 0; y < 3; ++y) EXPECT_NEAR(a.virial[x][y], b.virial[x][y], 1e-8);
    EXPECT_GT(std::fabs(b.energy), 1.0);  // a non-trivial comparison
  }
  std::printf("vasprun route: max |dE| %.2e eV, |dF| %.2e eV/A, |dW| %.2e eV\n", de, df, dw);
  // Scratch directories are removed after success.
  for (const auto& e : fs::directory_iterator(tmp.path()))
    EXPECT_EQ(e.path().filename().string().rfind("superion-calc-", 0), std::string::npos);
}

TEST(CommandCalculator, ExtxyzInAndOutReproducesTheBuiltInCalculator) {
  if (!have_python()) GTEST_SKIP() << kPython << " not found: fake external code cannot run";
  superion::testing::TempDir tmp;
  write_params(tmp / "buck.json");
  const ClassicalCalculator ref(read_classical_parameters((tmp / "buck.json").string()));
  const auto calc =
      make_calculator("command[scratch=" + tmp.path().string() + "]:'" + kPython + " " + kFake +
                      " " + (tmp / "buck.json").string() + " xyz --input {xyz}'");
  const Structure s = distorted_rocksalt(3);
  const CalcResult a = calc->compute(s), b = ref.compute(s);
  double df = 0;
  for (std::size_t i = 0; i < s.size(); ++i)
    for (int k = 0; k < 3; ++k) df = std::max(df, std::fabs(a.forces[i][k] - b.forces[i][k]));
  std::printf("extxyz route: |dE| %.2e eV, max |dF| %.2e eV/A (E = %.6f eV)\n",
              std::fabs(a.energy - b.energy), df, b.energy);
  // repr() output (17 significant digits) and lossless input: only round-off differences of the
  // two summations remain, ~1e-14 relative on ~10–100 eV terms; 1e-10 leaves a wide margin.
  EXPECT_NEAR(a.energy, b.energy, 1e-10);
  for (std::size_t i = 0; i < s.size(); ++i)
    for (int k = 0; k < 3; ++k) EXPECT_NEAR(a.forces[i][k], b.forces[i][k], 1e-10);
  for (int x = 0; x < 3; ++x)
    for (int y = 0; y < 3; ++y) EXPECT_NEAR(a.virial[x][y], b.virial[x][y], 1e-10);
}

TEST(CommandCalculator, Cp2kOutputReproducesTheBuiltInCalculator) {
  if (!have_python()) GTEST_SKIP() << kPython << " not found: fake external code cannot run";
  superion::testing::TempDir tmp;
  write_params(tmp / "buck.json");
  const ClassicalCalculator ref(read_classical_parameters((tmp / "buck.json").string()));
  const std::string base = "scratch=" + tmp.path().string() + "]:" + kPython + " " + kFake + " " +
                           (tmp / "buck.json").string() + " cp2k";
  const auto calc = make_calculator("command[" + base);
  const Structure s = distorted_rocksalt(5);
  const CalcResult a = calc->compute(s), b = ref.compute(s);
  // CP2K prints F20.10 in Hartree and Hartree/Bohr: half a unit of 1e-10 is 1.4e-9 eV and
  // 2.6e-9 eV/Å after conversion; the stress in bar (F20.10) is far finer. Hence 1e-8.
  double df = 0;
  for (std::size_t i = 0; i < s.size(); ++i)
    for (int k = 0; k < 3; ++k) {
      EXPECT_NEAR(a.forces[i][k], b.forces[i][k], 1e-8);
      df = std::max(df, std::fabs(a.forces[i][k] - b.forces[i][k]));
    }
  EXPECT_NEAR(a.energy, b.energy, 1e-8);
  for (int x = 0; x < 3; ++x)
    for (int y = 0; y < 3; ++y) EXPECT_NEAR(a.virial[x][y], b.virial[x][y], 1e-8);
  std::printf("cp2k route: |dE| %.2e eV, max |dF| %.2e eV/A\n", std::fabs(a.energy - b.energy), df);
  // CP2K's own SCF failure message makes it an error.
  const std::string e = error_of(*make_calculator("command[" + base + " --mode unconverged"), s);
  EXPECT_NE(e.find("unconverged external calculation"), std::string::npos) << e;
  EXPECT_NE(e.find("SCF run NOT converged"), std::string::npos) << e;
}

TEST(CommandCalculator, ClearErrors) {
  if (!have_python()) GTEST_SKIP() << kPython << " not found: fake external code cannot run";
  superion::testing::TempDir tmp;
  write_params(tmp / "buck.json");
  const Structure s = distorted_rocksalt(4);
  auto make = [&](const std::string& fmt, const std::string& mode) {
    return make_calculator("command[scratch=" + tmp.path().string() + "]:" + kPython + " " + kFake +
                           " " + (tmp / "buck.json").string() + " " + fmt + " --mode " + mode);
  };
  std::string e = error_of(*make("vasprun", "fail"), s);
  EXPECT_NE(e.find("exit status 2"), std::string::npos) << e;
  EXPECT_NE(e.find("fake_dft.py"), std::string::npos) << e;  // the command
  EXPECT_NE(e.find("directory: " + tmp.path().string()), std::string::npos) << e;
  EXPECT_NE(e.find("ZBRENT: fatal error"), std::string::npos) << e;  // stderr tail
  e = error_of(*make("vasprun", "nooutput"), s);
  EXPECT_NE(e.find("no result file"), std::string::npos) << e;
  EXPECT_NE(e.find("vasprun.xml"), std::string::npos) << e;
  e = error_of(*make("vasprun", "unconverged"), s);
  EXPECT_NE(e.find("unconverged external calculation"), std::string::npos) << e;
  EXPECT_NE(e.find("NELM (5)"), std::string::npos) << e;
  e = error_of(*make("vasprun", "reorder"), s);
  EXPECT_NE(e.find("reordered"), std::string::npos) << e;
  // noscf lets an unconverged result through (the user's explicit choice).
  const auto lax =
      make_calculator("command[noscf,scratch=" + tmp.path().string() + "]:" + kPython + " " +
                      kFake + " " + (tmp / "buck.json").string() + " vasprun --mode unconverged");
  EXPECT_NO_THROW(lax->compute(s));
  e = error_of(
      *make_calculator("command[scratch=" + tmp.path().string() + "]:/nonexistent/vasp_std"), s);
  EXPECT_NE(e.find("exit status 127"), std::string::npos) << e;
  // Failed evaluations keep their directory for inspection.
  int kept = 0;
  for (const auto& d : fs::directory_iterator(tmp.path()))
    kept += d.path().filename().string().rfind("superion-calc-", 0) == 0;
  EXPECT_GE(kept, 5);
}

TEST(ScfCheck, RealVaspOutputsConvergedAndModified) {
  SUPERION_REQUIRE_SHARED(dir, "vasp");
  auto slurp = [](const fs::path& p) {
    std::ifstream f(p);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
  };
  for (const char* f :
       {"dpdata_h2o_md/vasprun.h2o.md.xml", "dpdata_h2o_md/vasprun.h2o.md.10.xml",
        "dpdata_h2o_md/vasprun.h2o.md.tribox.xml", "dpdata_Ti_aimd_nwrite0/vasprun.xml"}) {
    const ScfStatus st = check_vasprun_scf(slurp(dir / f));
    EXPECT_TRUE(st.converged) << f << ": " << st.detail;
    EXPECT_GT(st.ionic_steps, 0u) << f;
  }
  for (const char* f : {"dpdata_h2o_md/OUTCAR.h2o.md", "dpdata_h2o_md/OUTCAR.h2o.md.10",
                        "dpdata_Ti_aimd_nwrite0/OUTCAR", "dpdata_ch4_ml_otf/OUTCAR.ch4.ml"}) {
    const ScfStatus st = check_outcar_scf(slurp(dir / f));
    EXPECT_TRUE(st.converged) << f << ": " << st.detail;
    EXPECT_GT(st.ionic_steps, 0u) << f;
  }
  EXPECT_EQ(check_outcar_scf(slurp(dir / "dpdata_ch4_ml_otf/OUTCAR.ch4.ml")).ionic_steps, 4u);

  // vasprun.h2o.md.xml: ionic step 1 has 17 <scstep>; lowering NELM from 60 to 17 makes that
  // step one that ran out of electronic steps.
  std::string v = slurp(dir / "dpdata_h2o_md/vasprun.h2o.md.xml");
  const auto first = v.find("<calculation>");
  std::size_t n_sc = 0;
  for (auto p = v.find("<scstep>", first); p < v.find("</calculation>", first);
       p = v.find("<scstep>", p + 1))
    ++n_sc;
  ASSERT_GT(n_sc, 4u);
  const std::string key = "<i type=\"int\" name=\"NELM\">    60</i>";
  const auto at = v.find(key, v.find("name=\"electronic convergence\""));
  ASSERT_NE(at, std::string::npos);
  v.replace(at, key.size(), "<i type=\"int\" name=\"NELM\">    " + std::to_string(n_sc) + "</i>");
  ScfStatus st = check_vasprun_scf(v);
  EXPECT_FALSE(st.converged);
  EXPECT_EQ(st.first_bad_step, 1u);
  EXPECT_NE(st.detail.find("NELM"), std::string::npos);

  // OUTCAR.h2o.md: drop the second "EDIFF is reached" (VASP 5 prints nothing when NELM runs out),
  // or replace it with VASP 6's "EDIFF was not reached" line.
  const std::string o = slurp(dir / "dpdata_h2o_md/OUTCAR.h2o.md");
  const std::string ok = "aborting loop because EDIFF is reached";
  const auto second = o.find(ok, o.find(ok) + 1);
  ASSERT_NE(second, std::string::npos);
  std::string o5 = o, o6 = o;
  o5.replace(second, ok.size(), "------------------------------------");
  o6.replace(second, ok.size(), "aborting loop EDIFF was not reached (unconverged)");
  st = check_outcar_scf(o5);
  EXPECT_FALSE(st.converged);
  EXPECT_EQ(st.first_bad_step, 2u);
  st = check_outcar_scf(o6);
  EXPECT_FALSE(st.converged);
  EXPECT_NE(st.detail.find("not reached"), std::string::npos);

  // Through the file-level entry point, a clear error.
  superion::testing::TempDir tmp;
  std::ofstream(tmp / "vasprun.xml") << v;
  try {
    require_converged_scf(tmp / "vasprun.xml");
    ADD_FAILURE() << "no error for an unconverged vasprun.xml";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("unconverged external calculation"), std::string::npos);
  }
  EXPECT_NO_THROW(require_converged_scf(dir / "dpdata_h2o_md/OUTCAR.h2o.md"));
}

TEST(CommandCalculator, PhononsEndToEndThroughTheCli) {
  if (!have_python()) GTEST_SKIP() << kPython << " not found: fake external code cannot run";
  superion::testing::TempDir tmp;
  write_params(tmp / "buck.json");
  {
    std::ofstream f(tmp / "POSCAR");  // primitive rocksalt, a = 5.64 Å
    f << "NaCl\n1.0\n0 2.82 2.82\n2.82 0 2.82\n2.82 2.82 0\nNa Cl\n1 1\nDirect\n0 0 0\n0.5 0.5 "
         "0.5\n";
  }
  const std::string common = std::string(SUPERION_BINARY) + " screen phonons " +
                             (tmp / "POSCAR").string() + " --supercell 2 2 2 --mesh 2 2 2";
  const std::string cmd_calc = "command[scratch=" + tmp.path().string() + "]:" + kPython + " " +
                               kFake + " " + (tmp / "buck.json").string() + " vasprun";
  ASSERT_EQ(std::system((common + " --calculator \"" + cmd_calc + "\" --json " +
                         (tmp / "cmd.json").string() + " > " + (tmp / "cmd.log").string())
                            .c_str()),
            0);
  ASSERT_EQ(std::system((common + " --calculator classical:" + (tmp / "buck.json").string() +
                         " --json " + (tmp / "ref.json").string() + " > /dev/null")
                            .c_str()),
            0);
  const auto a = nlohmann::json::parse(std::ifstream(tmp / "cmd.json"));
  const auto b = nlohmann::json::parse(std::ifstream(tmp / "ref.json"));
  const auto fa = a["gamma_frequencies_THz"].get<std::vector<double>>();
  const auto fb = b["gamma_frequencies_THz"].get<std::vector<double>>();
  ASSERT_EQ(fa.size(), 6u);
  ASSERT_EQ(fa.size(), fb.size());
  // Forces agree to 5e-9 eV/Å (vasprun print precision); Φ = ΔF/2d with d = 0.01 Å then carries
  // ≤ 5e-7 eV/Å², i.e. ~1e-6 relative on Φ ~ 1 eV/Å², and ν ∝ √Φ halves that: ≤ 1e-5 THz on
  // optical modes of a few THz. Acoustic Γ modes are ~0 on both sides.
  double dnu = 0;
  for (std::size_t k = 0; k < fa.size(); ++k) {
    EXPECT_NEAR(fa[k], fb[k], 1e-5) << k;
    dnu = std::max(dnu, std::fabs(fa[k] - fb[k]));
  }
  std::printf("phonons via command: max |dnu(Gamma)| %.2e THz (optical %.6f THz)\n", dnu,
              fb.back());
  EXPECT_EQ(a["stable"], b["stable"]);
  EXPECT_NEAR(a["min_frequency_THz"].get<double>(), b["min_frequency_THz"].get<double>(), 1e-5);
  EXPECT_GT(fb.back(), 0.5);  // real optical frequencies, a non-trivial comparison
  EXPECT_NE(a["calculator"].get<std::string>().find("command:"), std::string::npos);
}

TEST(CommandCalculator, RealVasprunThroughTheCalculatorCopyAndKeep) {
  // A "code" that just copies a real VASP 5.4.4 vasprun.xml (H2O MD) into place: the calculator
  // must return its first ionic step exactly, for the structure of that step. copy= brings the
  // file in; keep leaves the scratch directory; with NELM lowered it becomes an error.
  SUPERION_REQUIRE_SHARED(src, "vasp/dpdata_h2o_md/vasprun.h2o.md.xml");
  superion::testing::TempDir tmp;
  fs::create_directories(tmp / "in");
  fs::copy_file(src, tmp / "in" / "real.xml");
  const Dataset ref = read_vasprun(src);
  const Structure& s = ref.configs.front().structure;
  const auto calc = make_calculator("command[keep,copy=" + (tmp / "in").string() +
                                    ",scratch=" + tmp.path().string() +
                                    "]:test -s POSCAR && cp real.xml vasprun.xml");
  const CalcResult r = calc->compute(s);
  EXPECT_EQ(r.energy, *ref.configs.front().energy);
  for (std::size_t i = 0; i < s.size(); ++i)
    for (int k = 0; k < 3; ++k) EXPECT_EQ(r.forces[i][k], (*ref.configs.front().forces)[i][k]);
  int kept = 0;
  for (const auto& d : fs::directory_iterator(tmp.path()))
    if (d.path().filename().string().rfind("superion-calc-", 0) == 0) {
      ++kept;
      EXPECT_TRUE(fs::exists(d.path() / "POSCAR"));
      EXPECT_TRUE(fs::exists(d.path() / "stdout.txt"));
    }
  EXPECT_EQ(kept, 1);
  // The same file with NELM lowered to the first step's electronic step count.
  std::string text;
  {
    std::ifstream f(src);
    std::stringstream ss;
    ss << f.rdbuf();
    text = ss.str();
  }
  const std::string key = "<i type=\"int\" name=\"NELM\">    60</i>";
  const auto at = text.find(key, text.find("name=\"electronic convergence\""));
  ASSERT_NE(at, std::string::npos);
  text.replace(at, key.size(), "<i type=\"int\" name=\"NELM\">    17</i>");
  std::ofstream(tmp / "in" / "real.xml") << text;
  const std::string e = error_of(*calc, s);
  EXPECT_NE(e.find("unconverged external calculation"), std::string::npos) << e;
  EXPECT_NE(e.find("ionic step 1"), std::string::npos) << e;
}
