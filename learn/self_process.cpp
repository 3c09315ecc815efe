// fork/exec of the running executable; see self_process.hpp.
#include "self_process.hpp"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>

#include "core/error.hpp"

namespace superion {

std::filesystem::path self_executable() {
  std::error_code ec;
  const auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) throw Error("cannot find the superion executable (/proc/self/exe): " + ec.message());
  return p;
}

CommandOutcome run_self(const std::vector<std::string>& args, const std::filesystem::path& cwd,
                        const std::filesystem::path& log) {
  const std::string exe = self_executable().string();
  std::vector<std::string> argv_s{exe};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) throw Error("cannot write " + log.string() + ": " + std::strerror(errno));
  const int in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  const std::string dir = cwd.string();
  const pid_t parent = ::getpid();
  // Everything is prepared before fork(): between fork and exec only async-signal-safe calls.
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fd);
    if (in >= 0) ::close(in);
    throw Error(std::string("cannot start ") + exe + ": fork: " + std::strerror(errno));
  }
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(127);  // the parent died before prctl
    if (::chdir(dir.c_str()) != 0 || (in >= 0 && ::dup2(in, 0) < 0) || ::dup2(fd, 1) < 0 ||
        ::dup2(fd, 2) < 0)
      ::_exit(127);
    ::execv(exe.c_str(), argv.data());
    ::_exit(127);
  }
  ::close(fd);
  if (in >= 0) ::close(in);
  return wait_for_child(pid, "a child");
}

}  // namespace superion
