// Calculator adapter for our MTP evaluator. Element → MTP type by mtp/species_map.hpp: the names
// stored in the potential, or the list of "mtp:pot.mtp:Na,Cl,S,O" (type 0 first; must equal the
// stored names when both exist); with neither, each structure's own type indices are used (assumed,
// with a warning at construction).
#pragma once

#include <string>
#include <vector>

#include "calculators/calculator.hpp"
#include "mtp/mtp_evaluator.hpp"
#include "mtp/species_map.hpp"

namespace superion {

class MtpCalculator : public Calculator {
 public:
  MtpCalculator(const std::string& path, std::vector<std::string> species = {});
  std::string name() const override { return "mtp:" + path_; }
  CalcResult compute(const Structure& s) const override;
  const SpeciesMapping& species() const { return mapping_; }

 private:
  std::string path_;
  MtpEvaluator evaluator_;
  SpeciesMapping mapping_;
};

}  // namespace superion
