// DenseOps of the emulated build: Eigen on the "device" arrays (host memory), configuration by
// configuration with the CPU trainer backend's expressions (training/cpu_backend.cpp): each
// configuration's rows are copied into a fresh Eigen object (the same sizes and alignment as the
// CPU's), multiplied into a fresh result and added to the accumulator, as the CPU adds its
// per-configuration slots. See dense.hpp.
#include <Eigen/Dense>

#include "dense.hpp"

namespace superion::device::SUPERION_DEVICE_NS {
namespace {

using Map = Eigen::Map<Eigen::MatrixXd>;
using Stride = Eigen::OuterStride<>;
using CBlock = Eigen::Map<const Eigen::MatrixXd, 0, Stride>;

// Eigen's parallel GEMM derives its cache blocking from the number of threads, so a product would
// round differently for 1 and 2 OpenMP threads: run single-threaded (restores the default after),
// as the CPU backend's products, which run inside its parallel region.
class SerialEigen {
 public:
  SerialEigen() { Eigen::setNbThreads(1); }
  ~SerialEigen() { Eigen::setNbThreads(-1); }
};

// Rows [r0, r0 + n) of the k-row column-major block A (cols columns), as a fresh matrix.
Eigen::MatrixXd rows_of(const double* A, int k, int cols, int r0, int n) {
  return CBlock(A + r0, n, cols, Stride(k));
}

}  // namespace

struct DenseOps::Impl {};

DenseOps::DenseOps() : impl_(std::make_unique<Impl>()) {}
DenseOps::~DenseOps() = default;

void DenseOps::syrk_add(int n, int k, const double* A, const std::vector<int>& blocks, double* C) {
  const SerialEigen serial;
  Map c(C, n, n);
  Eigen::MatrixXd t;
  int r0 = 0;
  for (int rows : blocks) {
    const Eigen::MatrixXd J = rows_of(A, k, n, r0, rows);
    t.setZero(n, n);
    t.selfadjointView<Eigen::Lower>().rankUpdate(J.transpose());
    c.triangularView<Eigen::Lower>() += t;
    r0 += rows;
  }
}

void DenseOps::gemm_tn_add(int m, int n, int k, const double* A, const double* B,
                           const std::vector<int>& blocks, double* C) {
  const SerialEigen serial;
  Map c(C, m, n);
  Eigen::MatrixXd t;
  int r0 = 0;
  for (int rows : blocks) {
    const Eigen::MatrixXd a = rows_of(A, k, m, r0, rows);
    if (A == B) {
      t.noalias() = a.transpose() * a;
    } else {
      const Eigen::MatrixXd b = rows_of(B, k, n, r0, rows);
      t.noalias() = a.transpose() * b;
    }
    c += t;
    r0 += rows;
  }
}

void DenseOps::gemv_t_add(int n, int k, const double* A, const double* x,
                          const std::vector<int>& blocks, double* y) {
  const SerialEigen serial;
  Eigen::Map<Eigen::VectorXd> yv(y, n);
  Eigen::VectorXd t;
  int r0 = 0;
  for (int rows : blocks) {
    const Eigen::MatrixXd a = rows_of(A, k, n, r0, rows);
    const Eigen::VectorXd xb = Eigen::Map<const Eigen::VectorXd>(x + r0, rows);
    t.noalias() = a.transpose() * xb;
    yv += t;
    r0 += rows;
  }
}

void DenseOps::dot_add(int k, const double* x, const std::vector<int>& blocks, double* s) {
  int r0 = 0;
  for (int rows : blocks) {
    const Eigen::VectorXd xb = Eigen::Map<const Eigen::VectorXd>(x + r0, rows);
    *s += xb.squaredNorm();
    r0 += rows;
  }
  (void)k;
}

}  // namespace superion::device::SUPERION_DEVICE_NS
