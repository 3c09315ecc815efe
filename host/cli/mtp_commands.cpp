// `superion mtp-basis`, `eval`, `errors`, `bench eval`: registered here (lands with the MTP issue).
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"

namespace superion::cli {
void register_mtp_commands(CLI::App& app, CLI::App& bench) {}
}  // namespace superion::cli
