// AtomicFile implementation (temp file + rename).
#include "core/atomic_file.hpp"

#include <unistd.h>

#include <atomic>

#include "core/error.hpp"

namespace superion {

std::filesystem::path temp_path_for(const std::filesystem::path& path) {
  static std::atomic<unsigned> counter{0};
  return std::filesystem::path(path.string() + ".tmp." + std::to_string(::getpid()) + "." +
                               std::to_string(counter++));
}

AtomicFile::AtomicFile(std::filesystem::path path, std::ios::openmode mode)
    : path_(std::move(path)), temp_(temp_path_for(path_)) {
  out_.open(temp_, mode | std::ios::out | std::ios::trunc);
  if (!out_) throw Error("cannot open '" + temp_.string() + "' for writing (output " + path_.string() + ")");
}

AtomicFile::~AtomicFile() {
  if (!committed_) {
    out_.close();
    std::error_code ec;
    std::filesystem::remove(temp_, ec);
  }
}

void AtomicFile::commit() {
  out_.flush();
  if (!out_) throw Error("write to '" + path_.string() + "' failed");
  out_.close();
  commit_temp_file(temp_, path_);
  committed_ = true;
}

void commit_temp_file(const std::filesystem::path& temp, const std::filesystem::path& path) {
  std::error_code ec;
  std::filesystem::rename(temp, path, ec);
  if (ec) {
    std::filesystem::remove(temp, ec);
    throw Error("cannot rename '" + temp.string() + "' to '" + path.string() + "': " + ec.message());
  }
}

}  // namespace superion
