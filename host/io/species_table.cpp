// SpeciesTable implementation.
#include "io/species_table.hpp"

#include "core/elements.hpp"
#include "core/error.hpp"

namespace superion::io {

std::string normalize_symbol(std::string_view symbol) {
  const Element* e = find_element(symbol);
  return e ? std::string(e->symbol) : std::string();
}

SpeciesTable::SpeciesTable(std::vector<std::string> fixed_order) : fixed_(!fixed_order.empty()) {
  for (const auto& s : fixed_order) {
    const std::string n = normalize_symbol(s);
    if (n.empty()) throw Error("species list: '" + s + "' is not a chemical element");
    for (const auto& t : symbols_)
      if (t == n) throw Error("species list: '" + s + "' given twice");
    symbols_.push_back(n);
  }
}

int SpeciesTable::index(std::string_view symbol) {
  // Fast path: exact match of an already known symbol.
  for (std::size_t i = 0; i < symbols_.size(); ++i)
    if (symbols_[i] == symbol) return static_cast<int>(i);
  const std::string n = normalize_symbol(symbol);
  if (n.empty()) return -1;
  for (std::size_t i = 0; i < symbols_.size(); ++i)
    if (symbols_[i] == n) return static_cast<int>(i);
  if (fixed_) return -1;
  symbols_.push_back(n);
  return static_cast<int>(symbols_.size()) - 1;
}

}  // namespace superion::io
