// RDF fingerprints.
#include "pso/fingerprint.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "neighbor/neighbor_list.hpp"

namespace superion {

std::vector<double> rdf_fingerprint(const Structure& s, double rmax, double bin, double sigma) {
  const int n_bins = static_cast<int>(std::ceil(rmax / bin));
  // Element pairs by symbol so that type numbering does not matter.
  std::vector<std::string> symbols;
  for (std::size_t i = 0; i < s.size(); ++i) symbols.push_back(s.symbol(i));
  std::vector<std::string> elements = symbols;
  std::sort(elements.begin(), elements.end());
  elements.erase(std::unique(elements.begin(), elements.end()), elements.end());
  const std::size_t ne = elements.size();
  auto index = [&](const std::string& e) {
    return static_cast<std::size_t>(std::find(elements.begin(), elements.end(), e) -
                                    elements.begin());
  };
  std::vector<double> fp(ne * ne * static_cast<std::size_t>(n_bins), 0.0);
  const NeighborList nl = build_neighbor_list(s, rmax + 3 * sigma);
  std::vector<double> count(ne, 0.0);
  for (const auto& sym : symbols) count[index(sym)] += 1;
  const double volume = s.volume();
  for (std::size_t i = 0; i < s.size(); ++i) {
    const std::size_t a = index(symbols[i]);
    for (int e = nl.offsets[i]; e < nl.offsets[i + 1]; ++e) {
      const std::size_t b =
          index(symbols[static_cast<std::size_t>(nl.neighbors[static_cast<std::size_t>(e)])]);
      const double r = norm(nl.displacements[static_cast<std::size_t>(e)]);
      double* h = &fp[(a * ne + b) * static_cast<std::size_t>(n_bins)];
      const int lo = std::max(0, static_cast<int>((r - 3 * sigma) / bin));
      const int hi = std::min(n_bins - 1, static_cast<int>((r + 3 * sigma) / bin));
      for (int k = lo; k <= hi; ++k) {
        const double x = (k + 0.5) * bin;
        h[k] += std::exp(-0.5 * (x - r) * (x - r) / (sigma * sigma)) / (4 * M_PI * x * x);
      }
    }
  }
  for (std::size_t a = 0; a < ne; ++a)
    for (std::size_t b = 0; b < ne; ++b) {
      const double norm_ab = count[a] * count[b] / volume;
      for (int k = 0; k < n_bins; ++k)
        fp[(a * ne + b) * static_cast<std::size_t>(n_bins) + static_cast<std::size_t>(k)] /=
            norm_ab;
    }
  return fp;
}

double fingerprint_distance(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return 1.0;  // different element sets: different structures
  double ab = 0, aa = 0, bb = 0;
  for (std::size_t k = 0; k < a.size(); ++k) {
    ab += a[k] * b[k];
    aa += a[k] * a[k];
    bb += b[k] * b[k];
  }
  if (aa == 0 || bb == 0) return aa == bb ? 0.0 : 1.0;
  return 1.0 - ab / std::sqrt(aa * bb);
}

}  // namespace superion
