// state.als reader and writer; see als_file.hpp.
#include "als_file.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "io/cfg.hpp"
#include "mtp/mtp_file.hpp"

namespace superion {
namespace {

static_assert(sizeof(double) == 8, "state.als stores 8-byte doubles");

bool little_endian() {
  const std::uint16_t x = 1;
  unsigned char b = 0;
  std::memcpy(&b, &x, 1);
  return b == 1;
}

void append_doubles(std::string& out, const double* v, std::size_t n) {
  out.append(reinterpret_cast<const char*>(v), n * sizeof(double));
}

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string(), 0, "cannot open");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The placeholder configuration MLIP writes for rows still at ε·e_j: no atoms, unit cell.
Configuration empty_configuration() {
  Configuration c;
  c.structure.cell = Mat3::identity();
  c.structure.pbc = {true, true, true};
  return c;
}

}  // namespace

void write_als(const std::filesystem::path& path, const ActiveSet& set) {
  if (!little_endian()) throw Error("state.als: big-endian hosts are not supported");
  const int n = set.size();
  std::string out = format_mtp(set.model());  // ends with '\n': MLIP's text + "\n"
  out += '^';
  const AlsWeights& w = set.weights();
  const double weights[4] = {w.nbh, w.energy, w.force, w.stress};
  append_doubles(out, weights, 4);
  out += "\n#";
  const RowMatrix& a = set.maxvol().matrix();
  append_doubles(out, a.data(), static_cast<std::size_t>(n) * n);
  const RowMatrix inv_t = set.maxvol().inverse().transpose();
  append_doubles(out, inv_t.data(), static_cast<std::size_t>(n) * n);
  out += '\n';
  // Configurations numbered by first appearance in row order; placeholders share one.
  std::vector<long> order;  // row tags (−1: the empty configuration) in file order
  std::vector<long> number(set.configurations().size(), -1);
  long empty_number = -1;
  for (int j = 0; j < n; ++j) {
    const long t = set.row_tag(j);
    long& k = t < 0 ? empty_number : number[static_cast<std::size_t>(t)];
    if (k < 0) {
      k = static_cast<long>(order.size());
      order.push_back(t);
    }
    out += std::to_string(j) + ' ' + std::to_string(k) + '\n';
  }
  io::CfgWriteOptions o;
  o.lossless = true;
  const Configuration empty = empty_configuration();
  const std::vector<const Configuration*> distinct = set.configurations();
  for (long t : order) {
    io::format_cfg(out, t < 0 ? empty : *distinct[static_cast<std::size_t>(t)], o);  // + blank line
  }
  AtomicFile f(path, std::ios::out | std::ios::binary);
  f.stream().write(out.data(), static_cast<std::streamsize>(out.size()));
  f.commit();
}

bool looks_like_als(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::string head(4, '\0');
  if (!in.read(head.data(), 4) || head != "MTP\n") {
    if (head.substr(0, 4) != "MTP\r") return false;
  }
  // The text part of an .mtp is a few kB to a few MB; look for the separator.
  std::string buf(1 << 16, '\0');
  char prev = '\0';
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const std::streamsize got = in.gcount();
    for (std::streamsize k = 0; k < got; ++k) {
      if (prev == '\n' && buf[k] == '^') return true;
      if (buf[k] == '\0') return false;  // binary before the separator: not an ALS
      prev = buf[k];
    }
  }
  return false;
}

ActiveSet read_als(const std::filesystem::path& path) {
  if (!little_endian()) throw Error("state.als: big-endian hosts are not supported");
  const std::string name = path.string();
  const std::string data = slurp(path);
  const std::size_t sep = data.find("\n^");
  if (data.rfind("MTP", 0) != 0 || sep == std::string::npos)
    throw InputError(name, 1,
                     "not an active-learning state: expected an .mtp text followed by \"\\n^\"");
  const Mtp model = parse_mtp(data.substr(0, sep + 1), name);
  const std::size_t n = model.n_params();
  const std::size_t matrix_bytes = n * n * sizeof(double);
  std::size_t at = sep + 2;
  if (data.size() < at + 4 * sizeof(double) + 2 + 2 * matrix_bytes + 1)
    throw InputError(name, 0,
                     "file too short for the weights and two " + std::to_string(n) + "x" +
                         std::to_string(n) + " matrices of the potential's " + std::to_string(n) +
                         " parameters");
  double wv[4];
  std::memcpy(wv, data.data() + at, sizeof wv);
  at += sizeof wv;
  if (data.compare(at, 2, "\n#") != 0)
    throw InputError(name, 0, "expected \"\\n#\" after the four row weights");
  at += 2;
  const auto rows = static_cast<Eigen::Index>(n);
  RowMatrix a(rows, rows), inv_t(rows, rows);
  std::memcpy(a.data(), data.data() + at, matrix_bytes);
  at += matrix_bytes;
  std::memcpy(inv_t.data(), data.data() + at, matrix_bytes);
  at += matrix_bytes;
  if (data[at] != '\n') throw InputError(name, 0, "expected a newline after the matrices");
  ++at;
  RowMatrix inv = inv_t.transpose();
  if (!a.allFinite() || !inv.allFinite())
    throw InputError(name, 0, "the active-set matrices hold non-finite numbers");
  // MLIP updates A⁻¹ by rank-1 steps only, so it drifts with the number of swaps and the
  // condition of A (1e-11 on MLIP's Li runs, ~5e-3 after a 500-swap neighbourhood pass of a
  // 404-parameter potential); only a gross mismatch means a damaged file.
  const double defect = (a * inv - RowMatrix::Identity(rows, rows)).cwiseAbs().maxCoeff();
  if (!(defect < 0.5))
    throw InputError(name, 0,
                     "the stored inverse does not invert the active-set matrix (max |A A^-1 - I| "
                     "= " +
                         std::to_string(defect) + "): damaged file");

  // n lines "row configuration-number".
  std::vector<int> cfg_of_row(n, -1);
  for (std::size_t j = 0; j < n; ++j) {
    const std::size_t eol = data.find('\n', at);
    if (eol == std::string::npos)
      throw InputError(name, 0, "expected " + std::to_string(n) + " lines \"row configuration\"");
    std::istringstream line(data.substr(at, eol - at));
    long row = -1, k = -1;
    std::string extra;
    if (!(line >> row >> k) || (line >> extra) || row != static_cast<long>(j) || k < 0)
      throw InputError(name, 0,
                       "expected the line \"" + std::to_string(j) +
                           " <configuration number>\", got \"" + data.substr(at, eol - at) + "\"");
    cfg_of_row[j] = static_cast<int>(k);
    at = eol + 1;
  }
  Dataset configs = io::read_cfg_text(data.substr(at), name + " (configurations)");
  for (std::size_t j = 0; j < n; ++j) {
    if (cfg_of_row[j] >= static_cast<int>(configs.size()))
      throw InputError(name, 0,
                       "row " + std::to_string(j) + " refers to configuration " +
                           std::to_string(cfg_of_row[j]) + " but the file holds " +
                           std::to_string(configs.size()));
    if (configs.configs[cfg_of_row[j]].size() == 0) cfg_of_row[j] = -1;  // placeholder row
  }
  AlsWeights w{wv[0], wv[1], wv[2], wv[3]};
  try {
    std::vector<long> tags(cfg_of_row.begin(), cfg_of_row.end());
    return ActiveSet(model, w, MaxVol(std::move(a), std::move(inv), std::move(tags)),
                     std::move(configs.configs), cfg_of_row);
  } catch (const InputError&) {
    throw;
  } catch (const Error& e) {
    throw InputError(name, 0, e.what());
  }
}

}  // namespace superion
