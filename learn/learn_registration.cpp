// `superion grade|select|label|learn`: the active-learning commands of superion_learn.
#include "cli/commands.hpp"
#include "learn_cli.hpp"

namespace superion::cli {

void register_learn_commands(CLI::App& app, CLI::App& bench) {
  register_grade_commands(app, bench);
  register_label_command(app);
  register_learn_command(app);
}

}  // namespace superion::cli
