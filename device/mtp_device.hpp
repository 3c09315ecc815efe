// The MTP on the device: the model's flat tables in device memory and the evaluation of energies,
// site energies, forces and virials of all systems of a batch with the passes of
// mtp/mtp_site_kernels.hpp (the CPU evaluator's passes, hence its bits on the emulated build):
//   site pass  per atom   (moments in slot-major scratch, chunked so scratch stays bounded)
//   pair pass  per pair   (gradient g_p, wall part, min-distance check)
//   gather     per atom   (forces, per-atom virials)
//   sums       per system (SegmentedSum: fixed-shape, deterministic)
#pragma once

#include <optional>

#include "backend.hpp"
#include "buffers.hpp"
#include "calculators/domain_wall.hpp"
#include "mtp/mtp_evaluator.hpp"
#include "mtp/mtp_site_kernels.hpp"
#include "neighbor_list.hpp"
#include "segmented_sum.hpp"
#include "systems.hpp"

namespace superion::device::SUPERION_DEVICE_NS {

class DeviceMtpModel {
 public:
  DeviceMtpModel(const Mtp& model, const std::optional<TypeWalls>& walls);
  DeviceMtpModel(const DeviceMtpModel&) = delete;
  DeviceMtpModel& operator=(const DeviceMtpModel&) = delete;
  const MtpView& view() const { return view_; }
  // Replaces the radial, species and moment coefficients (same sizes as the model's; the trainer
  // changes them at every evaluation). Throws superion::Error for a size mismatch.
  void set_coefficients(const std::vector<double>& radial, const std::vector<double>& species,
                        const std::vector<double>& moment);
  const PairWallView& walls() const { return walls_; }
  double range() const { return site_range(view_, walls_); }
  double min_distance() const { return 0.5 * host_.model().min_dist; }
  int species() const { return host_.model().species_count; }
  const MtpEvaluator& host() const { return host_; }

 private:
  MtpEvaluator host_;  // validation and the flat tables
  dvec<double> radial_, species_, moment_;
  dvec<MtpBasic> basic_;
  dvec<MtpTimes> times_;
  dvec<int> mapping_;
  dvec<double> rw_;
  MtpView view_{};
  PairWallView walls_{};
};

// Results and work buffers of evaluations of one batch layout (reused step after step).
struct MtpResults {
  dvec<double> site, wall_site, violation, atom_virial;     // per atom (virial: 9 per atom)
  dvec<double> adj;                                         // n_basic per atom, slot-major
  dvec<double> grad;                                        // 3 per pair
  dvec<unsigned char> active;                               // per pair
  dvec<double> scratch;                                     // site-pass moments + adjoint
  dvec<double> energy, wall_energy, virial, max_violation;  // per system (virial: 9)
  SegmentedSum sum1, sum9;
  long chunk = 0;  // atoms per site-pass launch
};

// Scratch budget of the site pass (moments + adjoint of the atoms in flight).
constexpr double kSiteScratchBytes = 256.0 * 1024 * 1024;

// Prepares `r` for the batch (sizes, sums).
void prepare_mtp_results(const DeviceMtpModel& m, const DeviceSystems& sys, MtpResults& r);

// Evaluates all systems: forces into `forces` (A), totals into r.energy/virial/… Pairs closer than
// the potential's min_dist/2 set status[kTooClose] (smallest pair index).
void evaluate_mtp(const DeviceMtpModel& m, const DeviceSystems& sys, const DeviceNeighborList& nl,
                  const dvec<Vec3>& x, const dvec<int>& types, MtpResults& r, dvec<Vec3>& forces,
                  int* status);

}  // namespace superion::device::SUPERION_DEVICE_NS
