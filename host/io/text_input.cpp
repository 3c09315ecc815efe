// Plain-or-gzip text input: magic-byte detection, whole-file reads and a streaming istream.
#include "io/text_input.hpp"

#include <fstream>
#include <limits>

#include "core/error.hpp"
#include "io/gzip_stream.hpp"

namespace superion::io {
namespace {

// Deflate cannot compress better than 1032:1 (258-byte matches coded in 2 bits).
constexpr std::size_t kMaxDeflateRatio = 1032;

std::string read_plain_file(const std::filesystem::path& path) {
  const std::string name = path.string();
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(name, 0, "cannot open file for reading");
  in.seekg(0, std::ios::end);
  const auto size = in.tellg();
  if (size < 0) throw InputError(name, 0, "cannot determine the file size");
  std::string text(static_cast<std::size_t>(size), '\0');
  in.seekg(0, std::ios::beg);
  if (size > 0 && !in.read(text.data(), size)) throw InputError(name, 0, "read error");
  return text;
}

// Pipes and devices (`<(zcat …)`, /dev/stdin) can be read only once, so they cannot be probed
// for the magic bytes and reopened: they go through zlib, which reads plain data unchanged
// ("transparent" mode) and decompresses gzip data, deciding from the same first bytes.
bool is_stream_only(const std::filesystem::path& path) {
  std::error_code ec;
  const auto st = std::filesystem::status(path, ec);
  return !ec && std::filesystem::exists(st) && !std::filesystem::is_regular_file(st) &&
         !std::filesystem::is_directory(st);
}

}  // namespace

bool is_gzip_file(const std::filesystem::path& path) {
  if (is_stream_only(path)) return false;  // probing would consume the bytes
  std::ifstream in(path, std::ios::binary);
  unsigned char magic[2] = {0, 0};
  if (!in.read(reinterpret_cast<char*>(magic), 2)) return false;
  return magic[0] == 0x1f && magic[1] == 0x8b;
}

std::string read_text_file(const std::filesystem::path& path) {
  return is_stream_only(path) || is_gzip_file(path) ? read_gzip_file(path) : read_plain_file(path);
}

std::string strip_gz_suffix(const std::string& name) {
  const std::size_t n = name.size();
  if (n > 3 && name[n - 3] == '.' && (name[n - 2] == 'g' || name[n - 2] == 'G') &&
      (name[n - 1] == 'z' || name[n - 1] == 'Z'))
    return name.substr(0, n - 3);
  return name;
}

std::size_t text_size_bound(const std::filesystem::path& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return 0;
  const auto bytes = static_cast<std::size_t>(size);
  if (!is_gzip_file(path)) return bytes;
  const std::size_t max = std::numeric_limits<std::size_t>::max();
  return bytes > max / kMaxDeflateRatio ? max : bytes * kMaxDeflateRatio;
}

TextInputStream::TextInputStream(const std::filesystem::path& path) : std::istream(nullptr) {
  gzip_ = is_stream_only(path) || is_gzip_file(path);
  if (gzip_) {
    buf_ = std::make_unique<GzipStreambuf>(path);
  } else {
    auto file = std::make_unique<std::filebuf>();
    if (!file->open(path, std::ios::in | std::ios::binary))
      throw InputError(path.string(), 0, "cannot open file for reading");
    buf_ = std::move(file);
  }
  rdbuf(buf_.get());
  exceptions(std::ios::badbit);
}

}  // namespace superion::io
