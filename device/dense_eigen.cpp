// DenseOps of the emulated build: Eigen on the "device" arrays (host memory). See dense.hpp.
#include <Eigen/Dense>

#include "dense.hpp"

namespace superion::device::SUPERION_DEVICE_NS {
namespace {

using Map = Eigen::Map<Eigen::MatrixXd>;
using CMap = Eigen::Map<const Eigen::MatrixXd>;

// Eigen's parallel GEMM derives its cache blocking from the number of threads, so a product would
// round differently for 1 and 2 OpenMP threads: run single-threaded (restores the default after).
class SerialEigen {
 public:
  SerialEigen() { Eigen::setNbThreads(1); }
  ~SerialEigen() { Eigen::setNbThreads(-1); }
};

}  // namespace

struct DenseOps::Impl {};

DenseOps::DenseOps() : impl_(std::make_unique<Impl>()) {}
DenseOps::~DenseOps() = default;

void DenseOps::syrk_add(int n, int k, const double* A, double* C) {
  const SerialEigen serial;
  Map c(C, n, n);
  c.selfadjointView<Eigen::Lower>().rankUpdate(CMap(A, k, n).transpose());
}

void DenseOps::gemm_tn_add(int m, int n, int k, const double* A, const double* B, double* C) {
  const SerialEigen serial;
  Map c(C, m, n);
  c.noalias() += CMap(A, k, m).transpose() * CMap(B, k, n);
}

void DenseOps::gemv_t_add(int n, int k, const double* A, const double* x, double* y) {
  const SerialEigen serial;
  Eigen::Map<Eigen::VectorXd> yv(y, n);
  yv.noalias() += CMap(A, k, n).transpose() * Eigen::Map<const Eigen::VectorXd>(x, k);
}

}  // namespace superion::device::SUPERION_DEVICE_NS
