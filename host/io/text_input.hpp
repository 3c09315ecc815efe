// Opening text input files that may be gzip-compressed. Compression is detected by the gzip magic
// bytes 1f 8b (not by the name), so md.xyz.gz, a renamed .gz and a plain file all read the same;
// name-based format detection strips a trailing ".gz" (strip_gz_suffix) before it looks. Pipes
// (`<(zcat md.xyz.gz)`, /dev/stdin) are read once, through zlib, which passes plain data through.
#pragma once

#include <cstddef>
#include <filesystem>
#include <istream>
#include <memory>
#include <streambuf>
#include <string>

namespace superion::io {

// True when the file starts with the gzip magic bytes; false for plain, empty or unreadable files
// and for pipes (not probed).
bool is_gzip_file(const std::filesystem::path& path);

// The whole (decompressed) text of a file. Throws InputError(path, 0, ...) when it cannot be opened
// or its gzip data is corrupt or truncated.
std::string read_text_file(const std::filesystem::path& path);

// `name` without a trailing ".gz" (any case): "md.xyz.gz" → "md.xyz", "XDATCAR.GZ" → "XDATCAR".
std::string strip_gz_suffix(const std::string& name);

// Upper bound of the decompressed size in bytes, for sanity checks of declared counts: the file
// size, or for gzip the file size times deflate's maximum ratio (1032:1). 0 when unknown.
std::size_t text_size_bound(const std::filesystem::path& path);

// An istream over a plain or gzip-compressed file, decompressing as it is read. exceptions(badbit)
// is set, so a corrupt or truncated .gz throws its InputError out of getline / >>.
class TextInputStream : public std::istream {
 public:
  // Throws InputError(path, 0, "cannot open file for reading") when it cannot be opened.
  explicit TextInputStream(const std::filesystem::path& path);
  bool gzip() const { return gzip_; }  // read through zlib (a .gz, or a pipe)

 private:
  std::unique_ptr<std::streambuf> buf_;
  bool gzip_ = false;
};

}  // namespace superion::io
