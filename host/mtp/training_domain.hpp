// The training domain an MTP carries until MaxVol extrapolation grades exist (issue 21): for every
// pair of MTP types the shortest distance between two such atoms in the training data (all
// periodic images; the cutoff when the data never bring the pair within it). Below it the
// potential's radial functions have never been fitted and extrapolate with any sign, which is how
// MD with a potential fitted to little data falls into spurious holes. Stored in the .mtp's
// potential_tag (`elements Na Cl domain Na-Na 3.1012 Na-Cl 2.6851 Cl-Cl 3.9870`, mtp_file.hpp),
// checked during MD by md/domain_guard.hpp.
#pragma once

#include <vector>

#include "core/configuration.hpp"
#include "core/structure.hpp"

namespace superion {

// C×C symmetric matrix (Å) of the shortest distance of each type pair in `data` (types = MTP
// types, 0..species_count−1), rounded DOWN to 1e-4 Å so that the written value is exact and every
// training configuration lies inside; pairs never closer than `cutoff` get `cutoff`.
std::vector<double> training_domain(const Dataset& data, int species_count, double cutoff);

// The pair of `s` (types = MTP types) that is deepest below its domain limit.
struct DomainExit {
  bool outside = false;  // some pair is closer than its limit − tolerance
  int type_a = -1, type_b = -1;
  std::size_t atom_a = 0, atom_b = 0;  // 0-based
  double distance = 0.0;               // Å
  double limit = 0.0;                  // the training data's shortest distance of that pair (Å)
  double depth() const { return limit - distance; }
};
// Pairs closer than their limit are compared; `outside` when the deepest is more than `tolerance`
// (Å) inside. `domain` is C×C as above. O(N) with a neighbour list of the largest limit.
DomainExit check_training_domain(const Structure& s, const std::vector<double>& domain,
                                 int species_count, double tolerance);

}  // namespace superion
