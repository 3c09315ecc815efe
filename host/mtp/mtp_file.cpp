// `.mtp` reader (token-based, MLIP-2 key order) and writer (MLIP layout, %.15e or lossless %.17g).
// Element names live in the `potential_tag` line, whose rest MLIP-2/3 read and ignore (MTP_FACTS
// §2.2), so files with names stay readable by MLIP.
#include "mtp/mtp_file.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/atomic_file.hpp"
#include "core/elements.hpp"
#include "core/error.hpp"

namespace superion {
namespace {

// Splits text into tokens: runs of non-space characters, with `{ } , =` as single tokens.
// Tracks line numbers for error messages.
class Tokens {
 public:
  Tokens(const std::string& text, std::string name, std::size_t pos, long line)
      : s_(text), name_(std::move(name)), pos_(pos), line_(line) {}

  bool at_end() {
    skip_space();
    return pos_ >= s_.size();
  }
  // Line of the next token.
  long line() {
    skip_space();
    return line_;
  }
  // Line of the current position (nothing skipped).
  long current_line() const { return line_; }
  const std::string& name() const { return name_; }

  std::string peek() {
    const std::size_t p = pos_;
    const long l = line_;
    std::string t = next_raw();
    pos_ = p;
    line_ = l;
    return t;
  }
  std::string next(const char* what) {
    std::string t = next_raw();
    if (t.empty()) fail(std::string("unexpected end of file, expected ") + what);
    return t;
  }
  void expect(const std::string& tok) {
    const std::string t = next_raw();
    if (t != tok) fail("expected '" + tok + "', found " + shown(t));
  }
  // `key = ` as a unit.
  void expect_key(const std::string& key) {
    expect(key);
    expect("=");
  }
  double number(const char* what) {
    const std::string t = next(what);
    errno = 0;
    char* end = nullptr;
    const double v = std::strtod(t.c_str(), &end);
    if (end != t.c_str() + t.size() || t.empty() || errno == ERANGE || !std::isfinite(v))
      fail(std::string("expected a number for ") + what + ", found " + shown(t));
    return v;
  }
  long integer(const char* what) {
    const std::string t = next(what);
    errno = 0;
    char* end = nullptr;
    const long v = std::strtol(t.c_str(), &end, 10);
    if (end != t.c_str() + t.size() || t.empty() || errno == ERANGE)
      fail(std::string("expected an integer for ") + what + ", found " + shown(t));
    return v;
  }
  // The rest of the current line (without the newline); the next token starts after it.
  std::string rest_of_line() {
    const std::size_t b = pos_;
    while (pos_ < s_.size() && s_[pos_] != '\n') ++pos_;
    return s_.substr(b, pos_ - b);
  }
  [[noreturn]] void fail(const std::string& what) const { throw InputError(name_, line_, what); }
  static std::string shown(const std::string& t) {
    return t.empty() ? "end of file" : "'" + t + "'";
  }

 private:
  void skip_space() {
    while (pos_ < s_.size()) {
      const char c = s_[pos_];
      if (c == '\n') {
        ++line_;
      } else if (!(c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v')) {
        break;
      }
      ++pos_;
    }
  }
  static bool special(char c) { return c == '{' || c == '}' || c == ',' || c == '='; }
  static bool space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
  }
  std::string next_raw() {
    skip_space();
    if (pos_ >= s_.size()) return {};
    if (special(s_[pos_])) return std::string(1, s_[pos_++]);
    const std::size_t b = pos_;
    while (pos_ < s_.size() && !space(s_[pos_]) && !special(s_[pos_])) ++pos_;
    return s_.substr(b, pos_ - b);
  }

  const std::string& s_;
  std::string name_;
  std::size_t pos_;
  long line_;
};

// `{x, y, ...}` with `n` numbers (n < 0: any count).
std::vector<double> read_real_list(Tokens& t, long n, const char* what) {
  std::vector<double> v;
  t.expect("{");
  if (t.peek() == "}") {
    t.next(what);
  } else {
    for (;;) {
      v.push_back(t.number(what));
      const std::string sep = t.next(what);
      if (sep == "}") break;
      if (sep != ",")
        t.fail(std::string("expected ',' or '}' in ") + what + ", found " + Tokens::shown(sep));
    }
  }
  if (n >= 0 && static_cast<long>(v.size()) != n)
    t.fail(std::string(what) + " has " + std::to_string(v.size()) + " numbers, expected " +
           std::to_string(n));
  return v;
}

std::vector<long> read_int_list(Tokens& t, long n, const char* what) {
  std::vector<long> v;
  t.expect("{");
  if (t.peek() == "}") {
    t.next(what);
  } else {
    for (;;) {
      v.push_back(t.integer(what));
      const std::string sep = t.next(what);
      if (sep == "}") break;
      if (sep != ",")
        t.fail(std::string("expected ',' or '}' in ") + what + ", found " + Tokens::shown(sep));
    }
  }
  if (n >= 0 && static_cast<long>(v.size()) != n)
    t.fail(std::string(what) + " has " + std::to_string(v.size()) + " entries, expected " +
           std::to_string(n));
  return v;
}

// `{{a,b,c,d}, {...}}` with n 4-tuples.
std::vector<std::array<int, 4>> read_quads(Tokens& t, long n, const char* what) {
  std::vector<std::array<int, 4>> v;
  t.expect("{");
  if (t.peek() == "}") {
    t.next(what);
  } else {
    for (;;) {
      const auto q = read_int_list(t, 4, what);
      v.push_back({static_cast<int>(q[0]), static_cast<int>(q[1]), static_cast<int>(q[2]),
                   static_cast<int>(q[3])});
      const std::string sep = t.next(what);
      if (sep == "}") break;
      if (sep != ",")
        t.fail(std::string("expected ',' or '}' in ") + what + ", found " + Tokens::shown(sep));
    }
  }
  if (static_cast<long>(v.size()) != n)
    t.fail(std::string(what) + " has " + std::to_string(v.size()) +
           " entries, but its count says " + std::to_string(n));
  return v;
}

int checked_count(Tokens& t, const char* key, long lo, long hi) {
  const long v = t.integer(key);
  if (v < lo || v > hi)
    t.fail(std::string(key) + " = " + std::to_string(v) + " is outside " + std::to_string(lo) +
           ".." + std::to_string(hi));
  return static_cast<int>(v);
}

// One header line (first two lines are compared exactly, trailing '\r' tolerated).
std::string header_line(const std::string& text, std::size_t& pos) {
  const std::size_t e = text.find('\n', pos);
  std::string l = text.substr(pos, e == std::string::npos ? std::string::npos : e - pos);
  pos = e == std::string::npos ? text.size() : e + 1;
  if (!l.empty() && l.back() == '\r') l.pop_back();
  return l;
}

// `potential_tag` (MLIP reads the rest of the line and ignores it). superion writes
//   elements Na Cl S O domain Na-Na 3.1012 Na-Cl 2.6851 …
// (the element of each MTP type; the training domain as "A-B distance" for pairs A <= B in type
// order, A and B element names or type numbers). Anything else is kept verbatim.
constexpr const char* kElementsTag = "elements";
constexpr const char* kDomainTag = "domain";

std::string trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

struct TagDomainEntry {
  std::string a, b;
  double distance;
};

void parse_potential_tag(const std::string& rest, Mtp& m, std::vector<TagDomainEntry>& domain,
                         const std::string& name, long line) {
  std::string tag = trimmed(rest);
  if (!tag.empty() && tag[0] == '=') tag = trimmed(tag.substr(1));
  std::istringstream words(tag);
  std::vector<std::string> w;
  for (std::string x; words >> x;) w.push_back(x);
  if (w.empty() || (w[0] != kElementsTag && w[0] != kDomainTag)) {
    m.potential_tag = tag;
    return;
  }
  auto fail = [&](const std::string& what) {
    throw InputError(name, line,
                     "potential_tag: " + what + " (expected '" + kElementsTag + " Na Cl ... " +
                         kDomainTag + " Na-Na 3.1 ...')");
  };
  std::size_t k = 0;
  if (w[k] == kElementsTag) {
    for (++k; k < w.size() && w[k] != kDomainTag; ++k) {
      const Element* e = find_element(w[k]);
      if (!e || w[k] != e->symbol) fail("'" + w[k] + "' is not a chemical element symbol");
      m.species_names.push_back(w[k]);
    }
    if (m.species_names.empty()) fail("'elements' lists no elements");
  }
  if (k < w.size()) {  // "domain" followed by label/distance pairs
    for (++k; k < w.size(); k += 2) {
      const std::size_t dash = w[k].find('-');
      if (dash == std::string::npos || dash == 0 || k + 1 >= w.size())
        fail("domain entry '" + w[k] + "' is not 'A-B distance'");
      char* end = nullptr;
      const double d = std::strtod(w[k + 1].c_str(), &end);
      if (*end != '\0' || !(d >= 0) || !std::isfinite(d))
        fail("domain distance '" + w[k + 1] + "' is not a number >= 0");
      domain.push_back({w[k].substr(0, dash), w[k].substr(dash + 1), d});
    }
    if (domain.empty()) fail("'domain' lists no pairs");
  }
}

// Fills m.domain_min_distance from the tag's entries once C and the names are known.
void set_domain(Mtp& m, const std::vector<TagDomainEntry>& entries, const std::string& name,
                long line) {
  if (entries.empty()) return;
  const int C = m.species_count;
  auto type_of = [&](const std::string& label) {
    for (int t = 0; t < static_cast<int>(m.species_names.size()); ++t)
      if (m.species_names[static_cast<std::size_t>(t)] == label) return t;
    char* end = nullptr;
    const long t = std::strtol(label.c_str(), &end, 10);
    if (*end == '\0' && !label.empty() && t >= 0 && t < C) return static_cast<int>(t);
    throw InputError(name, line,
                     "potential_tag: domain pair member '" + label +
                         "' is neither an element of the potential nor a type");
  };
  m.domain_min_distance.assign(static_cast<std::size_t>(C) * C, 0.0);
  std::vector<char> seen(m.domain_min_distance.size(), 0);
  for (const auto& e : entries) {
    const auto a = static_cast<std::size_t>(type_of(e.a)),
               b = static_cast<std::size_t>(type_of(e.b));
    m.domain_min_distance[a * C + b] = m.domain_min_distance[b * C + a] = e.distance;
    seen[a * C + b] = seen[b * C + a] = 1;
  }
  for (char s : seen)
    if (!s) throw InputError(name, line, "potential_tag: the domain misses a type pair");
}

// The tag superion writes (empty names and domain: the kept foreign tag).
std::string format_potential_tag(const Mtp& m) {
  if (m.species_names.empty() && m.domain_min_distance.empty()) return m.potential_tag;
  std::string s;
  if (!m.species_names.empty()) {
    s = kElementsTag;
    for (const auto& e : m.species_names) s += " " + e;
  }
  if (!m.domain_min_distance.empty()) {
    s += std::string(s.empty() ? "" : " ") + kDomainTag;
    const int C = m.species_count;
    auto label = [&](int t) {
      return m.species_names.empty() ? std::to_string(t)
                                     : m.species_names[static_cast<std::size_t>(t)];
    };
    char buf[64];
    for (int a = 0; a < C; ++a)
      for (int b = a; b < C; ++b) {
        std::snprintf(buf, sizeof buf, " %s-%s %.4f", label(a).c_str(), label(b).c_str(),
                      m.domain_min_distance[static_cast<std::size_t>(a) * C + b]);
        s += buf;
      }
  }
  return s;
}

}  // namespace

Mtp parse_mtp(const std::string& text, const std::string& name) {
  std::size_t pos = 0;
  if (header_line(text, pos) != "MTP")
    throw InputError(name, 1, "expected 'MTP' on the first line");
  if (header_line(text, pos) != "version = 1.1.0")
    throw InputError(name, 2, "expected 'version = 1.1.0' on the second line");
  Tokens t(text, name, pos, 3);
  Mtp m;
  bool have_species_count = false;

  std::string key = t.peek();
  if (key == "potential_name") {
    t.expect_key(key);
    m.potential_name = t.next("potential_name");
    key = t.peek();
  }
  if (key == "scaling") {
    t.expect_key(key);
    m.scaling = t.number("scaling");
    key = t.peek();
  }
  if (key == "species_count") {
    t.expect_key(key);
    m.species_count = checked_count(t, "species_count", 1, 1000);
    have_species_count = true;
    key = t.peek();
  }
  long tag_line = 0;
  std::vector<TagDomainEntry> domain;
  if (key == "potential_tag") {
    t.next("potential_tag");
    tag_line = t.current_line();
    parse_potential_tag(t.rest_of_line(), m, domain, name, tag_line);
    key = t.peek();
  }
  t.expect_key("radial_basis_type");
  m.radial_basis_type = t.next("radial_basis_type");
  if (m.radial_basis_type != "RBChebyshev")
    t.fail("radial_basis_type '" + m.radial_basis_type +
           "' is not supported (only RBChebyshev, the MLIP standard)");
  if (t.peek() == "scaling") {
    t.expect_key("scaling");
    m.scaling *= t.number("scaling");
  }
  t.expect_key("min_dist");
  m.min_dist = t.number("min_dist");
  t.expect_key("max_dist");
  m.max_dist = t.number("max_dist");
  if (!(m.max_dist > 0) || !(m.min_dist < m.max_dist))
    t.fail("need max_dist > 0 and min_dist < max_dist");
  t.expect_key("radial_basis_size");
  m.radial_basis_size = checked_count(t, "radial_basis_size", 2, 1000);
  if (t.peek() == "magnetic_basis_type")
    t.fail("magnetic MTP (magnetic_basis_type) is not supported");
  t.expect_key("radial_funcs_count");
  m.radial_funcs_count = checked_count(t, "radial_funcs_count", 1, 1000);

  bool have_radial = false;
  if (t.peek() == "radial_coeffs") {
    t.next("radial_coeffs");
    have_radial = true;
    const std::size_t per_pair =
        static_cast<std::size_t>(m.radial_funcs_count) * m.radial_basis_size;
    // MLIP-3 files may omit species_count: then C follows from the number of blocks.
    int pair = 0;
    while (t.peek() != "alpha_moments_count") {
      const long line = t.line();
      const std::string label = t.next("a species-pair label such as 0-1");
      const std::size_t dash = label.find('-');
      int i = -1, j = -1;
      if (dash != std::string::npos && dash > 0) {
        char* e1 = nullptr;
        char* e2 = nullptr;
        const std::string a = label.substr(0, dash), b = label.substr(dash + 1);
        const long li = std::strtol(a.c_str(), &e1, 10), lj = std::strtol(b.c_str(), &e2, 10);
        if (!a.empty() && !b.empty() && *e1 == '\0' && *e2 == '\0') {
          i = static_cast<int>(li);
          j = static_cast<int>(lj);
        }
      }
      if (i < 0 || j < 0)
        throw InputError(name, line,
                         "expected a species-pair label such as 0-1, found '" + label + "'");
      if (have_species_count) {
        if (pair >= m.species_count * m.species_count)
          throw InputError(name, line, "more radial_coeffs blocks than species_count^2");
        if (i != pair / m.species_count || j != pair % m.species_count)
          throw InputError(name, line,
                           "radial_coeffs block '" + label + "' out of order, expected " +
                               std::to_string(pair / m.species_count) + "-" +
                               std::to_string(pair % m.species_count));
      }
      for (int mu = 0; mu < m.radial_funcs_count; ++mu) {
        const auto c = read_real_list(t, m.radial_basis_size, "radial_coeffs");
        m.radial_coeffs.insert(m.radial_coeffs.end(), c.begin(), c.end());
      }
      ++pair;
      (void)per_pair;
    }
    if (!have_species_count) {
      int c = 1;
      while (c * c < pair) ++c;
      if (c * c != pair)
        t.fail("number of radial_coeffs blocks (" + std::to_string(pair) + ") is not a square");
      m.species_count = c;
    } else if (pair != m.species_count * m.species_count) {
      t.fail("radial_coeffs has " + std::to_string(pair) + " blocks, expected species_count^2 = " +
             std::to_string(m.species_count * m.species_count));
    }
  }

  t.expect_key("alpha_moments_count");
  m.alpha_moments_count = checked_count(t, "alpha_moments_count", 1, 100000000);
  t.expect_key("alpha_index_basic_count");
  const int nb = checked_count(t, "alpha_index_basic_count", 1, m.alpha_moments_count);
  t.expect_key("alpha_index_basic");
  const long basic_line = t.line();
  m.alpha_index_basic = read_quads(t, nb, "alpha_index_basic");
  int max_mu = -1;
  for (const auto& b : m.alpha_index_basic) {
    if (b[0] < 0 || b[1] < 0 || b[2] < 0 || b[3] < 0)
      throw InputError(name, basic_line, "negative entry in alpha_index_basic");
    max_mu = std::max(max_mu, b[0]);
  }
  if (max_mu + 1 != m.radial_funcs_count)
    throw InputError(name, basic_line,
                     "radial_funcs_count = " + std::to_string(m.radial_funcs_count) +
                         " must equal 1 + max mu of alpha_index_basic (" +
                         std::to_string(max_mu + 1) + ")");
  t.expect_key("alpha_index_times_count");
  const int nt = checked_count(t, "alpha_index_times_count", 0, 100000000);
  t.expect_key("alpha_index_times");
  const long times_line = t.line();
  m.alpha_index_times = read_quads(t, nt, "alpha_index_times");
  t.expect_key("alpha_scalar_moments");
  const int na = checked_count(t, "alpha_scalar_moments", 1, m.alpha_moments_count);
  t.expect_key("alpha_moment_mapping");
  const long map_line = t.line();
  for (long v : read_int_list(t, na, "alpha_moment_mapping"))
    m.alpha_moment_mapping.push_back(static_cast<int>(v));

  bool have_species = false, have_moment = false;
  if (t.peek() == "species_coeffs") {
    t.expect_key("species_coeffs");
    m.species_coeffs = read_real_list(t, m.species_count, "species_coeffs");
    have_species = true;
  }
  if (t.peek() == "moment_coeffs") {
    t.expect_key("moment_coeffs");
    m.moment_coeffs = read_real_list(t, na, "moment_coeffs");
    have_moment = true;
  }
  if (!t.at_end() && t.peek() != "#MVS_v1.1")
    t.fail("unexpected " + Tokens::shown(t.peek()) + " after the potential (expected end of file)");

  if (have_radial && have_species && have_moment) {
    m.trained = true;
  } else if (!have_radial && !have_species && !have_moment) {
    m.set_placeholder_coefficients();
  } else {
    throw InputError(
        name, t.line(),
        "incomplete coefficients: a trained file needs radial_coeffs, species_coeffs and "
        "moment_coeffs");
  }
  if (!m.species_names.empty() && static_cast<int>(m.species_names.size()) != m.species_count)
    throw InputError(name, tag_line,
                     "potential_tag names " + std::to_string(m.species_names.size()) +
                         " elements but the potential has " + std::to_string(m.species_count) +
                         " species");
  set_domain(m, domain, name, tag_line);
  try {
    m.validate();
  } catch (const Error& e) {
    // Index errors in the contraction lists are reported at their line.
    const std::string what = e.what();
    const long line = what.find("alpha_index_times") != std::string::npos      ? times_line
                      : what.find("alpha_moment_mapping") != std::string::npos ? map_line
                                                                               : basic_line;
    throw InputError(name, line, what);
  }
  return m;
}

Mtp read_mtp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string(), 0, "cannot open MTP potential file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_mtp(ss.str(), path.string());
}

namespace {
std::string real(double v, MtpPrecision p) {
  char buf[64];
  std::snprintf(buf, sizeof buf, p == MtpPrecision::kMlip ? "%.15e" : "%.17g", v);
  return buf;
}
template <class T, class F>
std::string brace_list(const std::vector<T>& v, F f) {
  std::string s = "{";
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) s += ", ";
    s += f(v[i]);
  }
  return s + "}";
}
}  // namespace

std::string format_mtp(const Mtp& m, MtpPrecision p) {
  m.validate();
  auto r = [p](double v) { return real(v, p); };
  auto quad = [](const std::array<int, 4>& q) {
    return "{" + std::to_string(q[0]) + ", " + std::to_string(q[1]) + ", " + std::to_string(q[2]) +
           ", " + std::to_string(q[3]) + "}";
  };
  std::string s = "MTP\nversion = 1.1.0\npotential_name = " + m.potential_name + "\n";
  if (m.trained) s += "scaling = " + r(m.scaling) + "\n";
  s += "species_count = " + std::to_string(m.species_count) +
       "\npotential_tag = " + format_potential_tag(m) + "\n";
  s += "radial_basis_type = " + m.radial_basis_type + "\n";
  s += "\tmin_dist = " + r(m.min_dist) + "\n\tmax_dist = " + r(m.max_dist) + "\n";
  s += "\tradial_basis_size = " + std::to_string(m.radial_basis_size) + "\n";
  s += "\tradial_funcs_count = " + std::to_string(m.radial_funcs_count) + "\n";
  const int C = m.species_count, K = m.radial_funcs_count, R = m.radial_basis_size;
  if (m.trained) {
    s += "\tradial_coeffs\n";
    for (int i = 0; i < C; ++i)
      for (int j = 0; j < C; ++j) {
        s += "\t\t" + std::to_string(i) + "-" + std::to_string(j) + "\n";
        for (int mu = 0; mu < K; ++mu) {
          const auto* c = &m.radial_coeffs[((static_cast<std::size_t>(i) * C + j) * K + mu) * R];
          s += "\t\t\t" + brace_list(std::vector<double>(c, c + R), r) + "\n";
        }
      }
  }
  s += "alpha_moments_count = " + std::to_string(m.alpha_moments_count) + "\n";
  s += "alpha_index_basic_count = " + std::to_string(m.alpha_index_basic.size()) + "\n";
  s += "alpha_index_basic = " + brace_list(m.alpha_index_basic, quad) + "\n";
  s += "alpha_index_times_count = " + std::to_string(m.alpha_index_times.size()) + "\n";
  s += "alpha_index_times = " + brace_list(m.alpha_index_times, quad) + "\n";
  s += "alpha_scalar_moments = " + std::to_string(m.alpha_moment_mapping.size()) + "\n";
  s += "alpha_moment_mapping = " +
       brace_list(m.alpha_moment_mapping, [](int v) { return std::to_string(v); }) + "\n";
  if (m.trained) {
    s += "species_coeffs = " + brace_list(m.species_coeffs, r) + "\n";
    s += "moment_coeffs = " + brace_list(m.moment_coeffs, r) + "\n";
  }
  return s;
}

void write_mtp(const Mtp& model, const std::filesystem::path& path, MtpPrecision precision) {
  const std::string text = format_mtp(model, precision);
  AtomicFile f(path);
  f.stream() << text;
  f.commit();
}

}  // namespace superion
