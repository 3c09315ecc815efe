// Which element is which MTP type, for every command that applies a potential to structures (md,
// bench md, eval, errors, bench eval, relax, pso, screen, demo). Sources, in order:
//   1. the element names stored in the potential (superion writes them: mtp_file.hpp);
//   2. --species (element of type 0, 1, …), which must equal the stored names when both exist;
//   3. neither (an MLIP potential): the data's own species order is ASSUMED, with a warning.
// Structures are then mapped by element name, so a cell listing O, S, Cl, Na runs with the right
// types; an element the potential does not have is an input error naming both.
#pragma once

#include <string>
#include <vector>

#include "core/configuration.hpp"
#include "core/structure.hpp"
#include "mtp/mtp_model.hpp"

namespace superion {

struct SpeciesMapping {
  enum class Source { kPotential, kOption, kAssumed };
  std::string potential;              // file name, for messages
  int species_count = 0;              // C of the potential
  std::vector<std::string> elements;  // element of MTP type 0, 1, … (empty: types as in the data)
  Source source = Source::kAssumed;

  bool known() const { return source != Source::kAssumed; }
  // "Na=0 Cl=1 S=2 O=3".
  std::string pairs() const;
  // The line every command prints first, e.g. "species -> MTP types: Na=0 Cl=1 S=2 O=3 (names
  // stored in pot.mtp)".
  std::string describe() const;
  // Non-empty when the order is assumed: what was assumed and how to fix it.
  std::string warning() const;
};

// Mapping from the potential's names or `option` (--species). InputError when both are given and
// differ, when `option` has another count than the potential's species or a non-element.
SpeciesMapping species_mapping(const Mtp& model, const std::string& potential_path,
                               const std::vector<std::string>& option);

// Reads `path` (host/io) with MTP types: by name when the mapping is known (InputError naming the
// file, the element and the potential's elements for an element it lacks), else in the file's own
// order, which completes `mapping` (source kAssumed, elements = the file's order). Formats without
// symbols (cfg; LAMMPS data without masses) take their types as MTP types. Every type must be
// < the potential's species count.
Dataset read_mapped_dataset(const std::string& path, const std::string& format,
                            SpeciesMapping& mapping);

// Maps one structure's types onto MTP types by element (known mapping), or checks its types fit
// (assumed order). `what` names the structure in errors.
void map_structure(Structure& s, const SpeciesMapping& mapping, const std::string& what);

// Prints describe() to stdout and warning() (when any) to stderr.
void print_species_mapping(const SpeciesMapping& mapping);

}  // namespace superion
