// SpeciesTable: maps chemical symbols to type indices 0..C-1 for readers of symbol-based formats
// (extxyz, POSCAR, LAMMPS Masses). With a user-given order (--species) an unknown symbol is an
// error; without one, types are assigned in order of first appearance in the file.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace superion::io {

class SpeciesTable {
 public:
  SpeciesTable() = default;
  explicit SpeciesTable(std::vector<std::string> fixed_order);

  // Type index of `symbol`, adding it when the table is open. Returns -1 when the symbol is not a
  // chemical element (after normalising case, e.g. "NA" -> "Na") or the table is fixed and lacks
  // it.
  int index(std::string_view symbol);
  bool fixed() const { return fixed_; }
  const std::vector<std::string>& symbols() const { return symbols_; }

 private:
  std::vector<std::string> symbols_;
  bool fixed_ = false;
};

// "na" / "NA" -> "Na"; empty when not an element.
std::string normalize_symbol(std::string_view symbol);

}  // namespace superion::io
