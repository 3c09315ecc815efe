// Reader and writer of untrained .mtp tables (see untrained_table.hpp).
#include "mtp/untrained_table.hpp"

#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/atomic_file.hpp"
#include "core/error.hpp"

namespace superion::mtp {

std::vector<int> MtpBasisTable::factor_counts() const {
  std::vector<int> f(static_cast<std::size_t>(alpha_moments_count), 0);
  for (std::size_t i = 0; i < basic.size() && i < f.size(); ++i) f[i] = 1;
  for (const auto& e : times) f[e[3]] = f[e[0]] + f[e[1]];
  std::vector<int> out;
  for (int s : mapping) out.push_back(f[s]);
  return out;
}

std::vector<int> MtpBasisTable::slot_levels() const {
  std::vector<int> lev(static_cast<std::size_t>(alpha_moments_count), 0);
  for (std::size_t i = 0; i < basic.size() && i < lev.size(); ++i) {
    const auto& b = basic[i];
    lev[i] = 2 + 4 * b[0] + b[1] + b[2] + b[3];
  }
  for (const auto& e : times) lev[e[3]] = lev[e[0]] + lev[e[1]];
  return lev;
}

namespace {

// Character scanner with line tracking for the token-based .mtp header.
class Scanner {
 public:
  Scanner(std::string text, std::string file) : s_(std::move(text)), file_(std::move(file)) {}

  [[noreturn]] void fail(const std::string& what) const { throw InputError(file_, line_, what); }

  void skip_space() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) {
      if (s_[pos_] == '\n') ++line_;
      ++pos_;
    }
  }
  std::string word() {
    skip_space();
    const std::size_t b = pos_;
    while (pos_ < s_.size() && !std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
    return s_.substr(b, pos_ - b);
  }
  std::string peek_word() {
    const std::size_t p = pos_;
    const long l = line_;
    std::string w = word();
    pos_ = p;
    line_ = l;
    return w;
  }
  std::string rest_of_line() {
    const std::size_t b = pos_;
    while (pos_ < s_.size() && s_[pos_] != '\n') ++pos_;
    return s_.substr(b, pos_ - b);
  }
  void expect_char(char c) {
    skip_space();
    if (pos_ >= s_.size() || s_[pos_] != c) fail(std::string("expected '") + c + "'");
    ++pos_;
  }
  bool try_char(char c) {
    skip_space();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  std::int64_t integer() {
    skip_space();
    std::int64_t v = 0;
    const char* b = s_.data() + pos_;
    const auto r = std::from_chars(b, s_.data() + s_.size(), v);
    if (r.ec != std::errc() || r.ptr == b) fail("expected an integer");
    pos_ = static_cast<std::size_t>(r.ptr - s_.data());
    return v;
  }
  double real() {
    const std::string w = word();
    std::istringstream in(w);
    double v = 0;
    if (!(in >> v) || !in.eof()) fail("expected a number, got '" + w + "'");
    return v;
  }
  // "key = " with the key given.
  void key(const std::string& k) {
    const std::string w = word();
    if (w != k) fail("expected '" + k + "', got '" + w + "'");
    if (word() != "=") fail("expected '=' after " + k);
  }
  // {{i, j, k, l}, ...} of n tuples of `width` integers (n may be 0: "{}").
  std::vector<std::vector<std::int64_t>> tuples(std::size_t n, int width) {
    std::vector<std::vector<std::int64_t>> out;
    expect_char('{');
    for (std::size_t i = 0; i < n; ++i) {
      if (i > 0) expect_char(',');
      expect_char('{');
      std::vector<std::int64_t> t;
      for (int j = 0; j < width; ++j) {
        if (j > 0) expect_char(',');
        t.push_back(integer());
      }
      expect_char('}');
      out.push_back(std::move(t));
    }
    expect_char('}');
    return out;
  }
  std::vector<std::int64_t> list(std::size_t n) {
    std::vector<std::int64_t> out;
    expect_char('{');
    for (std::size_t i = 0; i < n; ++i) {
      if (i > 0) expect_char(',');
      out.push_back(integer());
    }
    expect_char('}');
    return out;
  }

 private:
  std::string s_;
  std::string file_;
  std::size_t pos_ = 0;
  long line_ = 1;
};

std::string strip_cr(std::string s) {
  if (!s.empty() && s.back() == '\r') s.pop_back();
  return s;
}

}  // namespace

MtpBasisTable read_untrained_table(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string(), 0, "cannot open the .mtp file");
  std::string l1, l2;
  std::getline(in, l1);
  std::getline(in, l2);
  if (strip_cr(l1) != "MTP") throw InputError(path.string(), 1, "expected 'MTP' on the first line");
  if (strip_cr(l2) != "version = 1.1.0")
    throw InputError(path.string(), 2, "expected 'version = 1.1.0' on the second line");
  std::stringstream rest;
  rest << "\n\n" << in.rdbuf();  // keep line numbers: the scanner counts from line 1
  Scanner sc(rest.str(), path.string());
  MtpBasisTable t;
  if (sc.peek_word() == "potential_name") {
    sc.key("potential_name");
    sc.word();
  }
  sc.key("species_count");
  t.species_count = static_cast<int>(sc.integer());
  if (t.species_count < 1) sc.fail("species_count must be >= 1");
  if (sc.peek_word() == "potential_tag") {
    sc.word();
    sc.rest_of_line();
  }
  sc.key("radial_basis_type");
  if (sc.word() != "RBChebyshev") sc.fail("only radial_basis_type = RBChebyshev is supported");
  sc.key("min_dist");
  t.min_dist = sc.real();
  sc.key("max_dist");
  t.max_dist = sc.real();
  sc.key("radial_basis_size");
  t.radial_basis_size = static_cast<int>(sc.integer());
  sc.key("radial_funcs_count");
  t.radial_funcs_count = static_cast<int>(sc.integer());
  if (sc.peek_word() == "radial_coeffs")
    sc.fail("this is a trained potential, expected an untrained table");
  sc.key("alpha_moments_count");
  t.alpha_moments_count = static_cast<int>(sc.integer());
  sc.key("alpha_index_basic_count");
  const auto nb = sc.integer();
  if (nb < 1 || nb > t.alpha_moments_count) sc.fail("alpha_index_basic_count out of range");
  sc.key("alpha_index_basic");
  for (const auto& v : sc.tuples(static_cast<std::size_t>(nb), 4))
    t.basic.push_back({int(v[0]), int(v[1]), int(v[2]), int(v[3])});
  sc.key("alpha_index_times_count");
  const auto nt = sc.integer();
  if (nt < 0) sc.fail("alpha_index_times_count must be >= 0");
  sc.key("alpha_index_times");
  for (const auto& v : sc.tuples(static_cast<std::size_t>(nt), 4)) {
    for (int j : {0, 1, 3})
      if (v[j] < 0 || v[j] >= t.alpha_moments_count)
        sc.fail("slot index out of range in alpha_index_times");
    t.times.push_back({v[0], v[1], v[2], v[3]});
  }
  sc.key("alpha_scalar_moments");
  const auto na = sc.integer();
  if (na < 1) sc.fail("alpha_scalar_moments must be >= 1");
  sc.key("alpha_moment_mapping");
  for (auto v : sc.list(static_cast<std::size_t>(na))) {
    if (v < 0 || v >= t.alpha_moments_count)
      sc.fail("slot index out of range in alpha_moment_mapping");
    t.mapping.push_back(static_cast<int>(v));
  }
  return t;
}

std::string format_distance(double value) {
  char buf[64];
  for (int prec = 1; prec <= 17; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*g", prec, value);
    if (std::strtod(buf, nullptr) == value) break;
  }
  return buf;
}

void write_untrained_table(const MtpBasisTable& t, const std::filesystem::path& path) {
  AtomicFile file(path);
  std::ostream& o = file.stream();
  o << "MTP\nversion = 1.1.0\npotential_name = MTP1m\n";
  o << "species_count = " << t.species_count << "\npotential_tag = \n";
  o << "radial_basis_type = RBChebyshev\n";
  o << "\tmin_dist = " << format_distance(t.min_dist) << "\n";
  o << "\tmax_dist = " << format_distance(t.max_dist) << "\n";
  o << "\tradial_basis_size = " << t.radial_basis_size << "\n";
  o << "\tradial_funcs_count = " << t.radial_funcs_count << "\n";
  o << "alpha_moments_count = " << t.alpha_moments_count << "\n";
  o << "alpha_index_basic_count = " << t.basic.size() << "\nalpha_index_basic = {";
  for (std::size_t i = 0; i < t.basic.size(); ++i) {
    const auto& b = t.basic[i];
    o << (i ? ", {" : "{") << b[0] << ", " << b[1] << ", " << b[2] << ", " << b[3] << "}";
  }
  o << "}\nalpha_index_times_count = " << t.times.size() << "\nalpha_index_times = {";
  for (std::size_t i = 0; i < t.times.size(); ++i) {
    const auto& e = t.times[i];
    o << (i ? ", {" : "{") << e[0] << ", " << e[1] << ", " << e[2] << ", " << e[3] << "}";
  }
  o << "}\nalpha_scalar_moments = " << t.mapping.size() << "\nalpha_moment_mapping = {";
  for (std::size_t i = 0; i < t.mapping.size(); ++i) o << (i ? ", " : "") << t.mapping[i];
  o << "}\n";
  file.commit();
}

}  // namespace superion::mtp
