// CPU MTP force backend: host/mtp's MtpEvaluator on a Verlet-skin neighbour list. The structure's
// type indices must already be MTP types (the driver maps symbols with --species). Pairs closer
// than min_dist/2 of the potential stop the run (SimulationError): the MTP is meaningless there.
// Optional domain walls per species-type pair (`superion md --domain`, calculators/domain_wall.hpp)
// are evaluated on the same list in the same passes, as the device engine does (device/).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "calculators/domain_wall.hpp"
#include "force_backend.hpp"
#include "mtp/mtp_evaluator.hpp"
#include "verlet_list.hpp"

namespace superion::md {

class MtpCpuBackend : public ForceBackend {
 public:
  MtpCpuBackend(Mtp model, double skin = 1.0, std::string label = "mtp",
                std::optional<TypeWalls> walls = std::nullopt);
  std::string name() const override { return label_; }
  double cutoff() const override { return evaluator_.cutoff(); }
  void compute(const Structure& s, ForceResult& out) override;
  std::size_t list_builds() const override { return list_.builds(); }
  const MtpEvaluator& evaluator() const { return evaluator_; }

  bool has_walls() const { return walls_.has_value(); }
  // Wall energy (eV) and largest r_w − r (Å) of the last compute(), and their maxima so far.
  double last_wall_energy() const { return prediction_.wall_energy; }
  double max_wall_energy() const { return max_wall_energy_; }
  double max_violation() const { return max_violation_; }

 private:
  MtpEvaluator evaluator_;
  std::optional<TypeWalls> walls_;
  VerletList list_;
  MtpPrediction prediction_;
  std::string label_;
  double max_wall_energy_ = 0.0, max_violation_ = 0.0;
};

}  // namespace superion::md
