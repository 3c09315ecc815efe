// Formula parser (recursive descent over elements, amounts and parentheses).
#include "screening/composition.hpp"

#include <cctype>
#include <cmath>
#include <numeric>
#include <sstream>

#include "core/elements.hpp"
#include "core/error.hpp"

namespace superion {
namespace {

class FormulaParser {
 public:
  explicit FormulaParser(const std::string& s) : s_(s) {}

  Composition parse() {
    Composition c = group();
    if (pos_ != s_.size()) fail("unexpected character '" + std::string(1, s_[pos_]) + "'");
    if (c.empty()) fail("no elements");
    return c;
  }

 private:
  Composition group() {
    Composition c;
    while (pos_ < s_.size() && s_[pos_] != ')') {
      if (s_[pos_] == '(') {
        ++pos_;
        Composition inner = group();
        if (pos_ >= s_.size() || s_[pos_] != ')') fail("missing ')'");
        ++pos_;
        const double n = amount();
        for (const auto& [el, x] : inner) c[el] += n * x;
      } else if (std::isupper(static_cast<unsigned char>(s_[pos_]))) {
        std::string sym(1, s_[pos_++]);
        while (pos_ < s_.size() && std::islower(static_cast<unsigned char>(s_[pos_])))
          sym += s_[pos_++];
        if (!find_element(sym)) fail("unknown element '" + sym + "'");
        c[sym] += amount();
      } else {
        fail("expected an element symbol or '('");
      }
    }
    return c;
  }

  double amount() {
    const std::size_t start = pos_;
    while (pos_ < s_.size() &&
           (std::isdigit(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '.'))
      ++pos_;
    if (start == pos_) return 1.0;
    const std::string num = s_.substr(start, pos_ - start);
    char* end = nullptr;
    const double v = std::strtod(num.c_str(), &end);
    if (end != num.c_str() + num.size() || !(v > 0)) fail("bad amount '" + num + "'");
    return v;
  }

  [[noreturn]] void fail(const std::string& what) const {
    throw Error("formula '" + s_ + "' at character " + std::to_string(pos_ + 1) + ": " + what);
  }

  const std::string& s_;
  std::size_t pos_ = 0;
};

}  // namespace

Composition parse_formula(const std::string& formula) {
  return FormulaParser(formula).parse();
}

double total_atoms(const Composition& c) {
  double n = 0;
  for (const auto& kv : c) n += kv.second;
  return n;
}

std::string formula_string(const Composition& c) {
  std::ostringstream os;
  for (const auto& [el, x] : c) {
    if (x == 0) continue;
    os << el;
    if (std::fabs(x - 1.0) > 1e-12) {
      if (std::fabs(x - std::round(x)) < 1e-9)
        os << static_cast<long>(std::round(x));
      else
        os << x;
    }
  }
  return os.str();
}

std::pair<Composition, double> reduce(const Composition& c) {
  long g = 0;
  for (const auto& kv : c) {
    if (std::fabs(kv.second - std::round(kv.second)) > 1e-9) return {c, 1.0};
    g = std::gcd(g, static_cast<long>(std::round(kv.second)));
  }
  if (g <= 1) return {c, 1.0};
  Composition r;
  for (const auto& kv : c) r[kv.first] = kv.second / static_cast<double>(g);
  return {r, static_cast<double>(g)};
}

}  // namespace superion
