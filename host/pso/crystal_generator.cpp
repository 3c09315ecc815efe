// Symmetry-constrained random crystal generation (see crystal_generator.hpp).
#include "pso/crystal_generator.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "core/error.hpp"
#include "core/geometry.hpp"
#include "pso/symmetry.hpp"
#include "screening/composition.hpp"

namespace superion {
namespace {

constexpr double kDeg = M_PI / 180.0;

ClusterTemplate tetrahedron(const std::string& name, const std::string& centre,
                            const std::string& ligand, double d) {
  const double s = d / std::sqrt(3.0);
  return {name,
          {centre, ligand, ligand, ligand, ligand},
          {{0, 0, 0}, {s, s, s}, {s, -s, -s}, {-s, s, -s}, {-s, -s, s}}};
}

ClusterTemplate trigonal(const std::string& name, const std::string& centre,
                         const std::string& ligand, double d) {
  return {name,
          {centre, ligand, ligand, ligand},
          {{0, 0, 0},
           {d, 0, 0},
           {-0.5 * d, std::sqrt(0.75) * d, 0},
           {-0.5 * d, -std::sqrt(0.75) * d, 0}}};
}

Mat3 lattice_from_parameters(double a, double b, double c, double al, double be, double ga) {
  Mat3 m;
  m.set_row(0, {a, 0, 0});
  m.set_row(1, {b * std::cos(ga), b * std::sin(ga), 0});
  const double cx = c * std::cos(be);
  const double cy = c * (std::cos(al) - std::cos(be) * std::cos(ga)) / std::sin(ga);
  m.set_row(2, {cx, cy, std::sqrt(std::max(c * c - cx * cx - cy * cy, 1e-6))});
  return m;
}

Mat3 random_lattice(const std::string& system, double volume, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> ratio(0.7, 1.5), angle(65.0, 115.0);
  double a = 1, b = ratio(rng), c = ratio(rng), al = 90, be = 90, ga = 90;
  if (system == "triclinic") {
    al = angle(rng), be = angle(rng), ga = angle(rng);
  } else if (system == "monoclinic") {
    be = angle(rng);
  } else if (system == "tetragonal") {
    b = a;
  } else if (system == "trigonal" || system == "hexagonal") {
    b = a;
    ga = 120;
  } else if (system == "cubic") {
    b = c = a;
  }
  Mat3 m = lattice_from_parameters(a, b, c, al * kDeg, be * kDeg, ga * kDeg);
  const double v = std::fabs(det(m));
  if (!(v > 1e-3)) return random_lattice(system, volume, rng);  // degenerate angle triple: redraw
  return std::cbrt(volume / v) * m;
}

// Uniform random rotation (quaternion method).
Mat3 random_rotation(std::mt19937_64& rng) {
  std::normal_distribution<double> n(0, 1);
  double q[4] = {n(rng), n(rng), n(rng), n(rng)};
  const double l = std::sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]);
  for (double& x : q) x /= l;
  const double w = q[0], x = q[1], y = q[2], z = q[3];
  Mat3 r;
  r[0][0] = 1 - 2 * (y * y + z * z), r[0][1] = 2 * (x * y - z * w), r[0][2] = 2 * (x * z + y * w);
  r[1][0] = 2 * (x * y + z * w), r[1][1] = 1 - 2 * (x * x + z * z), r[1][2] = 2 * (y * z - x * w);
  r[2][0] = 2 * (x * z - y * w), r[2][1] = 2 * (y * z + x * w), r[2][2] = 1 - 2 * (x * x + y * y);
  return r;
}

Vec3 mat_vec(const Mat3& m, const Vec3& v) {
  return {m[0][0] * v.x + m[0][1] * v.y + m[0][2] * v.z,
          m[1][0] * v.x + m[1][1] * v.y + m[1][2] * v.z,
          m[2][0] * v.x + m[2][1] * v.y + m[2][2] * v.z};
}

struct PlacedAtom {
  Vec3 r;
  std::string symbol;
  int unit;
};

}  // namespace

ClusterTemplate cluster_template(const std::string& name) {
  if (name == "SO4") return tetrahedron(name, "S", "O", 1.48);
  if (name == "SeO4") return tetrahedron(name, "Se", "O", 1.65);
  if (name == "ClO4") return tetrahedron(name, "Cl", "O", 1.44);
  if (name == "BF4") return tetrahedron(name, "B", "F", 1.40);
  if (name == "BH4") return tetrahedron(name, "B", "H", 1.21);
  if (name == "AlH4") return tetrahedron(name, "Al", "H", 1.60);
  if (name == "CO3") return trigonal(name, "C", "O", 1.29);
  if (name == "NO3") return trigonal(name, "N", "O", 1.25);
  if (name == "NH2") {
    const double d = 1.02, h = 0.5 * 105.0 * kDeg;
    return {
        name,
        {"N", "H", "H"},
        {{0, 0, 0}, {d * std::sin(h), d * std::cos(h), 0}, {-d * std::sin(h), d * std::cos(h), 0}}};
  }
  throw Error("unknown cluster '" + name + "' (known: SO4 SeO4 ClO4 BF4 BH4 AlH4 CO3 NO3 NH2)");
}

std::vector<CrystalUnit> crystal_units(const std::string& composition,
                                       const std::vector<std::string>& clusters,
                                       int formula_units) {
  if (formula_units < 1) throw Error("formula units must be >= 1");
  Composition c = parse_formula(composition);
  std::vector<CrystalUnit> units;
  for (const auto& name : clusters) {
    const ClusterTemplate t = cluster_template(name);
    std::map<std::string, int> need;
    for (const auto& s : t.symbols) ++need[s];
    // How many of this cluster the formula holds: limited by its scarcest element.
    int n = 1 << 30;
    for (const auto& [el, k] : need)
      n = std::min(n, static_cast<int>(std::floor(c[el] / k + 1e-9)));
    if (n < 1) throw Error("composition " + composition + " has no room for cluster " + name);
    for (const auto& [el, k] : need) c[el] -= n * k;
    units.push_back({name, true, n * formula_units});
  }
  for (const auto& [el, x] : c) {
    if (x < -1e-9 || std::fabs(x - std::round(x)) > 1e-9)
      throw Error("composition " + composition + " does not split into whole atoms and clusters");
    if (std::round(x) > 0)
      units.push_back({el, false, static_cast<int>(std::round(x)) * formula_units});
  }
  return units;
}

GeneratedCrystal random_crystal(const std::vector<CrystalUnit>& units, const GeneratorOptions& o,
                                std::mt19937_64& rng) {
  int n_atoms = 0;
  for (const auto& u : units)
    n_atoms +=
        u.count * (u.is_cluster ? static_cast<int>(cluster_template(u.species).symbols.size()) : 1);
  if (n_atoms == 0) throw Error("empty composition");
  std::vector<int> groups = o.space_groups;
  if (groups.empty())
    for (int g = 1; g <= 230; ++g) groups.push_back(g);
  std::uniform_int_distribution<std::size_t> pick(0, groups.size() - 1);
  std::uniform_real_distribution<double> u01(0, 1);
  const double volume0 = o.volume_per_unit > 0 ? o.volume_per_unit : 18.0 * n_atoms;

  for (int attempt = 0; attempt < o.max_attempts; ++attempt) {
    const int sg = groups[pick(rng)];
    const auto ops = space_group_operations(sg);
    const double volume = volume0 * (1.0 + o.volume_scatter * (2 * u01(rng) - 1));
    const Mat3 cell = random_lattice(crystal_system(sg), volume, rng);
    const Mat3 inv = inverse(cell);
    const Mat3 ct = transpose(cell), ct_inv = inverse(ct);
    const bool pbc[3] = {true, true, true};
    std::vector<PlacedAtom> placed;
    std::vector<std::vector<int>> cluster_atoms;
    int unit_id = 0;
    bool ok = true;
    for (const auto& u : units) {
      const ClusterTemplate tmpl = u.is_cluster
                                       ? cluster_template(u.species)
                                       : ClusterTemplate{u.species, {u.species}, {{0, 0, 0}}};
      int remaining = u.count;
      int tries = 0;
      while (remaining > 0 && ok) {
        if (++tries > 200) ok = false;
        // Special positions have coordinates such as 0, 1/4, 1/3, 1/2: snapping half of the drawn
        // coordinates to them makes the small orbits that low counts need likely, not rare.
        static const double kSpecial[] = {0.0,       0.25,      0.5,       0.75, 1.0 / 3.0,
                                          2.0 / 3.0, 1.0 / 6.0, 5.0 / 6.0, 0.125};
        Vec3 f0{u01(rng), u01(rng), u01(rng)};
        for (int k = 0; k < 3; ++k)
          if (u01(rng) < 0.5) f0[k] = kSpecial[static_cast<std::size_t>(u01(rng) * 9) % 9];
        // Orbit with merging of near-coincident images (special positions).
        std::vector<std::pair<Vec3, Mat3>> orbit;  // fractional position, cartesian rotation
        for (const auto& op : ops) {
          Vec3 f;
          for (int i = 0; i < 3; ++i)
            f[i] = op.R[static_cast<std::size_t>(i)][0] * f0.x +
                   op.R[static_cast<std::size_t>(i)][1] * f0.y +
                   op.R[static_cast<std::size_t>(i)][2] * f0.z + op.t[static_cast<std::size_t>(i)];
          for (int i = 0; i < 3; ++i) f[i] -= std::floor(f[i]);
          bool merged = false;
          for (const auto& [g, rot] : orbit)
            if (norm(minimum_image(to_cartesian(f - g, cell), cell, inv, pbc)) < o.merge_distance)
              merged = true;
          if (merged) continue;
          Mat3 rf;
          for (int i = 0; i < 3; ++i)
            for (int j = 0; j < 3; ++j)
              rf[i][j] = op.R[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)];
          orbit.push_back({f, ct * rf * ct_inv});
        }
        if (static_cast<int>(orbit.size()) > remaining) continue;
        const Mat3 q = random_rotation(rng);
        std::vector<PlacedAtom> candidate;
        std::vector<std::vector<int>> candidate_clusters;
        for (const auto& [f, rot] : orbit) {
          const Vec3 centre = to_cartesian(f, cell);
          std::vector<int> idx;
          const int this_unit = unit_id++;  // all atoms of one cluster image share a unit id
          for (std::size_t a = 0; a < tmpl.symbols.size(); ++a) {
            idx.push_back(static_cast<int>(placed.size() + candidate.size()));
            candidate.push_back(
                {centre + mat_vec(rot, mat_vec(q, tmpl.body[a])), tmpl.symbols[a], this_unit});
          }
          if (u.is_cluster) candidate_clusters.push_back(idx);
        }
        bool clash = false;
        for (std::size_t i = 0; i < candidate.size() && !clash; ++i) {
          for (const auto& p : placed)
            if (norm(minimum_image(candidate[i].r - p.r, cell, inv, pbc)) < o.min_distance)
              clash = true;
          for (std::size_t j = 0; j < i && !clash; ++j)
            if (candidate[j].unit != candidate[i].unit &&
                norm(minimum_image(candidate[i].r - candidate[j].r, cell, inv, pbc)) <
                    o.min_distance)
              clash = true;
        }
        if (clash) continue;
        placed.insert(placed.end(), candidate.begin(), candidate.end());
        cluster_atoms.insert(cluster_atoms.end(), candidate_clusters.begin(),
                             candidate_clusters.end());
        remaining -= static_cast<int>(orbit.size());
      }
      if (!ok) break;
    }
    if (!ok) continue;
    GeneratedCrystal g;
    g.space_group = sg;
    g.structure.cell = cell;
    for (const auto& p : placed) {
      auto it = std::find(g.structure.species_symbols.begin(), g.structure.species_symbols.end(),
                          p.symbol);
      if (it == g.structure.species_symbols.end()) {
        g.structure.species_symbols.push_back(p.symbol);
        it = g.structure.species_symbols.end() - 1;
      }
      g.structure.types.push_back(static_cast<int>(it - g.structure.species_symbols.begin()));
      g.structure.positions.push_back(p.r);
    }
    g.clusters = cluster_atoms;
    return g;
  }
  throw Error("could not generate a random crystal in " + std::to_string(o.max_attempts) +
              " attempts (try a larger volume or fewer formula units)");
}

}  // namespace superion
