// `--help` of every command and subcommand shows the default of every numeric option (issue 23:
// several were hidden). CLI11 prints "NAME TYPE=VALUE" when the default is captured; a numeric
// option (FLOAT, INT, UINT) always has a value in its bound variable, so a numeric option line
// without "=" is a hidden default. Options that are required, or text options without a default
// (output files), legitimately show none. The subcommands are found by walking the "Subcommands:"
// sections of the help texts, so a new command is covered without editing this test.
#include <gtest/gtest.h>

#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "test_util.hpp"

namespace superion {
namespace {

// Names listed under "Subcommands:" in a help text.
std::vector<std::string> subcommands_in(const std::string& help) {
  std::vector<std::string> out;
  std::istringstream in(help);
  bool in_section = false;
  static const std::regex kEntry(R"(^  ([a-z][a-z0-9-]*)\b.*)");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("Subcommands:", 0) == 0) {
      in_section = true;
      continue;
    }
    std::smatch m;
    if (in_section && std::regex_match(line, m, kEntry))
      out.push_back(m[1]);
    else if (in_section && !line.empty() && line[0] != ' ')
      in_section = false;
  }
  return out;
}

TEST(CliHelp, EveryNumericOptionShowsItsDefault) {
  std::vector<std::string> commands{""}, hidden;
  int options_checked = 0;
  // An option line: "  -x,--name TYPE..." ; numeric when its type is FLOAT, INT or UINT.
  static const std::regex kNumericOption(R"(^\s+-[-\w, ]*\s(FLOAT|INT|UINT)\b(.*))");
  for (std::size_t k = 0; k < commands.size(); ++k) {
    std::string help;
    ASSERT_EQ(testing::run_superion(commands[k] + " --help", &help), 0) << commands[k] << help;
    for (const auto& sub : subcommands_in(help))
      commands.push_back(commands[k].empty() ? sub : commands[k] + " " + sub);
    std::istringstream in(help);
    for (std::string line; std::getline(in, line);) {
      std::smatch m;
      if (!std::regex_match(line, m, kNumericOption)) continue;
      ++options_checked;
      const std::string rest = m[2];
      if (rest.rfind("=", 0) != 0 && rest.rfind(":", 0) != 0 &&
          line.find("REQUIRED") == std::string::npos)
        hidden.push_back("superion " + commands[k] + ": " + line);
      else if (rest.rfind(":", 0) == 0 && rest.find('=') == std::string::npos &&
               line.find("REQUIRED") == std::string::npos)
        hidden.push_back("superion " + commands[k] + ": " + line);  // e.g. INT:POSITIVE, no value
    }
  }
  EXPECT_GT(commands.size(), 25u) << "the walk over subcommands found too few";
  EXPECT_GT(options_checked, 100) << "too few numeric options seen: is the help format unchanged?";
  std::string list;
  for (const auto& h : hidden) list += h + "\n";
  EXPECT_TRUE(hidden.empty()) << "numeric options whose --help shows no default:\n" << list;
}

}  // namespace
}  // namespace superion
