// Domain wall added to an MD force backend; see domain_wall_backend.hpp.
#include "domain_wall_backend.hpp"

#include <algorithm>
#include <utility>

namespace superion::md {

DomainWallBackend::DomainWallBackend(std::unique_ptr<ForceBackend> inner, DomainWalls walls)
    : inner_(std::move(inner)), walls_(std::move(walls)) {}

void DomainWallBackend::compute(const Structure& s, ForceResult& out) {
  inner_->compute(s, out);
  CalcResult wall;
  wall.forces.assign(s.size(), Vec3{});
  last_ = apply_domain_walls(s, walls_, &wall);
  out.energy += wall.energy;
  for (std::size_t i = 0; i < s.size(); ++i) out.forces[i] = out.forces[i] + wall.forces[i];
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b) out.virial[a][b] += wall.virial[a][b];
  max_energy_ = std::max(max_energy_, last_.energy);
  max_violation_ = std::max(max_violation_, last_.max_violation);
}

}  // namespace superion::md
