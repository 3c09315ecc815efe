// CPU MTP force backend: host/mtp's MtpEvaluator on a Verlet-skin neighbour list. The structure's
// type indices must already be MTP types (the driver maps symbols with --species). Pairs closer
// than min_dist/2 of the potential stop the run (SimulationError): the MTP is meaningless there.
#pragma once

#include <memory>
#include <string>

#include "force_backend.hpp"
#include "mtp/mtp_evaluator.hpp"
#include "verlet_list.hpp"

namespace superion::md {

class MtpCpuBackend : public ForceBackend {
 public:
  MtpCpuBackend(Mtp model, double skin = 1.0, std::string label = "mtp");
  std::string name() const override { return label_; }
  double cutoff() const override { return evaluator_.cutoff(); }
  void compute(const Structure& s, ForceResult& out) override;
  std::size_t list_builds() const override { return list_.builds(); }
  const MtpEvaluator& evaluator() const { return evaluator_; }

 private:
  MtpEvaluator evaluator_;
  VerletList list_;
  MtpPrediction prediction_;
  std::string label_;
};

}  // namespace superion::md
