// Configuration and Dataset helpers.
#include "core/configuration.hpp"

#include <algorithm>
#include <numeric>
#include <random>

#include "core/error.hpp"
#include "core/units.hpp"

namespace superion {

Mat3 Configuration::stress_gpa() const {
  if (!virial) throw Error("configuration has no virial/stress");
  const double v = structure.volume();
  if (!(v > 0)) throw Error("stress needs a periodic cell with non-zero volume");
  return (-units::kEVPerA3ToGPa / v) * (*virial);
}

std::size_t Dataset::total_atoms() const {
  std::size_t n = 0;
  for (const auto& c : configs) n += c.size();
  return n;
}

std::pair<Dataset, Dataset> Dataset::split(double test_fraction, unsigned long seed) const {
  if (test_fraction < 0 || test_fraction > 1) throw Error("test fraction must be in [0, 1]");
  std::vector<std::size_t> idx(configs.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::mt19937_64 rng(seed);
  // Fisher-Yates with our own draws so the split is identical across standard libraries.
  for (std::size_t i = idx.size(); i > 1; --i) {
    const std::size_t j = static_cast<std::size_t>(rng() % i);
    std::swap(idx[i - 1], idx[j]);
  }
  const auto n_test = static_cast<std::size_t>(test_fraction * static_cast<double>(configs.size()) + 0.5);
  Dataset train, test;
  train.species = test.species = species;
  std::vector<std::size_t> test_idx(idx.begin(), idx.begin() + static_cast<long>(n_test));
  std::sort(test_idx.begin(), test_idx.end());
  std::vector<bool> is_test(configs.size(), false);
  for (auto i : test_idx) is_test[i] = true;
  for (std::size_t i = 0; i < configs.size(); ++i) (is_test[i] ? test : train).configs.push_back(configs[i]);
  return {train, test};
}

void Dataset::unify_species() {
  std::vector<std::string> all = species;
  for (const auto& c : configs)
    for (const auto& s : c.structure.species_symbols)
      if (std::find(all.begin(), all.end(), s) == all.end()) all.push_back(s);
  for (auto& c : configs) {
    auto& st = c.structure;
    if (st.species_symbols.empty()) continue;  // types only: keep as they are
    for (auto& t : st.types) {
      if (t < 0 || t >= static_cast<int>(st.species_symbols.size()))
        throw Error("type " + std::to_string(t) + " has no species symbol");
      const auto& s = st.species_symbols[static_cast<std::size_t>(t)];
      t = static_cast<int>(std::find(all.begin(), all.end(), s) - all.begin());
    }
    st.species_symbols = all;
  }
  species = all;
}

}  // namespace superion
