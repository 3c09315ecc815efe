// Probability density grid (pymatgen and even conventions) and its cube / CHGCAR / CSV writers;
// see density.hpp.
#include "mechanism/density.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/atomic_file.hpp"
#include "core/elements.hpp"
#include "core/error.hpp"
#include "core/geometry.hpp"

namespace superion::mechanism {
namespace {
const bool kPbc[3] = {true, true, true};
constexpr double kBohr = 0.529177210903;        // Å (CODATA 2018), cube files
constexpr double kPymatgenBohr = 0.5291772083;  // Å, the constant of pymatgen's to_chgcar

// Mean displacement of the framework atoms in frame t since frame 0 (zero without framework).
Vec3 framework_drift(const FrameSeries& s, const std::vector<int>& framework, std::size_t t) {
  Vec3 sum{};
  if (framework.empty()) return sum;
  for (int j : framework) sum = sum + (s.unwrapped[t][j] - s.unwrapped[0][j]);
  return sum * (1.0 / static_cast<double>(framework.size()));
}

// Nearest of the 8 grid points around fractional position f (pymatgen's rule, density.hpp).
std::size_t nearest_pymatgen_point(const DensityGrid& g, const Vec3& f, const Mat3& inv) {
  int corner[3], next[3];
  for (int k = 0; k < 3; ++k) {
    corner[k] = std::min(static_cast<int>(f[k] / g.step[k]), g.n[k] - 1);
    next[k] = corner[k] < g.n[k] - 1 ? corner[k] + 1 : 0;
  }
  const Vec3 x = to_cartesian(f, g.cell);
  double best = 0;
  std::size_t best_index = 0;
  bool first = true;
  for (int a = 0; a < 2; ++a)
    for (int b = 0; b < 2; ++b)
      for (int c = 0; c < 2; ++c) {
        const int i = a ? next[0] : corner[0], j = b ? next[1] : corner[1],
                  k = c ? next[2] : corner[2];
        const Vec3 p{i * g.step[0], j * g.step[1], k * g.step[2]};
        const double d2 = norm2(minimum_image(to_cartesian(p, g.cell) - x, g.cell, inv, kPbc));
        if (first || d2 < best) {
          best = d2;
          best_index = g.index(i, j, k);
          first = false;
        }
      }
  return best_index;
}

std::size_t nearest_even_point(const DensityGrid& g, const Vec3& f) {
  int idx[3];
  for (int k = 0; k < 3; ++k) idx[k] = static_cast<int>(std::floor(f[k] * g.n[k] + 0.5)) % g.n[k];
  return g.index(idx[0], idx[1], idx[2]);
}

}  // namespace

DensityGrid probability_density(const FrameSeries& s, const std::vector<int>& atoms,
                                const DensityOptions& o) {
  s.require_frames(1, "probability density");
  if (!(o.spacing > 0) || !std::isfinite(o.spacing))
    throw InputError(s.source, 0, "density grid spacing must be > 0 Å");
  if (atoms.empty()) throw InputError(s.source, 0, "no atoms selected for the density");
  DensityGrid g;
  g.convention = o.convention;
  g.cell = s.cells[0];
  for (int k = 0; k < 3; ++k) {
    const double length = norm(g.cell.row(k));
    if (o.convention == DensityConvention::kPymatgen) {
      // numpy.arange(0, 1, step) has ceil((1 - 0) / step) points at i·step.
      g.step[k] = o.spacing / length;
      g.n[k] = static_cast<int>(std::ceil(1.0 / g.step[k]));
    } else {
      g.n[k] = std::max(1, static_cast<int>(std::ceil(length / o.spacing)));
      g.step[k] = 1.0 / g.n[k];
    }
    if (g.n[k] > 100000)
      throw InputError(s.source, 0, "density grid spacing too small for this cell");
  }
  const std::size_t nv = static_cast<std::size_t>(g.n[0]) * g.n[1] * g.n[2];
  std::vector<double> counts(nv, 0.0);
  const Mat3 inv0 = inverse(g.cell);
  const bool drift = !o.framework.empty();
  for (std::size_t t = 0; t < s.n_frames(); ++t) {
    const Mat3 inv = inverse(s.cells[t]);
    const Vec3 shift = framework_drift(s, o.framework, t);
    for (int i : atoms) {
      const Vec3 r = drift ? s.unwrapped[t][i] - shift : s.wrapped[t][i];
      Vec3 f = to_fractional(r, inv);
      for (int k = 0; k < 3; ++k) f[k] -= std::floor(f[k]);
      const std::size_t v = o.convention == DensityConvention::kPymatgen
                                ? nearest_pymatgen_point(g, f, inv0)
                                : nearest_even_point(g, f);
      counts[v] += 1.0;
    }
  }
  const double volume = std::fabs(det(g.cell));
  g.voxel_volume = volume / static_cast<double>(nv);
  g.samples = s.n_frames() * atoms.size();
  g.rho.resize(nv);
  // pymatgen's order of operations: n / nsteps / n_atoms / V * n_grid.
  for (std::size_t v = 0; v < nv; ++v)
    g.rho[v] = counts[v] / static_cast<double>(s.n_frames()) / static_cast<double>(atoms.size()) /
               volume * static_cast<double>(nv);
  return g;
}

DensityStats density_stats(const DensityGrid& g) {
  DensityStats st;
  if (g.rho.empty()) return st;
  const auto mx = std::max_element(g.rho.begin(), g.rho.end());
  st.max = *mx;
  st.min = *std::min_element(g.rho.begin(), g.rho.end());
  double sum = 0;
  for (double x : g.rho) sum += x;
  st.integral = sum * g.voxel_volume;
  const std::size_t m = static_cast<std::size_t>(mx - g.rho.begin());
  st.argmax[0] = static_cast<int>(m / (static_cast<std::size_t>(g.n[1]) * g.n[2]));
  st.argmax[1] = static_cast<int>((m / g.n[2]) % g.n[1]);
  st.argmax[2] = static_cast<int>(m % g.n[2]);
  return st;
}

void write_cube(const std::string& path, const DensityGrid& g, const FrameSeries& s) {
  AtomicFile f(path);
  auto& o = f.stream();
  char buf[160];
  o << "superion probability density (Bohr^-3, integrates to 1)\n";
  o << "grid " << g.n[0] << " x " << g.n[1] << " x " << g.n[2] << ", outer loop a, inner loop c\n";
  std::snprintf(buf, sizeof buf, "%5zu %12.6f %12.6f %12.6f\n", s.n_atoms(), 0.0, 0.0, 0.0);
  o << buf;
  for (int k = 0; k < 3; ++k) {
    const Vec3 v = g.cell.row(k) * (1.0 / (g.n[k] * kBohr));
    std::snprintf(buf, sizeof buf, "%5d %12.6f %12.6f %12.6f\n", g.n[k], v.x, v.y, v.z);
    o << buf;
  }
  for (std::size_t i = 0; i < s.n_atoms(); ++i) {
    const Element* e = find_element(s.symbols[s.types[i]]);
    const Vec3 p = s.wrapped[0][i] * (1.0 / kBohr);
    std::snprintf(buf, sizeof buf, "%5d %12.6f %12.6f %12.6f %12.6f\n", e ? e->z : 0,
                  e ? double(e->z) : 0.0, p.x, p.y, p.z);
    o << buf;
  }
  const double to_bohr3 = kBohr * kBohr * kBohr;
  for (int a = 0; a < g.n[0]; ++a)
    for (int b = 0; b < g.n[1]; ++b) {
      for (int c = 0; c < g.n[2]; ++c) {
        std::snprintf(buf, sizeof buf, " %13.5E", g.rho[g.index(a, b, c)] * to_bohr3);
        o << buf;
        if (c % 6 == 5) o << '\n';
      }
      if (g.n[2] % 6 != 0) o << '\n';
    }
  f.commit();
}

void write_chgcar(const std::string& path, const DensityGrid& g, const FrameSeries& s) {
  AtomicFile f(path);
  auto& o = f.stream();
  char buf[160];
  const double volume = std::fabs(det(g.cell));
  const bool pmg = g.convention == DensityConvention::kPymatgen;
  const double scale = pmg ? volume / (kPymatgenBohr * kPymatgenBohr * kPymatgenBohr) : volume;
  o << (pmg ? "superion probability density (pymatgen to_chgcar values: rho*V/0.5291772083^3)\n"
            : "superion probability density (CHGCAR convention: rho*V_cell)\n")
    << "   1.0\n";
  for (int k = 0; k < 3; ++k) {
    std::snprintf(buf, sizeof buf, " %.17g %.17g %.17g\n", g.cell[k][0], g.cell[k][1],
                  g.cell[k][2]);
    o << buf;
  }
  std::vector<int> count(s.symbols.size(), 0);
  for (int t : s.types) ++count[t];
  for (std::size_t k = 0; k < s.symbols.size(); ++k)
    if (count[k]) o << ' ' << s.symbols[k];
  o << '\n';
  for (std::size_t k = 0; k < s.symbols.size(); ++k)
    if (count[k]) o << ' ' << count[k];
  o << "\nDirect\n";
  const Mat3 inv = inverse(g.cell);
  for (std::size_t k = 0; k < s.symbols.size(); ++k)
    for (std::size_t i = 0; i < s.n_atoms(); ++i)
      if (s.types[i] == static_cast<int>(k)) {
        const Vec3 fr = to_fractional(s.wrapped[0][i], inv);
        std::snprintf(buf, sizeof buf, " %12.8f %12.8f %12.8f\n", fr.x, fr.y, fr.z);
        o << buf;
      }
  o << "\n " << g.n[0] << ' ' << g.n[1] << ' ' << g.n[2] << '\n';
  int col = 0;
  for (int c = 0; c < g.n[2]; ++c)
    for (int b = 0; b < g.n[1]; ++b)
      for (int a = 0; a < g.n[0]; ++a) {
        std::snprintf(buf, sizeof buf, " %.10e", g.rho[g.index(a, b, c)] * scale);
        o << buf;
        if (++col % 5 == 0) o << '\n';
      }
  if (col % 5) o << '\n';
  f.commit();
}

void write_density_csv(const std::string& path, const DensityGrid& g) {
  AtomicFile f(path);
  auto& o = f.stream();
  char buf[256];
  o << "i,j,k,a_frac,b_frac,c_frac,x_A,y_A,z_A,rho_per_A3\n";
  for (int i = 0; i < g.n[0]; ++i)
    for (int j = 0; j < g.n[1]; ++j)
      for (int k = 0; k < g.n[2]; ++k) {
        const Vec3 fr{i * g.step[0], j * g.step[1], k * g.step[2]};
        const Vec3 x = to_cartesian(fr, g.cell);
        std::snprintf(buf, sizeof buf, "%d,%d,%d,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g\n", i, j,
                      k, fr.x, fr.y, fr.z, x.x, x.y, x.z, g.rho[g.index(i, j, k)]);
        o << buf;
      }
  f.commit();
}

}  // namespace superion::mechanism
