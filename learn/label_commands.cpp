// `superion label CANDIDATES --calculator SPEC -o labelled.cfg`: reference energies, forces and
// stresses for configurations (e.g. those `superion select` chose), resumable, with retries and a
// failure record (learn/labeling.hpp).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "calculators/calculator.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "io/formats.hpp"
#include "labeling.hpp"
#include "learn_cli.hpp"

namespace superion::cli {
namespace {

struct LabelArgs {
  std::string input, calculator, output, format = "auto", journal, failures;
  std::vector<std::string> species;
  int attempts = 2;
  std::size_t batch = 0;
  bool allow_failures = false, quiet = false;
};

void run_label(const LabelArgs& a) {
  const std::unique_ptr<Calculator> calc = make_calculator(a.calculator);
  io::ReadOptions ro;
  ro.species = a.species;
  const Dataset in = io::read_dataset(a.input, a.format, ro);
  if (in.size() == 0) throw InputError(a.input, 0, "no configurations to label");
  io::find_format(a.output);  // fail on an unknown output name before any work
  LabelOptions o;
  o.attempts = a.attempts;
  o.batch = a.batch;
  o.journal = a.journal.empty() ? a.output + ".journal.cfg" : a.journal;
  o.progress = !a.quiet;
  std::printf("labelling %zu configurations of %s with %s (journal %s)\n", in.size(),
              a.input.c_str(), calc->name().c_str(), o.journal.c_str());
  std::fflush(stdout);
  Dataset out;
  const LabelReport r = label_configurations(in, *calc, o, out);
  io::WriteOptions wo;
  wo.species = a.species;
  io::write_dataset(a.output, out, "auto", wo);
  const std::string failures = a.failures.empty() ? a.output + ".failures.txt" : a.failures;
  if (!r.failures.empty()) {
    AtomicFile f(failures);
    f.stream() << format_failures(r, a.input);
    f.commit();
  } else {
    std::error_code ec;
    std::filesystem::remove(failures, ec);  // an old record would now be wrong
  }
  std::filesystem::remove(o.journal);  // the output holds everything now
  std::printf("labelled %zu of %zu configurations (%zu from the journal) in %.1f s; wrote %s\n",
              r.labelled, r.total, r.resumed, r.seconds, a.output.c_str());
  if (!r.failures.empty()) {
    const std::string msg = std::to_string(r.failures.size()) + " of " + std::to_string(r.total) +
                            " configurations could not be labelled; see " + failures;
    if (!a.allow_failures) throw Error(msg + " (--allow-failures to accept)");
    std::printf("%s\n", msg.c_str());
  }
}

}  // namespace

void register_label_command(CLI::App& app) {
  auto a = std::make_shared<LabelArgs>();
  CLI::App* c = app.add_subcommand(
      "label",
      "reference energies, forces and stresses for configurations with a calculator (DFT through "
      "command/command-batch, classical, mtp): retries, failure record, resumable");
  c->add_option("candidates", a->input, "configurations to label (" + io::format_names() + ")")
      ->required()
      ->check(CLI::ExistingFile);
  c->add_option("--calculator", a->calculator,
                "command[OPTIONS]:'PROGRAM ARGS' (one run per configuration, SCF checked), "
                "command-batch[OPTIONS]:'PROGRAM {xyz} {out_xyz}' (one run per batch), "
                "classical:…, mtp:POT.mtp")
      ->required();
  c->add_option("-o,--output", a->output, "labelled configurations (.cfg, .xyz, …)")->required();
  c->add_option("--species", a->species, "element symbols in type order (type 0 first)")
      ->delimiter(',');
  c->add_option("--format", a->format, "input format (default: from the file name)");
  c->add_option("--attempts", a->attempts, "tries per configuration")->capture_default_str();
  c->add_option("--batch", a->batch,
                "configurations per calculator call (default: the calculator's, all at once for "
                "command-batch)");
  c->add_option("--journal", a->journal,
                "progress file, resumed by a rerun (default OUTPUT.journal.cfg)");
  c->add_option("--failures", a->failures,
                "record of configurations that failed (default OUTPUT.failures.txt)");
  c->add_flag("--allow-failures", a->allow_failures,
              "exit with status 0 although some configurations failed");
  c->add_flag("--quiet", a->quiet, "no progress lines");
  c->callback([a] { run_label(*a); });
}

}  // namespace superion::cli
