// Stratified, seeded validation split.
#include "validation_split.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <string>

#include "core/error.hpp"

namespace superion {

std::vector<std::size_t> validation_indices(const Dataset& data, double fraction,
                                            std::uint64_t seed) {
  if (!(fraction >= 0.0 && fraction < 1.0))
    throw Error("validation fraction must be in [0, 1), got " + std::to_string(fraction));
  const std::size_t K = data.size();
  if (fraction == 0.0 || K < 2) return {};
  std::size_t total = static_cast<std::size_t>(std::llround(fraction * static_cast<double>(K)));
  total = std::min(std::max<std::size_t>(total, 1), K - 1);

  std::map<std::string, std::vector<std::size_t>> groups;  // lexicographic order of the types
  for (std::size_t k = 0; k < K; ++k) groups[data.configs[k].config_type].push_back(k);
  // Largest-remainder allocation of `total` over the groups, proportional to their sizes.
  std::vector<std::vector<std::size_t>*> members;
  std::vector<std::size_t> take;
  std::vector<double> remainder;
  std::size_t given = 0;
  for (auto& [type, idx] : groups) {
    const double share =
        static_cast<double>(total) * static_cast<double>(idx.size()) / static_cast<double>(K);
    const auto base = static_cast<std::size_t>(std::floor(share));
    members.push_back(&idx);
    take.push_back(base);
    remainder.push_back(share - static_cast<double>(base));
    given += base;
  }
  std::vector<std::size_t> order(members.size());
  for (std::size_t g = 0; g < order.size(); ++g) order[g] = g;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return remainder[a] > remainder[b]; });
  // Extra configurations go first to groups that keep at least one configuration for training;
  // only when that is impossible (many one-configuration groups) may a group be emptied.
  for (std::size_t keep : {std::size_t(1), std::size_t(0)})
    for (std::size_t r = 0; given < total && r < order.size(); ++r) {
      const std::size_t g = order[r];
      if (take[g] + keep < members[g]->size()) {
        ++take[g];
        ++given;
      }
    }

  std::mt19937_64 rng(seed);
  std::vector<std::size_t> out;
  for (std::size_t g = 0; g < members.size(); ++g) {
    std::vector<std::size_t> idx = *members[g];
    for (std::size_t i = idx.size(); i > 1; --i) {
      const auto j = static_cast<std::size_t>(rng() % i);
      std::swap(idx[i - 1], idx[j]);
    }
    out.insert(out.end(), idx.begin(), idx.begin() + static_cast<long>(take[g]));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::pair<Dataset, Dataset> split_by_indices(const Dataset& data,
                                             const std::vector<std::size_t>& held_out) {
  std::vector<bool> out(data.size(), false);
  for (std::size_t k : held_out) {
    if (k >= data.size())
      throw Error("validation index " + std::to_string(k) + " is outside the data (" +
                  std::to_string(data.size()) + " configurations)");
    out[k] = true;
  }
  Dataset train, valid;
  train.species = valid.species = data.species;
  for (std::size_t k = 0; k < data.size(); ++k)
    (out[k] ? valid : train).configs.push_back(data.configs[k]);
  return {std::move(train), std::move(valid)};
}

}  // namespace superion
