// Buckingham + Ewald Coulomb calculator and its shipped parameter sets.
#include "calculators/classical.hpp"

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "neighbor/neighbor_list.hpp"

namespace superion {
namespace {

std::pair<std::string, std::string> key(const std::string& a, const std::string& b) {
  return a < b ? std::make_pair(a, b) : std::make_pair(b, a);
}

}  // namespace

ClassicalParameters shipped_classical_parameters(const std::string& name) {
  ClassicalParameters p;
  p.name = name;
  if (name == "NaCl") {
    // Rigid-ion Na+/Cl− model with formal charges. Short-range Buckingham terms of the
    // Catlow/Lewis type (values chosen for this project: rocksalt is the ground state with a
    // lattice constant near experiment, see tests/screening/test_calculators.cpp).
    p.charges = {{"Na", 1.0}, {"Cl", -1.0}};
    p.pairs[key("Na", "Cl")] = {1170.4, 0.3218, 0.0};
    p.pairs[key("Cl", "Cl")] = {1227.2, 0.3214, 29.06};
    return p;
  }
  if (name == "Na3OCl") {
    // Na+, O2−, Cl− with formal charges; Na–O and O–O terms of the Lewis–Catlow type, Na–Cl and
    // Cl–Cl as in the NaCl set, O–Cl chosen for this project (a soft anion–anion repulsion).
    // Which structure is the ground state is checked by tests, not assumed.
    p.charges = {{"Na", 1.0}, {"O", -2.0}, {"Cl", -1.0}};
    p.pairs[key("Na", "O")] = {1271.5, 0.3000, 0.0};
    p.pairs[key("O", "O")] = {22764.0, 0.1490, 27.88};
    p.pairs[key("Na", "Cl")] = {1170.4, 0.3218, 0.0};
    p.pairs[key("Cl", "Cl")] = {1227.2, 0.3214, 29.06};
    p.pairs[key("O", "Cl")] = {8286.9, 0.2350, 28.46};
    return p;
  }
  throw Error("unknown classical parameter set '" + name +
              "' (shipped: NaCl, Na3OCl; or a .json file)");
}

ClassicalParameters read_classical_parameters(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path, 0, "cannot open classical parameter file");
  nlohmann::json j;
  try {
    in >> j;
    ClassicalParameters p;
    p.name = j.value("name", path);
    for (const auto& [el, q] : j.at("charges").items()) p.charges[el] = q.get<double>();
    p.cutoff = j.value("cutoff", 10.0);
    for (const auto& b : j.at("buckingham")) {
      const auto pr = b.at("pair").get<std::vector<std::string>>();
      if (pr.size() != 2) throw InputError(path, 0, "'pair' must name two elements");
      p.pairs[key(pr[0], pr[1])] = {b.at("A").get<double>(), b.at("rho").get<double>(),
                                    b.value("C", 0.0)};
    }
    return p;
  } catch (const nlohmann::json::exception& e) {
    throw InputError(path, 0, std::string("expected {charges, buckingham[...]}: ") + e.what());
  }
}

CalcResult ClassicalCalculator::compute(const Structure& s) const {
  const std::size_t n = s.size();
  CalcResult out;
  out.forces.assign(n, Vec3{});
  std::vector<double> q(n);
  std::vector<std::string> sym(n);
  for (std::size_t i = 0; i < n; ++i) {
    sym[i] = s.symbol(i);
    const auto it = p_.charges.find(sym[i]);
    if (it == p_.charges.end()) throw Error(name() + " has no charge for species '" + sym[i] + "'");
    q[i] = it->second;
  }
  const NeighborList nl = build_neighbor_list(s, p_.cutoff, /*half=*/true);
  for (std::size_t i = 0; i < n; ++i)
    for (int e = nl.offsets[i]; e < nl.offsets[i + 1]; ++e) {
      const auto j = static_cast<std::size_t>(nl.neighbors[static_cast<std::size_t>(e)]);
      const auto it = p_.pairs.find(key(sym[i], sym[j]));
      if (it == p_.pairs.end()) continue;  // no short-range term for this pair (e.g. cation–cation)
      const BuckinghamPair& bp = it->second;
      const Vec3& d = nl.displacements[static_cast<std::size_t>(e)];
      const double r = norm(d);
      const double ex = bp.A * std::exp(-r / bp.rho);
      const double r6 = std::pow(r, -6.0);
      // Shifted so the energy is continuous at the cutoff (relaxations and FD checks need it).
      const double rc = p_.cutoff;
      out.energy += ex - bp.C * r6 - (bp.A * std::exp(-rc / bp.rho) - bp.C * std::pow(rc, -6.0));
      const double dEdr = -ex / bp.rho + 6.0 * bp.C * r6 / r;
      const Vec3 g = (dEdr / r) * d;
      out.forces[i] += g;
      out.forces[j] -= g;
      for (int a = 0; a < 3; ++a)
        for (int b = 0; b < 3; ++b) out.virial[a][b] -= g[a] * d[b];
    }
  add_ewald(s, q, p_.ewald, out);
  return out;
}

}  // namespace superion
