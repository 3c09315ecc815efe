// Labelling with retries, failure records and a resume journal; see labeling.hpp.
#include "labeling.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>

#include "core/duration_text.hpp"
#include "core/error.hpp"
#include "io/cfg.hpp"
#include "io/text_input.hpp"

namespace superion {
namespace fs = std::filesystem;
namespace {

constexpr const char* kIndexFeature = "label_index";

// Journal entries: index → labelled configuration, checked against the input.
std::map<std::size_t, Configuration> read_journal(const std::string& path, const Dataset& in) {
  std::map<std::size_t, Configuration> done;
  if (path.empty() || !fs::exists(path) || fs::file_size(path) == 0) return done;
  // A kill during an append can leave a partial last block: keep everything before it.
  std::string text = io::read_text_file(path);
  const auto end = text.rfind("END_CFG");
  text.resize(end == std::string::npos ? 0 : end + 7);
  text += '\n';
  const Dataset j = io::read_cfg_text(std::move(text), path);
  for (Configuration c : j.configs) {
    long idx = -1;
    for (const auto& [k, v] : c.features)
      if (k == kIndexFeature) idx = std::stol(v);
    if (idx < 0 || static_cast<std::size_t>(idx) >= in.size())
      throw InputError(path, 0, "journal entry without a valid label_index");
    const Structure& a = in.configs[static_cast<std::size_t>(idx)].structure;
    bool same = a.size() == c.size() && a.types == c.structure.types;
    for (std::size_t i = 0; same && i < a.size(); ++i)
      same = norm(a.positions[i] - c.structure.positions[i]) < 1e-9;
    if (!same)
      throw InputError(path, 0,
                       "journal entry " + std::to_string(idx + 1) +
                           " is not the input's configuration: the journal belongs to other "
                           "input (remove it)");
    done[static_cast<std::size_t>(idx)] = std::move(c);
  }
  return done;
}

Configuration labelled(const Configuration& src, const CalcResult& r) {
  Configuration c = src;
  c.energy = r.energy;
  c.forces = r.forces;
  if (r.has_virial)
    c.virial = r.virial;
  else
    c.virial.reset();
  c.site_energies.reset();
  return c;
}

}  // namespace

LabelReport label_configurations(const Dataset& in, const Calculator& calc, const LabelOptions& o,
                                 Dataset& out) {
  if (o.attempts < 1) throw Error("labelling needs at least one attempt per configuration");
  const auto t0 = std::chrono::steady_clock::now();
  LabelReport rep;
  rep.total = in.size();
  std::map<std::size_t, Configuration> done = read_journal(o.journal, in);
  rep.resumed = done.size();
  std::ofstream journal;
  if (!o.journal.empty()) {
    journal.open(o.journal, std::ios::app);
    if (!journal) throw Error("cannot write the labelling journal " + o.journal);
  }
  std::deque<std::size_t> pending;
  for (std::size_t k = 0; k < in.size(); ++k)
    if (!done.count(k) && in.configs[k].size() > 0) pending.push_back(k);
  std::map<std::size_t, int> tries;
  std::map<std::size_t, std::string> last_error;
  std::size_t batch = o.batch > 0 ? o.batch : calc.batch_size();
  if (batch == 0) batch = std::max<std::size_t>(1, pending.size());
  const std::size_t todo = pending.size();
  std::size_t finished = 0;
  auto last_report = std::chrono::steady_clock::now();
  io::CfgWriteOptions lossless;
  lossless.lossless = true;
  while (!pending.empty()) {
    std::vector<std::size_t> chunk;
    while (!pending.empty() && chunk.size() < batch) {
      chunk.push_back(pending.front());
      pending.pop_front();
    }
    std::vector<Structure> structures;
    for (std::size_t k : chunk) structures.push_back(in.configs[k].structure);
    std::vector<CalcOutcome> res = calc.compute_many(structures);
    if (res.size() != chunk.size()) throw Error("calculator returned a wrong number of results");
    bool whole_batch_failed = chunk.size() > 1;
    for (const auto& r : res)
      whole_batch_failed = whole_batch_failed && !r.ok && r.error == res.front().error;
    if (whole_batch_failed) {  // the program itself failed: isolate the culprit, keep the tries
      batch = std::max<std::size_t>(1, chunk.size() / 2);
      for (auto it = chunk.rbegin(); it != chunk.rend(); ++it) pending.push_front(*it);
      if (o.progress)
        std::fprintf(stderr,
                     "[label] a batch of %zu failed as a whole; retrying in batches of %zu\n",
                     chunk.size(), batch);
      continue;
    }
    for (std::size_t m = 0; m < chunk.size(); ++m) {
      const std::size_t k = chunk[m];
      if (res[m].ok && std::isfinite(res[m].result.energy)) {
        Configuration c = labelled(in.configs[k], res[m].result);
        if (journal.is_open()) {
          Configuration j = c;
          j.features.emplace_back(kIndexFeature, std::to_string(k));
          std::string text;
          io::format_cfg(text, j, lossless);
          journal.write(text.data(), static_cast<std::streamsize>(text.size()));
          journal.flush();
          if (!journal) throw Error("cannot write the labelling journal " + o.journal);
        }
        done[k] = std::move(c);
        ++finished;
        continue;
      }
      last_error[k] = res[m].ok ? "non-finite energy" : res[m].error;
      if (++tries[k] < o.attempts) {
        pending.push_back(k);
      } else {
        rep.failures.push_back({k, tries[k], last_error[k]});
        ++finished;
        if (o.progress)
          std::fprintf(stderr, "[label] configuration %zu failed %d times: %s\n", k + 1, tries[k],
                       last_error[k].c_str());
      }
    }
    const auto now = std::chrono::steady_clock::now();
    if (o.progress &&
        (std::chrono::duration<double>(now - last_report).count() > 10.0 || pending.empty())) {
      last_report = now;
      const double el = std::chrono::duration<double>(now - t0).count();
      const double rate = finished / std::max(el, 1e-9);
      std::fprintf(stderr, "[label] %zu/%zu done (%zu failed), elapsed %s, ETA %s\n", finished,
                   todo, rep.failures.size(), duration_hms(el).c_str(),
                   duration_hms(rate > 0 ? (todo - finished) / rate : 0.0).c_str());
    }
  }
  out.configs.clear();
  out.species = in.species;
  for (auto& [k, c] : done) {
    c.features.erase(std::remove_if(c.features.begin(), c.features.end(),
                                    [](const auto& kv) { return kv.first == kIndexFeature; }),
                     c.features.end());
    if (c.structure.species_symbols.empty())
      c.structure.species_symbols = in.configs[k].structure.species_symbols;
    out.configs.push_back(std::move(c));
  }
  rep.labelled = out.size();
  std::sort(rep.failures.begin(), rep.failures.end(),
            [](const auto& a, const auto& b) { return a.index < b.index; });
  rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return rep;
}

std::string format_failures(const LabelReport& r, const std::string& input_name) {
  std::string s = "# configurations of " + input_name + " that could not be labelled (" +
                  std::to_string(r.failures.size()) + " of " + std::to_string(r.total) + ")\n";
  for (const auto& f : r.failures)
    s += "configuration " + std::to_string(f.index + 1) + " (" + std::to_string(f.attempts) +
         " tries): " + f.error + "\n\n";
  return s;
}

}  // namespace superion
