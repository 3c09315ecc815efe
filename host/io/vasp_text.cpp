// Text helpers for the VASP readers.
#include "io/vasp_text.hpp"

#include <sstream>

#include "io/text_input.hpp"

namespace superion::vasp_text {

std::string read_file(const std::filesystem::path& path) {
  return superion::io::read_text_file(path);
}

void parse_doubles(std::string_view line, double* out, std::size_t n, const std::string& file, long line_no,
                   const char* what, bool allow_extra) {
  std::size_t i = 0, k = 0;
  while (k < n) {
    while (i < line.size() && is_space(line[i])) ++i;
    std::size_t j = i;
    while (j < line.size() && !is_space(line[j])) ++j;
    if (j == i || !parse_double(line.substr(i, j - i), out[k]))
      throw InputError(file, line_no, std::string("expected ") + std::to_string(n) + " finite numbers (" + what +
                                          "), got '" + std::string(trim(line).substr(0, 120)) + "'");
    ++k;
    i = j;
  }
  if (!allow_extra) {
    while (i < line.size() && is_space(line[i])) ++i;
    if (i < line.size())
      throw InputError(file, line_no, std::string("unexpected extra tokens after ") + what);
  }
}

}  // namespace superion::vasp_text
