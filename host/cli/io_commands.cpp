// `superion info`, `superion convert` (placeholder until the file formats land).
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"

namespace superion::cli {
void register_io_commands(CLI::App& app, CLI::App& bench) {}
}  // namespace superion::cli
