// `superion info` / `superion convert` end to end: exit codes (0 good, 2 bad input, 1 other
// errors), printed summary, lossless conversion chain, and no output file left after a failure.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "io/cfg.hpp"
#include "io/extxyz.hpp"
#include "io_test_util.hpp"
#include "test_util.hpp"

using namespace superion;
using namespace superion::testing;

namespace {
struct CliRun {
  int code;
  std::string out;
};
CliRun run(const std::string& args, const TempDir& tmp) {
  const auto log = tmp / "log.txt";
  const std::string cmd =
      std::string("\"") + SUPERION_BINARY + "\" " + args + " > \"" + log.string() + "\" 2>&1";
  const int status = std::system(cmd.c_str());
  std::ifstream in(log);
  std::stringstream ss;
  ss << in.rdbuf();
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, ss.str()};
}
std::string q(const std::filesystem::path& p) {
  return "\"" + p.string() + "\"";
}
}  // namespace

TEST(IoCli, InfoAndConvertGoodInput) {
  SUPERION_REQUIRE_SHARED(cfg, "mtp/cfg/NaCl_300cfg_with_charge.cfg");
  TempDir tmp;
  CliRun r = run("info " + q(cfg), tmp);
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("configurations  300"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("charges 300/300"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("volume        175.616"), std::string::npos) << r.out;  // 5.6^3

  // cfg -> extxyz -> cfg, lossless.
  r = run("convert " + q(cfg) + " " + q(tmp / "a.xyz") + " --species Na,Cl --lossless", tmp);
  ASSERT_EQ(r.code, 0) << r.out;
  r = run("convert " + q(tmp / "a.xyz") + " " + q(tmp / "b.cfg") + " --lossless", tmp);
  ASSERT_EQ(r.code, 0) << r.out;
  expect_same_dataset(io::read_cfg(cfg), io::read_cfg(tmp / "b.cfg"), 1e-12);
  r = run("info " + q(tmp / "a.xyz"), tmp);
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("Na=0 Cl=1"), std::string::npos) << r.out;
  // Explicit formats with unusual names.
  r = run("convert " + q(tmp / "a.xyz") + " " + q(tmp / "c.txt") +
              " --in-format extxyz --out-format cfg",
          tmp);
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(std::filesystem::exists(tmp / "c.txt"));
}

TEST(IoCli, FailuresExitNonZeroAndLeaveNoOutput) {
  SUPERION_REQUIRE_SHARED(cfg, "mtp/cfg/example2sp_5cfg.cfg");
  TempDir tmp;
  write_text(tmp / "bad.cfg",
             "BEGIN_CFG\n Size\n 2\n AtomData: id type cartes_x cartes_y cartes_z\n 1 0 0 0 0\n");
  CliRun r = run("convert " + q(tmp / "bad.cfg") + " " + q(tmp / "out.xyz") + " --species Na", tmp);
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("bad.cfg:5:"), std::string::npos) << r.out;
  EXPECT_FALSE(std::filesystem::exists(tmp / "out.xyz"));
  // Good input, but extxyz needs symbols: error while writing, no partial file.
  r = run("convert " + q(cfg) + " " + q(tmp / "out.xyz"), tmp);
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("--species"), std::string::npos) << r.out;
  EXPECT_FALSE(std::filesystem::exists(tmp / "out.xyz"));
  // Several structures into a one-structure format.
  r = run("convert " + q(cfg) + " " + q(tmp / "POSCAR") + " --species Si,O", tmp);
  EXPECT_NE(r.code, 0) << r.out;
  EXPECT_FALSE(std::filesystem::exists(tmp / "POSCAR"));
  // Unknown extension / format, missing file.
  r = run("convert " + q(cfg) + " " + q(tmp / "out.unknown"), tmp);
  EXPECT_NE(r.code, 0) << r.out;
  r = run("info " + q(tmp / "missing.cfg"), tmp);
  EXPECT_EQ(r.code, 2) << r.out;
  r = run("info " + q(cfg) + " --format nope", tmp);
  EXPECT_NE(r.code, 0) << r.out;
  r = run("info " + q(tmp / "bad.cfg"), tmp);
  EXPECT_EQ(r.code, 2) << r.out;
  // Only the log file remains in the directory.
  std::size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(tmp.path()))
    files += e.path().filename() != "log.txt";
  EXPECT_EQ(files, 1u);  // bad.cfg
}
