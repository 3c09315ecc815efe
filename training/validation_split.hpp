// Held-out validation set for `superion train`: a seeded, reproducible choice of a fraction of the
// training configurations, stratified by Configuration::config_type when the data carry one
// (every config_type group contributes in proportion to its size), so that early stopping sees
// every kind of structure the data contain.
#pragma once

#include <cstdint>
#include <vector>

#include "core/configuration.hpp"

namespace superion {

// Indices (ascending) of the configurations to hold out. The number held out is
// round(fraction·K), at least 1 when fraction > 0 and K >= 2, at most K − 1. Groups are the
// distinct config_type values (the empty type is a group of its own), in lexicographic order;
// group g gets floor(total·n_g/K) and the remaining ones go, one each, to the groups with the
// largest remainders (ties: the earlier group) that keep at least one configuration for
// training (then, if still short, to any group). Within a group the configurations are drawn by a
// Fisher–Yates shuffle driven by std::mt19937_64(seed) (raw 64-bit draws, identical with every
// standard library), groups in order. fraction must lie in [0, 1).
std::vector<std::size_t> validation_indices(const Dataset& data, double fraction,
                                            std::uint64_t seed);

// Splits `data` into (training part, held-out part) by `held_out` (ascending indices); both keep
// the file order and the species list.
std::pair<Dataset, Dataset> split_by_indices(const Dataset& data,
                                             const std::vector<std::size_t>& held_out);

}  // namespace superion
