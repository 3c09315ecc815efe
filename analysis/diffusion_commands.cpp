// `superion analyze diffusion|arrhenius` (placeholder until the diffusion analysis lands).
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"

namespace superion::cli {
void register_analysis_commands(CLI::App& app, CLI::App& bench) {}
}  // namespace superion::cli
