// The active-set grader behind `superion pso|relax --grade-als/--grade-train`
// (host/cli/structure_grader.hpp): loads or builds the active set of the calculator's potential as
// `superion grade` does (calc-grade's training pass, entry threshold 1.1) and grades structures
// mapped onto MTP types by element name, exactly as the mtp calculator maps them.
#include <memory>

#include "active_set_source.hpp"
#include "als_file.hpp"
#include "cli/structure_grader.hpp"
#include "core/error.hpp"
#include "learn_cli.hpp"
#include "mtp/mtp_file.hpp"
#include "mtp/species_map.hpp"

namespace superion::cli {
namespace {

StructureGrader active_set_grader(const GraderRequest& r) {
  const Mtp model = read_mtp(r.potential);
  const SpeciesMapping mapping = species_mapping(model, r.potential, r.species);
  const bool als = looks_like_als(r.source);
  if (r.source_is_als && !als)
    throw InputError(r.source, 0,
                     "expected a state.als (an .mtp text followed by the active set; written by "
                     "`superion grade --als` or MLIP-2); give a training set with --grade-train");
  if (!r.source_is_als && als)
    throw InputError(r.source, 0,
                     "this is a state.als, not a training set: give it with --grade-als");
  ActiveSetSource src;
  src.path = r.source;
  src.mode = r.mode;
  src.mode_given = r.mode_given;
  src.species = mapping.known() ? mapping.elements : r.species;
  src.entry_threshold = 1.1;  // calc-grade's training pass, as `superion grade`
  auto set = std::make_shared<const ActiveSet>(load_active_set(model, r.potential, src));
  return [set, mapping](const Structure& s) {
    Structure mapped = s;
    map_structure(mapped, mapping, "structure " + s.formula());
    return set->grade(mapped);
  };
}

}  // namespace

void register_structure_grader() {
  set_structure_grader_factory(active_set_grader);
}

}  // namespace superion::cli
