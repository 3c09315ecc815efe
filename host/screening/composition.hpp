// Chemical compositions: parsing formulas such as "Na3ClSO4", "Na3(SO4)Cl" or "Na3OBH4" into
// element amounts, reduced formulas and fractional compositions.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace superion {

// Element symbol → amount (may be fractional). Ordered by symbol for determinism.
using Composition = std::map<std::string, double>;

// Parses a formula with optional parentheses and decimal amounts ("Na2.25Y0.25Zr0.75Cl6").
// Throws superion::Error naming the formula and the position of the problem; unknown element
// symbols are errors.
Composition parse_formula(const std::string& formula);
double total_atoms(const Composition& c);
// Formula string in the given element order with amounts printed compactly ("Na3ClO4S").
std::string formula_string(const Composition& c);
// Divides by the greatest common divisor of integral amounts (non-integral: unchanged); returns
// the reduced composition and the number of formula units.
std::pair<Composition, double> reduce(const Composition& c);

}  // namespace superion
