// `superion md --input run.toml`: the command-line options as a TOML file for scripted workflows.
// Accepted subset: `key = value` lines (key = option name without the leading dashes), values are
// "strings", numbers, true/false or flat arrays [1, 2, 3] / ["Na", "Cl"]; `#` comments and
// [section] headers are ignored. Options given on the command line win over the file.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace superion::md {

struct InputEntry {
  std::string key;
  std::vector<std::string> values;  // one per array element (one for scalars)
  long line = 0;
};

// Throws InputError(path, line, what) for malformed lines or unreadable files.
std::vector<InputEntry> read_md_input(const std::string& path);

}  // namespace superion::md
