// DeviceNeighborList: image points, bins by sort, per-atom search, (j, image) order, reverse index.
#include "neighbor_list.hpp"

#include <thrust/binary_search.h>
#include <thrust/fill.h>
#include <thrust/iterator/counting_iterator.h>
#include <thrust/scan.h>
#include <thrust/sequence.h>
#include <thrust/sort.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "core/error.hpp"
#include "core/geometry.hpp"
#include "integrator_kernels.hpp"
#include "launch.hpp"
#include "status.hpp"

namespace superion::device::SUPERION_DEVICE_NS {
namespace {

// Fractional bins of one system: nb[k] bins over [-pad_k, 1 + pad_k), each at least `cutoff` wide
// across the face pair k; image points within pad_k (= cutoff / face distance) of the cell.
struct Grid {
  int reach[3];
  double pad[3];
  int nb[3];
  int bin0;
};

SUPERION_HD inline int bin_coord(double g, double pad, int nb) {
  int b = static_cast<int>(floor((g + pad) * nb / (1.0 + 2.0 * pad)));
  return b < 0 ? 0 : (b >= nb ? nb - 1 : b);
}

SUPERION_HD inline bool inside(const Vec3& g, const Grid& G) {
  for (int k = 0; k < 3; ++k)
    if (g[k] < -G.pad[k] || g[k] >= 1.0 + G.pad[k]) return false;
  return true;
}

// Wrapped fractional position, wrap shift and the number of image points of each atom.
struct WrapAtoms {
  const Vec3* x;
  const int* sys;
  const Mat3* inv;
  const Grid* grid;
  Vec3* wfrac;
  int* wshift;
  int* count;
  int* status;
  SUPERION_HD void operator()(long g) const {
    const Vec3 f = to_fractional(x[g], inv[sys[g]]);
    count[g] = 0;
    if (!is_finite(f.x) || !is_finite(f.y) || !is_finite(f.z)) {
      status_min(status, kPositionNotFinite, static_cast<int>(g));
      return;
    }
    Vec3 w = f;
    for (int k = 0; k < 3; ++k) {
      w[k] = f[k] - floor(f[k]);
      if (w[k] >= 1.0) w[k] = 0.0;
      wshift[3 * g + k] = static_cast<int>(lround(f[k] - w[k]));
    }
    wfrac[g] = w;
    const Grid& G = grid[sys[g]];
    int n = 0;
    for (int a = -G.reach[0]; a <= G.reach[0]; ++a)
      for (int b = -G.reach[1]; b <= G.reach[1]; ++b)
        for (int c = -G.reach[2]; c <= G.reach[2]; ++c)
          if (inside(Vec3{w.x + a, w.y + b, w.z + c}, G)) ++n;
    count[g] = n;
  }
};

struct FillPoints {
  const int* sys;
  const Mat3* cell;
  const Grid* grid;
  const Vec3* wfrac;
  const int* wshift;
  const int* offset;
  Vec3* pt_r;
  int* pt_atom;
  int* pt_n;
  int* pt_bin;
  SUPERION_HD void operator()(long g) const {
    const Grid& G = grid[sys[g]];
    const Vec3 w = wfrac[g];
    int q = offset[g];
    for (int a = -G.reach[0]; a <= G.reach[0]; ++a)
      for (int b = -G.reach[1]; b <= G.reach[1]; ++b)
        for (int c = -G.reach[2]; c <= G.reach[2]; ++c) {
          const Vec3 p{w.x + a, w.y + b, w.z + c};
          if (!inside(p, G)) continue;
          pt_r[q] = to_cartesian(p, cell[sys[g]]);
          pt_atom[q] = static_cast<int>(g);
          pt_n[3 * q] = a - wshift[3 * g];
          pt_n[3 * q + 1] = b - wshift[3 * g + 1];
          pt_n[3 * q + 2] = c - wshift[3 * g + 2];
          pt_bin[q] =
              G.bin0 +
              (bin_coord(p.x, G.pad[0], G.nb[0]) * G.nb[1] + bin_coord(p.y, G.pad[1], G.nb[1])) *
                  G.nb[2] +
              bin_coord(p.z, G.pad[2], G.nb[2]);
          ++q;
        }
  }
};

// Image key: three 21-bit biased fields, ordered like the (n0, n1, n2) tuple.
SUPERION_HD inline std::uint64_t image_key(int n0, int n1, int n2) {
  const std::uint64_t bias = 1u << 20;
  return ((static_cast<std::uint64_t>(n0 + bias) & 0x1FFFFF) << 42) |
         ((static_cast<std::uint64_t>(n1 + bias) & 0x1FFFFF) << 21) |
         (static_cast<std::uint64_t>(n2 + bias) & 0x1FFFFF);
}

// Per-atom search over the 27 bins around the atom: counts (fill == false) or writes the pairs.
struct SearchPairs {
  const Vec3* x;
  const int* sys;
  const Mat3* cell;
  const Grid* grid;
  const Vec3* wfrac;
  const int* wshift;
  const int* bin_start;
  const int* pt_order;
  const Vec3* pt_r;
  const int* pt_atom;
  const int* pt_n;
  double cut2;
  bool fill;
  int* count;
  const int* offset;
  std::uint64_t* key_atom_j;
  std::uint64_t* key_image;
  int* img_out;
  SUPERION_HD void operator()(long i) const {
    const int s = sys[i];
    const Grid& G = grid[s];
    const Mat3& C = cell[s];
    const Vec3 w = wfrac[i];
    const Vec3 ri = to_cartesian(w, C);
    const int bi[3] = {bin_coord(w.x, G.pad[0], G.nb[0]), bin_coord(w.y, G.pad[1], G.nb[1]),
                       bin_coord(w.z, G.pad[2], G.nb[2])};
    const double loose = cut2 * (1.0 + 1e-9) + 1e-12;
    int n = 0;
    long e = fill ? offset[i] : 0;
    for (int a = (bi[0] > 0 ? bi[0] - 1 : 0); a <= (bi[0] + 1 < G.nb[0] ? bi[0] + 1 : G.nb[0] - 1);
         ++a)
      for (int b = (bi[1] > 0 ? bi[1] - 1 : 0);
           b <= (bi[1] + 1 < G.nb[1] ? bi[1] + 1 : G.nb[1] - 1); ++b)
        for (int c = (bi[2] > 0 ? bi[2] - 1 : 0);
             c <= (bi[2] + 1 < G.nb[2] ? bi[2] + 1 : G.nb[2] - 1); ++c) {
          const int bin = G.bin0 + (a * G.nb[1] + b) * G.nb[2] + c;
          for (int q = bin_start[bin]; q < bin_start[bin + 1]; ++q) {
            const int p = pt_order[q];
            if (norm2(pt_r[p] - ri) >= loose) continue;
            const int j = pt_atom[p];
            const int n0 = pt_n[3 * p] + wshift[3 * i], n1 = pt_n[3 * p + 1] + wshift[3 * i + 1],
                      n2 = pt_n[3 * p + 2] + wshift[3 * i + 2];
            if (j == i && n0 == 0 && n1 == 0 && n2 == 0) continue;
            const Vec3 d = image_displacement(x[i], x[j], n0, n1, n2, C);
            if (norm2(d) >= cut2) continue;
            if (fill) {
              key_atom_j[e] = (static_cast<std::uint64_t>(i) << 32) | static_cast<std::uint32_t>(j);
              key_image[e] = image_key(n0, n1, n2);
              img_out[3 * e] = n0;
              img_out[3 * e + 1] = n1;
              img_out[3 * e + 2] = n2;
              ++e;
            }
            ++n;
          }
        }
    if (!fill) count[i] = n;
  }
};

struct GatherPairs {
  const int* perm;
  const std::uint64_t* key_sorted;
  const int* img_in;
  int* neighbors;
  int* pair_atom;
  int* images;
  SUPERION_HD void operator()(long e) const {
    const std::uint64_t k = key_sorted[e];
    neighbors[e] = static_cast<int>(k & 0xFFFFFFFFu);
    pair_atom[e] = static_cast<int>(k >> 32);
    const long p = perm[e];
    images[3 * e] = img_in[3 * p];
    images[3 * e + 1] = img_in[3 * p + 1];
    images[3 * e + 2] = img_in[3 * p + 2];
  }
};

struct GatherKeys {
  const int* perm;
  const std::uint64_t* in;
  std::uint64_t* out;
  SUPERION_HD void operator()(long e) const { out[e] = in[perm[e]]; }
};

struct SkinCheck {
  const Vec3* x;
  const Vec3* ref;
  double limit;
  int* status;
  SUPERION_HD void operator()(long g) const {
    if (superion::md::moved_beyond(x[g], ref[g], limit)) status_flag(status, kRebuild);
  }
};

template <class T>
T back_value(const dvec<T>& v) {
  return download(v, v.size() - 1, 1)[0];
}

}  // namespace

void DeviceNeighborList::check_skin(const dvec<Vec3>& x, double limit, int* status) const {
  for_n(static_cast<long>(x.size()), SkinCheck{raw(x), raw(reference), limit, status});
}

void DeviceNeighborList::build(const DeviceSystems& sys, const dvec<Vec3>& x, double rc,
                               int* status) {
  if (!(rc > 0)) throw Error("device neighbour list: cutoff must be positive");
  cutoff = rc;
  const long A = sys.atoms();
  // Grids per system (host: they depend only on the cells).
  std::vector<Grid> grids(static_cast<std::size_t>(sys.size()));
  int bins = 0;
  for (int s = 0; s < sys.size(); ++s) {
    const Vec3 width = cell_face_distances(sys.cell_host[s]);
    Grid& G = grids[static_cast<std::size_t>(s)];
    for (int k = 0; k < 3; ++k) {
      G.pad[k] = rc / width[k];
      G.reach[k] = static_cast<int>(std::ceil(G.pad[k])) + 1;
      G.nb[k] =
          std::max(1, std::min(512, static_cast<int>(width[k] * (1.0 + 2.0 * G.pad[k]) / rc)));
    }
    G.bin0 = bins;
    bins += G.nb[0] * G.nb[1] * G.nb[2];
  }
  dvec<Grid> grid;
  upload(grid, grids);

  // 1. Wrapped positions and image points.
  dvec<Vec3> wfrac(static_cast<std::size_t>(A));
  dvec<int> wshift(static_cast<std::size_t>(3 * A)), count(static_cast<std::size_t>(A + 1), 0),
      pt_offset(static_cast<std::size_t>(A + 1));
  for_n(A, WrapAtoms{raw(x), raw(sys.atom_sys), raw(sys.inv_cell), raw(grid), raw(wfrac),
                     raw(wshift), raw(count), status});
  thrust::exclusive_scan(exec(), count.begin(), count.end(), pt_offset.begin());
  const long P = back_value(pt_offset);
  dvec<Vec3> pt_r(static_cast<std::size_t>(P));
  dvec<int> pt_atom(static_cast<std::size_t>(P)), pt_n(static_cast<std::size_t>(3 * P)),
      pt_bin(static_cast<std::size_t>(P)), pt_order(static_cast<std::size_t>(P)),
      bin_start(static_cast<std::size_t>(bins) + 1);
  for_n(A, FillPoints{raw(sys.atom_sys), raw(sys.cell), raw(grid), raw(wfrac), raw(wshift),
                      raw(pt_offset), raw(pt_r), raw(pt_atom), raw(pt_n), raw(pt_bin)});

  // 2. Points by bin.
  thrust::sequence(exec(), pt_order.begin(), pt_order.end());
  thrust::stable_sort_by_key(exec(), pt_bin.begin(), pt_bin.end(), pt_order.begin());
  thrust::lower_bound(exec(), pt_bin.begin(), pt_bin.end(), thrust::counting_iterator<int>(0),
                      thrust::counting_iterator<int>(bins + 1), bin_start.begin());

  // 3. Count, scan, fill.
  const double cut2 = rc * rc;
  SearchPairs search{
      raw(x),         raw(sys.atom_sys), raw(sys.cell), raw(grid),    raw(wfrac), raw(wshift),
      raw(bin_start), raw(pt_order),     raw(pt_r),     raw(pt_atom), raw(pt_n),  cut2,
      false,          raw(count),        nullptr,       nullptr,      nullptr,    nullptr};
  thrust::fill(exec(), count.begin(), count.end(), 0);
  for_n_balanced(A, search);
  offsets.resize(static_cast<std::size_t>(A + 1));
  thrust::exclusive_scan(exec(), count.begin(), count.end(), offsets.begin());
  pairs = back_value(offsets);
  const auto np = static_cast<std::size_t>(pairs);
  dvec<std::uint64_t> key_aj(np), key_img(np), key_tmp(np);
  dvec<int> img_tmp(3 * np), perm(np);
  search.fill = true;
  search.offset = raw(offsets);
  search.key_atom_j = raw(key_aj);
  search.key_image = raw(key_img);
  search.img_out = raw(img_tmp);
  for_n_balanced(A, search);

  // 4. (atom, j, image) order: stable sort by image, then by (atom, j).
  thrust::sequence(exec(), perm.begin(), perm.end());
  thrust::stable_sort_by_key(exec(), key_img.begin(), key_img.end(), perm.begin());
  for_n(pairs, GatherKeys{raw(perm), raw(key_aj), raw(key_tmp)});
  thrust::stable_sort_by_key(exec(), key_tmp.begin(), key_tmp.end(), perm.begin());
  neighbors.resize(np);
  pair_atom.resize(np);
  images.resize(3 * np);
  for_n(pairs, GatherPairs{raw(perm), raw(key_tmp), raw(img_tmp), raw(neighbors), raw(pair_atom),
                           raw(images)});

  // 5. Reverse index: pairs grouped by neighbour, increasing pair index within a neighbour.
  dvec<int> rkey(neighbors);
  rev_pairs.resize(np);
  thrust::sequence(exec(), rev_pairs.begin(), rev_pairs.end());
  thrust::stable_sort_by_key(exec(), rkey.begin(), rkey.end(), rev_pairs.begin());
  rev_offsets.resize(static_cast<std::size_t>(A + 1));
  thrust::lower_bound(exec(), rkey.begin(), rkey.end(), thrust::counting_iterator<int>(0),
                      thrust::counting_iterator<int>(static_cast<int>(A) + 1), rev_offsets.begin());
  reference = x;
  ++builds;
}

}  // namespace superion::device::SUPERION_DEVICE_NS
