// MtpEvaluator: flat model representation and the OpenMP driver around mtp_atom().
#include "mtp/mtp_evaluator.hpp"

#include <omp.h>

#include <algorithm>
#include <string>

#include "core/error.hpp"

namespace superion {

MtpEvaluator::MtpEvaluator(Mtp model) : model_(std::move(model)) {
  model_.validate();
  const int max_nu = model_.max_nu();
  if (max_nu > kMtpMaxNu)
    throw Error("MTP tensor rank " + std::to_string(max_nu) + " exceeds the supported " +
                std::to_string(kMtpMaxNu));
  // Monomial table: all (a,b,c) with a+b+c <= max_nu, index via a dense lookup.
  const int L = max_nu + 1;
  std::vector<int> index(static_cast<std::size_t>(L * L * L), -1);
  for (int nu = 0; nu <= max_nu; ++nu)
    for (int a = nu; a >= 0; --a)
      for (int b = nu - a; b >= 0; --b) {
        const int c = nu - a - b;
        index[(a * L + b) * L + c] = n_mono_++;
        mono_abc_.insert(mono_abc_.end(), {a, b, c});
      }
  auto idx = [&](int a, int b, int c) { return index[(a * L + b) * L + c]; };
  for (const auto& q : model_.alpha_index_basic) {
    const int a = q[1], b = q[2], c = q[3];
    MtpBasic m{};
    m.mu = q[0];
    m.mono = idx(a, b, c);
    m.lx = a > 0 ? idx(a - 1, b, c) : 0;
    m.ly = b > 0 ? idx(a, b - 1, c) : 0;
    m.lz = c > 0 ? idx(a, b, c - 1) : 0;
    m.nu = a + b + c;
    m.a = a;
    m.b = b;
    m.c = c;
    basic_.push_back(m);
  }
  for (const auto& t : model_.alpha_index_times) times_.push_back({t[0], t[1], t[3], double(t[2])});
}

MtpView MtpEvaluator::view() const {
  MtpView v{};
  v.species_count = model_.species_count;
  v.radial_funcs_count = model_.radial_funcs_count;
  v.radial_basis_size = model_.radial_basis_size;
  v.min_dist = model_.min_dist;
  v.max_dist = model_.max_dist;
  v.scaling = model_.scaling;
  v.radial_coeffs = model_.radial_coeffs.data();
  v.n_basic = static_cast<int>(basic_.size());
  v.basic = basic_.data();
  v.n_times = static_cast<int>(times_.size());
  v.times = times_.data();
  v.n_moments = model_.alpha_moments_count;
  v.n_scalar = model_.alpha_scalar_moments();
  v.mapping = model_.alpha_moment_mapping.data();
  v.moment_coeffs = model_.moment_coeffs.data();
  v.species_coeffs = model_.species_coeffs.data();
  v.max_nu = model_.max_nu();
  v.n_mono = n_mono_;
  v.mono_abc = mono_abc_.data();
  return v;
}

MtpPrediction MtpEvaluator::evaluate(const Structure& s) const {
  const NeighborList nl = build_neighbor_list(s, model_.max_dist, false);
  MtpPrediction p;
  evaluate(s, nl, p);
  return p;
}

void MtpEvaluator::evaluate(const Structure& s, const NeighborList& nl, MtpPrediction& out) const {
  if (nl.half) throw Error("MTP evaluation needs a full neighbour list");
  const std::size_t n = s.size();
  if (nl.n_atoms() != n) throw Error("neighbour list does not match the structure");
  if (s.types.size() != n) throw Error("structure has no species type per atom");
  if (nl.cutoff < model_.max_dist)
    throw Error("neighbour list cutoff " + std::to_string(nl.cutoff) + " is below the MTP cutoff " +
                std::to_string(model_.max_dist));
  for (std::size_t i = 0; i < n; ++i)
    if (s.types[i] < 0 || s.types[i] >= model_.species_count)
      throw Error("atom " + std::to_string(i + 1) + " has species type " +
                  std::to_string(s.types[i]) + " but the MTP has " +
                  std::to_string(model_.species_count) + " species (types 0.." +
                  std::to_string(model_.species_count - 1) + ")");

  const MtpView v = view();
  const double rc = model_.max_dist;
  out.site_energies.assign(n, 0.0);
  std::vector<double> grad(3 * nl.n_pairs(), 0.0);  // g per pair (0 for pairs beyond the cutoff)

#pragma omp parallel
  {
    std::vector<double> moments(static_cast<std::size_t>(v.n_moments)), adj(moments.size());
    std::vector<double> mono(static_cast<std::size_t>(v.n_mono)),
        basis(2 * static_cast<std::size_t>(v.radial_basis_size));
    std::vector<double> cache, d, g;
    std::vector<int> tj, slot;
#pragma omp for schedule(dynamic, 4)
    for (long i = 0; i < static_cast<long>(n); ++i) {
      const int b = nl.offsets[i], e = nl.offsets[i + 1];
      d.clear();
      tj.clear();
      slot.clear();
      for (int p = b; p < e; ++p) {
        const Vec3& r = nl.displacements[p];
        const double r2 = norm2(r);
        if (!(r2 < rc * rc) || r2 == 0.0) continue;
        d.insert(d.end(), {r.x, r.y, r.z});
        tj.push_back(s.types[nl.neighbors[p]]);
        slot.push_back(p);
      }
      const int m = static_cast<int>(tj.size());
      cache.resize(static_cast<std::size_t>(m) * mtp_cache_stride(v));
      g.resize(3 * static_cast<std::size_t>(m));
      out.site_energies[i] =
          mtp_atom(v, s.types[i], m, tj.data(), d.data(), g.data(), moments.data(), adj.data(),
                   mono.data(), basis.data(), cache.data());
      for (int k = 0; k < m; ++k)
        for (int c = 0; c < 3; ++c) grad[3 * static_cast<std::size_t>(slot[k]) + c] = g[3 * k + c];
    }
  }

  // Serial, fixed-order reductions: F_i += g_ij, F_j −= g_ij, W_ab −= g_a r_b.
  out.forces.assign(n, Vec3{});
  out.energy = 0.0;
  double w[3][3] = {{0, 0, 0}, {0, 0, 0}, {0, 0, 0}};
  for (std::size_t i = 0; i < n; ++i) {
    out.energy += out.site_energies[i];
    for (int p = nl.offsets[i]; p < nl.offsets[i + 1]; ++p) {
      const double* g = &grad[3 * static_cast<std::size_t>(p)];
      const Vec3& r = nl.displacements[p];
      const Vec3 gv{g[0], g[1], g[2]};
      out.forces[i] += gv;
      out.forces[nl.neighbors[p]] -= gv;
      for (int a = 0; a < 3; ++a) {
        w[a][0] -= g[a] * r.x;
        w[a][1] -= g[a] * r.y;
        w[a][2] -= g[a] * r.z;
      }
    }
  }
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b) out.virial[a][b] = w[a][b];
}

void MtpEvaluator::store(const MtpPrediction& p, Configuration& c) {
  c.energy = p.energy;
  c.forces = p.forces;
  c.virial = p.virial;
  c.site_energies = p.site_energies;
}

std::vector<MtpPrediction> predict(const MtpEvaluator& ev, const Dataset& data) {
  std::vector<MtpPrediction> out(data.size());
  for (std::size_t k = 0; k < data.size(); ++k) out[k] = ev.evaluate(data.configs[k].structure);
  return out;
}

ErrorReport evaluate_errors(const MtpEvaluator& ev, const Dataset& data) {
  ErrorAccumulator acc;
  for (const auto& c : data.configs) {
    const MtpPrediction p = ev.evaluate(c.structure);
    acc.add(c, p.energy, p.forces, p.virial);
  }
  return acc.report();
}

}  // namespace superion
