// Brownian trajectory generator; see synthetic_trajectory.hpp.
#include "synthetic_trajectory.hpp"

#include <cmath>

#include "core/elements.hpp"
#include "core/error.hpp"
#include "core/geometry.hpp"

namespace superion::analysis {

BrownianTrajectory::BrownianTrajectory(BrownianSpec spec) : spec_(std::move(spec)) {
  if (spec_.symbols.size() != spec_.counts.size() || spec_.symbols.size() != spec_.D_A2_ps.size())
    throw Error("BrownianSpec: symbols, counts and D must have the same length");
  sys_.species_symbols = spec_.symbols;
  for (std::size_t s = 0; s < spec_.symbols.size(); ++s)
    for (int i = 0; i < spec_.counts[s]; ++i) {
      sys_.types.push_back(static_cast<int>(s));
      const Element* e = find_element(spec_.symbols[s]);
      sys_.masses.push_back(e ? e->mass : 0.0);
      step_sd_.push_back(std::sqrt(2.0 * spec_.D_A2_ps[s] * spec_.frame_interval_ps));
    }
  inv_ = inverse(spec_.cell);
  rewind();
}

void BrownianTrajectory::rewind() {
  rng_.seed(spec_.seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  unwrapped_.resize(sys_.size());
  for (auto& r : unwrapped_) r = row_times({u(rng_), u(rng_), u(rng_)}, spec_.cell);
  cursor_ = 0;
}

bool BrownianTrajectory::next(Frame& frame) {
  if (cursor_ >= spec_.n_frames) return false;
  if (cursor_ > 0) {
    std::normal_distribution<double> g(0.0, 1.0);
    for (std::size_t i = 0; i < unwrapped_.size(); ++i) {
      const double s = step_sd_[i];
      unwrapped_[i] += Vec3{s * g(rng_), s * g(rng_), s * g(rng_)};
    }
  }
  frame.step = cursor_;
  frame.time_ps = static_cast<double>(cursor_) * spec_.frame_interval_ps;
  frame.cell = spec_.cell;
  frame.positions.resize(unwrapped_.size());
  const bool pbc[3] = {true, true, true};
  for (std::size_t i = 0; i < unwrapped_.size(); ++i)
    frame.positions[i] =
        row_times(wrap_fractional(row_times(unwrapped_[i], inv_), pbc), spec_.cell);
  frame.velocities.clear();
  frame.images.clear();
  ++cursor_;
  return true;
}

}  // namespace superion::analysis
