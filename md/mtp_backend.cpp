// MtpCpuBackend: Verlet list + MtpEvaluator.
#include "mtp_backend.hpp"

#include <utility>

namespace superion::md {

MtpCpuBackend::MtpCpuBackend(Mtp model, double skin, std::string label)
    : evaluator_(std::move(model)),
      list_(evaluator_.cutoff(), skin, 0.5 * evaluator_.model().min_dist),
      label_(std::move(label)) {}

void MtpCpuBackend::compute(const Structure& s, ForceResult& out) {
  list_.update(s);
  evaluator_.evaluate(s, list_.list(), prediction_);
  out.energy = prediction_.energy;
  out.forces.swap(prediction_.forces);
  out.virial = prediction_.virial;
}

}  // namespace superion::md
