// MtpCpuBackend: Verlet list + MtpEvaluator (+ walls).
#include "mtp_backend.hpp"

#include <algorithm>
#include <utility>

namespace superion::md {

MtpCpuBackend::MtpCpuBackend(Mtp model, double skin, std::string label,
                             std::optional<TypeWalls> walls)
    : evaluator_(std::move(model)),
      walls_(std::move(walls)),
      list_(std::max(evaluator_.cutoff(), walls_ ? walls_->max_rw() : 0.0), skin,
            0.5 * evaluator_.model().min_dist),
      label_(std::move(label)) {}

void MtpCpuBackend::compute(const Structure& s, ForceResult& out) {
  list_.update(s);
  evaluator_.evaluate(s, list_.list(), prediction_, walls_ ? &*walls_ : nullptr);
  out.energy = prediction_.energy;
  out.forces.swap(prediction_.forces);
  out.virial = prediction_.virial;
  max_wall_energy_ = std::max(max_wall_energy_, prediction_.wall_energy);
  max_violation_ = std::max(max_violation_, prediction_.max_wall_violation);
}

}  // namespace superion::md
