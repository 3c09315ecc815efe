// superion-lammps `run 0` equals `superion eval` on every shared potential: total energy, forces,
// virial (global, and the sum of compute stress/atom), and per-atom energies (compute pe/atom),
// all to 1e-10 relative (forces relative to max(max |F|, 1e-3 eV/Å): in a perfect crystal the
// forces are rounding noise of ~1e-15 eV/Å and a ratio of noises means nothing). Both programs read
// the same LAMMPS data file (written losslessly by `superion convert`), so the only differences are
// summation orders (~1e-15 relative; the bound leaves 5 orders of magnitude for the cancellation in
// forces near zero). The `mlip` spellings (mlip.ini and MLIP-3's load_from=) must give
// bit-identical results to `mtp`.
#include <gtest/gtest.h>

#include "io/formats.hpp"
#include "lammps_test_util.hpp"
#include "test_util.hpp"

namespace superion {
namespace {

using testing::kLammpsNktv2pMetal;
using testing::relative_difference;

constexpr double kTol = 1e-10;

struct Case {
  std::string potential;  // path relative to ../shared/data, or absolute
  std::string data;       // configurations (relative to ../shared/data, or absolute)
  std::string species;    // comma-separated, MTP type order
  int frames;             // first N configurations
};

std::filesystem::path locate(const std::string& p) {
  return p.front() == '/' ? std::filesystem::path(p) : testing::test_data(p);
}

std::string spaced(std::string s) {
  std::replace(s.begin(), s.end(), ',', ' ');
  return s;
}

const char* kRun0 = R"(units metal
atom_style atomic
boundary p p p
read_data frame.data
%PAIR%
compute pe all pe/atom
compute st all stress/atom NULL virial
compute vir all pressure NULL virial
thermo_style custom step pe c_vir[1] c_vir[2] c_vir[3] c_vir[4] c_vir[5] c_vir[6] vol
thermo_modify format float %.17g
dump d all custom 1 out.dump id fx fy fz c_pe c_st[1] c_st[2] c_st[3] c_st[4] c_st[5] c_st[6]
dump_modify d format float %.17g sort id
run 0
)";

std::string input_with(const std::string& pair) {
  std::string s = kRun0;
  s.replace(s.find("%PAIR%"), 6, pair);
  return s;
}

struct LammpsResult {
  double energy = 0, volume = 0;
  std::vector<double> virial;  // xx yy zz xy xz yz, eV
  std::map<std::string, std::vector<double>> atoms;
};

LammpsResult run0(const testing::TempDir& dir, const std::string& pair, int nprocs = 0) {
  testing::write_text(dir / "in.run0", input_with(pair));
  std::string out;
  const int rc = testing::run_lammps(dir.path(), "in.run0", nprocs, &out);
  EXPECT_EQ(rc, 0) << out;
  const auto rows = testing::read_thermo(dir / "log.lammps");
  LammpsResult r;
  if (rows.empty()) {
    ADD_FAILURE() << "no thermo output\n" << out;
    return r;
  }
  const auto& t = rows.front();
  r.energy = t.at("PotEng");
  r.volume = t.at("Volume");
  for (int k = 1; k <= 6; ++k)
    r.virial.push_back(t.at("c_vir[" + std::to_string(k) + "]") * r.volume / kLammpsNktv2pMetal);
  r.atoms = testing::read_dump(dir / "out.dump");
  return r;
}

std::vector<double> voigt(const Mat3& w) {
  return {w[0][0], w[1][1], w[2][2], w[0][1], w[0][2], w[1][2]};
}

void compare_case(const Case& c) {
  const auto pot = locate(c.potential), data = locate(c.data);
  if (!std::filesystem::exists(pot) || !std::filesystem::exists(data))
    GTEST_SKIP() << "shared reference data absent: " << pot << " / " << data;
  for (int k = 0; k < c.frames; ++k) {
    SCOPED_TRACE(c.potential + " frame " + std::to_string(k));
    testing::TempDir dir;
    std::string out;
    ASSERT_EQ(
        testing::run_superion("convert '" + data.string() + "' '" + (dir / "frame.data").string() +
                                  "' --frames " + std::to_string(k) + ":" + std::to_string(k + 1) +
                                  " --species " + c.species + " --lossless",
                              &out),
        0)
        << out;
    ASSERT_EQ(testing::run_superion("eval '" + pot.string() + "' '" +
                                        (dir / "frame.data").string() + "' --species " + c.species +
                                        " -o '" + (dir / "pred.cfg").string() + "' --lossless",
                                    &out),
              0)
        << out;
    const Dataset pred = io::read_dataset(dir / "pred.cfg");
    ASSERT_EQ(pred.size(), 1u);
    const Configuration& ref = pred.configs[0];
    const std::size_t n = ref.size();

    const LammpsResult l =
        run0(dir, "pair_style mtp " + pot.string() + "\npair_coeff * * " + spaced(c.species));
    ASSERT_EQ(l.atoms.at("fx").size(), n);
    EXPECT_LE(std::abs(l.energy - *ref.energy), kTol * std::abs(*ref.energy));
    std::vector<double> fl, fs, el, es(ref.site_energies->begin(), ref.site_energies->end());
    for (std::size_t i = 0; i < n; ++i) {
      for (const char* col : {"fx", "fy", "fz"}) fl.push_back(l.atoms.at(col)[i]);
      const Vec3& f = (*ref.forces)[i];
      fs.insert(fs.end(), {f.x, f.y, f.z});
    }
    EXPECT_LE(relative_difference(fl, fs, 1e-3), kTol) << "forces";
    EXPECT_LE(relative_difference(l.atoms.at("c_pe"), es), kTol) << "per-atom energies";
    const std::vector<double> ws = voigt(*ref.virial);
    EXPECT_LE(relative_difference(l.virial, ws), kTol) << "global virial";
    // compute stress/atom is −(per-atom virial) in bar·Å³; its sum is −W·nktv2p.
    std::vector<double> wsum(6, 0.0);
    for (int a = 0; a < 6; ++a)
      for (double s : l.atoms.at("c_st[" + std::to_string(a + 1) + "]"))
        wsum[a] -= s / kLammpsNktv2pMetal;
    EXPECT_LE(relative_difference(wsum, ws), kTol) << "sum of per-atom virials";

    if (k == 0) {  // MLIP's spellings of the same potential give the same numbers
      testing::write_text(dir / "mlip.ini",
                          "mtp-filename " + pot.string() + "\nselect FALSE  # no learning\n");
      // `pair_coeff * *`: type k is species k−1 (the data file's types are the MTP order).
      for (const std::string& pair : {std::string("pair_style mlip mlip.ini\npair_coeff * *"),
                                      "pair_style mlip load_from=" + pot.string() +
                                          " extrapolation_control=false\n" + "pair_coeff * *"}) {
        const LammpsResult m = run0(dir, pair);
        EXPECT_EQ(m.energy, l.energy) << pair;
        EXPECT_EQ(m.atoms.at("fx"), l.atoms.at("fx")) << pair;
        EXPECT_EQ(m.virial, l.virial) << pair;
      }
    }
  }
}

TEST(LammpsRun0, Example2spL06) {
  compare_case({"mtp/trained/example2sp_L06_mlip2.mtp", "mtp/cfg/example2sp_5cfg.cfg", "Al,Ni", 5});
}
TEST(LammpsRun0, LiL06) {
  compare_case({"mtp/trained/Li_L06_mlip2.mtp", "mtp/cfg/Li_T450_73cfg.cfg", "Li", 2});
}
TEST(LammpsRun0, LiL10) {
  compare_case({"mtp/trained/Li_L10_mlip2.mtp", "mtp/cfg/Li_T450_73cfg.cfg", "Li", 2});
}
TEST(LammpsRun0, LiL06Mlip3) {
  compare_case({"mtp/trained/Li_L06_mlip3.almtp", "mtp/cfg/Li_T450_73cfg.cfg", "Li", 2});
}
TEST(LammpsRun0, MlearnLi) {
  compare_case({"mlearn/Li/mvl_fitted.mtp", "mlearn/Li/test.cfg", "Li", 3});
}
TEST(LammpsRun0, MlearnCu) {
  compare_case({"mlearn/Cu/mvl_fitted.mtp", "mlearn/Cu/test.cfg", "Cu", 3});
}
TEST(LammpsRun0, MlearnNi) {
  compare_case({"mlearn/Ni/mvl_fitted.mtp", "mlearn/Ni/test.cfg", "Ni", 3});
}
TEST(LammpsRun0, MlearnSi) {
  compare_case({"mlearn/Si/mvl_fitted.mtp", "mlearn/Si/test.cfg", "Si", 3});
}
TEST(LammpsRun0, Nyzc2021) {
  compare_case({"mtp/nyzc/fitted.mtp.2021.02.mtp",
                SUPERION_SOURCE_DIR "/data/nyzc/nyzc37_eq600K.vasp", "Na,Y,Zr,Cl", 1});
}
TEST(LammpsRun0, Nyzc2022) {
  compare_case({"mtp/nyzc/fitted.mtp.2022.09.mtp",
                SUPERION_SOURCE_DIR "/data/nyzc/nyzc37_eq600K.vasp", "Na,Y,Zr,Cl", 1});
}
// In the repository (runs on a fresh clone): the level-10 Na3ClSO4 MTP on its AIMD data.
TEST(LammpsRun0, Na3ClSO4Level10) {
  for (const char* run : {"md_500K_strain+0.00.xyz", "md_1100K_strain+0.00.xyz"})
    compare_case({SUPERION_SOURCE_DIR "/tests/data/pso/na3clso4_level10.mtp",
                  std::string(SUPERION_SOURCE_DIR "/data/reference/Na3ClSO4/") + run, "Na,Cl,S,O",
                  1});
}

}  // namespace
}  // namespace superion
