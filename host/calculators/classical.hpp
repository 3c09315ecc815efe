// Classical Buckingham + Coulomb potential (the usual rigid-ion model of ionic solids):
//   E = Σ_{i<j, r<r_cut} [φ_ij(r) − φ_ij(r_cut)] + E_Coulomb(Ewald, formal charges),
//   φ_ij(r) = A_ij exp(−r/ρ_ij) − C_ij/r⁶
// Parameters come from a JSON file or a shipped set ("NaCl", "Na3OCl"); species are matched by
// chemical symbol. The short-range energy is shifted to zero at `cutoff` (forces are truncated).
#pragma once

#include <map>
#include <string>
#include <utility>

#include "calculators/calculator.hpp"
#include "calculators/ewald.hpp"

namespace superion {

struct BuckinghamPair {
  double A = 0, rho = 1, C = 0;  // eV, Å, eV·Å⁶
};

struct ClassicalParameters {
  std::string name;
  std::map<std::string, double> charges;                                // e per element
  std::map<std::pair<std::string, std::string>, BuckinghamPair> pairs;  // sorted symbol pair
  double cutoff = 10.0;                                                 // Å, short range
  EwaldOptions ewald;
};

// Shipped sets: "NaCl", "Na3OCl" (documented in classical.cpp). Throws for unknown names.
ClassicalParameters shipped_classical_parameters(const std::string& name);
// JSON: {"name":…, "charges":{"Na":1,…}, "cutoff":10,
//        "buckingham":[{"pair":["Na","Cl"],"A":…,"rho":…,"C":…},…]}
ClassicalParameters read_classical_parameters(const std::string& path);

class ClassicalCalculator : public Calculator {
 public:
  explicit ClassicalCalculator(ClassicalParameters p) : p_(std::move(p)) {}
  std::string name() const override { return "classical:" + p_.name; }
  CalcResult compute(const Structure& s) const override;
  const ClassicalParameters& parameters() const { return p_; }

 private:
  ClassicalParameters p_;
};

}  // namespace superion
