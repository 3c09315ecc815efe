// fork/exec of /bin/sh with redirected output; see run_command.hpp.
#include "core/run_command.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

#include "core/error.hpp"

namespace superion {
namespace {

// Owns a file descriptor (closed on scope exit).
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

int open_output(const std::filesystem::path& p) {
  const int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw Error("cannot create " + p.string() + ": " + std::strerror(errno));
  return fd;
}

}  // namespace

std::string CommandOutcome::describe() const {
  if (signal != 0)
    return "killed by signal " + std::to_string(signal) + " (" + strsignal(signal) + ")";
  return "exit status " + std::to_string(exit_code);
}

CommandOutcome run_shell_command(const std::string& command, const std::filesystem::path& cwd,
                                 const std::filesystem::path& stdout_file,
                                 const std::filesystem::path& stderr_file) {
  Fd out(open_output(stdout_file));
  Fd err(open_output(stderr_file));
  Fd in(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  if (in.get() < 0) throw Error(std::string("cannot open /dev/null: ") + std::strerror(errno));
  // Everything the child touches is prepared before fork(): between fork and exec only
  // async-signal-safe calls are allowed (the parent may be multi-threaded, e.g. OpenMP).
  const std::string dir = cwd.string();
  const pid_t pid = ::fork();
  if (pid < 0)
    throw Error(std::string("cannot start '") + command + "': fork: " + std::strerror(errno));
  if (pid == 0) {
    if (::chdir(dir.c_str()) != 0 || ::dup2(in.get(), 0) < 0 || ::dup2(out.get(), 1) < 0 ||
        ::dup2(err.get(), 2) < 0)
      ::_exit(127);
    ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);  // exec failed; the shell convention for "command not found"
  }
  return wait_for_child(pid, "'" + command + "'");
}

CommandOutcome wait_for_child(pid_t pid, const std::string& what) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) throw Error("waiting for " + what + ": " + std::strerror(errno));
  CommandOutcome r;
  if (WIFSIGNALED(status))
    r.signal = WTERMSIG(status);
  else
    r.exit_code = WEXITSTATUS(status);
  return r;
}

std::string file_tail(const std::filesystem::path& path, std::size_t max_lines,
                      std::size_t max_bytes) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return "";
  const std::streamoff size = in.tellg();
  const std::streamoff start = size > static_cast<std::streamoff>(max_bytes)
                                   ? size - static_cast<std::streamoff>(max_bytes)
                                   : 0;
  in.seekg(start);
  std::string text(static_cast<std::size_t>(size - start), '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  std::size_t pos = text.size(), lines = 0;
  while (pos > 0) {
    const auto nl = text.rfind('\n', pos - 1);
    if (nl == std::string::npos) break;
    if (++lines == max_lines) return text.substr(nl + 1);
    pos = nl;
  }
  return text;
}

}  // namespace superion
