// DenseOps of the GPU build: cuBLAS on the compute stream (launch_cuda.hpp), one call over all
// rows of a summation group (the configuration blocks only matter to the emulated build, which
// mirrors the CPU trainer's per-configuration products). See dense.hpp. Pointer mode host,
// atomics not allowed: results are bitwise reproducible for fixed shapes on the same GPU
// architecture and cuBLAS version.
#include <cublas_v2.h>

#include <string>

#include "core/error.hpp"
#include "dense.hpp"
#include "launch.hpp"

namespace superion::device::SUPERION_DEVICE_NS {
namespace {

void check(cublasStatus_t s, const char* what) {
  if (s != CUBLAS_STATUS_SUCCESS)
    throw Error(std::string("cuBLAS error in ") + what + " (status " + std::to_string(s) + ")");
}

}  // namespace

struct DenseOps::Impl {
  cublasHandle_t handle = nullptr;
};

DenseOps::DenseOps() : impl_(std::make_unique<Impl>()) {
  check(cublasCreate(&impl_->handle), "cublasCreate");
  check(cublasSetStream(impl_->handle, streams().compute), "cublasSetStream");
  check(cublasSetAtomicsMode(impl_->handle, CUBLAS_ATOMICS_NOT_ALLOWED), "cublasSetAtomicsMode");
}

DenseOps::~DenseOps() {
  if (impl_ && impl_->handle) cublasDestroy(impl_->handle);
}

void DenseOps::syrk_add(int n, int k, const double* A, const std::vector<int>&, double* C) {
  const double one = 1.0;
  check(
      cublasDsyrk(impl_->handle, CUBLAS_FILL_MODE_LOWER, CUBLAS_OP_T, n, k, &one, A, k, &one, C, n),
      "cublasDsyrk");
}

void DenseOps::gemm_tn_add(int m, int n, int k, const double* A, const double* B,
                           const std::vector<int>& blocks, double* C) {
  if (A == B && m == n) {  // a Gram matrix: its lower triangle by dsyrk (half the flops)
    syrk_add(n, k, A, blocks, C);
    return;
  }
  const double one = 1.0;
  check(cublasDgemm(impl_->handle, CUBLAS_OP_T, CUBLAS_OP_N, m, n, k, &one, A, k, B, k, &one, C, m),
        "cublasDgemm");
}

void DenseOps::gemv_t_add(int n, int k, const double* A, const double* x, const std::vector<int>&,
                          double* y) {
  const double one = 1.0;
  check(cublasDgemv(impl_->handle, CUBLAS_OP_T, k, n, &one, A, k, x, 1, &one, y, 1), "cublasDgemv");
}

void DenseOps::dot_add(int k, const double* x, const std::vector<int>& blocks, double* s) {
  gemv_t_add(1, k, x, x, blocks, s);  // s += xᵀx as a one-column GEMV (accumulates on the device)
}

}  // namespace superion::device::SUPERION_DEVICE_NS
