// Periodic table: symbol, atomic number Z and standard atomic mass (amu, IUPAC 2013 abridged values).
#pragma once

#include <string>
#include <string_view>

namespace superion {

struct Element {
  int z;                  // atomic number (0 = unknown / dummy)
  const char* symbol;     // "Na"
  double mass;            // amu
};

// Lookup by symbol (case-sensitive after normalising the first letter upper, rest lower).
// Returns nullptr when the symbol is not an element.
const Element* find_element(std::string_view symbol);
// Lookup by atomic number 1..118; nullptr otherwise.
const Element* element_by_z(int z);
// Like find_element but throws superion::Error naming the symbol.
const Element& element(std::string_view symbol);

}  // namespace superion
