// Van Hove functions in pymatgen-analysis-diffusion's exact convention (see the header).
#include "mechanism/van_hove_pymatgen.hpp"

#include <cmath>

#include "core/error.hpp"

namespace superion::mechanism {

PymatgenVanHoveResult van_hove_pymatgen(const FrameSeries& s, const std::vector<int>& sp,
                                        const std::vector<int>& ref,
                                        const std::vector<int>& framework,
                                        const PymatgenVanHoveOptions& opt) {
  const int T = static_cast<int>(s.n_frames());
  if (opt.step_skip < 1 || opt.n_grid < 2 || !(opt.sigma > 0) || !(opt.r_max > 0) ||
      opt.cell_range < 0 || opt.avg_nsteps < 1)
    throw InputError(s.source, 0,
                     "pymatgen van Hove needs step_skip >= 1, ngrid >= 2, sigma > 0, rmax > 0, "
                     "cell_range >= 0 and avg_nsteps >= 1");
  if (T <= opt.avg_nsteps)
    throw InputError(s.source, 0,
                     "pymatgen van Hove needs more frames (" + std::to_string(T) +
                         ") than time origins avg_nsteps (" + std::to_string(opt.avg_nsteps) + ")");
  if (sp.empty() || ref.empty()) throw InputError(s.source, 0, "van Hove: no atoms selected");

  // Drift-corrected unwrapped positions (DiffusionAnalyzer.get_drift_corrected_structures).
  const std::size_t N = s.n_atoms();
  std::vector<std::vector<Vec3>> pos(T, std::vector<Vec3>(N));
  for (int t = 0; t < T; ++t) {
    Vec3 drift{0, 0, 0};
    for (int f : framework) drift = drift + (s.unwrapped[t][f] - s.unwrapped[0][f]);
    if (!framework.empty()) drift = drift * (1.0 / framework.size());
    for (std::size_t i = 0; i < N; ++i) pos[t][i] = s.unwrapped[t][i] - drift;
  }

  const int n = opt.n_grid;
  const double dr = opt.r_max / (n - 1);
  const int ntsteps = T - opt.avg_nsteps;
  const int reduced_nt = ntsteps / opt.step_skip + 1;
  const Mat3& cell = s.cells[0];
  const double rho = static_cast<double>(sp.size()) / std::fabs(det(cell));

  // gauss[b][k]: unit sample binned at grid point b seen at grid point k, with pymatgen's weight.
  std::vector<std::vector<double>> gauss(n, std::vector<double>(n));
  const double weight = 1.0 / opt.avg_nsteps / static_cast<double>(ref.size());
  for (int b = 0; b < n; ++b)
    for (int k = 0; k < n; ++k) {
      const double u = (b * dr - k * dr) / opt.sigma;
      gauss[b][k] = std::exp(-0.5 * u * u) / (std::sqrt(2 * M_PI) * opt.sigma) * weight;
    }
  std::vector<double> shell(n);
  for (int b = 0; b < n; ++b) shell[b] = 4 * M_PI * (b * dr) * (b * dr);
  shell[0] = M_PI * dr * dr;

  PymatgenVanHoveResult out;
  VanHoveResult& res = out.values;
  for (int k = 0; k < n; ++k) res.r.push_back(k * dr);
  res.gs_4pir2.assign(reduced_nt, std::vector<double>(n, 0.0));
  res.gd.assign(reduced_nt, std::vector<double>(n, 0.0));
  for (int it = 0; it < reduced_nt; ++it) out.lags.push_back(std::min(it * opt.step_skip, ntsteps));

  const int cr = opt.cell_range;
#pragma omp parallel for schedule(dynamic, 1)
  for (int it = 0; it < reduced_nt; ++it) {
    const int lag = out.lags[it];
    std::vector<long> self_counts(n, 0), dist_counts(n, 0);
    for (int t0 = 0; t0 < opt.avg_nsteps; ++t0) {
      for (int u : sp) {
        const double d = norm(pos[t0 + lag][u] - pos[t0][u]);
        if (d < opt.r_max) ++self_counts[static_cast<int>(d / dr)];
      }
      if (!opt.distinct) continue;
      for (int u : sp)
        for (int v : ref) {
          const Vec3 base = pos[t0 + lag][u] - pos[t0][v];
          for (int a = -cr; a <= cr; ++a)
            for (int b = -cr; b <= cr; ++b)
              for (int c = -cr; c <= cr; ++c) {
                if (u == v && a == 0 && b == 0 && c == 0) continue;
                const Vec3 d = base + row_times(Vec3{double(a), double(b), double(c)}, cell);
                const double x = norm(d);
                if (x < opt.r_max) ++dist_counts[static_cast<int>(x / dr)];
              }
        }
    }
    for (int b = 0; b < n; ++b) {
      if (self_counts[b])
        for (int k = 0; k < n; ++k) res.gs_4pir2[it][k] += gauss[b][k] * self_counts[b];
      if (dist_counts[b])
        for (int k = 0; k < n; ++k) res.gd[it][k] += gauss[b][k] * dist_counts[b] / shell[b] / rho;
    }
  }
  return out;
}

}  // namespace superion::mechanism
