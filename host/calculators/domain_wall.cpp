// Domain walls of a fitted potential; see domain_wall.hpp.
#include "calculators/domain_wall.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/error.hpp"
#include "core/geometry.hpp"

namespace superion {
namespace {

// Calls visit(i, j, d, r) once for every unordered pair of atoms (periodic images included, an
// atom with its own images too) closer than `radius`; d = r_j + shift − r_i.
// Minimum-image fast path: when every periodic cell width exceeds 2·radius, a pair vector d
// shorter than radius has |fractional component| = |d·n_a|/w_a < 1/2 along each face normal n_a,
// so the reduced difference is the only image that can be within radius, and no atom meets its own
// images (they are >= one width away): one distance per pair instead of 27 or more.
template <class Visit>
void for_each_pair(const Structure& s, double radius, Visit visit) {
  const Mat3 inv = inverse(s.cell);
  int n_img[3] = {0, 0, 0};
  bool minimum_image_only = true;
  if (s.periodic()) {
    const Vec3 w = cell_face_distances(s.cell);
    // After reducing the fractional difference to [-1/2, 1/2], image n is at least
    // (|n| − 1/2) widths away along that face normal.
    for (int a = 0; a < 3; ++a)
      if (s.pbc[a]) {
        n_img[a] = static_cast<int>(std::ceil(radius / w[a] + 0.5));
        minimum_image_only = minimum_image_only && w[a] > 2.0 * radius;
      }
    if (minimum_image_only) n_img[0] = n_img[1] = n_img[2] = 0;
  }
  const double r2max = radius * radius;
  for (std::size_t i = 0; i < s.size(); ++i)
    for (std::size_t j = minimum_image_only ? i + 1 : i; j < s.size(); ++j) {
      Vec3 f = row_times(s.positions[j] - s.positions[i], inv);
      for (int a = 0; a < 3; ++a)
        if (s.pbc[a]) f[a] -= std::floor(f[a] + 0.5);
      for (int x = -n_img[0]; x <= n_img[0]; ++x)
        for (int y = -n_img[1]; y <= n_img[1]; ++y)
          for (int z = -n_img[2]; z <= n_img[2]; ++z) {
            if (i == j) {
              // Self-images: count +n and −n once (lexicographically positive shifts only).
              if (x < 0 || (x == 0 && (y < 0 || (y == 0 && z <= 0)))) continue;
            }
            const Vec3 d = row_times(Vec3{f.x + x, f.y + y, f.z + z}, s.cell);
            const double r2 = norm2(d);
            if (r2 >= r2max || r2 == 0.0) continue;
            visit(i, j, d, std::sqrt(r2));
          }
    }
}

int symbol_index(const std::vector<std::string>& symbols, const std::string& s) {
  const auto it = std::find(symbols.begin(), symbols.end(), s);
  return it == symbols.end() ? -1 : static_cast<int>(it - symbols.begin());
}

}  // namespace

double DomainWalls::at(const std::string& a, const std::string& b) const {
  const int ia = symbol_index(symbols, a), ib = symbol_index(symbols, b);
  if (ia < 0 || ib < 0) return 0.0;
  return rw[static_cast<std::size_t>(ia) * symbols.size() + static_cast<std::size_t>(ib)];
}

double DomainWalls::max_rw() const {
  return rw.empty() ? 0.0 : *std::max_element(rw.begin(), rw.end());
}

std::string DomainWalls::pair_list() const {
  std::string out;
  char buf[64];
  for (std::size_t a = 0; a < symbols.size(); ++a)
    for (std::size_t b = a; b < symbols.size(); ++b) {
      std::snprintf(buf, sizeof buf, " %s-%s %.3f", symbols[a].c_str(), symbols[b].c_str(),
                    at(symbols[a], symbols[b]));
      out += buf;
    }
  return out;
}

DomainWalls domain_from_data(const Dataset& data, double scale, double k, double search_radius,
                             const std::string& source) {
  if (!(scale > 0.0)) throw Error("domain scale must be positive, got " + std::to_string(scale));
  if (!(k >= 0.0)) throw Error("wall stiffness must be >= 0, got " + std::to_string(k));
  DomainWalls w;
  w.k = k;
  for (const auto& c : data.configs)
    for (std::size_t i = 0; i < c.structure.size(); ++i) {
      const std::string sym = c.structure.symbol(i);
      if (c.structure.species_symbols.empty())
        throw Error(source + ": configurations need element symbols to define a domain");
      if (symbol_index(w.symbols, sym) < 0) w.symbols.push_back(sym);
    }
  const std::size_t n = w.symbols.size();
  std::vector<double> dmin(n * n, 1e300);
  for (const auto& c : data.configs) {
    const Structure& s = c.structure;
    std::vector<int> idx(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) idx[i] = symbol_index(w.symbols, s.symbol(i));
    for_each_pair(s, search_radius, [&](std::size_t i, std::size_t j, const Vec3&, double r) {
      const auto a = static_cast<std::size_t>(idx[i]), b = static_cast<std::size_t>(idx[j]);
      dmin[a * n + b] = dmin[b * n + a] = std::min(dmin[a * n + b], r);
    });
  }
  w.rw.resize(n * n);
  for (std::size_t p = 0; p < dmin.size(); ++p) w.rw[p] = dmin[p] < 1e300 ? scale * dmin[p] : 0.0;
  return w;
}

DomainCheck apply_domain_walls(const Structure& s, const DomainWalls& walls, CalcResult* out) {
  DomainCheck check;
  const double rmax = walls.max_rw();
  if (rmax <= 0.0 || s.size() == 0) return check;
  const std::size_t n = walls.symbols.size();
  std::vector<int> idx(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) idx[i] = symbol_index(walls.symbols, s.symbol(i));
  for_each_pair(s, rmax, [&](std::size_t i, std::size_t j, const Vec3& d, double r) {
    if (idx[i] < 0 || idx[j] < 0) return;
    const double rw =
        walls.rw[static_cast<std::size_t>(idx[i]) * n + static_cast<std::size_t>(idx[j])];
    if (r >= rw) return;
    if (rw - r > check.max_violation) {
      check.max_violation = rw - r;
      check.worst_pair = s.symbol(i) + "-" + s.symbol(j);
      check.worst_distance = r;
    }
    double e = 0.0, f = 0.0;
    domain_wall_pair(r, rw, walls.k, e, f);
    check.energy += e;
    if (!out) return;
    const Vec3 fj = d * (f / r);  // on j, away from i
    out->forces[j] = out->forces[j] + fj;
    out->forces[i] = out->forces[i] - fj;
    for (int a = 0; a < 3; ++a)
      for (int b = 0; b < 3; ++b) out->virial[a][b] += f * d[a] * d[b] / r;
  });
  if (out) out->energy += check.energy;
  return check;
}

TypeWalls type_walls(const DomainWalls& walls, const std::vector<std::string>& type_symbols) {
  TypeWalls t;
  t.n_types = static_cast<int>(type_symbols.size());
  t.k = walls.k;
  t.rw.resize(type_symbols.size() * type_symbols.size());
  for (std::size_t a = 0; a < type_symbols.size(); ++a)
    for (std::size_t b = 0; b < type_symbols.size(); ++b)
      t.rw[a * type_symbols.size() + b] = walls.at(type_symbols[a], type_symbols[b]);
  return t;
}

DomainWallCalculator::DomainWallCalculator(std::unique_ptr<Calculator> inner, DomainWalls walls)
    : inner_(std::move(inner)), walls_(std::move(walls)) {}

CalcResult DomainWallCalculator::compute(const Structure& s) const {
  CalcResult r = inner_->compute(s);
  apply_domain_walls(s, walls_, &r);
  return r;
}

}  // namespace superion
