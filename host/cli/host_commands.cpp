// `superion version` (info and convert are added with the file formats).
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/commands.hpp"

namespace superion::cli {

void register_host_commands(CLI::App& app, CLI::App& bench) {
  CLI::App* version = app.add_subcommand("version", "Print the version and build options");
  version->callback([] {
    std::printf("superion %s\n", SUPERION_VERSION_STRING);
#ifdef SUPERION_HAVE_CUDA
    std::printf("CUDA backend: on\n");
#else
    std::printf("CUDA backend: off\n");
#endif
  });
}

}  // namespace superion::cli
