// GradeRows: site-energy parameter gradients through the trainer's kernel; see grade_rows.hpp.
#include "grade_rows.hpp"

#include <omp.h>

#include <string>

#include "core/error.hpp"
#include "mtp_train_kernels.hpp"
#include "neighbor/neighbor_list.hpp"

namespace superion {

GradeRows::GradeRows(const Mtp& model) : evaluator_(model) {
  n_params_ = static_cast<int>(evaluator_.model().n_params());
}

void GradeRows::site_rows(const Structure& s, RowMatrix& out) const {
  if (s.size() == 0) {
    out.resize(0, n_params_);
    return;
  }
  site_rows(s, build_neighbor_list(s, evaluator_.model().max_dist, false), out);
}

void GradeRows::site_rows(const Structure& s, const NeighborList& nl, RowMatrix& out) const {
  const Mtp& m = evaluator_.model();
  const std::size_t n = s.size();
  if (s.types.size() != n) throw Error("structure has no species type per atom");
  for (std::size_t i = 0; i < n; ++i)
    if (s.types[i] < 0 || s.types[i] >= m.species_count)
      throw Error("atom " + std::to_string(i + 1) + " has species type " +
                  std::to_string(s.types[i]) + " but the MTP has " +
                  std::to_string(m.species_count) + " species");
  out.setZero(static_cast<Eigen::Index>(n), n_params_);
  if (n == 0) return;
  if (nl.half || nl.n_atoms() != n || nl.cutoff < m.max_dist)
    throw Error("grading needs a full neighbour list of the structure with cutoff >= " +
                std::to_string(m.max_dist));
  const MtpView v = evaluator_.view();
  const int R = v.radial_basis_size, K = v.radial_funcs_count;
  const long n_radial = static_cast<long>(m.n_radial_params());
  const double rc = m.max_dist;
#pragma omp parallel
  {
    std::vector<double> moments(v.n_moments), adj(v.n_moments), f(2 * K), mono(v.n_mono);
    std::vector<double> ru, phi;
    std::vector<int> tj;
#pragma omp for schedule(dynamic, 4)
    for (long i = 0; i < static_cast<long>(n); ++i) {
      ru.clear();
      tj.clear();
      for (int p = nl.offsets[i]; p < nl.offsets[i + 1]; ++p) {
        const Vec3& d = nl.displacements[p];
        const double r = norm(d);
        if (!(r < rc) || r == 0.0) continue;  // MLIP: strict r < max_dist, self excluded
        ru.insert(ru.end(), {r, d.x / r, d.y / r, d.z / r});
        tj.push_back(s.types[nl.neighbors[p]]);
      }
      const int nb = static_cast<int>(tj.size());
      phi.resize(2 * static_cast<std::size_t>(R) * nb);
      if (mono.size() < static_cast<std::size_t>(nb) * v.n_mono)
        mono.resize(static_cast<std::size_t>(nb) * v.n_mono);  // kept per neighbour (δ = 0)
      for (int j = 0; j < nb; ++j)
        mtp_chebyshev(ru[4 * j], v.min_dist, v.max_dist, R, &phi[2 * R * j], &phi[2 * R * j + R]);
      double* row = out.row(i).data();  // δ = nullptr: no force/virial residuals, ∂V_i/∂θ
      mtp_site_energy_gradient(v, s.types[i], nb, tj.data(), ru.data(), phi.data(), row,
                               row + n_radial, moments.data(), adj.data(), f.data(), mono.data());
    }
  }
}

std::vector<Eigen::Index> GradeRows::site_columns(int t) const {
  const Mtp& m = evaluator_.model();
  const Eigen::Index block =
      static_cast<Eigen::Index>(m.species_count) * m.radial_funcs_count * m.radial_basis_size;
  const Eigen::Index n_radial = static_cast<Eigen::Index>(m.n_radial_params());
  std::vector<Eigen::Index> cols;
  for (Eigen::Index c = t * block; c < (t + 1) * block; ++c) cols.push_back(c);
  for (Eigen::Index c = n_radial; c < n_params_; ++c) cols.push_back(c);
  return cols;
}

Eigen::RowVectorXd GradeRows::energy_row(const RowMatrix& site_rows, double energy_weight,
                                         WeightingScheme weighting) {
  Eigen::RowVectorXd b = Eigen::RowVectorXd::Zero(site_rows.cols());
  for (Eigen::Index i = 0; i < site_rows.rows(); ++i) b += site_rows.row(i);
  const double n = static_cast<double>(site_rows.rows());
  const double scale = weighting == WeightingScheme::kMolecules || n == 0 ? 1.0 : 1.0 / n;
  return b * (energy_weight * scale);
}

}  // namespace superion
