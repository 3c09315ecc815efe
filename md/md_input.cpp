// Minimal TOML-subset reader for `superion md --input`.
#include "md_input.hpp"

#include <fstream>

#include "core/error.hpp"

namespace superion::md {
namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

// One scalar: "string" (no escapes needed for paths), or a bare number / true / false.
std::string scalar(const std::string& text, const std::string& path, long line) {
  const std::string t = trim(text);
  if (t.empty()) throw InputError(path, line, "missing value");
  if (t.front() == '"') {
    if (t.size() < 2 || t.back() != '"') throw InputError(path, line, "unterminated string " + t);
    return t.substr(1, t.size() - 2);
  }
  for (char c : t)
    if (c == ' ' || c == '"' || c == '[' || c == ']' || c == '=')
      throw InputError(path, line, "expected a number, true/false or a \"string\", got " + t);
  return t;
}

}  // namespace

std::vector<InputEntry> read_md_input(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path, 0, "cannot open the input file");
  std::vector<InputEntry> out;
  std::string raw;
  for (long line = 1; std::getline(in, raw); ++line) {
    // Strip a comment that is not inside a string.
    bool quoted = false;
    std::string text;
    for (char c : raw) {
      if (c == '"') quoted = !quoted;
      if (c == '#' && !quoted) break;
      text += c;
    }
    text = trim(text);
    if (text.empty() || text.front() == '[') {
      if (!text.empty() && text.back() != ']') throw InputError(path, line, "malformed [section]");
      continue;
    }
    const auto eq = text.find('=');
    if (eq == std::string::npos) throw InputError(path, line, "expected key = value");
    InputEntry e;
    e.key = trim(text.substr(0, eq));
    e.line = line;
    if (e.key.empty()) throw InputError(path, line, "missing key before '='");
    const std::string value = trim(text.substr(eq + 1));
    if (!value.empty() && value.front() == '[') {
      if (value.back() != ']') throw InputError(path, line, "unterminated array");
      const std::string body = value.substr(1, value.size() - 2);
      std::string item;
      bool q = false;
      for (char c : body + ",") {
        if (c == '"') q = !q;
        if (c == ',' && !q) {
          if (!trim(item).empty()) e.values.push_back(scalar(item, path, line));
          item.clear();
        } else {
          item += c;
        }
      }
    } else {
      e.values.push_back(scalar(value, path, line));
    }
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace superion::md
