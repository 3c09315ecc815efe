// TrainerBackend on the device backend (device/train_api.hpp): the emulated device (the GPU code
// path on the CPU) or the CUDA device, and the choice between them and the CPU backend for
// `superion train --device auto|gpu|cpu|emu` (md/device_choice.hpp parses the option).
#pragma once

#include <memory>
#include <string>

#include "device_choice.hpp"
#include "train_api.hpp"
#include "trainer_backend.hpp"
#include "training_set.hpp"

namespace superion {

class DeviceTrainerBackend : public TrainerBackend {
 public:
  // kind: md::DeviceKind::kEmu or kGpu. Throws superion::Error (e.g. not enough device memory).
  DeviceTrainerBackend(md::DeviceKind kind, const Mtp& model, const TrainingSet& data,
                       const device::TrainDeviceOptions& options = {});
  int n_radial() const override { return trainer_->n_radial(); }
  int n_linear() const override { return trainer_->n_linear(); }
  void assemble(const std::vector<double>& radial, LinearSystem& out) override;
  LossStats evaluate(const std::vector<double>& radial, const std::vector<double>& linear,
                     std::vector<double>* grad_radial, std::vector<double>* grad_linear) override;
  LossStats evaluate_per_config(const std::vector<double>& radial,
                                const std::vector<double>& linear,
                                std::vector<double>& per_config) override;
  void gauss_newton(const std::vector<double>& radial, const std::vector<double>& linear,
                    GaussNewtonBlocks& out) override;
  // Raw design rows of configuration k (tests; as CpuTrainerBackend::design).
  Eigen::MatrixXd design(std::size_t k, const std::vector<double>& radial);
  const device::TrainDeviceInfo& info() const { return trainer_->info(); }
  std::size_t peak_device_bytes() const { return trainer_->peak_device_bytes(); }

 private:
  std::unique_ptr<device::DeviceTrainer> trainer_;
};

// The backend for `--device` (already resolved): CpuTrainerBackend for cpu, DeviceTrainerBackend
// for emu and gpu. `description` (when given) receives a line for the log: the device, the layout
// (resident or chunks) and the memory plan.
std::unique_ptr<TrainerBackend> make_trainer_backend(md::DeviceKind kind, const Mtp& model,
                                                     const TrainingSet& data,
                                                     const device::TrainDeviceOptions& options = {},
                                                     std::string* description = nullptr);

}  // namespace superion
