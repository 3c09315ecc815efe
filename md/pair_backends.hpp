// Simple analytic force backends for tests and examples:
//  * HarmonicTetherBackend: every atom bound to its own site by a spring, E = Σ ½ k |r − r0|²
//    (an Einstein crystal: its canonical KE distribution is known exactly).
//  * LennardJonesBackend: truncated and shifted 12-6 pair potential on a Verlet-skin list, one
//    (ε, σ) for all species.
#pragma once

#include <vector>

#include "force_backend.hpp"
#include "verlet_list.hpp"

namespace superion::md {

class HarmonicTetherBackend : public ForceBackend {
 public:
  // k in eV/Å² for every atom, or per atom (size = number of sites).
  HarmonicTetherBackend(std::vector<Vec3> sites, std::vector<double> k);
  std::string name() const override { return "harmonic-tether"; }
  double cutoff() const override { return 0.0; }
  bool translation_invariant() const override { return false; }
  void compute(const Structure& s, ForceResult& out) override;

 private:
  std::vector<Vec3> sites_;
  std::vector<double> k_;
};

class LennardJonesBackend : public ForceBackend {
 public:
  LennardJonesBackend(double epsilon, double sigma, double cutoff, double skin = 0.5);
  std::string name() const override { return "lennard-jones"; }
  double cutoff() const override { return cutoff_; }
  void compute(const Structure& s, ForceResult& out) override;
  std::size_t list_builds() const override { return list_.builds(); }

 private:
  double epsilon_, sigma_, cutoff_, shift_;
  VerletList list_;
};

}  // namespace superion::md
