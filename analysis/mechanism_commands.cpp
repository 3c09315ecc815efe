// `superion analyze hops|vanhove|vacf|rotation|density|ldfc` (placeholder until they land).
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"

namespace superion::cli {
void register_mechanism_commands(CLI::App& app, CLI::App& bench) {}
}  // namespace superion::cli
