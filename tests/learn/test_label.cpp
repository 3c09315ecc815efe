// Labelling (learn/labeling.hpp, `superion label`) with the batch command calculator and a fake
// batch program (fake_batch_labeller.py: E = −Σ x_i, F_i = (1,0,0), exact by construction):
// one process per batch, a crashing batch split until the culprit is isolated without using up
// the others' tries, a configuration marked converged=F failing alone, the journal resuming a
// killed run (also after a torn last entry) and refusing another input's journal, and the CLI's
// exit status and failure record.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "calculators/calculator.hpp"
#include "core/error.hpp"
#include "io/cfg.hpp"
#include "io/formats.hpp"
#include "labeling.hpp"
#include "md_setup.hpp"
#include "test_util.hpp"

namespace superion {
namespace {

namespace fs = std::filesystem;

std::string fake(const std::string& extra = "") {
  return "command-batch:python3 " + std::string(SUPERION_SOURCE_DIR) +
         "/tests/learn/fake_batch_labeller.py {xyz} {out_xyz} " + extra;
}

// Five 9-atom Na3ClSO4 frames plus optional larger cells (distinct atom counts for the fake's
// --crash-natoms / --unconverged-natoms).
Dataset frames(const std::vector<std::array<int, 3>>& extra = {}) {
  io::ReadOptions ro;
  ro.species = {"Na", "Cl", "S", "O"};
  Dataset d = io::read_dataset(
      fs::path(SUPERION_SOURCE_DIR) / "data/reference/Na3ClSO4/md_1100K_strain+0.00.xyz", "auto",
      ro);
  d.configs.resize(5);
  for (const auto& rep : extra) {
    Configuration c;
    c.structure = md::make_supercell(d.configs[0].structure, rep);
    d.configs.push_back(c);
  }
  for (auto& c : d.configs) {
    c.energy.reset();
    c.forces.reset();
    c.virial.reset();
  }
  return d;
}

long lines(const fs::path& p) {
  std::ifstream in(p);
  long n = 0;
  std::string l;
  while (std::getline(in, l)) ++n;
  return n;
}

void expect_fake_labels(const Configuration& c) {
  ASSERT_TRUE(c.energy && c.forces);
  double sx = 0;
  for (const auto& p : c.structure.positions) sx += p.x;
  EXPECT_NEAR(*c.energy, -sx, 1e-9);
  for (const auto& f : *c.forces) EXPECT_EQ(f.x, 1.0);
  EXPECT_FALSE(c.virial.has_value());  // the fake gives no stress
}

TEST(Label, BatchLabelsAWholeFileWithOneProcess) {
  testing::TempDir dir;
  const Dataset in = frames();
  const auto calc = make_calculator(fake("--count " + (dir / "runs").string()));
  EXPECT_EQ(calc->batch_size(), 0u);
  Dataset out;
  LabelOptions o;
  o.progress = false;
  const LabelReport r = label_configurations(in, *calc, o, out);
  EXPECT_EQ(r.labelled, 5u);
  EXPECT_TRUE(r.failures.empty());
  EXPECT_EQ(lines(dir / "runs"), 1);
  ASSERT_EQ(out.size(), 5u);
  for (std::size_t k = 0; k < 5; ++k) {
    expect_fake_labels(out.configs[k]);
    EXPECT_EQ(out.configs[k].structure.positions[3].y, in.configs[k].structure.positions[3].y);
  }
}

TEST(Label, ACrashingBatchIsSplitUntilTheCulpritIsIsolated) {
  testing::TempDir dir;
  const Dataset in = frames({{1, 1, 2}});  // configuration 6 has 18 atoms: the poison
  const auto calc = make_calculator(fake("--crash-natoms 18 --count " + (dir / "runs").string()));
  Dataset out;
  LabelOptions o;
  o.progress = false;
  o.attempts = 2;
  const LabelReport r = label_configurations(in, *calc, o, out);
  EXPECT_EQ(r.labelled, 5u);
  ASSERT_EQ(r.failures.size(), 1u);
  EXPECT_EQ(r.failures[0].index, 5u);
  EXPECT_EQ(r.failures[0].attempts, 2);
  EXPECT_NE(r.failures[0].error.find("exit status 1"), std::string::npos) << r.failures[0].error;
  EXPECT_NE(r.failures[0].error.find("poisoned batch"), std::string::npos) << r.failures[0].error;
  for (const auto& c : out.configs) expect_fake_labels(c);
  // 6 → 3+3 → (3 ok) 1+2 … the innocent ones were labelled once each, the culprit tried twice.
  EXPECT_LE(lines(dir / "runs"), 7);
}

TEST(Label, AConfigurationMarkedUnconvergedFailsAlone) {
  const Dataset in = frames({{1, 1, 3}});  // 27 atoms: written back with converged=F
  const auto calc = make_calculator(fake("--unconverged-natoms 27"));
  Dataset out;
  LabelOptions o;
  o.progress = false;
  const LabelReport r = label_configurations(in, *calc, o, out);
  EXPECT_EQ(r.labelled, 5u);
  ASSERT_EQ(r.failures.size(), 1u);
  EXPECT_NE(r.failures[0].error.find("converged=F"), std::string::npos) << r.failures[0].error;
  EXPECT_NE(format_failures(r, "in.xyz").find("configuration 6 (2 tries)"), std::string::npos);
}

TEST(Label, TheJournalResumesAKilledRun) {
  testing::TempDir dir;
  const Dataset in = frames();
  const std::string journal = (dir / "j.cfg").string();
  LabelOptions o;
  o.progress = false;
  o.journal = journal;
  Dataset first;
  label_configurations(in, *make_calculator(fake()), o, first);
  // A kill in the middle of the last append leaves a torn entry: keep the text up to the middle
  // of the last configuration.
  std::string text;
  {
    std::ifstream f(journal);
    text.assign(std::istreambuf_iterator<char>(f), {});
  }
  const auto last = text.rfind("BEGIN_CFG");
  {
    std::ofstream f(journal, std::ios::trunc);
    f << text.substr(0, last + (text.size() - last) / 2);
  }
  Dataset second;
  const auto calc = make_calculator(fake("--count " + (dir / "runs").string()));
  const LabelReport r = label_configurations(in, *calc, o, second);
  EXPECT_EQ(r.resumed, 4u);
  EXPECT_EQ(r.labelled, 5u);
  EXPECT_EQ(lines(dir / "runs"), 1);  // only the torn one was labelled again
  ASSERT_EQ(second.size(), first.size());
  for (std::size_t k = 0; k < first.size(); ++k) {
    EXPECT_EQ(*second.configs[k].energy, *first.configs[k].energy);
    expect_fake_labels(second.configs[k]);
  }
  // The journal of other configurations is refused.
  Dataset other = frames();
  other.configs[1].structure.positions[0].x += 0.1;
  Dataset x;
  EXPECT_THROW(label_configurations(other, *calc, o, x), InputError);
}

TEST(Label, CommandLineRecordsFailuresAndSetsTheExitStatus) {
  testing::TempDir dir;
  Dataset in = frames({{1, 1, 3}});
  in.species = {"Na", "Cl", "S", "O"};
  io::WriteOptions wo;
  wo.species = in.species;
  io::write_dataset(dir / "in.xyz", in, "auto", wo);
  const std::string base = "label " + (dir / "in.xyz").string() + " --species Na,Cl,S,O -o " +
                           (dir / "out.xyz").string() + " --quiet --calculator '" +
                           fake("--unconverged-natoms 27") + "'";
  std::string log;
  EXPECT_EQ(testing::run_superion(base, &log), 1) << log;
  EXPECT_NE(log.find("1 of 6 configurations could not be labelled"), std::string::npos) << log;
  EXPECT_TRUE(fs::exists(dir / "out.xyz.failures.txt"));
  EXPECT_FALSE(fs::exists(dir / "out.xyz.journal.cfg"));
  EXPECT_EQ(testing::run_superion(base + " --allow-failures", &log), 0) << log;
  io::ReadOptions ro;
  ro.species = in.species;
  const Dataset out = io::read_dataset(dir / "out.xyz", "auto", ro);
  ASSERT_EQ(out.size(), 5u);
  for (const auto& c : out.configs) expect_fake_labels(c);
}

}  // namespace
}  // namespace superion
