// Short-range repulsive wall for the demo's MD; see wall_backend.hpp.
#include "wall_backend.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "core/geometry.hpp"

namespace superion::demo {

PairWalls walls_from_data(const Dataset& data, int n_species, double k) {
  PairWalls w;
  w.n_species = n_species;
  w.k = k;
  w.rw.assign(static_cast<std::size_t>(n_species * n_species), 0.0);
  std::vector<double> dmin(w.rw.size(), 1e300);
  for (const auto& c : data.configs) {
    const Structure& s = c.structure;
    const Mat3 inv = inverse(s.cell);
    for (std::size_t i = 0; i < s.size(); ++i)
      for (std::size_t j = i + 1; j < s.size(); ++j) {
        const double r =
            norm(minimum_image(s.positions[j] - s.positions[i], s.cell, inv, s.pbc.data()));
        const int a = s.types[i], b = s.types[j];
        if (a >= n_species || b >= n_species) continue;
        auto& d1 = dmin[static_cast<std::size_t>(a * n_species + b)];
        auto& d2 = dmin[static_cast<std::size_t>(b * n_species + a)];
        d1 = d2 = std::min(d1, r);
      }
  }
  for (std::size_t p = 0; p < dmin.size(); ++p) w.rw[p] = dmin[p] < 1e300 ? dmin[p] : 0.0;
  return w;
}

WallBackend::WallBackend(std::unique_ptr<md::ForceBackend> inner, PairWalls walls)
    : inner_(std::move(inner)), walls_(std::move(walls)) {
  for (double r : walls_.rw) max_rw_ = std::max(max_rw_, r);
}

void WallBackend::compute(const Structure& s, md::ForceResult& out) {
  inner_->compute(s, out);
  const Vec3 widths = cell_face_distances(s.cell);
  for (int d = 0; d < 3; ++d)
    if (s.pbc[d] && !(widths[d] > 2.0 * max_rw_))
      throw Error("wall potential: cell width " + std::to_string(widths[d]) +
                  " A is below twice the largest wall distance " + std::to_string(max_rw_) +
                  " A (use a larger supercell)");
  const Mat3 inv = inverse(s.cell);
  wall_energy_ = 0.0;
  // O(N²) over pairs: cheap next to the MTP for the demo's few hundred atoms.
  for (std::size_t i = 0; i < s.size(); ++i)
    for (std::size_t j = i + 1; j < s.size(); ++j) {
      const double rw = walls_.at(s.types[i], s.types[j]);
      if (rw <= 0.0) continue;
      const Vec3 d = minimum_image(s.positions[j] - s.positions[i], s.cell, inv, s.pbc.data());
      const double r = norm(d);
      if (r >= rw) continue;
      double e = 0.0, f = 0.0;
      wall_pair(r, rw, walls_.k, e, f);
      wall_energy_ += e;
      const Vec3 fj = d * (f / r);  // on j, away from i
      out.forces[j] = out.forces[j] + fj;
      out.forces[i] = out.forces[i] - fj;
      // W = −Σ dE/dr · d⊗d / r  (positive when compressed, as the MLIP PlusStress)
      for (int a = 0; a < 3; ++a)
        for (int b = 0; b < 3; ++b) out.virial[a][b] += f * d[a] * d[b] / r;
    }
  out.energy += wall_energy_;
}

}  // namespace superion::demo
