// Cell-list neighbour search over atoms plus their periodic images within `cutoff` of the cell.
#include "neighbor/neighbor_list.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <tuple>

#include "core/error.hpp"
#include "core/geometry.hpp"

namespace superion {
namespace {

// A cell usable for fractional coordinates even when some directions are not periodic: the rows
// of non-periodic directions are replaced by unit vectors orthogonal to the periodic rows.
Mat3 effective_cell(const Structure& s) {
  Mat3 c = s.cell;
  const int n_per = int(s.pbc[0]) + int(s.pbc[1]) + int(s.pbc[2]);
  if (n_per == 3) return c;
  std::vector<Vec3> basis;
  for (int k = 0; k < 3; ++k)
    if (s.pbc[k]) basis.push_back(c.row(k));
  const Vec3 axes[3] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
  for (int k = 0; k < 3; ++k) {
    if (s.pbc[k]) continue;
    // Gram-Schmidt against what we have; pick the cartesian axis that survives best.
    Vec3 best{};
    double best_norm = -1;
    for (const Vec3& a : axes) {
      Vec3 v = a;
      std::vector<Vec3> ortho;
      for (const Vec3& b : basis) {
        Vec3 u = b;
        for (const Vec3& o : ortho) u -= dot(u, o) * o;
        const double nu = norm(u);
        if (nu > 1e-12) ortho.push_back(u * (1.0 / nu));
      }
      for (const Vec3& o : ortho) v -= dot(v, o) * o;
      if (norm(v) > best_norm) {
        best_norm = norm(v);
        best = v;
      }
    }
    best *= 1.0 / best_norm;
    c.set_row(k, best);
    basis.push_back(best);
  }
  return c;
}

struct Point {
  Vec3 r;                  // cartesian position of the (image) point, from wrapped coordinates
  int atom;                // original atom index
  std::array<int, 3> n;    // image relative to the original (unwrapped) position
};

}  // namespace

int NeighborList::max_count() const {
  int m = 0;
  for (std::size_t i = 0; i + 1 < offsets.size(); ++i) m = std::max(m, offsets[i + 1] - offsets[i]);
  return m;
}

void NeighborList::update_displacements(const Structure& s) {
  for (std::size_t i = 0; i < n_atoms(); ++i)
    for (int e = offsets[i]; e < offsets[i + 1]; ++e) {
      const auto& n = images[static_cast<std::size_t>(e)];
      displacements[static_cast<std::size_t>(e)] = image_displacement(
          s.positions[i], s.positions[static_cast<std::size_t>(neighbors[static_cast<std::size_t>(e)])],
          n[0], n[1], n[2], s.cell);
    }
}

NeighborList build_neighbor_list(const Structure& s, double cutoff, bool half) {
  if (!(cutoff > 0)) throw Error("neighbour list cutoff must be positive");
  s.validate();
  const std::size_t n = s.size();
  NeighborList nl;
  nl.cutoff = cutoff;
  nl.half = half;
  nl.offsets.assign(n + 1, 0);
  if (n == 0) return nl;

  const Mat3 cell = effective_cell(s);
  const Mat3 inv = inverse(cell);
  const Vec3 width = cell_face_distances(cell);
  const bool pbc[3] = {s.pbc[0], s.pbc[1], s.pbc[2]};

  // Originals (wrapped) and images within `cutoff` of the cell in periodic directions.
  std::vector<Point> points;
  points.reserve(n * 2);
  std::vector<std::array<int, 3>> wrap_shift(n);
  std::vector<Vec3> wrapped_frac(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Vec3 f = to_fractional(s.positions[i], inv);
    Vec3 w = f;
    for (int k = 0; k < 3; ++k) {
      if (pbc[k]) {
        const double fl = std::floor(f[k]);
        w[k] = f[k] - fl;
        if (w[k] >= 1.0) w[k] = 0.0;
        wrap_shift[i][static_cast<std::size_t>(k)] = static_cast<int>(std::lround(f[k] - w[k]));
      } else {
        wrap_shift[i][static_cast<std::size_t>(k)] = 0;
      }
    }
    wrapped_frac[i] = w;
  }
  int reach[3];
  double pad[3];
  for (int k = 0; k < 3; ++k) {
    pad[k] = pbc[k] ? cutoff / width[k] : 0.0;
    reach[k] = pbc[k] ? static_cast<int>(std::ceil(pad[k])) + 1 : 0;
  }
  for (std::size_t i = 0; i < n; ++i) {
    const Vec3& w = wrapped_frac[i];
    for (int a = -reach[0]; a <= reach[0]; ++a)
      for (int b = -reach[1]; b <= reach[1]; ++b)
        for (int c = -reach[2]; c <= reach[2]; ++c) {
          const Vec3 g{w.x + a, w.y + b, w.z + c};
          const int m[3] = {a, b, c};
          bool inside = true;
          for (int k = 0; k < 3 && inside; ++k)
            if (pbc[k] && (g[k] < -pad[k] || g[k] >= 1.0 + pad[k])) inside = false;
          if (!inside) continue;
          Point p;
          p.r = to_cartesian(g, cell);
          p.atom = static_cast<int>(i);
          for (int k = 0; k < 3; ++k) p.n[static_cast<std::size_t>(k)] = m[k] - wrap_shift[i][static_cast<std::size_t>(k)];
          points.push_back(p);
        }
  }

  // Axis-aligned bins of edge >= cutoff over the bounding box of all points.
  Vec3 lo = points[0].r, hi = points[0].r;
  for (const Point& p : points)
    for (int k = 0; k < 3; ++k) {
      lo[k] = std::min(lo[k], p.r[k]);
      hi[k] = std::max(hi[k], p.r[k]);
    }
  int nb[3];
  double inv_bin[3];
  for (int k = 0; k < 3; ++k) {
    const double extent = hi[k] - lo[k];
    // Cap the bin count so pathological inputs (atoms far apart) cannot exhaust memory.
    nb[k] = std::max(1, std::min(static_cast<int>(extent / cutoff), 512));
    inv_bin[k] = extent > 0 ? nb[k] / extent : 0.0;
  }
  auto bin_of = [&](const Vec3& r, int k) {
    int b = static_cast<int>((r[k] - lo[k]) * inv_bin[k]);
    return std::min(std::max(b, 0), nb[k] - 1);
  };
  const std::size_t n_bins = static_cast<std::size_t>(nb[0]) * nb[1] * nb[2];
  std::vector<int> bin_start(n_bins + 1, 0);
  std::vector<std::size_t> bin_index(points.size());
  for (std::size_t p = 0; p < points.size(); ++p) {
    const auto& r = points[p].r;
    bin_index[p] = (static_cast<std::size_t>(bin_of(r, 0)) * nb[1] + bin_of(r, 1)) * nb[2] + bin_of(r, 2);
    ++bin_start[bin_index[p] + 1];
  }
  std::partial_sum(bin_start.begin(), bin_start.end(), bin_start.begin());
  std::vector<int> bin_points(points.size());
  {
    std::vector<int> fill(bin_start.begin(), bin_start.end() - 1);
    for (std::size_t p = 0; p < points.size(); ++p) bin_points[static_cast<std::size_t>(fill[bin_index[p]]++)] = static_cast<int>(p);
  }

  const double cut2 = cutoff * cutoff;
  struct Entry {
    int j;
    std::array<int, 3> n;
    Vec3 d;
  };
  std::vector<std::vector<Entry>> per_atom(n);
#pragma omp parallel for schedule(dynamic, 16)
  for (long ii = 0; ii < static_cast<long>(n); ++ii) {
    const auto i = static_cast<std::size_t>(ii);
    const Vec3 ri = to_cartesian(wrapped_frac[i], cell);
    const int bi[3] = {bin_of(ri, 0), bin_of(ri, 1), bin_of(ri, 2)};
    auto& out = per_atom[i];
    for (int a = std::max(0, bi[0] - 1); a <= std::min(nb[0] - 1, bi[0] + 1); ++a)
      for (int b = std::max(0, bi[1] - 1); b <= std::min(nb[1] - 1, bi[1] + 1); ++b)
        for (int c = std::max(0, bi[2] - 1); c <= std::min(nb[2] - 1, bi[2] + 1); ++c) {
          const std::size_t bin = (static_cast<std::size_t>(a) * nb[1] + b) * nb[2] + c;
          for (int q = bin_start[bin]; q < bin_start[bin + 1]; ++q) {
            const Point& p = points[static_cast<std::size_t>(bin_points[static_cast<std::size_t>(q)])];
            // Cheap reject on the wrapped coordinates (with slack), exact test below.
            if (norm2(p.r - ri) >= cut2 * (1.0 + 1e-9) + 1e-12) continue;
            // Image relative to the given (unwrapped) positions of both atoms.
            std::array<int, 3> img;
            for (std::size_t k = 0; k < 3; ++k) img[k] = p.n[k] + wrap_shift[i][k];
            const bool self = p.atom == static_cast<int>(i) && img == std::array<int, 3>{0, 0, 0};
            if (self) continue;
            if (half) {
              if (p.atom < static_cast<int>(i)) continue;
              if (p.atom == static_cast<int>(i) && img < std::array<int, 3>{0, 0, 0}) continue;
            }
            // Recompute from the original positions so r_ij is exact to the input, not the wrap.
            const Vec3 d = image_displacement(s.positions[i],
                                              s.positions[static_cast<std::size_t>(p.atom)],
                                              img[0], img[1], img[2], s.cell);
            if (norm2(d) >= cut2) continue;
            out.push_back({p.atom, img, d});
          }
        }
    std::sort(out.begin(), out.end(), [](const Entry& x, const Entry& y) {
      return std::tie(x.j, x.n) < std::tie(y.j, y.n);
    });
  }
  for (std::size_t i = 0; i < n; ++i) nl.offsets[i + 1] = nl.offsets[i] + static_cast<int>(per_atom[i].size());
  const auto total = static_cast<std::size_t>(nl.offsets[n]);
  nl.neighbors.resize(total);
  nl.images.resize(total);
  nl.displacements.resize(total);
  for (std::size_t i = 0; i < n; ++i) {
    auto e = static_cast<std::size_t>(nl.offsets[i]);
    for (const Entry& x : per_atom[i]) {
      nl.neighbors[e] = x.j;
      nl.images[e] = x.n;
      nl.displacements[e] = x.d;
      ++e;
    }
  }
  return nl;
}

}  // namespace superion
