// A seeded Brownian-motion trajectory generated frame by frame (no storage): each species has its
// own diffusion coefficient D (Å²/ps), every atom takes Gaussian steps of variance 2·D·Δt per
// cartesian direction, and positions are reported WRAPPED into a (triclinic) cell, so readers of
// it exercise the unwrapping. Used by tests (known D) and by `superion bench msd`.
#pragma once

#include <random>

#include "trajectory.hpp"

namespace superion::analysis {

struct BrownianSpec {
  Mat3 cell;
  std::vector<std::string> symbols;  // per species
  std::vector<int> counts;           // atoms per species
  std::vector<double> D_A2_ps;       // diffusion coefficient per species (Å²/ps)
  double frame_interval_ps = 0.01;
  long n_frames = 1000;
  unsigned long long seed = 12345;
};

class BrownianTrajectory : public TrajectoryReader {
 public:
  explicit BrownianTrajectory(BrownianSpec spec);
  const TrajectorySystem& system() const override { return sys_; }
  bool next(Frame& frame) override;
  void rewind() override;
  long frame_count() const override { return spec_.n_frames; }
  std::string source() const override { return "brownian"; }
  // Unwrapped positions of the last frame returned (for tests).
  const std::vector<Vec3>& unwrapped() const { return unwrapped_; }

 private:
  BrownianSpec spec_;
  TrajectorySystem sys_;
  std::mt19937_64 rng_;
  std::vector<Vec3> unwrapped_;
  std::vector<double> step_sd_;  // per atom
  Mat3 inv_;
  long cursor_ = 0;
};

}  // namespace superion::analysis
