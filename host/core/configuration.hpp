// A labelled configuration (training/test datum) and a Dataset of them.
// Conventions: energy in eV (total), forces eV/Å, virial = MLIP PlusStress in eV
// (W = -dE/dε, positive under compression; W = -V·σ_ASE). Stress in GPa = W/V·160.2177.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/structure.hpp"
#include "core/vec3.hpp"

namespace superion {

struct Configuration {
  Structure structure;
  std::optional<double> energy;               // eV, total
  std::optional<std::vector<Vec3>> forces;    // eV/Å
  std::optional<Mat3> virial;                 // eV, PlusStress (symmetric)
  std::optional<std::vector<double>> site_energies;  // eV per atom
  std::optional<std::vector<double>> charges;        // e per atom (cfg `charge` column)
  std::optional<std::vector<double>> nbh_grades;     // MaxVol grade per atom (cfg nbh_grades)
  double weight = 1.0;                        // per-configuration training weight
  std::string config_type;                    // extxyz config_type / free tag
  // Free-form features (cfg `Feature name value`, extxyz extra info keys), kept in file order.
  std::vector<std::pair<std::string, std::string>> features;

  std::size_t size() const { return structure.size(); }
  // Stress in GPa with ASE/VASP sign (positive = tensile): σ = -W / V · 160.2177.
  Mat3 stress_gpa() const;
};

struct Dataset {
  std::vector<Configuration> configs;
  // Species symbols indexed by type; all configs use the same mapping (empty = types only).
  std::vector<std::string> species;

  std::size_t size() const { return configs.size(); }
  std::size_t total_atoms() const;
  // Deterministic random split: a fraction `test_fraction` goes to the second set.
  std::pair<Dataset, Dataset> split(double test_fraction, unsigned long seed) const;
  // Re-map all configurations to a common species list (by symbol); throws on unknown symbols.
  void unify_species();
};

}  // namespace superion
