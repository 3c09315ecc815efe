// GzipStreambuf and read_gzip_file over zlib's gz* file interface.
#include "io/gzip_stream.hpp"

#include <zlib.h>

#include <algorithm>
#include <climits>
#include <fstream>

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

namespace {

// The gzip trailer's ISIZE (last 4 bytes: uncompressed size mod 2^32) of a single-member file, to
// allocate the text once. Only a hint: multi-member or > 4 GiB files make it wrong, so it is
// capped by deflate's maximum ratio (1032:1) and the read loop still grows the buffer as needed.
std::size_t size_hint(const std::filesystem::path& path) {
  std::error_code ec;
  const auto bytes = std::filesystem::file_size(path, ec);
  if (ec || bytes < 18) return 0;  // not a regular file, or shorter than a gzip header + trailer
  std::ifstream in(path, std::ios::binary);
  unsigned char t[4];
  if (!in.seekg(-4, std::ios::end) || !in.read(reinterpret_cast<char*>(t), 4)) return 0;
  const std::size_t isize = t[0] | (t[1] << 8) | (t[2] << 16) | (std::size_t{t[3]} << 24);
  return std::min<std::size_t>(isize, static_cast<std::size_t>(bytes) * 1032);
}

}  // namespace

std::string read_gzip_file(const std::filesystem::path& path) {
  GzipStreambuf in(path);
  // Reserved, not filled: a wrong hint (damaged trailer) costs address space, not memory, since
  // only the part handed to gzread is zero-filled, a few chunks at a time.
  std::string text;
  text.reserve(size_hint(path) + kChunk);  // + kChunk: room to see the end of the data
  std::size_t used = 0;
  while (true) {
    if (text.size() - used < kChunk) {
      // Grow within the reservation (no reallocation) while it has a chunk left, else double.
      const std::size_t want = used + 4 * kChunk;
      const std::size_t cap = text.capacity();
      text.resize(want <= cap ? want : cap - used >= kChunk ? cap : std::max(want, 2 * cap));
    }
    const std::size_t got = in.read(text.data() + used, text.size() - used);
    if (got == 0) break;
    used += got;
  }
  text.resize(used);
  return text;
}

}  // namespace superion::io
