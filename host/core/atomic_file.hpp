// AtomicFile: write output to "<path>.tmp.<pid>" and rename it onto <path> only on commit(), so a
// failed run never leaves a partial file behind. The destructor removes an uncommitted temp file.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>

namespace superion {

class AtomicFile {
 public:
  explicit AtomicFile(std::filesystem::path path, std::ios::openmode mode = std::ios::out);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  std::ofstream& stream() { return out_; }
  const std::filesystem::path& temp_path() const { return temp_; }
  const std::filesystem::path& path() const { return path_; }
  // Flushes, checks the stream, closes and renames onto the final path. Throws superion::Error.
  void commit();

 private:
  std::filesystem::path path_;
  std::filesystem::path temp_;
  std::ofstream out_;
  bool committed_ = false;
};

// Renames a finished temporary file (written by a library such as HDF5) onto `path`.
void commit_temp_file(const std::filesystem::path& temp, const std::filesystem::path& path);
// A unique temporary name next to `path` for writers that cannot use AtomicFile's stream.
std::filesystem::path temp_path_for(const std::filesystem::path& path);

}  // namespace superion
