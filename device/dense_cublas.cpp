// DenseOps of the GPU build: cuBLAS on the compute stream (launch_cuda.hpp). See dense.hpp.
// Pointer mode host, atomics not allowed (cuBLAS' default): results are bitwise reproducible for
// fixed shapes on the same GPU architecture and cuBLAS version.
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

void DenseOps::syrk_add(int n, int k, const double* A, double* C) {
  const double one = 1.0;
  check(
      cublasDsyrk(impl_->handle, CUBLAS_FILL_MODE_LOWER, CUBLAS_OP_T, n, k, &one, A, k, &one, C, n),
      "cublasDsyrk");
}

void DenseOps::gemm_tn_add(int m, int n, int k, const double* A, const double* B, double* C) {
  const double one = 1.0;
  check(cublasDgemm(impl_->handle, CUBLAS_OP_T, CUBLAS_OP_N, m, n, k, &one, A, k, B, k, &one, C, m),
        "cublasDgemm");
}

void DenseOps::gemv_t_add(int n, int k, const double* A, const double* x, double* y) {
  const double one = 1.0;
  check(cublasDgemv(impl_->handle, CUBLAS_OP_T, k, n, &one, A, k, x, 1, &one, y, 1), "cublasDgemv");
}

}  // namespace superion::device::SUPERION_DEVICE_NS
