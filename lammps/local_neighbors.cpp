// Cell-list search of the owned atoms' neighbours among owned + ghost atoms.
#include "local_neighbors.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "core/error.hpp"

namespace superion::lammps {

void build_local_neighbors(const double* x, int nlocal, int nall, double cutoff,
                           LocalNeighbors& out) {
  if (!(cutoff > 0)) throw Error("neighbour cutoff must be positive");
  out.nlocal = nlocal;
  out.nall = nall;
  out.offsets.assign(static_cast<std::size_t>(nlocal) + 1, 0);
  out.neighbors.clear();
  if (nlocal == 0) return;
  std::array<double, 3> lo{x[0], x[1], x[2]}, hi = lo;
  for (int i = 0; i < nall; ++i)
    for (int d = 0; d < 3; ++d) {
      lo[d] = std::min(lo[d], x[3 * i + d]);
      hi[d] = std::max(hi[d], x[3 * i + d]);
    }
  // Cells at least `cutoff` wide, at most ~2·nall of them in total.
  std::array<long, 3> n{};
  long total = 1;
  for (int d = 0; d < 3; ++d) {
    n[d] = std::max(1L, static_cast<long>((hi[d] - lo[d]) / cutoff));
    total *= n[d];
  }
  while (total > 2L * nall + 8) {
    const int d = static_cast<int>(std::max_element(n.begin(), n.end()) - n.begin());
    total /= n[d];
    n[d] = std::max(1L, n[d] / 2);
    total *= n[d];
  }
  std::array<double, 3> inv{};
  for (int d = 0; d < 3; ++d) inv[d] = hi[d] > lo[d] ? n[d] / (hi[d] - lo[d]) : 0.0;
  auto cell_of = [&](int i, int d) {
    const long c = static_cast<long>((x[3 * i + d] - lo[d]) * inv[d]);
    return std::clamp(c, 0L, n[d] - 1);
  };
  // Counting sort of atoms into cells (ascending atom index inside a cell).
  std::vector<int> start(static_cast<std::size_t>(total) + 1, 0),
      cell(static_cast<std::size_t>(nall));
  for (int i = 0; i < nall; ++i) {
    cell[i] = static_cast<int>((cell_of(i, 0) * n[1] + cell_of(i, 1)) * n[2] + cell_of(i, 2));
    ++start[static_cast<std::size_t>(cell[i]) + 1];
  }
  for (long c = 0; c < total; ++c) start[c + 1] += start[c];
  std::vector<int> sorted(static_cast<std::size_t>(nall)), fill(start.begin(), start.end() - 1);
  for (int i = 0; i < nall; ++i) sorted[fill[cell[i]]++] = i;

  const double cut2 = cutoff * cutoff;
  std::vector<int> mine;
  for (int i = 0; i < nlocal; ++i) {
    mine.clear();
    const long ci[3] = {cell_of(i, 0), cell_of(i, 1), cell_of(i, 2)};
    for (long a = std::max(0L, ci[0] - 1); a <= std::min(n[0] - 1, ci[0] + 1); ++a)
      for (long b = std::max(0L, ci[1] - 1); b <= std::min(n[1] - 1, ci[1] + 1); ++b)
        for (long c = std::max(0L, ci[2] - 1); c <= std::min(n[2] - 1, ci[2] + 1); ++c) {
          const long k = (a * n[1] + b) * n[2] + c;
          for (int s = start[k]; s < start[k + 1]; ++s) {
            const int j = sorted[s];
            if (j == i) continue;
            const double dx = x[3 * j] - x[3 * i], dy = x[3 * j + 1] - x[3 * i + 1],
                         dz = x[3 * j + 2] - x[3 * i + 2];
            if (dx * dx + dy * dy + dz * dz < cut2) mine.push_back(j);
          }
        }
    std::sort(mine.begin(), mine.end());
    out.neighbors.insert(out.neighbors.end(), mine.begin(), mine.end());
    out.offsets[static_cast<std::size_t>(i) + 1] = static_cast<int>(out.neighbors.size());
  }
}

}  // namespace superion::lammps
