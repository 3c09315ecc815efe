// Running another `superion` command as a child process (the same executable, /proc/self/exe),
// with its output in a log file. The child gets SIGTERM when this process dies, so a killed
// `superion learn` leaves no orphaned trainer behind.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/run_command.hpp"

namespace superion {

// Path of the running executable.
std::filesystem::path self_executable();

// Runs `self_executable() args…` in `cwd`, stdout and stderr appended to `log`; blocks.
CommandOutcome run_self(const std::vector<std::string>& args, const std::filesystem::path& cwd,
                        const std::filesystem::path& log);

}  // namespace superion
