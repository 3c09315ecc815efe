// The one progress reporter of long jobs (md, train, pso, analyses, the demo):
//   "<label> 42.0% 4200/10000 | <detail> | elapsed 0:01:02 | ETA 0:01:25"
// ETA = remaining work / the rate measured since the reporter was made (known from the first
// unit done on). On a terminal the line is rewritten in place ('\r', at most every 0.25 s) and
// ends with a newline at finish(); in a log (not a terminal) one line is written at most every
// `log_interval_s` (default 5 s), so a one-second job prints its first and last lines only.
// The first update and finish() always print (unless Options::delay_s holds them back). Other
// output to the same terminal should call interrupt() first, which clears a pending in-place line.
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

namespace superion {

class Progress {
 public:
  struct Options {
    double log_interval_s = 5.0;
    double tty_interval_s = 0.25;
    // Nothing is printed before the job has run this long (finish() then stays silent too), so
    // quick jobs (reading a small trajectory) print no progress at all.
    double delay_s = 0.0;
    int terminal = -1;  // -1: detect with isatty(); 0/1 force (tests)
  };
  // `stream` nullptr = silent; `total` units of work (<= 0: unknown, then neither percentage nor
  // ETA is shown).
  Progress(std::FILE* stream, std::string label, double total);
  Progress(std::FILE* stream, std::string label, double total, Options options);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // `done` units so far; prints when due. Cheap when not due (one clock read).
  void update(double done, const std::string& detail = {});
  // Whether update() would print now (to build an expensive detail only then).
  bool due() const;
  // The last line (always printed), ending the in-place line on a terminal; `done` < 0 keeps the
  // last update's count.
  void finish(const std::string& detail = {}, double done = -1);
  // Clears a pending in-place line (terminal only) before other output.
  void interrupt();
  // Seconds left at `done` from the rate so far (NaN before any unit is done).
  double eta_seconds(double done) const;
  double elapsed_seconds() const;
  // The text of the line for `done` and `detail` (what update/finish print).
  std::string line(double done, const std::string& detail) const;

 private:
  using Clock = std::chrono::steady_clock;
  std::FILE* stream_;
  std::string label_;
  double total_;
  Options opt_;
  bool terminal_;
  Clock::time_point start_, last_print_;
  bool printed_ = false, pending_line_ = false, finished_ = false;
  std::size_t last_width_ = 0;
  double done_ = 0;
  void print(const std::string& text, bool final);
};

}  // namespace superion
