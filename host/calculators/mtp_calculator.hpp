// Calculator adapter for our MTP evaluator. MTP files carry type indices only; an optional list of
// element symbols maps the structure's species onto them ("mtp:pot.mtp:Na,Cl,S,O" → Na = type 0 …).
// Without the list the structure's own type indices are used.
#pragma once

#include <string>
#include <vector>

#include "calculators/calculator.hpp"
#include "mtp/mtp_evaluator.hpp"

namespace superion {

class MtpCalculator : public Calculator {
 public:
  MtpCalculator(const std::string& path, std::vector<std::string> species = {});
  std::string name() const override { return "mtp:" + path_; }
  CalcResult compute(const Structure& s) const override;

 private:
  std::string path_;
  std::vector<std::string> species_;
  MtpEvaluator evaluator_;
};

}  // namespace superion
