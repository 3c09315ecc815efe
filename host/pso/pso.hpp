// Particle-swarm crystal structure search (CALYPSO-style, ANCHORS.md §5) with anion clusters as
// rigid units. Each generation: the best `keep` fraction of the population is moved by PSO
//   v ← ω v + c1 r1 (pbest − x) + c2 r2 (gbest − x),  x ← x + v
// in the space of lattice (9 cell components), fractional positions of atoms and cluster centres
// (minimum-image differences); cluster orientations are perturbed by a random rotation whose angle
// scales with ω; the rest of the population is replaced by fresh symmetric random crystals. ω
// falls linearly from 0.9 to 0.4, c1 = c2 = 2. Every structure is relaxed (FIRE, rigid clusters,
// cell) with the calculator, duplicates (RDF fingerprint + enthalpy) are replaced, and a
// checkpoint is written after every generation so a run can resume. Relaxations run in parallel
// (OpenMP over the population); results are deterministic for a seed and thread count because
// every structure has its own random stream derived from (seed, generation, index).
#pragma once

#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "calculators/calculator.hpp"
#include "core/error.hpp"
#include "pso/crystal_generator.hpp"
#include "relax/relaxer.hpp"

namespace superion {

struct PsoOptions {
  std::vector<CrystalUnit> units;
  GeneratorOptions generator;
  RelaxOptions relax;
  int population = 30;
  int generations = 30;
  double keep = 0.6;
  unsigned long seed = 1;
  double duplicate_distance = 0.02;  // fingerprint cosine distance
  double duplicate_energy = 0.005;   // eV/atom
  double symprec = 0.1;              // Å, spglib tolerance of the reported space groups
  std::string checkpoint;            // path ("" = none)
  bool resume = false;
  std::FILE* progress = nullptr;  // per-generation progress (core/progress.hpp); null = quiet
  std::string progress_label = "pso";
  // Called on every relaxed structure; throwing rejects it (its slot gets a fresh random crystal),
  // e.g. when it left the domain of a fitted potential or its extrapolation grade is too high.
  // A CandidateRejected is counted as rejected in the progress line, anything else as failed.
  std::function<void(const Structure&)> check;
};

// Thrown by PsoOptions::check for a structure that relaxed fine but is not wanted.
class CandidateRejected : public Error {
 public:
  using Error::Error;
};

struct PsoCandidate {
  Structure structure;
  std::vector<std::vector<int>> clusters;
  double enthalpy_per_atom = 0;
  double energy_per_atom = 0;
  int generation = 0;
  std::string space_group;
};

struct PsoResult {
  std::vector<PsoCandidate> ranking;  // unique structures, lowest enthalpy first
  int generations_run = 0;
  int generation_best_found = -1;  // generation in which the final best first appeared
};

PsoResult run_pso(const Calculator& calc, const PsoOptions& options);

}  // namespace superion
