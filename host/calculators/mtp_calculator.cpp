// MTP calculator adapter.
#include "calculators/mtp_calculator.hpp"

#include "mtp/mtp_file.hpp"

namespace superion {

MtpCalculator::MtpCalculator(const std::string& path, std::vector<std::string> species)
    : path_(path),
      evaluator_(read_mtp(path)),
      mapping_(species_mapping(evaluator_.model(), path, species)) {}

CalcResult MtpCalculator::compute(const Structure& s) const {
  Structure mapped = s;
  map_structure(mapped, mapping_, "structure " + s.formula());
  const MtpPrediction p = evaluator_.evaluate(mapped);
  return {p.energy, p.forces, p.virial};
}

}  // namespace superion
