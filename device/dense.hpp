// Dense linear algebra of the device trainer on device arrays (column-major). Besides the launch
// layer (launch_cuda.hpp / launch_omp.hpp) this is the only part that differs between the builds:
//   dense_cublas.cpp  (superion_cuda)        cuBLAS on the compute stream: one dsyrk / dgemm /
//                                            dgemv over all rows of a summation group
//   dense_eigen.cpp   (superion_device_emu)  Eigen, configuration by configuration, with exactly
//                                            the CPU trainer backend's products and additions
//                                            (training/cpu_backend.cpp), so the emulated device
//                                            reproduces the CPU trainer bit for bit
// Each call adds (β = 1) the products of one group's rows, an A (k × ·) block made of consecutive
// row blocks of `blocks` rows each (the group's configurations), to its output; the groups come in
// configuration order whatever the chunking, and cuBLAS is deterministic for fixed shapes (no
// atomics mode), so results never depend on chunks or on thread/block counts.
#pragma once

#include <memory>
#include <vector>

#include "backend.hpp"

namespace superion::device::SUPERION_DEVICE_NS {

class DenseOps {
 public:
  DenseOps();
  ~DenseOps();
  DenseOps(const DenseOps&) = delete;
  DenseOps& operator=(const DenseOps&) = delete;
  // Lower triangle of C (n × n, ldc = n) += Σ_b A_bᵀ A_b with A k × n (lda = k). (Eigen: the CPU's
  // selfadjoint rank update per configuration.)
  void syrk_add(int n, int k, const double* A, const std::vector<int>& blocks, double* C);
  // C (m × n, ldc = m) += Σ_b A_bᵀ B_b with A k × m, B k × n (lda = ldb = k). With B == A (a Gram
  // matrix) only the lower triangle is guaranteed (cuBLAS: dsyrk).
  void gemm_tn_add(int m, int n, int k, const double* A, const double* B,
                   const std::vector<int>& blocks, double* C);
  // y (n) += Σ_b A_bᵀ x_b with A k × n (lda = k).
  void gemv_t_add(int n, int k, const double* A, const double* x, const std::vector<int>& blocks,
                  double* y);
  // s (one number) += Σ_b x_bᵀ x_b, x of length k.
  void dot_add(int k, const double* x, const std::vector<int>& blocks, double* s);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace superion::device::SUPERION_DEVICE_NS
