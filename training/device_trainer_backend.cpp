// DeviceTrainerBackend: the device trainer's plain arrays as TrainerBackend's Eigen types.
#include "device_trainer_backend.hpp"

#include <cstdio>

#include "core/error.hpp"
#include "cpu_backend.hpp"

namespace superion {
namespace {

std::unique_ptr<device::DeviceTrainer> make_device(md::DeviceKind kind, const Mtp& model,
                                                   const TrainingSet& data,
                                                   const device::TrainDeviceOptions& options) {
  if (kind == md::DeviceKind::kEmu) return device::emu_backend::make_trainer(model, data, options);
#ifdef SUPERION_HAVE_CUDA
  if (kind == md::DeviceKind::kGpu) return device::cuda_backend::make_trainer(model, data, options);
#endif
  throw Error("no device trainer for --device " + md::device_label(kind));
}

Eigen::MatrixXd to_matrix(const std::vector<double>& v, Eigen::Index rows, Eigen::Index cols) {
  return Eigen::Map<const Eigen::MatrixXd>(v.data(), rows, cols);
}

}  // namespace

DeviceTrainerBackend::DeviceTrainerBackend(md::DeviceKind kind, const Mtp& model,
                                           const TrainingSet& data,
                                           const device::TrainDeviceOptions& options)
    : trainer_(make_device(kind, model, data, options)) {}

void DeviceTrainerBackend::assemble(const std::vector<double>& radial, LinearSystem& out) {
  std::vector<double> normal, rhs;
  trainer_->assemble(radial, normal, rhs, out.yy);
  const Eigen::Index P = n_linear();
  out.normal = to_matrix(normal, P, P);
  out.rhs = Eigen::Map<const Eigen::VectorXd>(rhs.data(), P);
}

namespace {
LossStats loss_stats(const device::TrainLoss& l) {
  LossStats s;
  s.loss = l.loss;
  s.energy_sq_per_atom = l.energy_sq_per_atom;
  s.energy_abs_per_atom = l.energy_abs_per_atom;
  s.n_energy = l.n_energy;
  s.force_sq = l.force_sq;
  s.force_abs = l.force_abs;
  s.n_force_atoms = l.n_force_atoms;
  s.stress_sq = l.stress_sq;
  s.n_stress = l.n_stress;
  return s;
}
}  // namespace

LossStats DeviceTrainerBackend::evaluate(const std::vector<double>& radial,
                                         const std::vector<double>& linear,
                                         std::vector<double>* grad_radial,
                                         std::vector<double>* grad_linear) {
  return loss_stats(trainer_->evaluate(radial, linear, grad_radial, grad_linear, nullptr));
}

LossStats DeviceTrainerBackend::evaluate_per_config(const std::vector<double>& radial,
                                                    const std::vector<double>& linear,
                                                    std::vector<double>& per_config) {
  return loss_stats(trainer_->evaluate(radial, linear, nullptr, nullptr, &per_config));
}

void DeviceTrainerBackend::gauss_newton(const std::vector<double>& radial,
                                        const std::vector<double>& linear, GaussNewtonBlocks& out) {
  std::vector<double> jtj, atj, jtr;
  trainer_->gauss_newton(radial, linear, jtj, atj, jtr);
  const Eigen::Index Q = n_radial(), P = n_linear();
  out.JtJ = to_matrix(jtj, Q, Q);
  out.AtJ = to_matrix(atj, P, Q);
  out.Jtr = Eigen::Map<const Eigen::VectorXd>(jtr.data(), Q);
}

Eigen::MatrixXd DeviceTrainerBackend::design(std::size_t k, const std::vector<double>& radial) {
  const std::vector<double> d = trainer_->design(k, radial);
  const Eigen::Index P = n_linear();
  return to_matrix(d, static_cast<Eigen::Index>(d.size()) / P, P);
}

std::unique_ptr<TrainerBackend> make_trainer_backend(md::DeviceKind kind, const Mtp& model,
                                                     const TrainingSet& data,
                                                     const device::TrainDeviceOptions& options,
                                                     std::string* description) {
  if (kind == md::DeviceKind::kCpu) {
    if (description) *description = "cpu (CPU backend)";
    return std::make_unique<CpuTrainerBackend>(model, data);
  }
  auto b = std::make_unique<DeviceTrainerBackend>(kind, model, data, options);
  if (description) {
    const device::TrainDeviceInfo& i = b->info();
    char line[512];
    std::snprintf(line, sizeof line,
                  "%s (%s): %s, %ld summation groups, %ld chunk(s) of up to %ld configurations; "
                  "memory plan %.1f of %.1f MiB",
                  md::device_label(kind).c_str(), i.device.c_str(),
                  i.resident ? "training set resident on the device" : "chunked uploads", i.groups,
                  i.chunks, i.chunk_configs, i.planned / 1048576.0, i.budget / 1048576.0);
    *description = line;
  }
  return b;
}

}  // namespace superion
