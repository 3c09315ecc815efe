// superion: entry point. Builds the CLI from every library's subcommands, runs it, and turns
// exceptions into one clear message and a non-zero exit code.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "cli/commands.hpp"
#include "core/error.hpp"

int main(int argc, char** argv) {
  CLI::App app{
      "superion: Moment Tensor Potentials, GPU molecular dynamics and ion-transport "
      "analysis for sodium superionic conductors"};
  app.require_subcommand(1);
  // Every option's default appears in `--help` (subcommands inherit this when they are created).
  app.option_defaults()->always_capture_default();
  app.set_version_flag("--version", SUPERION_VERSION_STRING);
  CLI::App* bench =
      app.add_subcommand("bench", "Benchmarks of the hot paths (prints µs/atom, atom-steps/s)");
  bench->require_subcommand(1);
  superion::cli::register_host_commands(app, *bench);
  superion::cli::register_io_commands(app, *bench);
  superion::cli::register_mtp_commands(app, *bench);
  superion::cli::register_basis_commands(app, *bench);
  superion::cli::register_training_commands(app, *bench);
  superion::cli::register_md_commands(app, *bench);
  superion::cli::register_screen_commands(app, *bench);
  superion::cli::register_pso_commands(app, *bench);
  superion::cli::register_demo_commands(app, *bench);
  superion::cli::register_learn_commands(app, *bench);
  CLI::App* analyze = app.add_subcommand(
      "analyze", "Diffusion, conductivity and mechanism analysis of trajectories");
  analyze->require_subcommand(1);
  superion::cli::register_analysis_commands(*analyze, *bench);
  superion::cli::register_mechanism_commands(*analyze, *bench);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const superion::StoppedEarly& e) {
    std::fprintf(stderr, "superion: stopped: %s\n", e.what());
    return e.code();
  } catch (const superion::InputError& e) {
    std::fprintf(stderr, "superion: input error: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "superion: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
