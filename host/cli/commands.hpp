// Subcommand registration. Each library adds its subcommands to the one `superion` executable:
// `app` is the root, `bench` the `superion bench` group (benchmarks of hot paths).
#pragma once

namespace CLI {
class App;
}

namespace superion::cli {

void register_host_commands(CLI::App& app, CLI::App& bench);      // host/cli: info, convert, version
void register_mtp_commands(CLI::App& app, CLI::App& bench);       // host/cli: mtp-basis, eval, errors
void register_training_commands(CLI::App& app, CLI::App& bench);  // training/: train
void register_md_commands(CLI::App& app, CLI::App& bench);        // md/: md
void register_analysis_commands(CLI::App& app, CLI::App& bench);  // analysis/: analyze

}  // namespace superion::cli
