// Periodic geometry for triclinic cells: fractional <-> cartesian, wrapping, minimum image.
// Cell vectors are rows: r = f · cell (f a row vector).
#pragma once

#include <array>
#include <cmath>

#include "core/hd.hpp"
#include "core/vec3.hpp"

namespace superion {

SUPERION_HD inline Vec3 to_cartesian(const Vec3& frac, const Mat3& cell) { return row_times(frac, cell); }
SUPERION_HD inline Vec3 to_fractional(const Vec3& cart, const Mat3& inv_cell) {
  return row_times(cart, inv_cell);
}

// Displacement r_j + n·cell − r_i of neighbour j in image n from atom i (positions as given, not
// wrapped). The one expression of every neighbour list (CPU and device), so that their
// displacements are the same bits.
SUPERION_HD inline Vec3 image_displacement(const Vec3& ri, const Vec3& rj, int n0, int n1, int n2,
                                           const Mat3& cell) {
  const Vec3 shift = row_times(Vec3{double(n0), double(n1), double(n2)}, cell);
  return rj + shift - ri;
}

// Wrap a fractional coordinate into [0, 1) in periodic directions.
SUPERION_HD inline Vec3 wrap_fractional(Vec3 f, const bool pbc[3]) {
  for (int k = 0; k < 3; ++k)
    if (pbc[k]) {
      f[k] -= floor(f[k]);
      if (f[k] >= 1.0) f[k] = 0.0;  // guard against rounding of -tiny
    }
  return f;
}

// Perpendicular widths of the cell (distance between opposite faces), Å.
inline Vec3 cell_face_distances(const Mat3& cell) {
  const Vec3 a = cell.row(0), b = cell.row(1), c = cell.row(2);
  const double v = std::fabs(det(cell));
  return {v / norm(cross(b, c)), v / norm(cross(c, a)), v / norm(cross(a, b))};
}

// Minimum-image displacement for any triclinic cell. Reduces fractional components to [-0.5,0.5)
// and then searches the 27 neighbouring images, which is exact for any cell shape (the reduced
// vector may not be the shortest in strongly skewed cells, the search fixes that).
SUPERION_HD inline Vec3 minimum_image(const Vec3& d, const Mat3& cell, const Mat3& inv_cell,
                                      const bool pbc[3]) {
  Vec3 f = row_times(d, inv_cell);
  for (int k = 0; k < 3; ++k)
    if (pbc[k]) f[k] -= floor(f[k] + 0.5);
  Vec3 best = row_times(f, cell);
  double best2 = norm2(best);
  for (int i = -1; i <= 1; ++i)
    for (int j = -1; j <= 1; ++j)
      for (int k = -1; k <= 1; ++k) {
        if ((i && !pbc[0]) || (j && !pbc[1]) || (k && !pbc[2]) || (!i && !j && !k)) continue;
        const Vec3 g{f.x + i, f.y + j, f.z + k};
        const Vec3 c = row_times(g, cell);
        const double c2 = norm2(c);
        if (c2 < best2) {
          best2 = c2;
          best = c;
        }
      }
  return best;
}

}  // namespace superion
