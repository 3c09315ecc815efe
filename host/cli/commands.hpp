// Subcommand registration. Each library adds its subcommands to the one `superion` executable:
// `app` is the root, `bench` the `superion bench` group (benchmarks of hot paths).
#pragma once

namespace CLI {
class App;
}

namespace superion::cli {

void register_host_commands(CLI::App& app, CLI::App& bench);  // host/cli/host_commands.cpp: version
void register_io_commands(CLI::App& app,
                          CLI::App& bench);  // host/cli/io_commands.cpp: info, convert
void register_mtp_commands(CLI::App& app,
                           CLI::App& bench);  // host/cli/mtp_commands.cpp: eval, errors
void register_basis_commands(CLI::App& app,
                             CLI::App& bench);  // host/cli/basis_commands.cpp: mtp-basis
void register_training_commands(CLI::App& app, CLI::App& bench);  // training/: train
void register_md_commands(CLI::App& app, CLI::App& bench);        // md/: md
void register_screen_commands(CLI::App& app,
                              CLI::App& bench);  // host/cli/screen_commands.cpp: screen
void register_pso_commands(CLI::App& app,
                           CLI::App& bench);  // host/cli/pso_commands.cpp: pso, relax
void register_demo_commands(CLI::App& app, CLI::App& bench);  // analysis/demo/: demo
// learn/: grade, select, label, learn (active learning)
void register_learn_commands(CLI::App& app, CLI::App& bench);
// `superion analyze` is one group shared by two files: diffusion/arrhenius and the mechanism
// analyses.
void register_analysis_commands(CLI::App& analyze,
                                CLI::App& bench);  // analysis/diffusion_commands.cpp
void register_mechanism_commands(CLI::App& analyze,
                                 CLI::App& bench);  // analysis/mechanism_commands.cpp

}  // namespace superion::cli
