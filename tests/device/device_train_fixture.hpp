// The fixture of the device trainer's tests (device_train_tests.hpp, device_train_full_tests.hpp):
// the training problems and the comparison of the device trainer (device/train_api.hpp through
// DeviceTrainerBackend) with the CPU trainer backend.
//
// The emulated device repeats the CPU trainer's every operation (the same mtp_train_kernels.hpp
// steps, the CPU's summation orders, Eigen's per-configuration products in dense_eigen.cpp), so it
// must give the CPU's numbers bit for bit: design rows, normal equations, loss, gradients,
// Gauss–Newton blocks and whole LM runs. Every engine must in addition meet the bounds:
// assemble, evaluate (loss and exact gradient) and gauss_newton within 1e-10 relative, each number
// on its natural scale (Cauchy–Schwarz bounds of its sum), so a near-cancelling entry is not
// divided by its own tiny value:
//   normal matrix N_ij: |ΔN_ij| / sqrt(N_ii N_jj);   rhs_i: / sqrt(N_ii yy);   yy, loss: relative;
//   JᵀJ_ij: / sqrt(JᵀJ_ii JᵀJ_jj);   AᵀJ_ij: / sqrt(N_ii JᵀJ_jj);   Jᵀr_i: / sqrt(JᵀJ_ii · loss);
//   gradient: g = 2 Σ_r W_r (A ξ − y)_r ∂(A ξ)_r/∂θ, and the predictions A ξ cancel (Σ_c |A_rc ξ_c|
//   reaches 1e6 × |A ξ|_r for a fresh level-20 basis), so their rounding (another order, FMAs)
//   moves g by up to ε · 2 sqrt(Σ_r W_r m_r²) · sqrt(JᵀJ_θθ) (m_r = Σ_c |A_rc ξ_c|; JᵀJ_θθ = N_ll
//   for a linear coefficient): scale max(max|g_radial|, that bound). At ξ* the linear gradient is
//   zero up to exactly this rounding; the trainer never uses it.
// Chunked and unchunked device runs, and 1 and 2 threads, must be bit-identical.
#pragma once

#include <gtest/gtest.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "../training/training_test_helpers.hpp"
#include "cpu_backend.hpp"
#include "device_test_bodies.hpp"
#include "device_trainer_backend.hpp"
#include "io/formats.hpp"
#include "model_setup.hpp"
#include "mtp/mtp_file.hpp"
#include "test_util.hpp"
#include "trainer.hpp"
#include "training_set.hpp"
#include "varpro.hpp"

namespace superion::testing {

// A training problem: the model (basis + initial radial coefficients) and the cached data.
struct TrainProblem {
  std::string name;
  Mtp model;
  Dataset data;
  std::unique_ptr<TrainingSet> set;
};

inline std::unique_ptr<TrainProblem> train_problem(const std::string& name, Mtp model, Dataset data,
                                                   const LossWeights& w) {
  auto p = std::make_unique<TrainProblem>();
  p->name = name;
  p->model = std::move(model);
  p->data = std::move(data);
  p->set = std::make_unique<TrainingSet>(p->data, p->model.max_dist, w, name);
  p->set->cache_radial_basis(p->model.min_dist, p->model.radial_basis_size);
  return p;
}

inline Dataset read_configs(const std::string& path, const std::vector<std::string>& species,
                            std::size_t max_configs) {
  io::ReadOptions ro;
  ro.species = species;
  Dataset d = io::read_dataset(path, "auto", ro);
  if (d.configs.size() > max_configs) d.configs.resize(max_configs);
  return d;
}

// Largest deviations of one backend from another (see the file comment for the scales).
struct TrainAgreement {
  double normal = 0, rhs = 0, yy = 0, loss = 0, grad = 0, jtj = 0, atj = 0, jtr = 0;
  bool bitwise = true;  // every compared number identical
  double worst() const { return std::max({normal, rhs, yy, loss, grad, jtj, atj, jtr}); }
};

inline double rel(double a, double b, double scale) {
  return scale > 0 ? std::fabs(a - b) / scale : (a == b ? 0.0 : 1e300);
}

// Σ_r W_r m_r² (m_r = Σ_c |A_rc ξ_c|, the magnitude of prediction r) from the CPU's design rows.
inline double prediction_magnitude(const CpuTrainerBackend& cpu, const TrainingSet& set,
                                   const std::vector<double>& radial,
                                   const std::vector<double>& xi) {
  double mm = 0.0;
  for (std::size_t k = 0; k < set.size(); ++k) {
    const TrainingConfig& t = set.configs()[k];
    const Eigen::MatrixXd A = cpu.design(k, radial);
    for (Eigen::Index r = 0; r < A.rows(); ++r) {
      const bool e = t.has_energy && r == 0;
      const bool s = t.has_virial && r >= A.rows() - 9;
      const double W = e ? t.w_energy : s ? t.w_stress : t.w_force;
      double m = 0.0;
      for (Eigen::Index c = 0; c < A.cols(); ++c) m += std::fabs(A(r, c) * xi[c]);
      mm += W * m * m;
    }
  }
  return mm;
}

// Compares `got` with `ref` at the problem's radial coefficients and the linear coefficients that
// solve the reference normal equations. `magnitude(ξ)` gives Σ_r W_r m_r² for the gradient's
// scale (file comment).
template <class Magnitude>
inline TrainAgreement compare_backends(TrainerBackend& ref, TrainerBackend& got,
                                       const std::vector<double>& radial,
                                       const Magnitude& magnitude) {
  TrainAgreement a;
  LinearSystem s0, s1;
  ref.assemble(radial, s0);
  got.assemble(radial, s1);
  const Eigen::Index P = s0.normal.rows();
  EXPECT_EQ(s1.normal.rows(), P);
  for (Eigen::Index i = 0; i < P; ++i) {
    for (Eigen::Index j = 0; j < P; ++j) {
      a.normal = std::max(a.normal, rel(s0.normal(i, j), s1.normal(i, j),
                                        std::sqrt(s0.normal(i, i) * s0.normal(j, j))));
      a.bitwise = a.bitwise && s0.normal(i, j) == s1.normal(i, j);
    }
    a.rhs = std::max(a.rhs, rel(s0.rhs(i), s1.rhs(i), std::sqrt(s0.normal(i, i) * s0.yy)));
    a.bitwise = a.bitwise && s0.rhs(i) == s1.rhs(i);
  }
  a.yy = rel(s0.yy, s1.yy, std::fabs(s0.yy));
  a.bitwise = a.bitwise && s0.yy == s1.yy;
  const std::vector<double> lin = solve_linear_system(s0);
  std::vector<double> gr0, gl0, gr1, gl1;
  const LossStats l0 = ref.evaluate(radial, lin, &gr0, &gl0);
  const LossStats l1 = got.evaluate(radial, lin, &gr1, &gl1);
  a.loss = std::max({rel(l0.loss, l1.loss, l0.loss),
                     rel(l0.energy_sq_per_atom, l1.energy_sq_per_atom, l0.energy_sq_per_atom),
                     rel(l0.force_sq, l1.force_sq, l0.force_sq),
                     rel(l0.stress_sq, l1.stress_sq, l0.stress_sq),
                     rel(l0.energy_abs_per_atom, l1.energy_abs_per_atom, l0.energy_abs_per_atom),
                     rel(l0.force_abs, l1.force_abs, l0.force_abs)});
  // Each configuration's share of the loss (the early-stopping noise allowance): as the CPU's,
  // relative to the whole loss, and summing to it.
  std::vector<double> pc0, pc1;
  ref.evaluate_per_config(radial, lin, pc0);
  got.evaluate_per_config(radial, lin, pc1);
  EXPECT_EQ(pc1.size(), pc0.size());
  double sum1 = 0.0;
  for (std::size_t k = 0; k < std::min(pc0.size(), pc1.size()); ++k) {
    a.loss = std::max(a.loss, rel(pc0[k], pc1[k], l0.loss));
    a.bitwise = a.bitwise && pc0[k] == pc1[k];
    sum1 += pc1[k];
  }
  EXPECT_NEAR(sum1, l1.loss, 1e-12 * l1.loss);
  EXPECT_EQ(l0.n_energy, l1.n_energy);
  EXPECT_EQ(l0.n_force_atoms, l1.n_force_atoms);
  EXPECT_EQ(l0.n_stress, l1.n_stress);
  a.bitwise = a.bitwise && l0.loss == l1.loss && l0.force_sq == l1.force_sq;
  GaussNewtonBlocks b0, b1;
  ref.gauss_newton(radial, lin, b0);
  got.gauss_newton(radial, lin, b1);
  const Eigen::Index Q = b0.JtJ.rows();
  for (Eigen::Index i = 0; i < Q; ++i) {
    for (Eigen::Index j = 0; j < Q; ++j) {
      a.jtj =
          std::max(a.jtj, rel(b0.JtJ(i, j), b1.JtJ(i, j), std::sqrt(b0.JtJ(i, i) * b0.JtJ(j, j))));
      a.bitwise = a.bitwise && b0.JtJ(i, j) == b1.JtJ(i, j);
    }
    a.jtr = std::max(a.jtr, rel(b0.Jtr(i), b1.Jtr(i), std::sqrt(b0.JtJ(i, i) * l0.loss)));
    a.bitwise = a.bitwise && b0.Jtr(i) == b1.Jtr(i);
    for (Eigen::Index l = 0; l < P; ++l) {
      a.atj = std::max(a.atj,
                       rel(b0.AtJ(l, i), b1.AtJ(l, i), std::sqrt(s0.normal(l, l) * b0.JtJ(i, i))));
      a.bitwise = a.bitwise && b0.AtJ(l, i) == b1.AtJ(l, i);
    }
  }
  // Gradients (radial and linear) on the scale of the predictions' rounding.
  EXPECT_EQ(gr0.size(), gr1.size());
  EXPECT_EQ(gl0.size(), gl1.size());
  const double mm = magnitude(lin);
  double gmax = 0;
  for (double x : gr0) gmax = std::max(gmax, std::fabs(x));
  for (std::size_t i = 0; i < gr0.size() && i < gr1.size(); ++i) {
    const double scale = std::max(gmax, 2.0 * std::sqrt(mm * b0.JtJ(i, i)));
    a.grad = std::max(a.grad, rel(gr0[i], gr1[i], scale));
    a.bitwise = a.bitwise && gr0[i] == gr1[i];
  }
  for (std::size_t i = 0; i < gl0.size() && i < gl1.size(); ++i) {
    a.grad = std::max(a.grad, rel(gl0[i], gl1[i], 2.0 * std::sqrt(mm * s0.normal(i, i))));
    a.bitwise = a.bitwise && gl0[i] == gl1[i];
  }
  return a;
}

// Magnitude for comparisons that must be bit-identical anyway.
inline double unit_magnitude(const std::vector<double>&) {
  return 1.0;
}

class DeviceTrain : public ::testing::TestWithParam<std::string> {
 protected:
  md::DeviceKind kind() const { return engine_kind(GetParam()); }

  std::unique_ptr<DeviceTrainerBackend> device(const TrainProblem& p,
                                               const device::TrainDeviceOptions& o = {}) {
    return std::make_unique<DeviceTrainerBackend>(kind(), p.model, *p.set, o);
  }

  // The device against the CPU backend on `p`: the 1e-10 bounds, the design rows, and a line
  // with the measured agreement.
  TrainAgreement check(const TrainProblem& p) {
    CpuTrainerBackend cpu(p.model, *p.set);
    auto dev = device(p);
    const TrainAgreement a =
        compare_backends(cpu, *dev, p.model.radial_coeffs, [&](const std::vector<double>& xi) {
          return prediction_magnitude(cpu, *p.set, p.model.radial_coeffs, xi);
        });
    EXPECT_LE(a.normal, 1e-10) << p.name;
    EXPECT_LE(a.rhs, 1e-10) << p.name;
    EXPECT_LE(a.yy, 1e-10) << p.name;
    EXPECT_LE(a.loss, 1e-10) << p.name;
    EXPECT_LE(a.grad, 1e-10) << p.name;
    EXPECT_LE(a.jtj, 1e-10) << p.name;
    EXPECT_LE(a.atj, 1e-10) << p.name;
    EXPECT_LE(a.jtr, 1e-10) << p.name;
    bool rows_identical = true;
    double rows_dev = 0.0;
    for (std::size_t k = 0; k < p.set->size(); ++k) {
      const Eigen::MatrixXd d0 = cpu.design(k, p.model.radial_coeffs);
      const Eigen::MatrixXd d1 = dev->design(k, p.model.radial_coeffs);
      EXPECT_EQ(d0.rows(), d1.rows());
      EXPECT_EQ(d0.cols(), d1.cols());
      if (d0.rows() != d1.rows() || d0.cols() != d1.cols()) return a;
      for (Eigen::Index c = 0; c < d0.cols(); ++c) {
        const double scale = d0.col(c).cwiseAbs().maxCoeff();
        for (Eigen::Index r = 0; r < d0.rows(); ++r) {
          rows_dev = std::max(rows_dev, rel(d0(r, c), d1(r, c), scale));
          rows_identical = rows_identical && d0(r, c) == d1(r, c);
        }
      }
    }
    EXPECT_LE(rows_dev, 1e-12) << p.name << ": design rows";
    if (bitwise(GetParam())) {
      EXPECT_TRUE(rows_identical) << p.name << ": design rows not the CPU's bits";
      EXPECT_TRUE(a.bitwise) << p.name << ": the emulated device must repeat the CPU's bits";
    }
    const auto& info = dev->info();
    std::printf(
        "%-34s %s: %zu cfgs %zu atoms | N %.1e rhs %.1e yy %.1e loss %.1e grad %.1e JtJ %.1e "
        "AtJ %.1e Jtr %.1e | design rows %s%s | %s, peak %.2f MiB\n",
        p.name.c_str(), GetParam().c_str(), p.set->size(), p.set->total_atoms(), a.normal, a.rhs,
        a.yy, a.loss, a.grad, a.jtj, a.atj, a.jtr, rows_identical ? "bit-identical" : "differ",
        a.bitwise ? ", all bit-identical" : "", info.resident ? "resident" : "chunked",
        dev->peak_device_bytes() / 1048576.0);
    return a;
  }
};

// ---- problems ----

inline std::unique_ptr<TrainProblem> li_problem(std::size_t configs, WeightingScheme scheme) {
  const auto path = test_data("mtp/cfg/Li_T450_73cfg.cfg");
  Mtp m = small_model(10, 1, 2.0, 5.0, 8);
  init_radial_coefficients(m, 5);
  LossWeights w;
  w.scheme = scheme;
  return train_problem("Li_T450 level 10", m, read_configs(path.string(), {}, configs), w);
}

inline std::unique_ptr<TrainProblem> two_species_problem(WeightingScheme scheme) {
  const auto path = test_data("mtp/cfg/example2sp_5cfg.cfg");
  Mtp m = read_mtp(test_data("mtp/trained/example2sp_L06_mlip2.mtp"));
  init_radial_coefficients(m, 3);  // the trained basis, fresh radial coefficients
  m.trained = false;
  LossWeights w;
  w.force = 0.1;
  w.stress = 0.01;
  w.scheme = scheme;
  return train_problem("example2sp level 6 (2 species)", m, read_configs(path.string(), {}, 5), w);
}

inline std::unique_ptr<TrainProblem> na3clso4_problem(std::size_t configs, WeightingScheme scheme) {
  const std::vector<std::string> sp{"Na", "Cl", "S", "O"};
  Dataset d = read_configs(SUPERION_SOURCE_DIR "/data/reference/Na3ClSO4/md_1100K_strain+0.00.xyz",
                           sp, configs);
  Mtp m = read_mtp(SUPERION_SOURCE_DIR "/tests/data/pso/na3clso4_level10.mtp");
  m.trained = false;
  LossWeights w;
  w.stress = 0.01;
  w.scheme = scheme;
  return train_problem("Na3ClSO4 level 10 (4 species)", m, std::move(d), w);
}

// Perturbed and strained copies of the 37-atom Na9YZr3Cl24 cell labelled by the published
// 4-species NYZC MTP (energies, forces, virials), fitted from fresh radial coefficients.
inline std::unique_ptr<TrainProblem> nyzc_problem(int configs) {
  const Mtp ref = read_mtp(test_data("mtp/nyzc/fitted.mtp.2021.02.mtp"));
  io::ReadOptions ro;
  ro.species = {"Na", "Y", "Zr", "Cl"};
  const Dataset cell =
      io::read_dataset(SUPERION_SOURCE_DIR "/data/nyzc/nyzc37_eq600K.vasp", "auto", ro);
  const MtpEvaluator ev(ref);
  std::mt19937 rng(19);
  std::normal_distribution<double> n(0.0, 0.08);
  Dataset d;
  d.species = cell.species;
  for (int k = 0; k < configs; ++k) {
    Configuration c;
    c.structure = cell.configs[0].structure;
    for (int a = 0; a < 3; ++a)
      for (int b = 0; b < 3; ++b) c.structure.cell[a][b] *= 1.0 + (a == b ? 0.01 * (k - 1) : 0.0);
    for (Vec3& x : c.structure.positions) x = x + Vec3{n(rng), n(rng), n(rng)};
    MtpEvaluator::store(ev.evaluate(c.structure), c);
    d.configs.push_back(std::move(c));
  }
  Mtp m = ref;
  init_radial_coefficients(m, 8);
  m.trained = false;
  LossWeights w;
  w.stress = 0.01;
  return train_problem("NYZC level 14 (4 species, MTP labels)", m, std::move(d), w);
}

inline std::unique_ptr<TrainProblem> cu_problem(std::size_t configs) {
  // The carried copy holds the test set only (tests/data/shared/README.md); the training set when
  // ../shared/data has it.
  auto path = shared_data() / "mlearn/Cu/train.cfg";
  if (!std::filesystem::exists(path)) path = test_data("mlearn/Cu/test.cfg");
  Mtp m = read_mtp(test_data("mlearn/Cu/mvl_fitted.mtp"));  // level 20 basis
  init_radial_coefficients(m, 2);
  m.trained = false;
  LossWeights w;
  w.scheme = WeightingScheme::kStructures;
  return train_problem("mlearn Cu level 20", m, read_configs(path.string(), {}, configs), w);
}

// Random 2-species cells with random labels (all three terms, random configuration weights).
inline std::unique_ptr<TrainProblem> random_problem(WeightingScheme scheme, int level = 8) {
  std::mt19937 rng(7);
  Mtp m = small_model(level, 2, 1.4, 4.2, 6);
  init_radial_coefficients(m, 11);
  m.scaling = 0.7;
  LossWeights w;
  w.force = 0.3;
  w.stress = 0.05;
  w.scheme = scheme;
  return train_problem("random 2 species level " + std::to_string(level), m,
                       random_dataset(rng, 6, 7, 2), w);
}

}  // namespace superion::testing
