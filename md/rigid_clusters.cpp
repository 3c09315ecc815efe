// Cluster detection by bonding and the CPU loops of the frozen-rotation constraint.
#include "rigid_clusters.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <sstream>

#include "core/elements.hpp"
#include "core/error.hpp"
#include "core/fixed_sum.hpp"
#include "core/geometry.hpp"
#include "rigid_cluster_kernels.hpp"

namespace superion::md {
namespace {

std::string describe_atom(const Structure& s, int i) {
  const Vec3& p = s.positions[i];
  std::ostringstream o;
  o << s.symbol(i) << " #" << i << " at (" << p.x << ", " << p.y << ", " << p.z << ")";
  return o.str();
}

Mat3 safe_inverse(const Structure& s) {
  // Non-periodic directions may have a zero row; minimum_image ignores them, but the inverse
  // must exist, so fill such rows with a unit vector orthogonal to the others.
  Mat3 c = s.cell;
  for (int k = 0; k < 3; ++k)
    if (!s.pbc[k] && norm(c.row(k)) == 0.0) {
      Vec3 e{0, 0, 0};
      e[k] = 1.0;
      c.set_row(k, e);
    }
  if (std::fabs(det(c)) < 1e-12) throw Error("rigid clusters: degenerate cell");
  return inverse(c);
}

}  // namespace

double covalent_radius(const std::string& symbol) {
  // Cordero et al., Dalton Trans. 2008, 2832 (Table 2), Å; the ions that form anion clusters.
  static const std::map<std::string, double> r = {
      {"H", 0.31},  {"B", 0.84},  {"C", 0.76},  {"N", 0.71},  {"O", 0.66},  {"F", 0.57},
      {"Al", 1.21}, {"Si", 1.11}, {"P", 1.07},  {"S", 1.05},  {"Cl", 1.02}, {"Sc", 1.70},
      {"Ti", 1.60}, {"V", 1.53},  {"Cr", 1.39}, {"Ga", 1.22}, {"Ge", 1.20}, {"As", 1.19},
      {"Se", 1.20}, {"Br", 1.20}, {"Y", 1.90},  {"Zr", 1.75}, {"Nb", 1.64}, {"Mo", 1.54},
      {"In", 1.42}, {"Sn", 1.39}, {"Sb", 1.39}, {"Te", 1.38}, {"I", 1.39},  {"Hf", 1.75},
      {"Ta", 1.70}, {"W", 1.62}};
  const auto it = r.find(symbol);
  if (it == r.end())
    throw Error("no covalent radius for '" + symbol + "': give the cluster bond cutoff explicitly");
  return it->second;
}

ClusterSpec parse_cluster_spec(const std::string& text, double cutoff) {
  ClusterSpec spec;
  spec.cutoff = cutoff;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    item.erase(
        std::remove_if(item.begin(), item.end(), [](unsigned char ch) { return std::isspace(ch); }),
        item.end());
    if (item.empty()) continue;
    std::vector<std::pair<std::string, int>> parts;  // element, count (0 = not written)
    std::size_t i = 0;
    while (i < item.size()) {
      if (!std::isupper(static_cast<unsigned char>(item[i])))
        throw Error("cluster spec '" + text + "': expected an element symbol at '" +
                    item.substr(i) + "' (e.g. SO4, BH4, NH2, or a centre symbol such as S)");
      std::string sym(1, item[i++]);
      while (i < item.size() && std::islower(static_cast<unsigned char>(item[i]))) sym += item[i++];
      if (!find_element(sym))
        throw Error("cluster spec '" + text + "': unknown element '" + sym + "'");
      int count = 0;
      while (i < item.size() && std::isdigit(static_cast<unsigned char>(item[i])))
        count = 10 * count + (item[i++] - '0');
      parts.emplace_back(sym, count);
    }
    if (parts[0].second > 1)
      throw Error("cluster spec '" + item + "': the first element is the single centre atom");
    ClusterKind kind;
    kind.centre = parts[0].first;
    if (parts.size() == 1) {
      for (const char* l : {"O", "H", "F"})
        if (kind.centre != l) kind.ligands.emplace_back(l, 0);
    } else {
      for (std::size_t k = 1; k < parts.size(); ++k) {
        if (parts[k].first == kind.centre)
          throw Error("cluster spec '" + item + "': " + kind.centre +
                      " cannot be both centre and ligand");
        kind.ligands.emplace_back(parts[k].first, std::max(parts[k].second, 1));
      }
    }
    for (const auto& k : spec.kinds)
      if (k.centre == kind.centre)
        throw Error("cluster spec '" + text + "': centre " + kind.centre + " given twice");
    spec.kinds.push_back(kind);
  }
  if (spec.kinds.empty()) throw Error("empty cluster spec");
  return spec;
}

RigidClusters RigidClusters::find(const Structure& s, const ClusterSpec& spec) {
  s.validate();
  const Mat3 inv = safe_inverse(s);
  const bool pbc[3] = {s.pbc[0], s.pbc[1], s.pbc[2]};
  const int n = static_cast<int>(s.size());
  auto kind_of = [&](const std::string& sym) -> const ClusterKind* {
    for (const auto& k : spec.kinds)
      if (k.centre == sym) return &k;
    return nullptr;
  };
  auto ligand_of = [](const ClusterKind& k, const std::string& sym) {
    for (const auto& l : k.ligands)
      if (l.first == sym) return true;
    return false;
  };
  auto cutoff = [&](const std::string& c, const std::string& l) {
    return spec.cutoff > 0 ? spec.cutoff : 1.2 * (covalent_radius(c) + covalent_radius(l));
  };

  std::vector<std::string> symbols(n);
  std::vector<Vec3> frac(n);
  for (int i = 0; i < n; ++i) {
    symbols[i] = s.symbol(i);
    frac[i] = to_fractional(s.positions[i], inv);
  }
  // Exact prefilter: every periodic image of a pair has |d| >= |f_k − round f_k| × (distance
  // between the lattice planes k), so pairs failing that bound skip the 27-image search.
  const Vec3 planes = cell_face_distances(inverse(inv));

  std::vector<std::vector<int>> clusters;
  std::vector<int> owner(n, -1);
  for (int c = 0; c < n; ++c) {
    const std::string& cs = symbols[c];
    const ClusterKind* kind = kind_of(cs);
    if (!kind) continue;
    std::vector<int> members{c};
    for (int l = 0; l < n; ++l) {
      const std::string& ls = symbols[l];
      if (l == c || !ligand_of(*kind, ls)) continue;
      const double rcut = cutoff(cs, ls);
      bool far = false;
      for (int k = 0; k < 3 && !far; ++k) {
        if (!pbc[k]) continue;
        const double df = frac[l][k] - frac[c][k];
        far = std::fabs(df - std::floor(df + 0.5)) * planes[k] >= rcut;
      }
      if (far) continue;
      const double d = norm(minimum_image(s.positions[l] - s.positions[c], s.cell, inv, pbc));
      if (d >= rcut) continue;
      if (owner[l] >= 0) {
        std::ostringstream o;
        o << "rigid clusters: ligand " << describe_atom(s, l)
          << " is within the bond cutoff of two centres, " << describe_atom(s, owner[l]) << " and "
          << describe_atom(s, c) << "; give a smaller cutoff";
        throw Error(o.str());
      }
      owner[l] = c;
      members.push_back(l);
    }
    clusters.push_back(members);
  }
  if (clusters.empty()) {
    std::string names;
    for (const auto& k : spec.kinds) names += (names.empty() ? "" : ", ") + k.centre;
    throw Error("rigid clusters: no centre atom (" + names + ") in the structure");
  }
  // Composition checks: expected counts, or equal compositions per centre species.
  auto text = [](const std::map<std::string, int>& c) {
    std::string t;
    for (const auto& [k, v] : c) t += k + std::to_string(v);
    return t.empty() ? std::string("no ligands") : t;
  };
  std::map<std::string, std::map<std::string, int>> first_seen;
  for (const auto& m : clusters) {
    const std::string cs = s.symbol(m[0]);
    const ClusterKind& kind = *kind_of(cs);
    std::map<std::string, int> comp;
    for (std::size_t k = 1; k < m.size(); ++k) ++comp[s.symbol(m[k])];
    if (m.size() == 1)
      throw Error("rigid clusters: incomplete cluster: centre " + describe_atom(s, m[0]) +
                  " has no ligand within the bond cutoff");
    for (const auto& [sym, want] : kind.ligands) {
      const int have = comp.count(sym) ? comp.at(sym) : 0;
      if (want > 0 && have != want) {
        std::ostringstream o;
        o << "rigid clusters: incomplete cluster at " << describe_atom(s, m[0]) << ": " << have
          << " " << sym << " within the bond cutoff, expected " << want
          << " (check the structure or the cutoff)";
        throw Error(o.str());
      }
    }
    auto it = first_seen.find(cs);
    if (it == first_seen.end())
      first_seen[cs] = comp;
    else if (it->second != comp)
      throw Error("rigid clusters: cluster at " + describe_atom(s, m[0]) + " has " + text(comp) +
                  " but an earlier " + cs + " cluster has " + text(it->second) +
                  " (incomplete cluster? check the structure or the cutoff)");
  }
  return from_atoms(s, clusters);
}

RigidClusters RigidClusters::from_atoms(const Structure& s,
                                        const std::vector<std::vector<int>>& atoms) {
  const std::vector<double> m = s.atom_masses();
  const Mat3 inv = safe_inverse(s);
  const bool pbc[3] = {s.pbc[0], s.pbc[1], s.pbc[2]};
  std::vector<double> flat;
  for (const auto& list : atoms) {
    if (list.empty()) throw Error("rigid clusters: empty atom list");
    double total = 0;
    for (int i : list) {
      if (i < 0 || i >= static_cast<int>(s.size()))
        throw Error("rigid clusters: atom index " + std::to_string(i) + " out of range");
      total += m[i];
    }
    const Vec3 ref = s.positions[list[0]];
    Vec3 centre{0, 0, 0};  // mass-weighted centre relative to ref (minimum image)
    std::vector<Vec3> rel;
    for (int i : list) {
      rel.push_back(minimum_image(s.positions[i] - ref, s.cell, inv, pbc));
      centre += (m[i] / total) * rel.back();
    }
    for (const Vec3& r : rel) {
      const Vec3 d = r - centre;
      flat.insert(flat.end(), {d.x, d.y, d.z});
    }
  }
  return from_atoms_and_offsets(s, atoms, flat);
}

RigidClusters RigidClusters::from_atoms_and_offsets(const Structure& s,
                                                    const std::vector<std::vector<int>>& atoms,
                                                    const std::vector<double>& offsets) {
  const std::vector<double> m = s.atom_masses();
  RigidClusters rc;
  rc.begin_.push_back(0);
  std::vector<char> used(s.size(), 0);
  for (const auto& list : atoms) {
    double total = 0;
    for (int i : list) {
      if (i < 0 || i >= static_cast<int>(s.size()))
        throw Error("rigid clusters: atom index " + std::to_string(i) + " out of range");
      if (used[i]) throw Error("rigid clusters: atom " + std::to_string(i) + " is in two clusters");
      used[i] = 1;
      total += m[i];
    }
    for (int i : list) {
      rc.atoms_.push_back(i);
      rc.weights_.push_back(m[i] / total);
    }
    rc.begin_.push_back(static_cast<int>(rc.atoms_.size()));
  }
  if (offsets.size() != 3 * rc.atoms_.size())
    throw Error("rigid clusters: " + std::to_string(offsets.size()) + " offset values for " +
                std::to_string(rc.atoms_.size()) + " cluster atoms (expected 3 each)");
  for (std::size_t k = 0; k < rc.atoms_.size(); ++k)
    rc.offsets_.push_back({offsets[3 * k], offsets[3 * k + 1], offsets[3 * k + 2]});
  return rc;
}

std::vector<int> RigidClusters::atoms_of(std::size_t c) const {
  return {atoms_.begin() + begin_[c], atoms_.begin() + begin_[c + 1]};
}

std::vector<std::vector<int>> RigidClusters::atom_lists() const {
  std::vector<std::vector<int>> out;
  for (std::size_t c = 0; c < size(); ++c) out.push_back(atoms_of(c));
  return out;
}

long RigidClusters::removed_dof() const {
  long r = 0;
  for (std::size_t c = 0; c < size(); ++c) r += 3L * (begin_[c + 1] - begin_[c]) - 3L;
  return r;
}

std::vector<double> RigidClusters::flat_offsets() const {
  std::vector<double> out;
  for (const Vec3& d : offsets_) out.insert(out.end(), {d.x, d.y, d.z});
  return out;
}

void RigidClusters::project_forces(std::vector<Vec3>& forces) const {
  for (std::size_t c = 0; c < size(); ++c)
    cluster_project_force(&atoms_[begin_[c]], &weights_[begin_[c]], begin_[c + 1] - begin_[c],
                          forces.data());
}

void RigidClusters::project_velocities(std::vector<Vec3>& velocities) const {
  for (std::size_t c = 0; c < size(); ++c)
    cluster_project_velocity(&atoms_[begin_[c]], &weights_[begin_[c]], begin_[c + 1] - begin_[c],
                             velocities.data());
}

double RigidClusters::restore_positions(std::vector<Vec3>& positions, const Mat3& cell,
                                        const std::array<bool, 3>& pbc) const {
  Structure tmp;  // only for safe_inverse
  tmp.cell = cell;
  tmp.pbc = pbc;
  const Mat3 inv = safe_inverse(tmp);
  const bool p[3] = {pbc[0], pbc[1], pbc[2]};
  double worst = 0;
  for (std::size_t c = 0; c < size(); ++c)
    worst = std::max(worst, cluster_restore_positions(
                                &atoms_[begin_[c]], &weights_[begin_[c]], &offsets_[begin_[c]],
                                begin_[c + 1] - begin_[c], positions.data(), cell, inv, p));
  return worst;
}

double RigidClusters::restore_positions(std::vector<Vec3>& positions) const {
  return restore_positions(positions, Mat3::identity(), {false, false, false});
}

Mat3 RigidClusters::internal_virial(const std::vector<Vec3>& forces) const {
  // Per cluster, then a fixed-shape sum over clusters (the device engine's order).
  std::vector<double> per(9 * size());
  for (std::size_t c = 0; c < size(); ++c) {
    const Mat3 w = cluster_internal_virial(&atoms_[begin_[c]], &offsets_[begin_[c]],
                                           begin_[c + 1] - begin_[c], forces.data());
    for (int a = 0; a < 3; ++a)
      for (int b = 0; b < 3; ++b) per[9 * c + 3 * a + b] = w[a][b];
  }
  Mat3 w;
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b)
      w[a][b] = fixed_sum(per.data() + 3 * a + b, static_cast<long>(size()), 9);
  return w;
}

}  // namespace superion::md
