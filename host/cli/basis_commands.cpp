// `superion mtp-basis` (placeholder until the basis generator lands).
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"

namespace superion::cli {
void register_basis_commands(CLI::App& app, CLI::App& bench) {}
}  // namespace superion::cli
