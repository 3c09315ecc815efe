// A force backend plus the domain wall of a fitted potential (calculators/domain_wall.hpp): below
// the shortest distance of each element pair in the potential's training data the wall
// E = k/3 (r_w − r)^3 pushes the pair apart; it is exactly zero on the data. MD with an MTP fitted
// to a few picoseconds of AIMD otherwise leaves the data's range and collapses (measured: two O
// of the PM3 Na3ClSO4 MTP fell to 1.5 Å, below the data's 1.71 Å, and the run blew up within 150
// steps; docs/md.md). `superion md --domain TRAIN.xyz`.
#pragma once

#include <memory>
#include <string>

#include "calculators/domain_wall.hpp"
#include "force_backend.hpp"

namespace superion::md {

class DomainWallBackend : public ForceBackend {
 public:
  DomainWallBackend(std::unique_ptr<ForceBackend> inner, DomainWalls walls);
  std::string name() const override { return inner_->name() + "+domain-wall"; }
  double cutoff() const override { return inner_->cutoff(); }
  void compute(const Structure& s, ForceResult& out) override;
  std::size_t list_builds() const override { return inner_->list_builds(); }

  // Of the last compute(): wall energy (eV) and the largest r_w − r (Å, 0 = inside the domain).
  const DomainCheck& last_check() const { return last_; }
  // Largest wall energy and violation over all compute() calls so far.
  double max_wall_energy() const { return max_energy_; }
  double max_violation() const { return max_violation_; }

 private:
  std::unique_ptr<ForceBackend> inner_;
  DomainWalls walls_;
  DomainCheck last_;
  double max_energy_ = 0.0, max_violation_ = 0.0;
};

}  // namespace superion::md
