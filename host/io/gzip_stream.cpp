// GzipStreambuf and read_gzip_file over zlib's gz* file interface.
#include "io/gzip_stream.hpp"

#include <zlib.h>

#include <algorithm>
#include <climits>

#include "core/error.hpp"

namespace superion::io {
namespace {

// zlib's internal buffer and ours: large reads keep the per-call overhead negligible.
constexpr unsigned kZlibBuffer = 1u << 17;
constexpr std::size_t kChunk = std::size_t{1} << 16;

}  // namespace

void GzipStreambuf::Closer::operator()(gzFile_s* f) const {
  gzclose_r(f);
}

GzipStreambuf::GzipStreambuf(const std::filesystem::path& path)
    : file_(gzopen(path.c_str(), "rb")), name_(path.string()), buffer_(kChunk) {
  if (!file_) throw InputError(name_, 0, "cannot open file for reading");
  gzbuffer(file_.get(), kZlibBuffer);
  setg(buffer_.data(), buffer_.data(), buffer_.data());
}

std::size_t GzipStreambuf::read(char* out, std::size_t n) {
  const unsigned want = static_cast<unsigned>(n < INT_MAX ? n : INT_MAX);
  const int got = gzread(file_.get(), out, want);
  int err = Z_OK;
  const char* msg = gzerror(file_.get(), &err);
  if (got < 0) {
    // gzerror's text is "PATH: reason"; the InputError already names the file.
    std::string reason = msg && *msg ? msg : "read error";
    if (reason.rfind(name_ + ": ", 0) == 0) reason.erase(0, name_.size() + 2);
    throw InputError(name_, 0, "gzip data corrupt (" + reason + "): the .gz file is damaged");
  }
  // gzread hands out what it has and flags Z_BUF_ERROR when the file ends inside a stream; the
  // flag stays set, so it is seen at the latest on the call that returns 0.
  if (got == 0 && err == Z_BUF_ERROR)
    throw InputError(name_, 0,
                     "gzip data truncated: the file ends inside the compressed stream "
                     "(incomplete download or copy?)");
  return static_cast<std::size_t>(got);
}

GzipStreambuf::int_type GzipStreambuf::underflow() {
  if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
  const std::size_t got = read(buffer_.data(), buffer_.size());
  if (got == 0) return traits_type::eof();
  setg(buffer_.data(), buffer_.data(), buffer_.data() + got);
  return traits_type::to_int_type(*gptr());
}

std::string read_gzip_file(const std::filesystem::path& path) {
  GzipStreambuf in(path);
  std::string text;
  std::size_t used = 0;
  while (true) {
    if (text.size() - used < kChunk) text.resize(std::max(2 * text.size(), used + 4 * kChunk));
    const std::size_t got = in.read(text.data() + used, text.size() - used);
    if (got == 0) break;
    used += got;
  }
  text.resize(used);
  return text;
}

}  // namespace superion::io
