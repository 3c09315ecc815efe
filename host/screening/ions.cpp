// Shipped ion library and the antiperovskite enumeration.
#include "screening/ions.hpp"

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace superion {
namespace {

const char* const kShannon = "Shannon, Acta Cryst. A32, 751 (1976), effective ionic radius, CN VI";
const char* const kFangJena =
    "Fang & Jena, PNAS 114, 11046 (2017) (PMC5651741), Table 1 cluster radius R";
const char* const kJenkins =
    "Jenkins, Roobottom, Passmore, Glasser, Inorg. Chem. 38, 3609 (1999), thermochemical radius "
    "(value not re-checked against the table here)";

}  // namespace

const std::vector<Ion>& default_ion_library() {
  static const std::vector<Ion> ions = {
      {"Na", +1, 1.02, "Na", kShannon, true},
      // Divalent anions (B).
      {"O", -2, 1.40, "O", kShannon, true},
      {"S", -2, 1.84, "S", kShannon, true},
      {"Se", -2, 1.98, "Se", kShannon, true},
      {"Te", -2, 2.21, "Te", kShannon, true},
      {"SO4", -2, 2.58, "SO4", kJenkins, false},
      {"SeO4", -2, 2.49, "SeO4", kJenkins, false},
      {"CO3", -2, 1.78, "CO3", kJenkins, false},
      // Monovalent anions (A).
      {"F", -1, 1.33, "F", kShannon, true},
      {"Cl", -1, 1.81, "Cl", kShannon, true},
      {"Br", -1, 1.96, "Br", kShannon, true},
      {"I", -1, 2.20, "I", kShannon, true},
      {"OH", -1, 1.37, "OH", kShannon, true},
      {"BH4", -1, 2.03, "BH4", kFangJena, true},
      {"AlH4", -1, 2.66, "AlH4", kFangJena, true},
      {"BF4", -1, 2.43, "BF4", kFangJena, true},
      {"NH2", -1, 1.30, "NH2", kJenkins, false},
      {"CN", -1, 1.91, "CN", kJenkins, false},
      {"NO2", -1, 1.92, "NO2", kJenkins, false},
      {"ClO4", -1, 2.40, "ClO4", kJenkins, false},
      {"HS", -1, 2.07, "HS", kJenkins, false},
  };
  return ions;
}

std::vector<Ion> read_ion_library(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path, 0, "cannot open ion library");
  try {
    nlohmann::json j;
    in >> j;
    std::vector<Ion> out;
    for (const auto& e : j) {
      Ion ion;
      ion.name = e.at("name").get<std::string>();
      ion.charge = e.at("charge").get<int>();
      ion.radius = e.at("radius").get<double>();
      ion.formula = e.value("formula", ion.name);
      ion.source = e.value("source", std::string("user file ") + path);
      ion.verified = e.value("verified", true);
      if (!(ion.radius > 0))
        throw InputError(path, 0, "ion '" + ion.name + "' needs a positive radius");
      out.push_back(ion);
    }
    return out;
  } catch (const nlohmann::json::exception& e) {
    throw InputError(path, 0,
                     std::string("expected a JSON list of {name, charge, radius, …}: ") + e.what());
  }
}

double antiperovskite_tolerance(double r_na, double r_centre, double r_corner) {
  return (r_corner + r_na) / (std::sqrt(2.0) * (r_centre + r_na));
}

std::vector<ToleranceEntry> enumerate_antiperovskites(const std::vector<Ion>& ions, double t_min,
                                                      double t_max) {
  const Ion* na = nullptr;
  for (const Ion& i : ions)
    if (i.name == "Na" && i.charge == 1) na = &i;
  if (!na) throw Error("ion library has no Na+ entry");
  std::vector<ToleranceEntry> out;
  for (const Ion& b : ions) {
    if (b.charge != -2) continue;
    for (const Ion& a : ions) {
      if (a.charge != -1) continue;
      for (const bool exchanged : {false, true}) {
        ToleranceEntry e;
        e.type = exchanged ? "AB" : "BA";
        const Ion& centre = exchanged ? a : b;
        const Ion& corner = exchanged ? b : a;
        e.centre = centre.name;
        e.corner = corner.name;
        e.formula = "Na3" + centre.formula + corner.formula;
        e.t = antiperovskite_tolerance(na->radius, centre.radius, corner.radius);
        e.in_window = e.t >= t_min && e.t <= t_max;
        e.uses_unverified = !na->verified || !centre.verified || !corner.verified;
        out.push_back(e);
      }
    }
  }
  return out;
}

}  // namespace superion
