// Structure helpers: volume, formula, masses and validation.
#include "core/structure.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include "core/elements.hpp"
#include "core/error.hpp"

namespace superion {

int Structure::n_species() const {
  int n = static_cast<int>(species_symbols.size());
  for (int t : types) n = std::max(n, t + 1);
  return n;
}

double Structure::volume() const { return std::fabs(det(cell)); }

std::string Structure::symbol(std::size_t i) const {
  const int t = types.at(i);
  if (t >= 0 && t < static_cast<int>(species_symbols.size()) && !species_symbols[t].empty())
    return species_symbols[t];
  return "X" + std::to_string(t);
}

std::vector<double> Structure::atom_masses() const {
  if (masses.size() == size()) return masses;
  std::vector<double> m(size());
  for (std::size_t i = 0; i < size(); ++i) {
    const std::string s = symbol(i);
    const Element* e = find_element(s);
    if (!e) throw Error("no mass for atom " + std::to_string(i + 1) + " of species '" + s + "'");
    m[i] = e->mass;
  }
  return m;
}

std::string Structure::formula() const {
  std::map<std::string, int> counts;
  for (std::size_t i = 0; i < size(); ++i) ++counts[symbol(i)];
  // Hill order: C, H first when carbon is present, then alphabetical.
  std::vector<std::string> order;
  if (counts.count("C")) {
    order.push_back("C");
    if (counts.count("H")) order.push_back("H");
  }
  for (const auto& kv : counts)
    if (std::find(order.begin(), order.end(), kv.first) == order.end()) order.push_back(kv.first);
  std::ostringstream os;
  for (const auto& s : order) {
    os << s;
    if (counts[s] != 1) os << counts[s];
  }
  return os.str();
}

void Structure::validate() const {
  if (types.size() != positions.size())
    throw Error("structure has " + std::to_string(positions.size()) + " positions but " +
                std::to_string(types.size()) + " types");
  if (!masses.empty() && masses.size() != positions.size())
    throw Error("structure has " + std::to_string(positions.size()) + " positions but " +
                std::to_string(masses.size()) + " masses");
  for (std::size_t i = 0; i < positions.size(); ++i) {
    const Vec3& p = positions[i];
    if (!std::isfinite(p.x) || !std::isfinite(p.y) || !std::isfinite(p.z))
      throw Error("atom " + std::to_string(i + 1) + " has a non-finite position");
    if (types[i] < 0) throw Error("atom " + std::to_string(i + 1) + " has a negative type");
  }
  if (periodic()) {
    const double v = volume();
    if (!(v > 1e-8)) throw Error("periodic structure has a degenerate cell (volume " + std::to_string(v) + ")");
  }
}

}  // namespace superion
