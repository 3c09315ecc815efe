// MaxVol: greedy row swaps with rank-1 updates; see maxvol.hpp.
#include "maxvol.hpp"

#include <cmath>
#include <string>

#include "core/error.hpp"

namespace superion {
namespace {

// First largest |G_ij| in row-major order (as cblas idamax on the row-major array).
Eigen::Index argmax_abs(const RowMatrix& G, double& value) {
  const double* g = G.data();
  const Eigen::Index size = G.size();
  Eigen::Index best = 0;
  double m = -1.0;
  for (Eigen::Index k = 0; k < size; ++k) {
    const double a = std::fabs(g[k]);
    if (a > m) {
      m = a;
      best = k;
    }
  }
  value = m;
  return best;
}

}  // namespace

MaxVol::MaxVol(int n, double init)
    : a_(RowMatrix::Identity(n, n) * init),
      a_inv_(RowMatrix::Identity(n, n) / init),
      tags_(static_cast<std::size_t>(n), -1) {
  if (n <= 0) throw Error("MaxVol: the number of parameters must be positive");
  if (!(init > 0.0) || !std::isfinite(init))
    throw Error("MaxVol: the initial threshold must be positive");
  refresh_data_basis();
}

MaxVol::MaxVol(RowMatrix a, RowMatrix a_inv, std::vector<long> tags)
    : a_(std::move(a)), a_inv_(std::move(a_inv)) {
  if (a_.rows() != a_.cols() || a_inv_.rows() != a_.rows() || a_inv_.cols() != a_.cols())
    throw Error("MaxVol: A and its inverse must be square and of the same size");
  set_tags(std::move(tags));
}

void MaxVol::set_tags(std::vector<long> tags) {
  if (tags.size() != static_cast<std::size_t>(a_.rows()))
    throw Error("MaxVol: " + std::to_string(tags.size()) + " row tags for " +
                std::to_string(a_.rows()) + " rows");
  tags_ = std::move(tags);
  refresh_data_basis();
}

void MaxVol::refresh_data_basis() {
  data_rows_.clear();
  for (std::size_t j = 0; j < tags_.size(); ++j)
    if (tags_[j] >= 0) data_rows_.push_back(static_cast<Eigen::Index>(j));
  if (data_rows_.empty()) return;  // (Eigen's QR of an n×0 matrix is not defined)
  Eigen::MatrixXd cols(a_.cols(), static_cast<Eigen::Index>(data_rows_.size()));
  for (std::size_t k = 0; k < data_rows_.size(); ++k)
    cols.col(static_cast<Eigen::Index>(k)) = a_.row(data_rows_[k]).transpose();
  data_qr_.compute(cols);
}

MaxVol::Stats MaxVol::select(RowMatrix& B, std::vector<long>& tags, double entry_threshold,
                             double swap_threshold,
                             const std::function<bool(long, long)>& before_swap) {
  Stats st;
  if (B.rows() == 0) return st;
  if (B.cols() != a_.cols())
    throw Error("MaxVol: candidate rows have " + std::to_string(B.cols()) + " entries, expected " +
                std::to_string(a_.cols()));
  if (tags.size() != static_cast<std::size_t>(B.rows()))
    throw Error("MaxVol: one tag per candidate row expected");
  const Eigen::Index n = a_.cols();
  RowMatrix G = B * a_inv_;
  double gmax = 0.0;
  Eigen::Index k = argmax_abs(G, gmax);
  st.first_max = gmax;
  if (!(gmax > entry_threshold)) return st;
  Eigen::RowVectorXd v(n);
  Eigen::VectorXd u(G.rows()), col(n);
  while (gmax > swap_threshold) {
    const Eigen::Index i0 = k / n, j0 = k % n;
    if (before_swap && !before_swap(tags[i0], tags_[j0])) {
      st.stopped_by_caller = true;
      break;
    }
    const double c = G(i0, j0);
    v = G.row(i0);
    v(j0) -= 1.0;
    u = G.col(j0) / c;
    u(i0) += 1.0 / c;
    col = a_inv_.col(j0) / c;
    a_inv_.noalias() -= col * v;
    G.noalias() -= u * v;
    a_.row(j0).swap(B.row(i0));
    std::swap(tags_[j0], tags[i0]);
    ++st.swaps;
    k = argmax_abs(G, gmax);
  }
  refresh_data_basis();
  return st;
}

RowMatrix MaxVol::coordinates(const RowMatrix& B) const {
  if (B.cols() != a_.cols())
    throw Error("MaxVol: rows have " + std::to_string(B.cols()) + " entries, expected " +
                std::to_string(a_.cols()));
  return B * a_inv_;
}

std::vector<double> MaxVol::grades(const RowMatrix& B) const {
  const RowMatrix c = coordinates(B);
  std::vector<double> g(static_cast<std::size_t>(c.rows()), 0.0);
  for (Eigen::Index i = 0; i < c.rows(); ++i) g[i] = c.row(i).cwiseAbs().maxCoeff();
  return g;
}

RowMatrix MaxVol::inverse_rows(const std::vector<Eigen::Index>& columns) const {
  RowMatrix inv(static_cast<Eigen::Index>(columns.size()), a_inv_.cols());
  for (std::size_t k = 0; k < columns.size(); ++k)
    inv.row(static_cast<Eigen::Index>(k)) = a_inv_.row(columns[k]);
  return inv;
}

std::vector<double> MaxVol::data_grades(const RowMatrix& B, std::vector<double>* residual) const {
  if (B.cols() != a_.cols())
    throw Error("MaxVol: rows have " + std::to_string(B.cols()) + " entries, expected " +
                std::to_string(a_.cols()));
  std::vector<double> g(static_cast<std::size_t>(B.rows()), 0.0);
  if (residual) residual->assign(g.size(), 1.0);
  if (data_rows_.empty()) return g;
  const Eigen::MatrixXd rhs = B.transpose();
  const Eigen::MatrixXd c = data_qr_.solve(rhs);  // least squares: data rows as columns
  for (Eigen::Index i = 0; i < B.rows(); ++i) {
    g[i] = c.col(i).cwiseAbs().maxCoeff();
    if (residual) {
      Eigen::VectorXd r = rhs.col(i);
      for (Eigen::Index k = 0; k < c.rows(); ++k)
        r -= c(k, i) * a_.row(data_rows_[static_cast<std::size_t>(k)]).transpose();
      const double nb = rhs.col(i).norm();
      (*residual)[i] = nb > 0 ? r.norm() / nb : 0.0;
    }
  }
  return g;
}

double MaxVol::inverse_defect() const {
  return (a_ * a_inv_ - RowMatrix::Identity(a_.rows(), a_.cols())).cwiseAbs().maxCoeff();
}

int MaxVol::placeholder_rows() const {
  int k = 0;
  for (long t : tags_) k += t < 0;
  return k;
}

}  // namespace superion
