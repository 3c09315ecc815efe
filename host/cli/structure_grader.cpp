// The structure-grader hook; see structure_grader.hpp.
#include "cli/structure_grader.hpp"

#include <sstream>
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

bool parse_mtp_spec(const std::string& spec, std::string* potential,
                    std::vector<std::string>* species) {
  if (spec.rfind("mtp:", 0) != 0 || spec.size() == 4) return false;
  const std::string arg = spec.substr(4);
  const auto sep = arg.find(':');
  *potential = arg.substr(0, sep);
  species->clear();
  if (sep != std::string::npos) {
    std::stringstream ss(arg.substr(sep + 1));
    std::string item;
    while (std::getline(ss, item, ',')) species->push_back(item);
  }
  return true;
}

}  // namespace superion
