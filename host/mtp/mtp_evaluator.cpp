// MtpEvaluator: flat model representation and the OpenMP driver around mtp_atom().
#include "mtp/mtp_evaluator.hpp"

#include <omp.h>

#include <algorithm>
#include <string>

#include "core/error.hpp"
#include "core/fixed_sum.hpp"
#include "mtp/mtp_site_kernels.hpp"

namespace superion {

MtpEvaluator::MtpEvaluator(Mtp model) : model_(std::move(model)) {
  model_.validate();
  const int max_nu = model_.max_nu();
  if (max_nu > kMtpMaxNu)
    throw Error("MTP tensor rank " + std::to_string(max_nu) + " exceeds the supported " +
                std::to_string(kMtpMaxNu));
  // Monomial table: all (a,b,c) with a+b+c <= max_nu, index via a dense lookup.
  if (model_.radial_funcs_count > kMtpMaxRadialFuncs ||
      model_.radial_basis_size > kMtpMaxRadialBasis)
    throw Error("MTP radial_funcs_count " + std::to_string(model_.radial_funcs_count) +
                " / radial_basis_size " + std::to_string(model_.radial_basis_size) +
                " exceed the supported " + std::to_string(kMtpMaxRadialFuncs) + " / " +
                std::to_string(kMtpMaxRadialBasis));
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
    m.ia = a;
    m.ib = b;
    m.ic = c;
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

void MtpEvaluator::evaluate(const Structure& s, const NeighborList& nl, MtpPrediction& out,
                            const TypeWalls* walls) const {
  if (nl.half) throw Error("MTP evaluation needs a full neighbour list");
  const std::size_t n = s.size();
  if (nl.n_atoms() != n) throw Error("neighbour list does not match the structure");
  if (s.types.size() != n) throw Error("structure has no species type per atom");
  for (std::size_t i = 0; i < n; ++i)
    if (s.types[i] < 0 || s.types[i] >= model_.species_count)
      throw Error("atom " + std::to_string(i + 1) + " has species type " +
                  std::to_string(s.types[i]) + " but the MTP has " +
                  std::to_string(model_.species_count) + " species (types 0.." +
                  std::to_string(model_.species_count - 1) + ")");
  const MtpView v = view();
  const PairWallView w = walls ? wall_view(*walls, model_.species_count) : PairWallView{};
  const double range = site_range(v, w);
  if (nl.cutoff < range)
    throw Error("neighbour list cutoff " + std::to_string(nl.cutoff) +
                " is below the interaction range " + std::to_string(range) +
                " (MTP cutoff or largest wall distance)");

  const std::size_t n_pairs = nl.n_pairs();
  out.site_energies.assign(n, 0.0);
  out.atom_virials.assign(9 * n, 0.0);
  std::vector<double> wall_energy(walls ? n : 0, 0.0), violation(walls ? n : 0, 0.0);
  std::vector<double> grad(3 * n_pairs, 0.0);
  std::vector<unsigned char> active(n_pairs, 0);
  auto pair = [&](int p, Vec3& d, int& tj) {
    d = nl.displacements[static_cast<std::size_t>(p)];
    tj = s.types[static_cast<std::size_t>(nl.neighbors[static_cast<std::size_t>(p)])];
  };

  // Site and pair passes: each atom writes only its own site values and its own pairs.
#pragma omp parallel
  {
    std::vector<double> moments(static_cast<std::size_t>(v.n_moments)), adj(moments.size());
#pragma omp for schedule(dynamic, 4)
    for (long i = 0; i < static_cast<long>(n); ++i) {
      const int ti = s.types[static_cast<std::size_t>(i)];
      const int b = nl.offsets[static_cast<std::size_t>(i)],
                e = nl.offsets[static_cast<std::size_t>(i) + 1];
      const SiteResult r = mtp_site_pass(v, w, ti, b, e, pair, moments.data(), adj.data());
      out.site_energies[static_cast<std::size_t>(i)] = r.energy;
      if (walls) {
        wall_energy[static_cast<std::size_t>(i)] = r.wall_energy;
        violation[static_cast<std::size_t>(i)] = r.violation;
      }
      for (int p = b; p < e; ++p) {
        Vec3 d;
        int tj;
        pair(p, d, tj);
        active[static_cast<std::size_t>(p)] =
            mtp_pair_pass(v, w, ti, tj, d, adj.data(), &grad[3 * static_cast<std::size_t>(p)]);
      }
    }
  }

  // Pairs by neighbour (increasing pair index), for the per-atom gather.
  std::vector<int> rev_offsets(n + 1, 0), rev_pairs(n_pairs);
  for (std::size_t p = 0; p < n_pairs; ++p) ++rev_offsets[static_cast<std::size_t>(nl.neighbors[p]) + 1];
  for (std::size_t k = 0; k < n; ++k) rev_offsets[k + 1] += rev_offsets[k];
  {
    std::vector<int> fill(rev_offsets.begin(), rev_offsets.end() - 1);
    for (std::size_t p = 0; p < n_pairs; ++p)
      rev_pairs[static_cast<std::size_t>(fill[static_cast<std::size_t>(nl.neighbors[p])]++)] =
          static_cast<int>(p);
  }
  out.forces.assign(n, Vec3{});
#pragma omp parallel for schedule(static)
  for (long k = 0; k < static_cast<long>(n); ++k) {
    const auto kk = static_cast<std::size_t>(k);
    atom_gather(nl.offsets[kk], nl.offsets[kk + 1], rev_offsets[kk], rev_offsets[kk + 1],
                rev_pairs.data(), grad.data(), active.data(), pair, out.forces[kk],
                &out.atom_virials[9 * kk]);
  }

  // Totals: fixed-shape sums over atoms.
  const long nl_atoms = static_cast<long>(n);
  out.energy = fixed_sum(out.site_energies);
  out.wall_energy = walls ? fixed_sum(wall_energy) : 0.0;
  out.max_wall_violation = 0.0;
  for (double x : violation) out.max_wall_violation = std::max(out.max_wall_violation, x);
  if (walls) out.energy += out.wall_energy;
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b)
      out.virial[a][b] = fixed_sum(out.atom_virials.data() + 3 * a + b, nl_atoms, 9);
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
