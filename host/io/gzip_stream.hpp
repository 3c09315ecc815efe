// GzipStreambuf: a read-only std::streambuf over zlib's gzread, so line-oriented readers can stream
// a gzip-compressed file (md.xyz.gz, XDATCAR.gz) without holding it in memory. Corrupt or
// truncated data throws InputError naming the file; inside an istream that error propagates when
// the stream has exceptions(badbit) set (TextInputStream in text_input.hpp does).
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <streambuf>
#include <string>
#include <vector>

struct gzFile_s;  // zlib's handle; zlib.h stays out of this header

namespace superion::io {

class GzipStreambuf : public std::streambuf {
 public:
  // Opens `path` for decompression; throws InputError(path, 0, ...) when it cannot be opened.
  explicit GzipStreambuf(const std::filesystem::path& path);
  GzipStreambuf(const GzipStreambuf&) = delete;
  GzipStreambuf& operator=(const GzipStreambuf&) = delete;

  // Decompresses up to `n` bytes into `out`; returns how many (0 at the end of the data).
  // Throws InputError on corrupt or truncated data.
  std::size_t read(char* out, std::size_t n);

 protected:
  int_type underflow() override;

 private:
  struct Closer {
    void operator()(gzFile_s* f) const;
  };
  std::unique_ptr<gzFile_s, Closer> file_;
  std::string name_;
  std::vector<char> buffer_;
};

// The whole decompressed content of a gzip file (same errors as GzipStreambuf).
std::string read_gzip_file(const std::filesystem::path& path);

}  // namespace superion::io
