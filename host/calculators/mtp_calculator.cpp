// MTP calculator adapter.
#include "calculators/mtp_calculator.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "mtp/mtp_file.hpp"

namespace superion {

MtpCalculator::MtpCalculator(const std::string& path, std::vector<std::string> species)
    : path_(path), species_(std::move(species)), evaluator_(read_mtp(path)) {
  if (!species_.empty() && static_cast<int>(species_.size()) != evaluator_.model().species_count)
    throw Error(path + ": the potential has " + std::to_string(evaluator_.model().species_count) +
                " species but " + std::to_string(species_.size()) + " symbols were given");
}

CalcResult MtpCalculator::compute(const Structure& s) const {
  const Structure* input = &s;
  Structure mapped;
  if (!species_.empty()) {
    mapped = s;
    for (std::size_t i = 0; i < s.size(); ++i) {
      const std::string sym = s.symbol(i);
      const auto it = std::find(species_.begin(), species_.end(), sym);
      if (it == species_.end()) throw Error(name() + " has no species '" + sym + "'");
      mapped.types[i] = static_cast<int>(it - species_.begin());
    }
    mapped.species_symbols = species_;
    input = &mapped;
  }
  const MtpPrediction p = evaluator_.evaluate(*input);
  return {p.energy, p.forces, p.virial};
}

}  // namespace superion
