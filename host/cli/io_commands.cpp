// `superion info FILE` (summary of a structure/dataset file), `superion convert IN OUT` (any
// readable format to any writable one, see io/formats.hpp) and `superion bench read FILE`.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <sstream>

#include "cli/commands.hpp"
#include "core/configuration.hpp"
#include "core/error.hpp"
#include "core/frame_slice.hpp"
#include "io/formats.hpp"

namespace superion::cli {
namespace {

std::vector<std::string> split_species(const std::string& s) {
  std::vector<std::string> out;
  std::string item;
  std::istringstream in(s);
  while (std::getline(in, item, ','))
    if (!item.empty()) out.push_back(item);
  return out;
}

void print_info(const std::string& file, const std::string& format, const Dataset& d) {
  std::printf("file            %s (%s)\n", file.c_str(), format.c_str());
  std::printf("configurations  %zu\n", d.size());
  if (d.size() == 0) return;
  std::size_t nmin = d.configs[0].size(), nmax = nmin;
  std::map<std::string, std::size_t> formulas, types;
  std::size_t n_e = 0, n_f = 0, n_w = 0, n_se = 0, n_q = 0;
  double emin = INFINITY, emax = -INFINITY, epa_min = INFINITY, epa_max = -INFINITY;
  for (const auto& c : d.configs) {
    nmin = std::min(nmin, c.size());
    nmax = std::max(nmax, c.size());
    ++formulas[c.structure.formula()];
    if (!c.config_type.empty()) ++types[c.config_type];
    if (c.energy) {
      ++n_e;
      emin = std::min(emin, *c.energy);
      emax = std::max(emax, *c.energy);
      if (c.size()) {
        epa_min = std::min(epa_min, *c.energy / double(c.size()));
        epa_max = std::max(epa_max, *c.energy / double(c.size()));
      }
    }
    n_f += c.forces.has_value();
    n_w += c.virial.has_value();
    n_se += c.site_energies.has_value();
    n_q += c.charges.has_value();
  }
  std::printf("atoms           %zu in total, %zu..%zu per configuration\n", d.total_atoms(), nmin,
              nmax);
  if (!d.species.empty()) {
    std::printf("species         ");
    for (std::size_t t = 0; t < d.species.size(); ++t)
      std::printf("%s%s=%zu", t ? " " : "", d.species[t].c_str(), t);
    std::printf("\n");
  } else {
    int ntypes = 0;
    for (const auto& c : d.configs) ntypes = std::max(ntypes, c.structure.n_species());
    std::printf(
        "species         %d types, no chemical symbols (give --species for formats that need "
        "them)\n",
        ntypes);
  }
  std::printf("formulas        %zu distinct:", formulas.size());
  std::size_t shown = 0;
  for (const auto& [f, n] : formulas) {
    if (++shown > 8) {
      std::printf(" …");
      break;
    }
    std::printf(" %s (%zu)", f.c_str(), n);
  }
  std::printf("\n");
  const Structure& s = d.configs[0].structure;
  std::printf("first           %zu atoms, %s, pbc %c%c%c\n", s.size(), s.formula().c_str(),
              s.pbc[0] ? 'T' : 'F', s.pbc[1] ? 'T' : 'F', s.pbc[2] ? 'T' : 'F');
  if (s.periodic()) {
    const Vec3 a = s.cell.row(0), b = s.cell.row(1), c = s.cell.row(2);
    const double la = norm(a), lb = norm(b), lc = norm(c);
    auto angle = [](const Vec3& u, const Vec3& v) {
      const double nn = norm(u) * norm(v);
      return nn > 0 ? std::acos(std::clamp(dot(u, v) / nn, -1.0, 1.0)) * 180.0 / M_PI : 0.0;
    };
    std::printf("  cell lengths  %.6f %.6f %.6f Å\n", la, lb, lc);
    std::printf("  cell angles   %.4f %.4f %.4f deg (alpha beta gamma)\n", angle(b, c), angle(a, c),
                angle(a, b));
    std::printf("  volume        %.6f Å^3\n", s.volume());
  }
  if (n_e)
    std::printf("energy          %.6f .. %.6f eV  (%.6f .. %.6f eV/atom)\n", emin, emax, epa_min,
                epa_max);
  std::printf(
      "labels          energy %zu/%zu, forces %zu/%zu, virial %zu/%zu, site energies %zu/%zu, "
      "charges %zu/%zu\n",
      n_e, d.size(), n_f, d.size(), n_w, d.size(), n_se, d.size(), n_q, d.size());
  if (!types.empty()) {
    std::printf("config types   ");
    for (const auto& [t, n] : types) std::printf(" %s (%zu)", t.c_str(), n);
    std::printf("\n");
  }
}

}  // namespace

void register_io_commands(CLI::App& app, CLI::App& bench) {
  struct InfoArgs {
    std::string file, format = "auto", species;
  };
  auto ia = std::make_shared<InfoArgs>();
  CLI::App* info =
      app.add_subcommand("info", "Summarise a structure/dataset file (" + io::format_names() + ")");
  info->add_option("file", ia->file,
                   "Input file (text formats may be gzip-compressed, e.g. md.xyz.gz)")
      ->required();
  info->add_option("--format", ia->format,
                   "Input format: auto (from the file name) or " + io::format_names());
  info->add_option("--species", ia->species,
                   "Comma-separated symbols for types 0..C-1 (e.g. Na,Cl)");
  info->callback([ia] {
    const auto& f = io::find_format(ia->file, ia->format);
    const Dataset d = io::read_dataset(ia->file, f.name, {split_species(ia->species)});
    print_info(ia->file, f.name, d);
  });

  struct ConvertArgs {
    std::string in, out, in_format = "auto", out_format = "auto", species, frames;
    bool lossless = false;
  };
  auto ca = std::make_shared<ConvertArgs>();
  CLI::App* convert =
      app.add_subcommand("convert", "Convert between file formats (" + io::format_names() + ")");
  convert
      ->add_option("input", ca->in,
                   "Input file (text formats may be gzip-compressed, e.g. md.xyz.gz)")
      ->required();
  convert
      ->add_option("output", ca->out,
                   "Output file (written atomically: nothing is left on failure)")
      ->required();
  convert->add_option("--in-format", ca->in_format, "auto or " + io::format_names());
  convert->add_option("--out-format", ca->out_format, "auto or " + io::format_names());
  convert->add_option(
      "--species", ca->species,
      "Comma-separated symbols for types 0..C-1 (needed from .cfg to symbol formats)");
  convert->add_flag("--lossless", ca->lossless,
                    "Write every real number with %.16e (bit-exact round trips)");
  convert->add_option("--frames", ca->frames,
                      "Keep only these configurations, a Python slice START:STOP:STEP (each part "
                      "optional, negative = from the end, STEP > 0), e.g. 100::5, or one index");
  convert->callback([ca] {
    const auto species = split_species(ca->species);
    // Resolve both formats and the slice before reading so bad arguments fail fast.
    const auto& out_format = io::find_format(ca->out, ca->out_format);
    const std::optional<FrameSlice> slice =
        ca->frames.empty() ? std::nullopt
                           : std::optional<FrameSlice>(parse_frame_slice(ca->frames));
    Dataset d = io::read_dataset(ca->in, ca->in_format, {species});
    if (slice) {
      const std::size_t n = d.size();
      std::vector<Configuration> kept;
      try {
        for (std::size_t i : slice_indices(*slice, n)) kept.push_back(std::move(d.configs[i]));
      } catch (const Error& e) {
        throw InputError(ca->in, 0, e.what());
      }
      if (kept.empty())
        throw InputError(ca->in, 0,
                         "--frames '" + ca->frames + "' selects none of its " + std::to_string(n) +
                             " configurations; nothing written");
      std::printf("--frames %s: kept %zu of %zu configurations\n", ca->frames.c_str(), kept.size(),
                  n);
      d.configs = std::move(kept);
    }
    io::write_dataset(ca->out, d, out_format.name, {ca->lossless, species});
    std::printf("wrote %zu configurations (%zu atoms) to %s (%s)\n", d.size(), d.total_atoms(),
                ca->out.c_str(), out_format.name);
  });

  auto ba = std::make_shared<InfoArgs>();
  CLI::App* read = bench.add_subcommand("read", "Time reading a dataset file");
  read->add_option("file", ba->file, "Input file")->required();
  read->add_option("--format", ba->format, "auto or " + io::format_names());
  read->callback([ba] {
    const auto t0 = std::chrono::steady_clock::now();
    const Dataset d = io::read_dataset(ba->file, ba->format);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("read %zu configurations, %zu atoms in %.3f ms (%.2f µs/atom)\n", d.size(),
                d.total_atoms(), s * 1e3,
                d.total_atoms() ? s * 1e6 / double(d.total_atoms()) : 0.0);
  });
}

}  // namespace superion::cli
