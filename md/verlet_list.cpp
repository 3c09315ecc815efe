// Verlet-skin neighbour list on top of the cell-list builder of host/neighbor.
#include "verlet_list.hpp"

#include <cmath>
#include <cstdio>
#include <string>

#include "force_backend.hpp"
#include "integrator_kernels.hpp"

namespace superion::md {

VerletList::VerletList(double cutoff, double skin, double min_distance)
    : cutoff_(cutoff), skin_(skin), min_distance_(min_distance) {
  if (!(cutoff > 0)) throw Error("neighbour list cutoff must be positive");
  if (!(skin >= 0)) throw Error("neighbour list skin must be >= 0");
}

bool VerletList::update(const Structure& s) {
  bool rebuild = builds_ == 0 || reference_.size() != s.size();
  if (!rebuild) {
    // A changed cell (barostat) maps the reference positions affinely: r_ref·M with
    // M = cell_ref⁻¹·cell. Pair separations then shrink by at most the factor σ_min(M) ≥ 1 − ‖M −
    // I‖, so the list still holds every pair within the cutoff while each atom has moved less than
    // ((r_c + skin)(1 − ‖M − I‖) − r_c)/2 from its mapped reference position.
    bool same_cell = true;
    for (int a = 0; a < 3; ++a)
      for (int b = 0; b < 3; ++b)
        if (s.cell[a][b] != reference_cell_[a][b]) same_cell = false;
    Mat3 m = Mat3::identity();
    double limit = 0.5 * skin_;
    if (!same_cell) {
      m = inverse(reference_cell_) * s.cell;
      double dev = 0;
      for (int a = 0; a < 3; ++a)
        for (int b = 0; b < 3; ++b) dev += (m[a][b] - (a == b)) * (m[a][b] - (a == b));
      limit = 0.5 * ((cutoff_ + skin_) * (1.0 - std::sqrt(dev)) - cutoff_);
    }
    if (!(limit > 0)) rebuild = true;
    for (std::size_t i = 0; i < s.size() && !rebuild; ++i) {
      const Vec3 ref = same_cell ? reference_[i] : row_times(reference_[i], m);
      if (moved_beyond(s.positions[i], ref, limit)) rebuild = true;
    }
  }
  if (rebuild) {
    for (const Vec3& r : s.positions)
      if (!std::isfinite(r.x) || !std::isfinite(r.y) || !std::isfinite(r.z))
        throw SimulationError("an atom position is not finite (NaN or infinite): lost atom");
    list_ = build_neighbor_list(s, cutoff_ + skin_, false);
    reference_ = s.positions;
    reference_cell_ = s.cell;
    ++builds_;
  } else {
    list_.update_displacements(s);
  }
  check_min_distance(s);
  return rebuild;
}

void VerletList::check_min_distance(const Structure& s) const {
  if (!(min_distance_ > 0)) return;
  const double lim2 = min_distance_ * min_distance_;
  for (std::size_t i = 0; i < list_.n_atoms(); ++i)
    for (int e = list_.offsets[i]; e < list_.offsets[i + 1]; ++e) {
      const double r2 = norm2(list_.displacements[static_cast<std::size_t>(e)]);
      if (r2 < lim2) {
        const auto j = static_cast<std::size_t>(list_.neighbors[static_cast<std::size_t>(e)]);
        char buf[256];
        std::snprintf(
            buf, sizeof buf,
            "atoms %zu (%s) and %zu (%s) are %.4f A apart, closer than the allowed %.4f A", i + 1,
            s.symbol(i).c_str(), j + 1, s.symbol(j).c_str(), std::sqrt(r2), min_distance_);
        throw SimulationError(buf);
      }
    }
}

}  // namespace superion::md
