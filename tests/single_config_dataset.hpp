// A dataset holding one unlabelled structure (for tests that derive something from "the data",
// such as the domain wall's shortest distances).
#pragma once

#include "core/configuration.hpp"

namespace superion::testing {

inline Dataset dataset_of(const Structure& s) {
  Dataset d;
  Configuration c;
  c.structure = s;
  d.configs.push_back(c);
  d.species = s.species_symbols;
  return d;
}

}  // namespace superion::testing
