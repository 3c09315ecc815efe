// Calculator: the default batch evaluation (one structure at a time); see calculator.hpp.
#include "calculators/calculator.hpp"

#include <exception>

namespace superion {

std::vector<CalcOutcome> Calculator::compute_many(const std::vector<Structure>& s) const {
  std::vector<CalcOutcome> out(s.size());
  for (std::size_t k = 0; k < s.size(); ++k) {
    try {
      out[k].result = compute(s[k]);
      out[k].ok = true;
    } catch (const std::exception& e) {
      out[k].error = e.what();
    }
  }
  return out;
}

}  // namespace superion
