// Rigid-cluster detection in a given structure; see cluster_finder.hpp.
#include "pso/cluster_finder.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "core/geometry.hpp"
#include "pso/crystal_generator.hpp"

namespace superion {

std::vector<std::vector<int>> find_clusters(Structure& s, const std::vector<std::string>& names,
                                            double tolerance) {
  std::vector<std::vector<int>> clusters;
  std::vector<bool> taken(s.size(), false);
  const Mat3 inv = inverse(s.cell);
  for (const auto& name : names) {
    const ClusterTemplate t = cluster_template(name);
    for (std::size_t c = 0; c < s.size(); ++c) {
      if (s.symbol(c) != t.symbols[0] || taken[c]) continue;
      std::vector<int> cluster{static_cast<int>(c)};
      for (std::size_t l = 1; l < t.symbols.size(); ++l) {
        const double bond = norm(t.body[l]);
        int best = -1;
        Vec3 best_d{};
        double best_r = 1e300;
        for (std::size_t j = 0; j < s.size(); ++j) {
          if (j == c || taken[j] || s.symbol(j) != t.symbols[l]) continue;
          const Vec3 d = minimum_image(s.positions[j] - s.positions[c], s.cell, inv, s.pbc.data());
          if (norm(d) < best_r) best_r = norm(d), best = static_cast<int>(j), best_d = d;
        }
        if (best < 0 || std::fabs(best_r - bond) > tolerance)
          throw Error(name + " cluster around atom " + std::to_string(c + 1) + " (" + s.symbol(c) +
                      "): no " + t.symbols[l] + " within " + std::to_string(tolerance) +
                      " A of the template bond " + std::to_string(bond) + " A" +
                      (best >= 0 ? " (nearest at " + std::to_string(best_r) + " A)" : ""));
        taken[static_cast<std::size_t>(best)] = true;
        s.positions[static_cast<std::size_t>(best)] = s.positions[c] + best_d;
        cluster.push_back(best);
      }
      taken[c] = true;
      clusters.push_back(cluster);
    }
  }
  return clusters;
}

}  // namespace superion
