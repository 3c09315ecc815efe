// Training stage of `superion demo`; see demo_train.hpp.
#include "demo_train.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>

#include "cli/commands.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"

namespace superion::demo {
namespace fs = std::filesystem;
using nlohmann::json;

void run_superion_command(const std::vector<std::string>& args) {
  CLI::App app{"superion"};
  app.require_subcommand(1);
  CLI::App* bench = app.add_subcommand("bench", "");
  cli::register_training_commands(app, *bench);
  cli::register_mtp_commands(app, *bench);
  std::vector<const char*> argv{"superion"};
  for (const auto& a : args) argv.push_back(a.c_str());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::ParseError& e) {
    throw Error("demo: `" + shell_line(args) + "`: " + e.what());
  }
}

std::string shell_line(const std::vector<std::string>& args) {
  std::string s = "superion";
  for (const auto& a : args) {
    const bool plain = a.find_first_of(" '\"$\\*?;&|<>()") == std::string::npos && !a.empty();
    s += ' ';
    if (plain) {
      s += a;
    } else {
      s += '\'';
      for (char c : a) s += c == '\'' ? std::string("'\\''") : std::string(1, c);
      s += '\'';
    }
  }
  return s;
}

namespace {

// Sends this process's stdout to a file while it lives (the `errors` report duplicates its JSON).
class StdoutToFile {
 public:
  explicit StdoutToFile(const fs::path& p) {
    std::fflush(stdout);
    saved_ = dup(STDOUT_FILENO);
    const int fd = open(p.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (saved_ >= 0 && fd >= 0) dup2(fd, STDOUT_FILENO);
    if (fd >= 0) close(fd);
  }
  ~StdoutToFile() {
    std::fflush(stdout);
    if (saved_ >= 0) {
      dup2(saved_, STDOUT_FILENO);
      close(saved_);
    }
  }
  StdoutToFile(const StdoutToFile&) = delete;
  StdoutToFile& operator=(const StdoutToFile&) = delete;

 private:
  int saved_ = -1;
};

json read_json(const fs::path& p) {
  std::ifstream in(p);
  if (!in) throw Error("demo: " + p.string() + " was not written");
  json j;
  in >> j;
  return j;
}

std::string shortest(double x) {
  char b[32];
  std::snprintf(b, sizeof b, "%.10g", x);
  return b;
}

std::string species_list(const std::vector<std::string>& s) {
  std::string out;
  for (const auto& x : s) out += (out.empty() ? "" : ",") + x;
  return out;
}

}  // namespace

TrainStageResult run_train_stage(const TrainStage& st, const fs::path& dir) {
  fs::create_directories(dir);
  TrainStageResult r;
  r.potential = dir / "potential.mtp";
  const fs::path ckpt = dir / "train.ckpt", tjson = dir / "train.json",
                 ejson = dir / "test_errors.json", done = dir / "done.json";
  const std::string species = species_list(st.species);
  // MLIP's (and the paper's) weights energy:force:stress = 1 : 0.01 : 0.001 are `train`'s
  // defaults; they are spelled out so that the command line documents them. --valid-fraction 0:
  // the demo's own test frames are its held-out set; all training frames are fitted, as the
  // paper's.
  std::vector<std::string> common{"--data",
                                  st.train_data.string(),
                                  "--species",
                                  species,
                                  "--rcut",
                                  shortest(st.rcut),
                                  "--radial-basis-size",
                                  std::to_string(st.radial_basis_size),
                                  "--energy-weight",
                                  "1",
                                  "--force-weight",
                                  "0.01",
                                  "--stress-weight",
                                  "0.001",
                                  "--max-iter",
                                  std::to_string(st.max_iter),
                                  "--valid-fraction",
                                  "0",
                                  "--seed",
                                  std::to_string(st.seed),
                                  "--checkpoint",
                                  ckpt.string(),
                                  "--checkpoint-every",
                                  "10",
                                  "--json",
                                  tjson.string(),
                                  "-o",
                                  r.potential.string()};
  if (st.threads > 0) common.insert(common.end(), {"--threads", std::to_string(st.threads)});
  if (st.device != "auto") common.insert(common.end(), {"--device", st.device});
  r.train_command = {"train", "--level", std::to_string(st.level)};
  r.train_command.insert(r.train_command.end(), common.begin(), common.end());
  r.errors_command = {"errors", r.potential.string(), st.test_data.string(), "--species", species,
                      "--json", ejson.string()};
  const json params = {{"train", shell_line(r.train_command)},
                       {"errors", shell_line(r.errors_command)}};
  if (fs::exists(done) && fs::exists(r.potential)) {
    const json d = read_json(done);
    if (d.value("params", json()) == params) {
      r.reused = true;
      r.seconds = d.value("seconds", 0.0);
      r.train_json = read_json(tjson);
      r.test_errors = read_json(ejson);
      return r;
    }
  }
  const auto t0 = std::chrono::steady_clock::now();
  if (fs::exists(ckpt)) {  // continue an interrupted training
    std::vector<std::string> resume{"train", "--resume", ckpt.string()};
    resume.insert(resume.end(), common.begin(), common.end());
    std::printf("[demo] resuming the training: %s\n", shell_line(resume).c_str());
    run_superion_command(resume);
  } else {
    std::printf("[demo] %s\n", shell_line(r.train_command).c_str());
    run_superion_command(r.train_command);
  }
  std::printf("[demo] %s > %s\n", shell_line(r.errors_command).c_str(),
              (dir / "test_errors.log").c_str());
  {
    StdoutToFile log(dir / "test_errors.log");
    run_superion_command(r.errors_command);
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.train_json = read_json(tjson);
  r.test_errors = read_json(ejson);
  AtomicFile f(done);
  f.stream() << json{{"params", params}, {"seconds", r.seconds}}.dump(1) << '\n';
  f.commit();
  fs::remove(ckpt);
  return r;
}

}  // namespace superion::demo
