// Running an external program: `/bin/sh -c COMMAND` in a given directory with stdin from
// /dev/null and stdout/stderr captured in files, and a precise account of how it ended (exit
// status or signal). Used by the external-program calculator (calculators/command_calculator.hpp);
// learn/self_process.cpp waits for its children with wait_for_child.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <filesystem>
#include <string>

namespace superion {

struct CommandOutcome {
  int exit_code = 0;  // valid when signal == 0
  int signal = 0;     // terminating signal, 0 when the program exited normally
  bool ok() const { return signal == 0 && exit_code == 0; }
  // "exit status 2" or "killed by signal 9 (Killed)".
  std::string describe() const;
};

// Runs `command` with /bin/sh -c in `cwd`; stdout and stderr are written (truncated first) to the
// given files. Blocks until the program ends. Safe to call from several threads at once.
// Throws superion::Error when the files cannot be opened or the process cannot be started; a
// program that runs and fails is reported through the outcome, not by an exception.
CommandOutcome run_shell_command(const std::string& command, const std::filesystem::path& cwd,
                                 const std::filesystem::path& stdout_file,
                                 const std::filesystem::path& stderr_file);

// Waits for the child process `pid` (retrying when interrupted) and tells how it ended. Throws
// superion::Error ("waiting for <what>: <reason>") when it cannot be waited for.
CommandOutcome wait_for_child(pid_t pid, const std::string& what);

// The last `max_lines` lines (at most `max_bytes` bytes) of a text file; "" when unreadable.
std::string file_tail(const std::filesystem::path& path, std::size_t max_lines = 15,
                      std::size_t max_bytes = 4096);

}  // namespace superion
