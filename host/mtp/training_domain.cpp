// Training domain of an MTP (shortest type-pair distances); see training_domain.hpp.
#include "mtp/training_domain.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "neighbor/neighbor_list.hpp"

namespace superion {

std::vector<double> training_domain(const Dataset& data, int species_count, double cutoff) {
  if (species_count < 1 || !(cutoff > 0)) throw Error("training_domain: bad species count/cutoff");
  const std::size_t C = static_cast<std::size_t>(species_count);
  std::vector<double> dmin(C * C, cutoff);
  for (const auto& c : data.configs) {
    const Structure& s = c.structure;
    const NeighborList nl = build_neighbor_list(s, cutoff, true);
    for (std::size_t i = 0; i < s.size(); ++i)
      for (int p = nl.offsets[i]; p < nl.offsets[i + 1]; ++p) {
        const double r = norm(nl.displacements[p]);
        if (r == 0.0) continue;
        const auto a = static_cast<std::size_t>(s.types[i]);
        const auto b = static_cast<std::size_t>(s.types[nl.neighbors[p]]);
        if (a >= C || b >= C) throw Error("training_domain: type outside the potential");
        dmin[a * C + b] = dmin[b * C + a] = std::min(dmin[a * C + b], r);
      }
  }
  for (double& d : dmin) d = std::floor(d * 1e4) / 1e4;
  return dmin;
}

DomainExit check_training_domain(const Structure& s, const std::vector<double>& domain,
                                 int species_count, double tolerance) {
  DomainExit worst;
  const std::size_t C = static_cast<std::size_t>(species_count);
  if (domain.size() != C * C || s.size() == 0) return worst;
  const double reach = *std::max_element(domain.begin(), domain.end());
  if (!(reach > 0)) return worst;
  const NeighborList nl = build_neighbor_list(s, reach, true);
  for (std::size_t i = 0; i < s.size(); ++i)
    for (int p = nl.offsets[i]; p < nl.offsets[i + 1]; ++p) {
      const std::size_t j = static_cast<std::size_t>(nl.neighbors[p]);
      const int a = s.types[i], b = s.types[j];
      if (a < 0 || b < 0 || a >= species_count || b >= species_count) continue;
      const double limit = domain[static_cast<std::size_t>(a) * C + static_cast<std::size_t>(b)];
      const double r = norm(nl.displacements[p]);
      if (!(r < limit) || r == 0.0 || limit - r <= worst.depth()) continue;
      worst.type_a = a;
      worst.type_b = b;
      worst.atom_a = i;
      worst.atom_b = j;
      worst.distance = r;
      worst.limit = limit;
    }
  worst.outside = worst.type_a >= 0 && worst.depth() > tolerance;
  return worst;
}

}  // namespace superion
