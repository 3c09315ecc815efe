// Dense linear algebra of the device trainer on device arrays (column-major). Besides the launch
// layer (launch_cuda.hpp / launch_omp.hpp) this is the only part that differs between the builds:
//   dense_cublas.cpp  (superion_cuda)        cuBLAS: dsyrk, dgemm, dgemv on the compute stream
//   dense_eigen.cpp   (superion_device_emu)  Eigen products on the host arrays, single-threaded
//                                            (Eigen's OpenMP GEMM chooses its blocking from the
//                                            thread count, which would change the rounding)
// Every call accumulates (β = 1) into its output, so a sum over groups is the same sequence of
// fixed-shape products whatever the chunking; cuBLAS is deterministic for fixed shapes (no atomics
// mode is enabled), Eigen trivially.
#pragma once

#include <memory>

#include "backend.hpp"

namespace superion::device::SUPERION_DEVICE_NS {

class DenseOps {
 public:
  DenseOps();
  ~DenseOps();
  DenseOps(const DenseOps&) = delete;
  DenseOps& operator=(const DenseOps&) = delete;
  // Lower triangle of C (n × n, ldc = n) += Aᵀ A with A k × n (lda = k).
  void syrk_add(int n, int k, const double* A, double* C);
  // C (m × n, ldc = m) += Aᵀ B with A k × m, B k × n (lda = ldb = k).
  void gemm_tn_add(int m, int n, int k, const double* A, const double* B, double* C);
  // y (n) += Aᵀ x with A k × n (lda = k).
  void gemv_t_add(int n, int k, const double* A, const double* x, double* y);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace superion::device::SUPERION_DEVICE_NS
