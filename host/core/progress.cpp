// Progress reporter; see progress.hpp.
#include "core/progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/duration_text.hpp"

namespace superion {

Progress::Progress(std::FILE* stream, std::string label, double total)
    : Progress(stream, std::move(label), total, Options{}) {}

Progress::Progress(std::FILE* stream, std::string label, double total, Options options)
    : stream_(stream),
      label_(std::move(label)),
      total_(total),
      opt_(options),
      terminal_(options.terminal >= 0 ? options.terminal == 1
                                      : (stream && isatty(fileno(stream)) == 1)),
      start_(Clock::now()),
      last_print_(start_) {}

Progress::~Progress() {
  if (pending_line_ && stream_) std::fputc('\n', stream_);
}

double Progress::elapsed_seconds() const {
  return std::chrono::duration<double>(Clock::now() - start_).count();
}

double Progress::eta_seconds(double done) const {
  const double el = elapsed_seconds();
  if (!(done > 0) || !(el > 0) || !(total_ > 0)) return std::numeric_limits<double>::quiet_NaN();
  return el / done * std::max(0.0, total_ - done);
}

std::string Progress::line(double done, const std::string& detail) const {
  char head[96];
  if (total_ > 0)
    std::snprintf(head, sizeof head, " %5.1f%% %.0f/%.0f", 100.0 * done / total_, done, total_);
  else
    std::snprintf(head, sizeof head, " %.0f", done);
  std::string s = label_ + head;
  if (!detail.empty()) s += " | " + detail;
  s += " | elapsed " + duration_hms(elapsed_seconds());
  if (total_ > 0) s += " | ETA " + duration_hms(eta_seconds(done));
  return s;
}

void Progress::print(const std::string& text, bool final) {
  if (!stream_) return;
  if (terminal_) {
    std::string padded = text;
    if (padded.size() < last_width_) padded.append(last_width_ - padded.size(), ' ');
    std::fprintf(stream_, "\r%s", padded.c_str());
    last_width_ = text.size();
    pending_line_ = !final;
    if (final) std::fputc('\n', stream_);
  } else {
    std::fprintf(stream_, "%s\n", text.c_str());
  }
  std::fflush(stream_);
  last_print_ = Clock::now();
  printed_ = true;
}

bool Progress::due() const {
  if (!stream_ || finished_) return false;
  if (!printed_) return opt_.delay_s <= 0 || elapsed_seconds() >= opt_.delay_s;
  const double since = std::chrono::duration<double>(Clock::now() - last_print_).count();
  return since >= (terminal_ ? opt_.tty_interval_s : opt_.log_interval_s);
}

void Progress::update(double done, const std::string& detail) {
  done_ = done;
  if (due()) print(line(done, detail), false);
}

void Progress::finish(const std::string& detail, double done) {
  if (finished_) return;
  finished_ = true;
  if (done >= 0) done_ = done;
  if (!stream_ || (opt_.delay_s > 0 && !printed_)) return;
  std::string s = line(done_, detail);
  const auto eta = s.rfind(" | ETA ");
  if (eta != std::string::npos) s.resize(eta);
  print(s + " | done", true);
}

void Progress::interrupt() {
  if (!stream_ || !pending_line_) return;
  std::fprintf(stream_, "\r%*s\r", static_cast<int>(last_width_), "");
  std::fflush(stream_);
  pending_line_ = false;
  last_width_ = 0;
}

}  // namespace superion
