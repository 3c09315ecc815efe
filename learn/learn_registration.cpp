// `superion grade|select|label|learn`: the active-learning commands of superion_learn, and the
// active-set grader that `pso` and `relax` (superion_host) use through cli/structure_grader.hpp.
#include "cli/commands.hpp"
#include "learn_cli.hpp"

namespace superion::cli {

void register_learn_commands(CLI::App& app, CLI::App& bench) {
  register_grade_commands(app, bench);
  register_label_command(app);
  register_learn_command(app);
  register_structure_grader();
}

}  // namespace superion::cli
