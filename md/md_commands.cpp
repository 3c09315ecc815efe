// `superion md`: registered here (lands with its issue).
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"

namespace superion::cli {
void register_md_commands(CLI::App& app, CLI::App& bench) {}
}  // namespace superion::cli
