// superion-lammps gives the same results for every decomposition and newton setting: 1 and 2 MPI
// ranks × newton pair on/off (bond on; and both off, where the style reverse-communicates its
// ghost forces and per-atom virials itself). Energy, per-atom energy sum, global virial, sum of
// per-atom stresses and every force component agree with the serial newton-on run to 1e-10
// relative (only summation orders differ: ~1e-15). Systems: a 2×2×2 Na3ClSO4 supercell (72 atoms,
// in the repository) and a 10-atom cell shorter than the cutoff in x (several images of an atom
// are neighbours; ../shared), which must also still equal `superion eval`.
#include <gtest/gtest.h>

#include "io/formats.hpp"
#include "lammps_test_util.hpp"
#include "test_util.hpp"

namespace superion {
namespace {

using testing::relative_difference;

constexpr double kTol = 1e-10;

const char* kInput = R"(units metal
newton ${np} ${nb}
atom_style atomic
read_data frame.data
replicate ${rep} ${rep} ${rep}
pair_style mtp ${pot}
pair_coeff * * ${species}
compute vir all pressure NULL virial
compute pe all pe/atom
compute st all stress/atom NULL virial
compute spe all reduce sum c_pe
compute sst all reduce sum c_st[1] c_st[2] c_st[3] c_st[4] c_st[5] c_st[6]
thermo_style custom step pe c_spe c_vir[1] c_vir[2] c_vir[3] c_vir[4] c_vir[5] c_vir[6] &
             c_sst[1] c_sst[2] c_sst[3] c_sst[4] c_sst[5] c_sst[6]
thermo_modify format float %.17g
dump d all custom 1 out.dump id fx fy fz
dump_modify d format float %.17g sort id
run 0
)";

struct Run {
  std::vector<double> energy, virial, stress_sum;  // PotEng and Σ pe/atom; c_vir; Σ stress/atom
  std::vector<double> forces;
};

Run run(const testing::TempDir& dir, int nprocs, const std::string& np, const std::string& nb,
        const std::string& vars) {
  std::string out;
  const std::string file = "in.par";
  testing::write_text(dir / file, kInput);
  const int rc = testing::run_lammps(dir.path(), file + " -var np " + np + " -var nb " + nb + vars,
                                     nprocs, &out);
  EXPECT_EQ(rc, 0) << out;
  Run r;
  const auto rows = testing::read_thermo(dir / "log.lammps");
  if (rows.empty()) {
    ADD_FAILURE() << out;
    return r;
  }
  const auto& t = rows.front();
  r.energy = {t.at("PotEng"), t.at("c_spe")};
  for (int k = 1; k <= 6; ++k) {
    r.virial.push_back(t.at("c_vir[" + std::to_string(k) + "]"));
    r.stress_sum.push_back(t.at("c_sst[" + std::to_string(k) + "]"));
  }
  const auto atoms = testing::read_dump(dir / "out.dump");
  for (std::size_t i = 0; i < atoms.at("fx").size(); ++i)
    for (const char* c : {"fx", "fy", "fz"}) r.forces.push_back(atoms.at(c)[i]);
  return r;
}

void check_all_layouts(const std::filesystem::path& pot, const std::filesystem::path& data,
                       const std::string& species, int rep) {
  testing::TempDir dir;
  std::string out;
  ASSERT_EQ(
      testing::run_superion("convert '" + data.string() + "' '" + (dir / "frame.data").string() +
                                "' --frames 0:1 --species " + species + " --lossless",
                            &out),
      0)
      << out;
  std::string names = species;
  std::replace(names.begin(), names.end(), ',', ' ');
  const std::string vars = " -var rep " + std::to_string(rep) + " -var pot " + pot.string() +
                           " -var species \"" + names + "\"";
  const Run ref = run(dir, 0, "on", "on", vars);
  ASSERT_FALSE(ref.energy.empty());
  for (int nprocs : {1, 2})
    for (const auto& [np, nb] : std::vector<std::pair<std::string, std::string>>{
             {"on", "on"}, {"off", "on"}, {"off", "off"}}) {
      SCOPED_TRACE(std::to_string(nprocs) + " ranks, newton " + np + " " + nb);
      const Run r = run(dir, nprocs, np, nb, vars);
      // Each tensor relative to its largest component (off-diagonals may be rounding noise).
      EXPECT_LE(relative_difference(r.energy, ref.energy), kTol) << "energy";
      EXPECT_LE(relative_difference(r.virial, ref.virial), kTol) << "virial";
      EXPECT_LE(relative_difference(r.stress_sum, ref.stress_sum), kTol) << "sum of stress/atom";
      EXPECT_LE(relative_difference(r.forces, ref.forces, 1e-3), kTol) << "forces";
    }
}

TEST(LammpsParallel, Na3ClSO4Supercell) {
  check_all_layouts(SUPERION_SOURCE_DIR "/tests/data/pso/na3clso4_level10.mtp",
                    SUPERION_SOURCE_DIR "/data/reference/Na3ClSO4/md_500K_strain+0.00.xyz",
                    "Na,Cl,S,O", 2);
}

TEST(LammpsParallel, CellShorterThanCutoff) {
  SUPERION_REQUIRE_SHARED(pot, "mtp/trained/example2sp_L06_mlip2.mtp");
  SUPERION_REQUIRE_SHARED(data, "mtp/cfg/example2sp_5cfg.cfg");
  check_all_layouts(pot, data, "Al,Ni", 1);
}

}  // namespace
}  // namespace superion
