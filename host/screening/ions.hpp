// Ion library for antiperovskite tolerance factors: simple ions with Shannon effective ionic radii
// and molecular (cluster) anions with thermochemical radii. Every entry carries its source and
// whether the number was checked against the cited table; unchecked entries make the screening
// print a warning (never a silent guess). A user JSON file can replace or extend the library.
#pragma once

#include <string>
#include <vector>

namespace superion {

struct Ion {
  std::string name;     // "Cl", "SO4", "BH4"
  int charge = 0;       // formal charge (e)
  double radius = 0;    // Å
  std::string formula;  // element formula of the ion, e.g. "SO4", "BH4", "Cl"
  std::string source;   // citation
  bool verified = false;
};

// The shipped library (see ions.cpp for the sources).
const std::vector<Ion>& default_ion_library();
// Reads a JSON list [{"name","charge","radius","formula","source","verified"}]. Errors name the
// file.
std::vector<Ion> read_ion_library(const std::string& path);

struct ToleranceEntry {
  std::string formula;  // e.g. "Na3OCl" (BA) or "Na3ClSO4" (AB)
  std::string type;     // "BA": divalent B at the Na6 octahedron centre; "AB": site-exchanged
  std::string centre, corner;  // ion names on the octahedral centre and the cube corner
  double t = 0;
  bool in_window = false;  // 0.8 <= t <= 1.1
  bool uses_unverified = false;
};

// Goldschmidt factor of an antiperovskite Na3(centre)(corner):
//   t = (r_corner + r_Na) / (√2 (r_centre + r_Na)).
double antiperovskite_tolerance(double r_na, double r_centre, double r_corner);
// All Na3BA and Na3AB combinations of the library's divalent (B) and monovalent (A) anions.
std::vector<ToleranceEntry> enumerate_antiperovskites(const std::vector<Ion>& ions,
                                                      double t_min = 0.8, double t_max = 1.1);

}  // namespace superion
