// Structure fingerprint for duplicate removal: Gaussian-smeared partial radial distribution
// functions g_ab(r) of every element pair (0–6 Å, 0.05 Å bins, σ = 0.1 Å) concatenated; two
// structures are the same when the cosine distance of their fingerprints is small and their
// enthalpies per atom agree.
#pragma once

#include <vector>

#include "core/structure.hpp"

namespace superion {

std::vector<double> rdf_fingerprint(const Structure& s, double rmax = 6.0, double bin = 0.05,
                                    double sigma = 0.1);
// 1 − cos(angle) between fingerprints (0 = identical shape). Sizes must match.
double fingerprint_distance(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace superion
