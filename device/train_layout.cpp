// Row layout, summation groups, chunk plan and flat range arrays of the device trainer.
#include "train_layout.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.hpp"

namespace superion::device::SUPERION_DEVICE_NS {

TrainLayout make_train_layout(const TrainingSet& data, long group_rows) {
  if (group_rows < 1) throw Error("device trainer: group_rows must be >= 1");
  const auto& cfgs = data.configs();
  TrainLayout lay;
  lay.configs = static_cast<long>(cfgs.size());
  lay.atom_begin.assign(1, 0);
  lay.pair_begin.assign(1, 0);
  lay.row_begin.assign(1, 0);
  for (const TrainingConfig& t : cfgs) {
    int rows = 0, e = -1, f = -1, s = -1;
    if (t.has_energy) e = rows++;
    if (t.has_forces) {
      f = rows;
      rows += 3 * t.n_atoms;
    }
    if (t.has_virial) {
      s = rows;
      rows += 9;
    }
    lay.row_e.push_back(e);
    lay.row_f.push_back(f);
    lay.row_s.push_back(s);
    lay.atom_begin.push_back(lay.atom_begin.back() + t.n_atoms);
    lay.pair_begin.push_back(lay.pair_begin.back() + static_cast<long>(t.neighbor.size()));
    lay.row_begin.push_back(lay.row_begin.back() + rows);
  }
  lay.group_begin.assign(1, 0);
  lay.group_of.resize(cfgs.size());
  long rows_in_group = 0;
  for (long k = 0; k < lay.configs; ++k) {
    const long rows = lay.row_begin[k + 1] - lay.row_begin[k];
    if (k > lay.group_begin.back() && rows_in_group + rows > group_rows) {
      lay.group_begin.push_back(k);
      rows_in_group = 0;
    }
    rows_in_group += rows;
    lay.group_of[k] = static_cast<int>(lay.group_begin.size()) - 1;
  }
  lay.group_begin.push_back(lay.configs);
  for (long g = 0; g < lay.groups(); ++g)
    lay.max_group_rows = std::max(lay.max_group_rows, lay.group_rows(g));
  return lay;
}

HostRange make_host_range(const TrainingSet& data, const TrainLayout& lay, int C, long c0,
                          long c1) {
  const auto& cfgs = data.configs();
  HostRange h;
  h.c0 = c0;
  h.c1 = c1;
  const long n = c1 - c0;
  const long a0 = lay.atom_begin[c0], p0 = lay.pair_begin[c0], r0 = lay.row_begin[c0];
  const long na = lay.atom_begin[c1] - a0, np = lay.pair_begin[c1] - p0,
             nr = lay.row_begin[c1] - r0;
  h.atom_begin.reserve(n + 1);
  for (long k = c0; k <= c1; ++k) {
    h.atom_begin.push_back(lay.atom_begin[k] - a0);
    h.pair_begin.push_back(lay.pair_begin[k] - p0);
    h.row_begin.push_back(lay.row_begin[k] - r0);
  }
  h.type.resize(na);
  h.cfg.resize(na);
  h.atom_pairs.resize(na + 1);
  h.rev_begin.assign(na + 1, 0);
  h.rev_pairs.resize(np);
  h.rev_sbegin.assign(na * C + 1, 0);
  h.rev_spairs.resize(np);
  h.center.resize(np);
  h.nbr.resize(np);
  h.ntype.resize(np);
  h.ru.resize(4 * np);
  h.disp.resize(3 * np);
  h.y.resize(nr);
  h.w.resize(nr);
  h.row_cfg.resize(nr);
  h.sp_begin.assign(n * C * C + 1, 0);
  h.sp_pairs.resize(np);
  h.cs_begin.assign(n * C + 1, 0);
  h.cs_pairs.resize(np);
  h.virial.resize(9 * n);
  std::vector<long> fill;
  for (long k = c0; k < c1; ++k) {
    const TrainingConfig& t = cfgs[k];
    const long kk = k - c0;
    const long ab = lay.atom_begin[k] - a0, pb = lay.pair_begin[k] - p0, rb = lay.row_begin[k] - r0;
    const int e = lay.row_e[k], f = lay.row_f[k], s = lay.row_s[k];
    h.row_e.push_back(e);
    h.row_f.push_back(f);
    h.row_s.push_back(s);
    h.n_atoms.push_back(t.n_atoms);
    h.w_energy.push_back(t.w_energy);
    h.w_force.push_back(t.w_force);
    h.w_stress.push_back(t.w_stress);
    h.energy.push_back(t.energy);
    for (int x = 0; x < 9; ++x) h.virial[9 * kk + x] = t.virial[x];
    const long g = lay.group_of[k];
    h.block_row0.push_back(lay.row_begin[lay.group_begin[g]] - r0);
    h.block_rows.push_back(static_cast<int>(lay.group_rows(g)));
    // atoms and pairs
    for (int i = 0; i < t.n_atoms; ++i) {
      h.type[ab + i] = t.types[i];
      h.cfg[ab + i] = static_cast<int>(kk);
      h.atom_pairs[ab + i] = pb + t.offsets[i];
      for (int q = t.offsets[i]; q < t.offsets[i + 1]; ++q) {
        const long p = pb + q;
        h.center[p] = static_cast<int>(ab + i);
        h.nbr[p] = static_cast<int>(ab + t.neighbor[q]);
        h.ntype[p] = t.ntype[q];
        for (int x = 0; x < 4; ++x) h.ru[4 * p + x] = t.ru[4 * q + x];
        for (int x = 0; x < 3; ++x) h.disp[3 * p + x] = t.disp[3 * q + x];
        h.rev_begin[h.nbr[p] + 1] += 1;
        h.rev_sbegin[h.nbr[p] * C + t.types[i] + 1] += 1;
        const int ti = t.types[i];
        if (ti < 0 || ti >= C || t.ntype[q] < 0 || t.ntype[q] >= C)
          throw Error("device trainer: species type outside the potential's species");
        h.sp_begin[kk * C * C + ti * C + t.ntype[q] + 1] += 1;
        h.cs_begin[kk * C + ti + 1] += 1;
      }
    }
    // rows: targets and square roots of the weights
    for (long r = rb; r < lay.row_begin[k + 1] - r0; ++r) h.row_cfg[r] = static_cast<int>(kk);
    if (e >= 0) {
      h.y[rb + e] = t.energy;
      h.w[rb + e] = std::sqrt(t.w_energy);
    }
    if (f >= 0)
      for (int x = 0; x < 3 * t.n_atoms; ++x) {
        h.y[rb + f + x] = t.forces[x];
        h.w[rb + f + x] = std::sqrt(t.w_force);
      }
    if (s >= 0)
      for (int x = 0; x < 9; ++x) {
        h.y[rb + s + x] = t.virial[x];
        h.w[rb + s + x] = std::sqrt(t.w_stress);
      }
  }
  h.atom_pairs[na] = np;
  // Reverse index and species-pair lists by counting sorts in pair order (so both are increasing).
  for (long a = 0; a < na; ++a) h.rev_begin[a + 1] += h.rev_begin[a];
  for (std::size_t x = 1; x < h.sp_begin.size(); ++x) h.sp_begin[x] += h.sp_begin[x - 1];
  for (std::size_t x = 1; x < h.cs_begin.size(); ++x) h.cs_begin[x] += h.cs_begin[x - 1];
  fill.assign(h.rev_begin.begin(), h.rev_begin.end() - 1);
  for (long p = 0; p < np; ++p) h.rev_pairs[fill[h.nbr[p]]++] = p;
  for (std::size_t x = 1; x < h.rev_sbegin.size(); ++x) h.rev_sbegin[x] += h.rev_sbegin[x - 1];
  fill.assign(h.rev_sbegin.begin(), h.rev_sbegin.end() - 1);
  for (long p = 0; p < np; ++p) h.rev_spairs[fill[h.nbr[p] * C + h.type[h.center[p]]]++] = p;
  fill.assign(h.sp_begin.begin(), h.sp_begin.end() - 1);
  for (long p = 0; p < np; ++p) {
    const long kk = h.cfg[h.center[p]];
    h.sp_pairs[fill[kk * C * C + h.type[h.center[p]] * C + h.ntype[p]]++] = p;
  }
  fill.assign(h.cs_begin.begin(), h.cs_begin.end() - 1);
  for (long p = 0; p < np; ++p)
    h.cs_pairs[fill[h.cfg[h.center[p]] * C + h.type[h.center[p]]]++] = p;
  return h;
}

TrainBytes train_bytes(const TrainSizes& z, const TrainLayout& lay) {
  TrainBytes b;
  const double d = sizeof(double);
  b.per_atom_range = 24 + d * z.C;
  b.per_pair_range = 100 + 2.0 * z.R * d;
  b.per_row_range = 2 * d + z.P * d;
  b.per_config_range = 200 + d * (z.C * z.C + z.C);
  b.per_atom_work = d * (2.0 * z.n_moments + 4 + z.L + z.A + 2.0 * z.n_basic);
  b.per_pair_work = d * (3.0 * std::max(z.A, z.L) + 6 + 2.0 * z.K);
  b.per_row_work = d * (z.n_radial + 2.0);
  b.per_config_work = d * (z.n_radial + z.P + 24.0);
  const double P = z.P, Q = z.n_radial;
  b.fixed = d * (P * P + Q * Q + P * Q + 4 * (P + Q) + 64) + d * lay.max_group_rows * (P + Q + 2) +
            (1 << 20);
  b.scratch_item_max =
      d * std::max({3.0 * z.n_moments, 4.0 * z.n_moments, 2.0 * z.R * z.n_moments});
  return b;
}

TrainPlan plan_train_chunks(const TrainSizes& z, const TrainLayout& lay, std::size_t budget,
                            const TrainDeviceOptions& options) {
  const TrainBytes b = train_bytes(z, lay);
  const long G = lay.groups();
  auto range_bytes = [&](long c0, long c1) {
    return b.per_atom_range * (lay.atom_begin[c1] - lay.atom_begin[c0]) +
           b.per_pair_range * (lay.pair_begin[c1] - lay.pair_begin[c0]) +
           b.per_row_range * (lay.row_begin[c1] - lay.row_begin[c0]) +
           b.per_config_range * (c1 - c0);
  };
  auto work_bytes = [&](long c0, long c1) {
    return b.per_atom_work * (lay.atom_begin[c1] - lay.atom_begin[c0]) +
           b.per_pair_work * (lay.pair_begin[c1] - lay.pair_begin[c0]) +
           b.per_row_work * (lay.row_begin[c1] - lay.row_begin[c0]) + b.per_config_work * (c1 - c0);
  };
  TrainPlan plan;
  plan.budget = budget;
  // Per-launch scratch: enough for every work item of the data set at once if that is small,
  // else an eighth of the budget (at least one item); it only sets how many launches a pass needs.
  const double atoms = static_cast<double>(lay.atom_begin.back());
  const double pairs = static_cast<double>(lay.pair_begin.back());
  const double d = sizeof(double);
  const double full = std::max({pairs * 3.0 * z.n_moments * d, atoms * 4.0 * z.n_moments * d,
                                atoms * z.C * z.K * 2.0 * z.R * z.n_moments * d});
  const double scratch =
      std::max(b.scratch_item_max, std::min(full, static_cast<double>(budget) / 8.0));
  plan.scratch = static_cast<std::size_t>(scratch);
  const double avail = static_cast<double>(budget) - b.fixed - scratch;
  auto fail = [&](double need) {
    throw Error("device trainer: " + std::to_string(budget >> 20) +
                " MiB of device memory is not enough for one group of configurations (about " +
                std::to_string(static_cast<long long>((b.fixed + scratch + need) / 1048576.0) + 1) +
                " MiB needed); give more memory (--device-memory) or train on the CPU");
  };
  double largest_group = 0.0;
  for (long g = 0; g < G; ++g)
    largest_group = std::max(largest_group, work_bytes(lay.group_begin[g], lay.group_begin[g + 1]));
  const double all_range = range_bytes(0, lay.configs);
  plan.resident = options.allow_resident && all_range + largest_group <= avail;
  const double room = plan.resident ? avail - all_range : avail;
  plan.chunk_begin.assign(1, 0);
  double largest_chunk = 0.0;
  while (plan.chunk_begin.back() < G) {
    const long g0 = plan.chunk_begin.back();
    long g1 = g0;
    double used = 0.0;
    while (g1 < G) {
      if (options.max_chunk_groups > 0 && g1 - g0 >= options.max_chunk_groups) break;
      const long c0 = lay.group_begin[g0], c1 = lay.group_begin[g1 + 1];
      const double need = work_bytes(c0, c1) + (plan.resident ? 0.0 : range_bytes(c0, c1));
      if (need > room) {
        if (g1 == g0) fail(need + (plan.resident ? all_range : 0.0));
        break;
      }
      used = need;
      ++g1;
    }
    largest_chunk = std::max(largest_chunk, used);
    plan.max_chunk_configs =
        std::max(plan.max_chunk_configs, lay.group_begin[g1] - lay.group_begin[g0]);
    plan.chunk_begin.push_back(g1);
  }
  plan.planned = static_cast<std::size_t>(b.fixed + scratch + largest_chunk +
                                          (plan.resident ? all_range : 0.0));
  return plan;
}

}  // namespace superion::device::SUPERION_DEVICE_NS
