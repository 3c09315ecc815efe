// ForceBackend: what the MD driver needs from a potential. compute() takes the current structure
// (positions continuous, i.e. never re-wrapped during a run; cell; MTP type per atom) and returns
// energy, forces and virial. Backends own their neighbour lists (Verlet skin, automatic rebuild),
// so the CUDA backend can keep its lists on the device behind the same interface.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/structure.hpp"
#include "core/vec3.hpp"

namespace superion::md {

struct ForceResult {
  double energy = 0.0;       // eV
  std::vector<Vec3> forces;  // eV/Å
  Mat3 virial;               // eV, MLIP PlusStress W = −∂E/∂ε (positive when compressed)
};

// A physical failure during a run (atoms too close, lost atom, NaN, temperature blow-up).
class SimulationError : public Error {
 public:
  using Error::Error;
};

class ForceBackend {
 public:
  virtual ~ForceBackend() = default;
  virtual std::string name() const = 0;
  // Interaction range (Å); 0 for backends without neighbour lists.
  virtual double cutoff() const = 0;
  // Throws SimulationError when two atoms are closer than the backend allows (e.g. MTP min_dist/2).
  virtual void compute(const Structure& s, ForceResult& out) = 0;
  // True when the forces sum to zero (no external field), so total momentum is conserved.
  virtual bool translation_invariant() const { return true; }
  // Number of neighbour-list builds so far (statistics).
  virtual std::size_t list_builds() const { return 0; }
};

}  // namespace superion::md
