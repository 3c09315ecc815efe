// Van Hove G_s/G_d and partial RDFs.
#include "mechanism/structure_fns.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/error.hpp"
#include "core/geometry.hpp"
#include "core/structure.hpp"
#include "neighbor/neighbor_list.hpp"

namespace superion::mechanism {
namespace {
const bool kPbc[3] = {true, true, true};

// Adds a smeared (σ > 0) or binned (σ = 0) unit sample at distance x onto grid r.
inline void deposit(std::vector<double>& acc, double x, double r_max, double sigma, double weight) {
  const int n = static_cast<int>(acc.size());
  const double dr = r_max / (n - 1);
  if (sigma <= 0.0) {
    const int k = static_cast<int>(std::lround(x / dr));
    if (k >= 0 && k < n) acc[k] += weight / dr;
    return;
  }
  const int lo = std::max(0, static_cast<int>(std::floor((x - 5 * sigma) / dr)));
  const int hi = std::min(n - 1, static_cast<int>(std::ceil((x + 5 * sigma) / dr)));
  const double norm = weight / (std::sqrt(2 * M_PI) * sigma);
  for (int k = lo; k <= hi; ++k) {
    const double u = (k * dr - x) / sigma;
    acc[k] += norm * std::exp(-0.5 * u * u);
  }
}
}  // namespace

VanHoveResult van_hove(const FrameSeries& s, const std::vector<int>& sp,
                       const std::vector<int>& ref, const VanHoveOptions& opt) {
  s.require_frames(1, "van Hove analysis");
  if (opt.n_grid < 2 || !(opt.r_max > 0) || opt.sigma < 0 || opt.origin_stride < 1)
    throw InputError(s.source, 0,
                     "van Hove needs n_grid >= 2, r_max > 0, sigma >= 0, origin stride >= 1");
  const int T = static_cast<int>(s.n_frames());
  for (int lag : opt.lags)
    if (lag < 0 || lag >= T)
      throw InputError(s.source, 0,
                       "van Hove lag " + std::to_string(lag) +
                           " frames is outside the trajectory (" + std::to_string(T) + " frames)");
  VanHoveResult res;
  for (int k = 0; k < opt.n_grid; ++k) res.r.push_back(opt.r_max * k / (opt.n_grid - 1));
  // Farthest distance that still deposits on the grid (the last histogram bin extends dr/2 beyond
  // r_max).
  const double reach =
      opt.r_max + (opt.sigma > 0 ? 5 * opt.sigma : 0.5 * opt.r_max / (opt.n_grid - 1));
  res.gs_4pir2.assign(opt.lags.size(), std::vector<double>(opt.n_grid, 0.0));
  res.gd.assign(opt.lags.size(), std::vector<double>(opt.n_grid, 0.0));
#pragma omp parallel for schedule(dynamic, 1)
  for (long li = 0; li < static_cast<long>(opt.lags.size()); ++li) {
    const int lag = opt.lags[li];
    std::vector<double> gs(opt.n_grid, 0.0), gd(opt.n_grid, 0.0);
    long n_origins = 0;
    double rho_sum = 0;
    for (int t0 = 0; t0 + lag < T; t0 += opt.origin_stride, ++n_origins) {
      const int t1 = t0 + lag;
      for (int i : sp)
        deposit(gs, norm(s.unwrapped[t1][i] - s.unwrapped[t0][i]), opt.r_max, opt.sigma,
                1.0 / sp.size());
      const Mat3& cell = s.cells[t1];
      const Mat3 inv = inverse(cell);
      const Vec3 w = cell_face_distances(cell);
      int nmax[3];
      for (int k = 0; k < 3; ++k) nmax[k] = static_cast<int>(std::ceil(reach / w[k]));
      rho_sum += sp.size() / std::fabs(det(cell));
      if (!opt.distinct) continue;
      for (int i : ref)
        for (int j : sp) {
          if (j == i) continue;
          const Vec3 d0 = minimum_image(s.wrapped[t1][j] - s.wrapped[t0][i], cell, inv, kPbc);
          for (int a = -nmax[0]; a <= nmax[0]; ++a)
            for (int b = -nmax[1]; b <= nmax[1]; ++b)
              for (int c = -nmax[2]; c <= nmax[2]; ++c) {
                const Vec3 d = d0 + row_times(Vec3{double(a), double(b), double(c)}, cell);
                const double x = norm(d);
                if (x < reach) deposit(gd, x, opt.r_max, opt.sigma, 1.0);
              }
        }
    }
    const double rho = rho_sum / n_origins;
    for (int k = 0; k < opt.n_grid; ++k) {
      res.gs_4pir2[li][k] = gs[k] / n_origins;
      const double r = res.r[k];
      res.gd[li][k] =
          r > 0 && opt.distinct ? gd[k] / (n_origins * ref.size() * rho * 4 * M_PI * r * r) : 0.0;
    }
  }
  return res;
}

RdfResult partial_rdf(const FrameSeries& s, const std::vector<int>& a_atoms,
                      const std::vector<int>& b_atoms, double r_max, int n_bins, int frame_stride) {
  s.require_frames(1, "RDF");
  if (!(r_max > 0) || n_bins < 1 || frame_stride < 1)
    throw InputError(s.source, 0, "RDF needs r_max > 0, bins >= 1 and frame stride >= 1");
  std::vector<char> in_a(s.n_atoms(), 0), in_b(s.n_atoms(), 0);
  for (int i : a_atoms) in_a[i] = 1;
  for (int j : b_atoms) in_b[j] = 1;
  long same = 0;
  for (int i : a_atoms) same += in_b[i];
  const double dr = r_max / n_bins;
  std::vector<double> counts(n_bins, 0.0);
  double norm_sum = 0;  // Σ_frames N_a N_b' / V
  int frames = 0;
  Structure st;
  st.types = s.types;
  st.species_symbols = s.symbols;
  for (std::size_t t = 0; t < s.n_frames(); t += frame_stride, ++frames) {
    st.cell = s.cells[t];
    st.positions = s.wrapped[t];
    const NeighborList nl = build_neighbor_list(st, r_max, false);
    for (int i : a_atoms)
      for (int p = nl.offsets[i]; p < nl.offsets[i + 1]; ++p) {
        const int j = nl.neighbors[p];
        if (!in_b[j]) continue;
        const double x = norm(nl.displacements[p]);
        if (x <= 0.0) continue;  // the atom itself
        const int k = static_cast<int>(x / dr);
        if (k < n_bins) counts[k] += 1.0;
      }
    norm_sum +=
        (static_cast<double>(a_atoms.size()) * b_atoms.size() - same) / std::fabs(det(s.cells[t]));
  }
  RdfResult r;
  for (int k = 0; k < n_bins; ++k) {
    const double r0 = k * dr, r1 = (k + 1) * dr;
    const double shell = 4.0 / 3.0 * M_PI * (r1 * r1 * r1 - r0 * r0 * r0);
    r.r.push_back(0.5 * (r0 + r1));
    r.g.push_back(norm_sum > 0 ? counts[k] / (norm_sum * shell) : 0.0);
  }
  return r;
}

}  // namespace superion::mechanism
