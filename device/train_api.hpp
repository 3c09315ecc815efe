// What the trainer sees of the device backend's training part: plain C++ types, no Thrust, no
// Eigen (training/device_trainer_backend.hpp wraps it as a TrainerBackend). Both builds of device/
// implement make_trainer, each in its own namespace (emu_backend: host compiler and OpenMP, always
// built; cuda_backend: nvcc, when the CUDA toolkit is found).
//
// The training set lives on the device (pairs, radial basis values, design rows); configurations
// are processed in chunks of whole "groups" when it does not fit. The sums of the normal matrix and
// the Gauss–Newton blocks are taken group by group in configuration order (train_layout.hpp), so
// the result does not depend on the chunk size, the memory budget or the thread/block counts.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "mtp/mtp_model.hpp"

namespace superion {
class TrainingSet;
}

namespace superion::device {

struct TrainDeviceOptions {
  // Device memory the trainer may use (bytes); 0 = memory_share × the free device memory (GPU) or
  // of min(8 GiB, physical memory / 4) (emulated device).
  std::size_t memory_limit = 0;
  double memory_share = 0.8;  // (two trainers at once, training and validation, split it)
  // Largest chunk in groups (0 = as the memory allows). For tests of the chunked path.
  long max_chunk_groups = 0;
  // Keep the whole training set on the device when it fits (false: always chunked uploads).
  bool allow_resident = true;
  // Rows per summation group (fixes the order of the dense sums; not a memory knob).
  long group_rows = 4096;
};

// How the training set was laid out on the device.
struct TrainDeviceInfo {
  bool resident = false;    // whole training set kept on the device
  long groups = 0;          // summation groups
  long chunks = 0;          // chunks per pass
  long chunk_configs = 0;   // configurations in the largest chunk
  std::size_t budget = 0;   // bytes the plan had to fit in
  std::size_t planned = 0;  // bytes the plan expects to use (estimate)
  std::string device;       // device description
};

// Loss statistics of TrainerBackend::evaluate (see training/trainer_backend.hpp).
struct TrainLoss {
  double loss = 0.0, energy_sq_per_atom = 0.0, force_sq = 0.0, stress_sq = 0.0;
  double energy_abs_per_atom = 0.0, force_abs = 0.0;
  std::size_t n_energy = 0, n_force_atoms = 0, n_stress = 0;
};

// The operations of TrainerBackend on the device. Matrices are column-major, full (symmetric
// ones with both triangles).
class DeviceTrainer {
 public:
  virtual ~DeviceTrainer() = default;
  virtual int n_radial() const = 0;
  virtual int n_linear() const = 0;
  virtual void assemble(const std::vector<double>& radial, std::vector<double>& normal,
                        std::vector<double>& rhs, double& yy) = 0;
  // per_config (when given) receives each configuration's share of the loss (summing to it), as
  // TrainerBackend::evaluate_per_config.
  virtual TrainLoss evaluate(const std::vector<double>& radial, const std::vector<double>& linear,
                             std::vector<double>* grad_radial, std::vector<double>* grad_linear,
                             std::vector<double>* per_config) = 0;
  virtual void gauss_newton(const std::vector<double>& radial, const std::vector<double>& linear,
                            std::vector<double>& JtJ, std::vector<double>& AtJ,
                            std::vector<double>& Jtr) = 0;
  // Raw design rows of configuration k (rows × n_linear, column-major) at `radial` (tests).
  virtual std::vector<double> design(std::size_t k, const std::vector<double>& radial) = 0;
  virtual const TrainDeviceInfo& info() const = 0;
  virtual std::size_t peak_device_bytes() const = 0;  // since the trainer was made (counted)
};

namespace emu_backend {
// `model` fixes the basis (its coefficients are ignored); `data` must have its radial basis cached
// with the model's min_dist and R and must outlive the trainer. Throws superion::Error.
std::unique_ptr<DeviceTrainer> make_trainer(const Mtp& model, const TrainingSet& data,
                                            const TrainDeviceOptions& options);
}  // namespace emu_backend

namespace cuda_backend {
std::unique_ptr<DeviceTrainer> make_trainer(const Mtp& model, const TrainingSet& data,
                                            const TrainDeviceOptions& options);
}  // namespace cuda_backend

}  // namespace superion::device
