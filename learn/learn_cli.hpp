// Registration of the active-learning subcommands (one per file).
#pragma once

namespace CLI {
class App;
}

namespace superion::cli {

void register_grade_commands(CLI::App& app,
                             CLI::App& bench);  // grade_commands.cpp: grade, select, bench grade
void register_label_command(CLI::App& app);     // label_commands.cpp: label
void register_learn_command(CLI::App& app);     // learn_commands.cpp: learn
// structure_grader_factory.cpp: the active-set grader of `pso|relax --grade-als/--grade-train`
void register_structure_grader();

}  // namespace superion::cli
