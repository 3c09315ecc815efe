// Synthetic systems for the mechanism-analysis tests: a cubic Na3ClSO4-like antiperovskite
// (SO4 tetrahedron at the cube corner, Cl at the body centre, Na at the face centres) and helpers
// to rotate rigid clusters.
#pragma once

#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "core/vec3.hpp"
#include "mechanism/series.hpp"

namespace superion::testing {

struct Antiperovskite {
  Mat3 cell;
  std::vector<int> types;  // 0 Na, 1 Cl, 2 S, 3 O
  std::vector<std::string> symbols{"Na", "Cl", "S", "O"};
  std::vector<Vec3> positions;
  std::vector<int> s_atoms;               // S index per cluster
  std::vector<std::vector<int>> o_atoms;  // O indices per cluster
  std::vector<Vec3> s_centres;            // cartesian S positions
};

// n×n×n supercell of the cubic cell with lattice constant a; S–O bond length d_so; O positions
// are WRAPPED into the cell, so the corner tetrahedra straddle the boundary.
inline Antiperovskite make_antiperovskite(int n, double a = 6.0, double d_so = 1.48) {
  Antiperovskite x;
  x.cell = (n * a) * Mat3::identity();
  const double L = n * a;
  auto wrap = [L](Vec3 p) {
    for (int k = 0; k < 3; ++k) p[k] -= L * std::floor(p[k] / L);
    return p;
  };
  const double s3 = 1.0 / std::sqrt(3.0);
  const Vec3 tet[4] = {{s3, s3, s3}, {s3, -s3, -s3}, {-s3, s3, -s3}, {-s3, -s3, s3}};
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      for (int k = 0; k < n; ++k) {
        const Vec3 o{i * a, j * a, k * a};
        const Vec3 na[3] = {{0.5 * a, 0.5 * a, 0}, {0.5 * a, 0, 0.5 * a}, {0, 0.5 * a, 0.5 * a}};
        for (const Vec3& p : na) {
          x.positions.push_back(o + p);
          x.types.push_back(0);
        }
        x.positions.push_back(o + Vec3{0.5 * a, 0.5 * a, 0.5 * a});
        x.types.push_back(1);
        x.s_atoms.push_back(static_cast<int>(x.positions.size()));
        x.s_centres.push_back(o);
        x.positions.push_back(o);
        x.types.push_back(2);
        std::vector<int> os;
        for (const Vec3& u : tet) {
          os.push_back(static_cast<int>(x.positions.size()));
          x.positions.push_back(wrap(o + d_so * u));
          x.types.push_back(3);
        }
        x.o_atoms.push_back(os);
      }
  return x;
}

// Rotation matrix exp([w]×) (Rodrigues), acting on column vectors: R v.
inline Mat3 rotation(const Vec3& w) {
  const double th = norm(w);
  Mat3 R = Mat3::identity();
  if (th < 1e-300) return R;
  const Vec3 k = w * (1.0 / th);
  Mat3 K;
  K[0][1] = -k.z;
  K[0][2] = k.y;
  K[1][0] = k.z;
  K[1][2] = -k.x;
  K[2][0] = -k.y;
  K[2][1] = k.x;
  const Mat3 K2 = K * K;
  return R + std::sin(th) * K + (1 - std::cos(th)) * K2;
}
inline Vec3 apply(const Mat3& R, const Vec3& v) {
  return row_times(v, transpose(R));
}

// Writes the CLI tests' hop trajectory to `path` (extxyz, 300 frames 0.01 ps apart, 2x2x2
// antiperovskite): Na 0 jumps 3 A along x at frame 150 (t = 1.5 ps) and stays; every atom wobbles
// 0.05 A along y; positions wrapped into the cell (SO4 clusters straddle the boundary).
inline void write_hop_extxyz(const std::string& path) {
  const auto x = make_antiperovskite(2);
  std::ofstream out(path);
  const double L = x.cell[0][0];
  for (int f = 0; f < 300; ++f) {
    out << x.positions.size() << "\nLattice=\"" << L << " 0 0 0 " << L << " 0 0 0 " << L
        << "\" Properties=species:S:1:pos:R:3 time=" << f * 0.01 << " pbc=\"T T T\"\n";
    for (std::size_t i = 0; i < x.positions.size(); ++i) {
      Vec3 p = x.positions[i];
      if (i == 0 && f >= 150) p.x += 3.0;
      p.y += 0.05 * std::sin(0.9 * f + i);
      for (int k = 0; k < 3; ++k) p[k] -= L * std::floor(p[k] / L);
      char buf[128];
      std::snprintf(buf, sizeof buf, "%s %.8f %.8f %.8f\n", x.symbols[x.types[i]].c_str(), p.x, p.y,
                    p.z);
      out << buf;
    }
  }
}

}  // namespace superion::testing
