// `superion train` end to end: determinism (same seed → same bytes, for 1 and 2 threads), resume
// from a checkpoint equals an uninterrupted run, consistency with `superion errors`, and bad
// input rejected before any work with exit code != 0 and no output file.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "test_util.hpp"

namespace superion {
namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

int run(const std::string& args, const std::filesystem::path& log) {
  const std::string cmd =
      std::string(SUPERION_BINARY) + " " + args + " > " + log.string() + " 2>&1";
  return std::system(cmd.c_str());
}

constexpr const char* kSmall = "mtp/cfg/example2sp_5cfg.cfg";  // 2 species, 5 configurations

TEST(TrainCli, SameSeedSamePotentialAnyThreadCount) {
  SUPERION_REQUIRE_SHARED(data, kSmall);
  testing::TempDir dir;
  const std::string common =
      "train --data " + data.string() +
      " --level 6 --rcut 4.5 --max-iter 15 --stress-weight 0.001 --optimizer lbfgs";
  ASSERT_EQ(run(common + " --seed 3 --threads 1 -o " + (dir / "a.mtp").string(), dir / "a.log"), 0)
      << slurp(dir / "a.log");
  ASSERT_EQ(run(common + " --seed 3 --threads 1 -o " + (dir / "b.mtp").string(), dir / "b.log"), 0);
  ASSERT_EQ(run(common + " --seed 3 --threads 2 -o " + (dir / "c.mtp").string(), dir / "c.log"), 0);
  ASSERT_EQ(run(common + " --threads 1 --seed 4 -o " + (dir / "d.mtp").string(), dir / "d.log"), 0);
  const std::string a = slurp(dir / "a.mtp");
  EXPECT_FALSE(a.empty());
  EXPECT_EQ(a, slurp(dir / "b.mtp"));
  // Per-configuration contributions are summed in configuration order: thread-count independent.
  EXPECT_EQ(a, slurp(dir / "c.mtp"));
  EXPECT_NE(a, slurp(dir / "d.mtp"));
}

TEST(TrainCli, ResumeEqualsUninterruptedRun) {
  SUPERION_REQUIRE_SHARED(data, kSmall);
  testing::TempDir dir;
  const std::string common = "train --data " + data.string() +
                             " --level 8 --rcut 4.5 --seed 5 --threads 1 --optimizer lbfgs";
  ASSERT_EQ(run(common + " --max-iter 12 -o " + (dir / "full.mtp").string(), dir / "f.log"), 0)
      << slurp(dir / "f.log");
  ASSERT_EQ(run(common + " --max-iter 5 -o " + (dir / "half.mtp").string(), dir / "h.log"), 0);
  ASSERT_TRUE(std::filesystem::exists(dir / "half.mtp.ckpt"));
  ASSERT_EQ(
      run("train --data " + data.string() + " --resume " + (dir / "half.mtp.ckpt").string() +
              " --max-iter 12 --threads 1 --optimizer lbfgs -o " + (dir / "resumed.mtp").string(),
          dir / "r.log"),
      0)
      << slurp(dir / "r.log");
  EXPECT_EQ(slurp(dir / "full.mtp"), slurp(dir / "resumed.mtp"));
}

// Levenberg–Marquardt: thread-count independent bytes, and a run resumed from a periodic
// checkpoint (λ and ν stored) equals the uninterrupted run byte for byte.
TEST(TrainCli, LevenbergMarquardtDeterministicAndResumable) {
  SUPERION_REQUIRE_SHARED(data, kSmall);
  testing::TempDir dir;
  const std::string common = "train --data " + data.string() +
                             " --level 8 --rcut 4.5 --seed 5 --optimizer lm --tolerance 0";
  ASSERT_EQ(run(common + " --threads 1 --max-iter 8 -o " + (dir / "a.mtp").string(), dir / "a.log"),
            0)
      << slurp(dir / "a.log");
  ASSERT_EQ(run(common + " --threads 2 --max-iter 8 -o " + (dir / "b.mtp").string(), dir / "b.log"),
            0);
  EXPECT_EQ(slurp(dir / "a.mtp"), slurp(dir / "b.mtp"));
  EXPECT_NE(slurp(dir / "a.log").find("lambda"), std::string::npos);
  ASSERT_EQ(run(common + " --threads 1 --max-iter 3 -o " + (dir / "h.mtp").string(), dir / "h.log"),
            0);
  ASSERT_EQ(run("train --data " + data.string() + " --resume " + (dir / "h.mtp.ckpt").string() +
                    " --optimizer lm --tolerance 0 --max-iter 8 --threads 1 -o " +
                    (dir / "r.mtp").string(),
                dir / "r.log"),
            0)
      << slurp(dir / "r.log");
  EXPECT_EQ(slurp(dir / "a.mtp"), slurp(dir / "r.mtp"));
}

TEST(TrainCli, ReportAgreesWithSuperionErrors) {
  SUPERION_REQUIRE_SHARED(data, kSmall);
  testing::TempDir dir;
  // --valid-fraction 0: all configurations are training data (the default holds 10 % out).
  ASSERT_EQ(run("train --data " + data.string() +
                    " --level 6 --rcut 4.5 --max-iter 10 --optimizer lbfgs --valid-fraction 0 -o " +
                    (dir / "p.mtp").string() + " --json " + (dir / "t.json").string(),
                dir / "t.log"),
            0)
      << slurp(dir / "t.log");
  ASSERT_EQ(run("errors " + (dir / "p.mtp").string() + " " + data.string() + " --json " +
                    (dir / "e.json").string(),
                dir / "e.log"),
            0);
  const auto t = nlohmann::json::parse(slurp(dir / "t.json"));
  const auto e = nlohmann::json::parse(slurp(dir / "e.json"));
  // The written file rounds coefficients to 16 significant digits (%.15e): errors agree to ~1e-12
  // relative; 1e-8 leaves room.
  for (const char* key : {"energy_per_atom_rmse_meV", "force_component_rmse_eV_A"}) {
    const double a = t["train"][key].get<double>(), b = e[key].get<double>();
    EXPECT_NEAR(a, b, 1e-8 * std::max(1.0, std::fabs(b))) << key;
  }
  EXPECT_NE(slurp(dir / "t.log").find("iter    10"), std::string::npos);
}

// Writes a one-configuration cfg; `energy`/`forces` toggle those blocks, `type` of atom 2.
void write_cfg(const std::filesystem::path& p, bool energy, bool forces, int type2 = 0) {
  std::ofstream o(p);
  o << "BEGIN_CFG\n Size\n 2\n Supercell\n 5 0 0\n 0 5 0\n 0 0 5\n AtomData: id type cartes_x "
       "cartes_y cartes_z"
    << (forces ? " fx fy fz" : "") << "\n";
  o << " 1 0 0 0 0" << (forces ? " 0.1 0 0" : "") << "\n";
  o << " 2 " << type2 << " 2.5 0 0" << (forces ? " -0.1 0 0" : "") << "\n";
  if (energy) o << " Energy\n -3.5\n";
  o << "END_CFG\n";
}

struct BadCase {
  const char* name;
  std::string args;
  const char* message;  // expected part of the error message
};

TEST(TrainCli, BadInputFailsBeforeAnyWorkWithoutOutput) {
  testing::TempDir dir;
  const auto d = [&](const char* n) { return (dir / n).string(); };
  { std::ofstream(dir / "empty.cfg"); }
  write_cfg(dir / "noenergy.cfg", false, true);
  write_cfg(dir / "noforces.cfg", true, false);
  write_cfg(dir / "twospecies.cfg", true, true, 1);
  write_cfg(dir / "good.cfg", true, true);
  // A 1-species potential for the species test.
  ASSERT_EQ(
      run("train --data " + d("good.cfg") + " --level 2 --rcut 4 --max-iter 1 -o " + d("one.mtp"),
          dir / "one.log"),
      0)
      << slurp(dir / "one.log");
  { std::ofstream(dir / "garbage.ckpt") << "{ not json"; }
  const std::vector<BadCase> cases = {
      {"empty data", "--data " + d("empty.cfg") + " --level 6", "no configurations"},
      {"no energy", "--data " + d("noenergy.cfg") + " --level 6", "has no energy"},
      {"no forces", "--data " + d("noforces.cfg") + " --level 6", "has no forces"},
      {"species not in potential", "--data " + d("twospecies.cfg") + " --init " + d("one.mtp"),
       "only 1 species"},
      {"cutoff too large", "--data " + d("good.cfg") + " --level 6 --rcut 40",
       "outside the allowed"},
      {"rmin above cutoff", "--data " + d("good.cfg") + " --level 6 --rcut 4 --rmin 4.5",
       "below the cutoff"},
      {"odd level", "--data " + d("good.cfg") + " --level 7", "even level"},
      {"two sources", "--data " + d("good.cfg") + " --level 6 --init " + d("one.mtp"),
       "exactly one of"},
      {"bad weighting", "--data " + d("good.cfg") + " --level 6 --weighting atoms",
       "vibrations, molecules or structures"},
      {"bad optimizer", "--data " + d("good.cfg") + " --level 6 --optimizer bfgs",
       "expected lbfgs or lm"},
      {"bad checkpoint", "--data " + d("good.cfg") + " --resume " + d("garbage.ckpt"),
       "not a training checkpoint"},
  };
  for (const auto& c : cases) {
    const auto out = dir / "out.mtp";
    const int rc = run("train " + c.args + " -o " + out.string(), dir / "bad.log");
    const std::string log = slurp(dir / "bad.log");
    EXPECT_NE(rc, 0) << c.name;
    EXPECT_NE(log.find(c.message), std::string::npos) << c.name << ": " << log;
    EXPECT_EQ(log.find("iter "), std::string::npos) << c.name << ": training started";
    EXPECT_FALSE(std::filesystem::exists(out)) << c.name;
  }
}

}  // namespace
}  // namespace superion
