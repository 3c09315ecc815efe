// `superion mtp-basis`: generate an untrained MTP contraction table (.mtp template) of a given
// level with our own generator (host/mtp/basis_generator.hpp).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.hpp"
#include "mtp/basis_generator.hpp"

namespace superion::cli {

namespace {
struct BasisArgs {
  mtp::BasisOptions opt;
  std::string output;
  bool quiet = false;
};
}  // namespace

void register_basis_commands(CLI::App& app, CLI::App& /*bench*/) {
  auto args = std::make_shared<BasisArgs>();
  CLI::App* cmd = app.add_subcommand(
      "mtp-basis",
      "Generate an untrained MTP table (contractions of <= 4 moment tensors, level <= L)");
  cmd->add_option("--level", args->opt.level, "MTP level: even, 2..28")->required();
  cmd->add_option("--species", args->opt.species_count, "number of species (species_count)")
      ->required();
  cmd->add_option("--radial-basis-size", args->opt.radial_basis_size,
                  "Chebyshev radial basis size R")
      ->default_val(8);
  cmd->add_option("--rcut", args->opt.max_dist, "cutoff radius max_dist (Angstrom)")->required();
  cmd->add_option("--rmin", args->opt.min_dist,
                  "min_dist (Angstrom), left end of the Chebyshev interval")
      ->default_val(2.0);
  cmd->add_option("-o,--output", args->output, "output .mtp file")->required();
  cmd->add_flag("-q,--quiet", args->quiet, "do not print the summary");
  cmd->callback([args] {
    mtp::BasisStats stats;
    const mtp::MtpBasisTable table = mtp::generate_basis(args->opt, &stats);
    mtp::write_untrained_table(table, args->output);
    if (!args->quiet) {
      int f[5] = {0, 0, 0, 0, 0};
      for (int k : table.factor_counts()) ++f[k];
      std::printf(
          "level %d: %zu basis functions (1/2/3/4 factors: %d/%d/%d/%d), %d radial functions,\n"
          "%zu basic moments, %d slots, %zu contraction terms; %ld candidates, %.2f s -> %s\n",
          args->opt.level, table.mapping.size(), f[1], f[2], f[3], f[4], table.radial_funcs_count,
          table.basic.size(), table.alpha_moments_count, table.times.size(), stats.candidates,
          stats.seconds, args->output.c_str());
    }
  });
}

}  // namespace superion::cli
