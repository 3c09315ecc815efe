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

// Writes `items` to `path` atomically as the text append(buf, item) adds to a buffer for each item,
// written out in pieces of about 1 MiB (memory stays bounded for large data sets).
template <class Items, class Append>
void write_text_atomically(const std::filesystem::path& path, const Items& items,
                           const Append& append) {
  AtomicFile file(path);
  std::string buf;
  buf.reserve(1 << 20);
  for (const auto& item : items) {
    append(buf, item);
    if (buf.size() > (1u << 20)) {
      file.stream().write(buf.data(), static_cast<std::streamsize>(buf.size()));
      buf.clear();
    }
  }
  file.stream().write(buf.data(), static_cast<std::streamsize>(buf.size()));
  file.commit();
}

// Renames a finished temporary file (written by a library such as HDF5) onto `path`.
void commit_temp_file(const std::filesystem::path& temp, const std::filesystem::path& path);
// A unique temporary name next to `path` for writers that cannot use AtomicFile's stream.
std::filesystem::path temp_path_for(const std::filesystem::path& path);

}  // namespace superion
