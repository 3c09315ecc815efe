// The shared progress reporter (core/progress.hpp): in a log one line at most every interval
// (first and last always), in place with '\r' on a terminal, ETA from the rate so far, nothing
// at all for jobs shorter than the delay; and `superion train` no longer prints one line per
// iteration into a log.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "core/progress.hpp"
#include "test_util.hpp"

using superion::Progress;

namespace {

// Runs `body` with a Progress writing to a temporary file and returns what was written.
template <class Body>
std::string captured(Progress::Options o, double total, Body body) {
  std::FILE* f = std::tmpfile();
  {
    Progress p(f, "job", total, o);
    body(p);
  }
  std::rewind(f);
  std::string text;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
  std::fclose(f);
  return text;
}

int count(const std::string& text, char c) {
  int k = 0;
  for (char x : text) k += x == c;
  return k;
}

}  // namespace

TEST(Progress, LogGetsFirstAndLastLineOfAQuickJob) {
  Progress::Options o;
  o.terminal = 0;
  o.log_interval_s = 60;  // far longer than the loop
  const std::string text = captured(o, 150, [](Progress& p) {
    for (int k = 1; k <= 150; ++k) p.update(k, "iter " + std::to_string(k));
    p.finish("iter 150");
  });
  EXPECT_EQ(count(text, '\n'), 2) << text;
  EXPECT_EQ(count(text, '\r'), 0) << text;
  EXPECT_NE(text.find("job   0.7% 1/150 | iter 1 | elapsed 0:00:00 | ETA "), std::string::npos)
      << text;
  EXPECT_NE(text.find("job 100.0% 150/150 | iter 150 | elapsed 0:00:00 | done\n"),
            std::string::npos)
      << text;
}

TEST(Progress, TerminalRewritesInPlaceAndEndsWithNewline) {
  Progress::Options o;
  o.terminal = 1;
  o.tty_interval_s = 0;  // every update redraws
  const std::string text = captured(o, 3, [](Progress& p) {
    p.update(1, "a");
    p.update(2, "bb");
    p.interrupt();  // other output would follow here
    p.update(3, "c");
    p.finish("c");
  });
  EXPECT_EQ(count(text, '\n'), 1) << text;  // only the final line ends with a newline
  EXPECT_GE(count(text, '\r'), 4) << text;
  EXPECT_EQ(text.back(), '\n');
}

// ETA = elapsed / done × (total − done): after 1 of 4 units in ≥ 50 ms, the ETA is three times
// the elapsed time (read back within the same millisecond).
TEST(Progress, EtaFromTheRateSoFar) {
  Progress p(nullptr, "job", 4);
  EXPECT_TRUE(std::isnan(p.eta_seconds(0)));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const double eta = p.eta_seconds(1), el = p.elapsed_seconds();
  EXPECT_NEAR(eta, 3 * el, 3e-3);
  Progress unknown(nullptr, "frames", 0);
  EXPECT_TRUE(std::isnan(unknown.eta_seconds(10)));
  EXPECT_EQ(unknown.line(10, "").find("ETA"), std::string::npos);
}

TEST(Progress, DelayKeepsQuickJobsSilent) {
  Progress::Options o;
  o.terminal = 0;
  o.delay_s = 30;
  const std::string text = captured(o, 10, [](Progress& p) {
    for (int k = 1; k <= 10; ++k) p.update(k);
    p.finish();
  });
  EXPECT_TRUE(text.empty()) << text;
}

// A training run into a log: progress lines at most one per 5 s plus the first and the last
// (before: one per iteration, 31 lines here).
TEST(Progress, TrainLogIsNotOneLinePerIteration) {
  SUPERION_REQUIRE_SHARED(data, "mtp/cfg/example2sp_5cfg.cfg");
  superion::testing::TempDir dir;
  std::string out;
  ASSERT_EQ(superion::testing::run_superion("train --data " + data.string() +
                                                " --level 4 --rcut 4.5 --max-iter 30 "
                                                "--tolerance 0 --optimizer lbfgs -o " +
                                                (dir / "p.mtp").string() + " --json " +
                                                (dir / "t.json").string(),
                                            &out),
            0)
      << out;
  const auto j = nlohmann::json::parse(std::ifstream(dir / "t.json"));
  int lines = 0;
  std::istringstream in(out);
  for (std::string l; std::getline(in, l);) lines += l.rfind("train ", 0) == 0;
  EXPECT_GE(lines, 2) << out;
  EXPECT_LE(lines, 2 + static_cast<int>(j["seconds"].get<double>() / 5.0) + 1) << out;
  EXPECT_NE(out.find("| done"), std::string::npos) << out;
}
