// Helpers for the gzip-input tests: compress a file or a text with zlib, cut or damage a .gz.
#pragma once

#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace superion::testing {

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Writes `text` gzip-compressed to `dst` (zlib's default level, one gzip member).
inline void gzip_text(const std::string& text, const std::filesystem::path& dst) {
  gzFile f = gzopen(dst.c_str(), "wb");
  ASSERT_NE(f, nullptr) << dst;
  if (!text.empty()) {
    ASSERT_EQ(gzwrite(f, text.data(), static_cast<unsigned>(text.size())),
              static_cast<int>(text.size()));
  }
  ASSERT_EQ(gzclose(f), Z_OK);
}

inline void gzip_file(const std::filesystem::path& src, const std::filesystem::path& dst) {
  ASSERT_TRUE(std::filesystem::exists(src)) << src;
  gzip_text(slurp(src), dst);
}

// Copies the first `keep` bytes of `src` to `dst` (a truncated download).
inline void truncate_copy(const std::filesystem::path& src, const std::filesystem::path& dst,
                          std::size_t keep) {
  const std::string all = slurp(src);
  ASSERT_LT(keep, all.size());
  std::ofstream(dst, std::ios::binary) << all.substr(0, keep);
}

}  // namespace superion::testing
