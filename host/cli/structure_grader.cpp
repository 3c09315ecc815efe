// The structure-grader hook; see structure_grader.hpp.
#include "cli/structure_grader.hpp"

#include <utility>

#include "core/error.hpp"

namespace superion {
namespace {

StructureGraderFactory& registered_factory() {
  static StructureGraderFactory factory;
  return factory;
}

}  // namespace

void set_structure_grader_factory(StructureGraderFactory factory) {
  registered_factory() = std::move(factory);
}

StructureGrader make_structure_grader(const GraderRequest& request) {
  if (!registered_factory())
    throw Error(
        "extrapolation grades are not available in this program (no active-set grader is "
        "registered; the superion executable registers one with its learn commands)");
  return registered_factory()(request);
}

}  // namespace superion
