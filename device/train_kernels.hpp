// Functors of the device trainer (one index each; for_n launches). They call the step functions of
// training/mtp_train_kernels.hpp that the CPU backend runs per atom, and gather rows in the CPU's
// order, so the emulated device gives the CPU backend's design rows, Jacobian rows, predictions
// and per-configuration gradients bit for bit:
//   rows of atom a:   F_a = Σ over the pairs that involve a, in pair order, of +x (a is the centre)
//                     and −x (a is the neighbour): a merge of the atom's own pairs and its reverse
//                     list (both increasing), as the CPU's serial scatter
//   energy / virial:  sequential sums over the configuration's atoms / pairs (from 0.0)
//   gradient:         per (configuration, coefficient) a sequential sum over the pairs of the
//                     coefficient's species pair, in pair order
// Index conventions: atoms, pairs and rows of the loaded range ("range"); the work buffers of a
// chunk are indexed from the chunk's first atom / pair / row (a0, p0, r0) and configuration (k0).
#pragma once

#include "core/hd.hpp"
#include "mtp/mtp_kernels.hpp"
#include "mtp/mtp_site_kernels.hpp"
#include "mtp_train_kernels.hpp"

namespace superion::device::SUPERION_DEVICE_NS {

// The loaded range's arrays (raw device pointers).
struct TrainGeo {
  const int* type;         // per atom
  const int* cfg;          // per atom: configuration (range index)
  const long* atom_pairs;  // per atom + 1
  const long* rev_begin;   // per atom + 1
  const long* rev_pairs;
  const long* rev_sbegin;  // the reverse lists by centre species: atom a, species s at a·C + s
  const long* rev_spairs;
  const int* center;  // per pair
  const int* nbr;
  const int* ntype;
  const double* ru;    // 4 per pair
  const double* disp;  // 3 per pair
  const double* phi;   // 2R per pair
  // per configuration
  const long* atom_begin;
  const long* pair_begin;
  const long* row_begin;
  const int* row_e;
  const int* row_f;
  const int* row_s;
  const long* block_row0;
  const int* block_rows;
  const long* sp_begin;
  const long* sp_pairs;
  const long* cs_begin;  // pairs by centre species: configuration k, species s at k·C + s
  const long* cs_pairs;
  int C;
};

// Element (row r of configuration k, column c) of a matrix stored as column-major group blocks of
// width W, offset so that row `row0` (a group's first row) is at the start of `base`.
struct BlockMatrix {
  double* base;
  long row0;
  int width;
  SUPERION_HD double& at(const TrainGeo& g, long k, long r, int c) const {
    const long b = g.block_row0[k] - row0;
    const long in_block = g.row_begin[k] + r - g.block_row0[k];
    return base[b * width + static_cast<long>(c) * g.block_rows[k] + in_block];
  }
};

struct PhiPass {
  const double* ru;
  double* phi;
  double rmin, rmax;
  int R;
  SUPERION_HD void operator()(long p) const {
    mtp_chebyshev(ru[4 * p], rmin, rmax, R, phi + 2 * R * p, phi + 2 * R * p + R);
  }
};

// Monomials of neighbour j of a site whose pairs' ru start at `ru`, computed when asked (the
// device keeps no per-site table): the `mono_of` of the site steps.
struct MonoOnDemand {
  const MtpView* v;
  const double* ru;
  SUPERION_HD MtpMonoPowers operator()(int j) const {
    MtpMonoPowers m;
    mtp_mono_powers(*v, ru + 4 * j, m);
    return m;
  }
};

// Radial functions of pair p of the range (f: values, then derivatives from f + K) and its
// monomials: what the pair and lane steps need of one pair.
SUPERION_HD inline void train_pair_radial_mono(const MtpView& v, const TrainGeo& g, long p,
                                               double* f, MtpMonoPowers& mono) {
  mtp_train_radial(v, g.type[g.center[p]], g.ntype[p], g.phi + 2 * v.radial_basis_size * p, f,
                   f + v.radial_funcs_count);
  mtp_mono_powers(v, g.ru + 4 * p, mono);
}

// ---- design rows ----

// Moments of atom a0 + first + t, slot-major over the chunk's atoms (stride na).
struct DesignSite {
  MtpView v;
  TrainGeo g;
  double* moments;
  long a0, first, na;
  SUPERION_HD void operator()(long t) const {
    const long a = a0 + first + t;
    const long b = g.atom_pairs[a];
    const int n = static_cast<int>(g.atom_pairs[a + 1] - b);
    mtp_train_moments_powers(v, g.type[a], n, g.ntype + b, g.ru + 4 * b,
                             g.phi + 2 * v.radial_basis_size * b,
                             MtpStrided{moments + (a - a0), na});
  }
};

// Tangents of the 3 lanes of pair p0 + first + t; D[((p − p0)·3 + d)·A + α] = ∂B_α/∂(r_p)_d.
struct DesignLanes {
  MtpView v;
  TrainGeo g;
  const double* moments;  // the chunk's (stride na)
  double* scratch;        // n_moments slots × 3·count lanes
  double* D;
  long a0, p0, first, na, count;
  SUPERION_HD void operator()(long t) const {
    const long p = p0 + first + t;
    const int i = g.center[p];
    const long stride = 3 * count;
    double* T = scratch + 3 * t;
    double f[2 * kMtpMaxRadialFuncs];
    MtpMonoPowers mono;
    train_pair_radial_mono(v, g, p, f, mono);
    mtp_train_basic_tangents(v, g.ru + 4 * p, f, mono,
                             [T, stride](int k) { return T + static_cast<long>(k) * stride; });
    for (int s = v.n_basic; s < v.n_moments; ++s)
      for (int d = 0; d < 3; ++d) T[static_cast<long>(s) * stride + d] = 0.0;
    mtp_train_tangent_sweep(v, MtpStrided{const_cast<double*>(moments) + (i - a0), na}, T, stride,
                            3);
    double* out = D + (p - p0) * 3 * v.n_scalar;
    for (int d = 0; d < 3; ++d)
      for (int a = 0; a < v.n_scalar; ++a)
        out[d * v.n_scalar + a] = T[static_cast<long>(v.mapping[a]) * stride + d];
  }
};

// Sources of the row gathers: per-pair values x(p, d, c), per-atom values y(a, c), the centre
// species whose pairs and atoms contribute to column c (−1: all; the Jacobian's columns belong to
// one species), whether an atom contributes, and whether column c holds species counts (energy
// row) and zeros (force and virial rows).
// Design rows: columns [species (C)] [α (A)]; x = D, y = the scalar basis functions B_α(a).
struct DesignSource {
  const double* D;
  const double* moments;  // chunk atoms, stride na
  const int* mapping;
  long a0, p0, na;
  int C, A;
  SUPERION_HD bool species_column(int c) const { return c < C; }
  SUPERION_HD int centre_species(int) const { return -1; }  // no filter
  SUPERION_HD bool atom_in(long, int) const { return true; }
  SUPERION_HD double x(long p, int d, int c) const { return D[((p - p0) * 3 + d) * A + (c - C)]; }
  SUPERION_HD double y(long a, int c) const {
    return moments[static_cast<long>(mapping[c - C]) * na + (a - a0)];
  }
};

// Jacobian rows: column q = s·L + l (radial coefficient l of centre species s); x = dg, y = dV of
// the pairs / atoms whose centre has species s.
struct JacobianSource {
  const double* dg;  // ((p − p0)·3 + d)·L + l
  const double* dV;  // (a − a0)·L + l
  const int* type;
  const int* center;
  long a0, p0;
  int L;
  SUPERION_HD bool species_column(int) const { return false; }
  SUPERION_HD int centre_species(int c) const { return c / L; }
  SUPERION_HD bool atom_in(long a, int c) const { return type[a] == c / L; }
  SUPERION_HD double x(long p, int d, int c) const { return dg[((p - p0) * 3 + d) * L + c % L]; }
  SUPERION_HD double y(long a, int c) const { return dV[(a - a0) * L + c % L]; }
};

// Predictions (one column): x = g_p = ∂V_i/∂r_p, y = V_i.
struct PredictionSource {
  const double* g;  // 3 per pair (chunk)
  const double* e;  // per atom (chunk)
  long a0, p0;
  SUPERION_HD bool species_column(int) const { return false; }
  SUPERION_HD int centre_species(int) const { return -1; }
  SUPERION_HD bool atom_in(long, int) const { return true; }
  SUPERION_HD double x(long p, int d, int) const { return g[3 * (p - p0) + d]; }
  SUPERION_HD double y(long a, int) const { return e[a - a0]; }
};

// Energy row of configuration k0 + t / W, column t % W: Σ_atoms y (species columns: atom counts),
// as the CPU's J(E, ·) += per atom.
template <class Src>
struct EnergyRowGather {
  TrainGeo g;
  Src src;
  BlockMatrix out;
  long k0;
  int W;
  SUPERION_HD void operator()(long t) const {
    const long k = k0 + t / W;
    const int c = static_cast<int>(t % W);
    if (g.row_e[k] < 0) return;
    double s = 0.0;
    if (src.species_column(c)) {
      for (long a = g.atom_begin[k]; a < g.atom_begin[k + 1]; ++a)
        if (g.type[a] == c) s += 1.0;
    } else {
      for (long a = g.atom_begin[k]; a < g.atom_begin[k + 1]; ++a)
        if (src.atom_in(a, c)) s += src.y(a, c);
    }
    out.at(g, k, g.row_e[k], c) = s;
  }
};

// Force row (atom a0 + t / (3W), direction, column): the pairs involving the atom in pair order,
// +x where it is the centre and −x where it is the neighbour (a self-image pair: both, + first).
template <class Src>
struct ForceRowGather {
  TrainGeo g;
  Src src;
  BlockMatrix out;
  long a0;
  int W;
  SUPERION_HD void operator()(long t) const {
    const long a = a0 + t / (3 * W);
    const int rem = static_cast<int>(t % (3 * W)), d = rem / W, c = rem % W;
    const long k = g.cfg[a];
    if (g.row_f[k] < 0) return;
    double s = 0.0;
    if (!src.species_column(c)) {
      // Pairs of the column's centre species only (all pairs when cs < 0): the atom's own pairs
      // when it has that species, and the reverse list of that species.
      const int cs = src.centre_species(c);
      long i = g.atom_pairs[a], j, je;
      const long ie = cs < 0 || g.type[a] == cs ? g.atom_pairs[a + 1] : i;
      const long* rev;
      if (cs < 0) {
        rev = g.rev_pairs;
        j = g.rev_begin[a];
        je = g.rev_begin[a + 1];
      } else {
        rev = g.rev_spairs;
        j = g.rev_sbegin[a * g.C + cs];
        je = g.rev_sbegin[a * g.C + cs + 1];
      }
      while (i < ie || j < je) {
        const long po = i < ie ? i : -1, pr = j < je ? rev[j] : -1;
        if (po >= 0 && (pr < 0 || po <= pr)) {
          s += src.x(po, d, c);
          if (pr == po) {  // a self-image pair: + as centre, then − as neighbour
            s -= src.x(po, d, c);
            ++j;
          }
          ++i;
        } else {
          s -= src.x(pr, d, c);
          ++j;
        }
      }
    }
    out.at(g, k, g.row_f[k] + 3 * (a - g.atom_begin[k]) + d, c) = s;
  }
};

// Virial row (configuration k0 + t / (9W), component de, column): −Σ_pairs x_d r_e in pair order.
template <class Src>
struct VirialRowGather {
  TrainGeo g;
  Src src;
  BlockMatrix out;
  long k0;
  int W;
  SUPERION_HD void operator()(long t) const {
    const long k = k0 + t / (9 * W);
    const int rem = static_cast<int>(t % (9 * W)), de = rem / W, c = rem % W;
    if (g.row_s[k] < 0) return;
    const int d = de / 3, e = de % 3;
    double s = 0.0;
    const int cs = src.centre_species(c);
    if (!src.species_column(c) && cs < 0) {
      for (long p = g.pair_begin[k]; p < g.pair_begin[k + 1]; ++p)
        s -= src.x(p, d, c) * g.disp[3 * p + e];
    } else if (!src.species_column(c)) {  // the pairs of centre species cs, in pair order
      for (long q = g.cs_begin[k * g.C + cs]; q < g.cs_begin[k * g.C + cs + 1]; ++q) {
        const long p = g.cs_pairs[q];
        s -= src.x(p, d, c) * g.disp[3 * p + e];
      }
    }
    out.at(g, k, g.row_s[k] + de, c) = s;
  }
};

// ---- loss and gradient ----

// Prediction of row r0 + t from the stored design rows (the CPU's cached prediction).
struct PredictRows {
  TrainGeo g;
  const int* row_cfg;
  const double* design;  // range blocks, width P
  const double* xi;
  double* pred;  // chunk rows
  long r0;
  int P;
  SUPERION_HD void operator()(long t) const {
    const long r = r0 + t;
    const long k = row_cfg[r];
    const long rows = g.block_rows[k];
    const double* A = design + g.block_row0[k] * P + (r - g.block_row0[k]);
    pred[t] = mtp_train_predict_row(A, rows, xi, P);
  }
};

// Per-configuration loss terms and residual weights (the CPU's per-configuration block):
// stats[8·k'] = loss, Σ(ΔE/N)², Σ|ΔE|/N, Σ|ΔF|², Σ|ΔF|, Σ‖ΔW‖²; ae[k'] = 2w_E ΔE; af (3 per atom)
// = 2w_F ΔF; S (9 per configuration) = 2w_S ΔW.
struct ConfigResiduals {
  TrainGeo g;
  const int* n_atoms;
  const double *w_energy, *w_force, *w_stress, *y, *pred;  // y: range rows; pred: chunk rows
  double *stats, *ae, *af, *S;
  long k0, a0, r0;
  SUPERION_HD void operator()(long t) const {
    const long k = k0 + t;
    const int N = n_atoms[k];
    const long rb = g.row_begin[k];
    double* st = stats + 8 * t;
    for (int x = 0; x < 8; ++x) st[x] = 0.0;
    double* a = af + 3 * (g.atom_begin[k] - a0);
    for (int x = 0; x < 3 * N; ++x) a[x] = 0.0;
    double* Sk = S + 9 * t;
    for (int x = 0; x < 9; ++x) Sk[x] = 0.0;
    ae[t] = 0.0;
    if (g.row_e[k] >= 0) {
      const long r = rb + g.row_e[k];
      const double de = pred[r - r0] - y[r];
      st[0] += w_energy[k] * de * de;
      st[1] = (de / N) * (de / N);
      st[2] = fabs(de) / N;
      ae[t] = 2.0 * w_energy[k] * de;
    }
    if (g.row_f[k] >= 0) {
      const long r = rb + g.row_f[k];
      for (int x = 0; x < 3 * N; ++x) {
        const double df = pred[r + x - r0] - y[r + x];
        st[3] += df * df;
        st[4] += fabs(df);
        a[x] = 2.0 * w_force[k] * df;
      }
      st[0] += w_force[k] * st[3];
    }
    if (g.row_s[k] >= 0) {
      const long r = rb + g.row_s[k];
      for (int x = 0; x < 9; ++x) {
        const double dw = pred[r + x - r0] - y[r + x];
        st[5] += dw * dw;
        Sk[x] = 2.0 * w_stress[k] * dw;
      }
      st[0] += w_stress[k] * st[5];
    }
  }
};

// δ_p = a_j − a_i + S r_p (force and virial residual weights seen by pair p).
struct PairDelta {
  TrainGeo g;
  const double *af, *S;
  double* delta;
  long a0, p0, k0;
  SUPERION_HD void operator()(long t) const {
    const long p = p0 + t;
    const long i = g.center[p] - a0, j = g.nbr[p] - a0;
    const double* Sk = S + 9 * (g.cfg[g.center[p]] - k0);
    const double* r = g.disp + 3 * p;
    for (int d = 0; d < 3; ++d)
      delta[3 * t + d] = af[3 * j + d] - af[3 * i + d] + Sk[3 * d] * r[0] + Sk[3 * d + 1] * r[1] +
                         Sk[3 * d + 2] * r[2];
  }
};

// Site step of the gradient for atom a0 + first + t (scratch: moments, dot, adj, dadj slot-major
// with stride `count`); keeps ha (A per atom) and the basic adjoints (slot-major over the chunk).
struct GradientSite {
  MtpView v;
  TrainGeo g;
  const double *delta, *ae;
  double *scratch, *ha, *adjb, *dadjb;
  long a0, p0, k0, first, count, na;
  SUPERION_HD void operator()(long t) const {
    const long a = a0 + first + t;
    const long b = g.atom_pairs[a];
    const int n = static_cast<int>(g.atom_pairs[a + 1] - b);
    const long S = static_cast<long>(v.n_moments) * count;
    const MtpStrided moments{scratch + t, count}, dot{scratch + S + t, count},
        adj{scratch + 2 * S + t, count}, dadj{scratch + 3 * S + t, count};
    const double* ru = g.ru + 4 * b;
    const MonoOnDemand mono_of{&v, ru};
    double* h = ha + (a - a0) * v.n_scalar;
    double f[2 * kMtpMaxRadialFuncs];
    mtp_train_gradient_site(v, g.type[a], n, g.ntype + b, ru, g.phi + 2 * v.radial_basis_size * b,
                            delta + 3 * (b - p0), ae[g.cfg[a] - k0], moments, dot, adj, dadj, f,
                            mono_of, [h](int x, double value) { h[x] = value; });
    for (int k = 0; k < v.n_basic; ++k) {
      adjb[static_cast<long>(k) * na + (a - a0)] = adj[k];
      dadjb[static_cast<long>(k) * na + (a - a0)] = dadj[k];
    }
  }
};

// Pair step of the gradient: acc (2K per pair).
struct GradientPair {
  MtpView v;
  TrainGeo g;
  const double *delta, *adjb, *dadjb;
  double* acc;
  long a0, p0, na;
  SUPERION_HD void operator()(long t) const {
    const long p = p0 + t;
    const long i = g.center[p] - a0;
    MtpMonoPowers mono;
    mtp_mono_powers(v, g.ru + 4 * p, mono);
    mtp_train_gradient_pair(
        v, g.ru + 4 * p, delta + 3 * t, MtpStrided{const_cast<double*>(adjb) + i, na},
        MtpStrided{const_cast<double*>(dadjb) + i, na}, mono, acc + 2L * v.radial_funcs_count * t);
  }
};

// Gradient of configuration k0 + t / W, coefficient t % W (W = n_radial + C + A): radial ones by a
// sequential sum over the pairs of the coefficient's species pair, species ones Σ a_E over the
// atoms of that species, moment ones Σ ha over the atoms.
struct GradientReduce {
  MtpView v;
  TrainGeo g;
  const double *acc, *ae, *ha;
  double* out;
  long k0, a0, p0;
  int n_radial, W;
  SUPERION_HD void operator()(long t) const {
    const long k = k0 + t / W;
    const int x = static_cast<int>(t % W);
    const int C = v.species_count, K = v.radial_funcs_count, R = v.radial_basis_size;
    double s = 0.0;
    if (x < n_radial) {
      const int b = x % R, mu = (x / R) % K, pair = x / (K * R);
      const long seg = k * C * C + pair;
      for (long q = g.sp_begin[seg]; q < g.sp_begin[seg + 1]; ++q) {
        const long p = g.sp_pairs[q];
        s += mtp_train_gradient_term(v, acc + 2L * K * (p - p0), g.phi + 2L * R * p, mu, b);
      }
    } else if (x < n_radial + C) {
      const double e = ae[k - k0];
      for (long a = g.atom_begin[k]; a < g.atom_begin[k + 1]; ++a)
        if (g.type[a] == x - n_radial) s += e;
    } else {
      const int al = x - n_radial - C;
      for (long a = g.atom_begin[k]; a < g.atom_begin[k + 1]; ++a)
        s += ha[(a - a0) * v.n_scalar + al];
    }
    out[t] = s;
  }
};

// Running sums over configurations in order (the CPU's `total += per-configuration`).
struct AccumulateColumns {
  const double* in;  // n rows of width W
  double* total;     // W
  long n;
  int W;
  SUPERION_HD void operator()(long x) const {
    double s = total[x];
    for (long k = 0; k < n; ++k) s += in[k * W + x];
    total[x] = s;
  }
};

// ---- Gauss–Newton ----

// Site step of the Jacobian for atom a0 + first + t: moments and adjoints (chunk arrays, slot-major
// with stride na) and V_i.
struct JacobianSite {
  MtpView v;
  TrainGeo g;
  double *moments, *adj, *e;
  long a0, first, na;
  SUPERION_HD void operator()(long t) const {
    const long a = a0 + first + t;
    const long b = g.atom_pairs[a];
    const int n = static_cast<int>(g.atom_pairs[a + 1] - b);
    const double* ru = g.ru + 4 * b;
    const MonoOnDemand mono_of{&v, ru};
    double f[2 * kMtpMaxRadialFuncs];
    e[a - a0] = mtp_train_jacobian_site(
        v, g.type[a], n, g.ntype + b, g.phi + 2 * v.radial_basis_size * b,
        MtpStrided{moments + (a - a0), na}, MtpStrided{adj + (a - a0), na}, f, mono_of);
  }
};

// Pair step: g_p = ∂V_i/∂r_p.
struct JacobianPair {
  MtpView v;
  TrainGeo g;
  const double* adj;
  double* gp;
  long a0, p0, na;
  SUPERION_HD void operator()(long t) const {
    const long p = p0 + t;
    const int i = g.center[p];
    double f[2 * kMtpMaxRadialFuncs];
    MtpMonoPowers mono;
    train_pair_radial_mono(v, g, p, f, mono);
    mtp_train_jacobian_pair(v, g.ru + 4 * p, f, MtpStrided{const_cast<double*>(adj) + (i - a0), na},
                            mono, gp + 3 * t);
  }
};

// Lane step for (atom, lane block) item first + t of the chunk: the R lanes of (species s, μ) of
// the atom's radial coefficients; dV (L per atom) and dg (((p − p0)·3 + d)·L + l). A block whose
// species has no neighbour of the atom is exactly zero (as the CPU's sums of zeros).
struct JacobianLanes {
  MtpView v;
  TrainGeo g;
  const double *moments, *adj;  // chunk, stride na
  double* scratch;              // Tm then Ta: n_moments slots × R·count lanes each
  double *dV, *dg;
  long a0, p0, first, count, na;
  int L;
  SUPERION_HD void operator()(long t) const {
    const int K = v.radial_funcs_count, R = v.radial_basis_size, blocks = v.species_count * K;
    const long item = first + t;
    const long a = a0 + item / blocks;
    const int blk = static_cast<int>(item % blocks), sp = blk / K;
    const long l0 = static_cast<long>(blk) * R;
    const long b = g.atom_pairs[a], e = g.atom_pairs[a + 1];
    const int n = static_cast<int>(e - b);
    double* dv = dV + (a - a0) * L + l0;
    bool any = false;
    for (long p = b; p < e && !any; ++p) any = g.ntype[p] == sp;
    if (!any) {
      for (int x = 0; x < R; ++x) dv[x] = 0.0;
      for (long p = b; p < e; ++p)
        for (int d = 0; d < 3; ++d)
          for (int x = 0; x < R; ++x) dg[((p - p0) * 3 + d) * L + l0 + x] = 0.0;
      return;
    }
    const long stride = static_cast<long>(R) * count;
    double* Tm = scratch + R * t;
    double* Ta = scratch + static_cast<long>(v.n_moments) * stride + R * t;
    const MtpStrided M{const_cast<double*>(moments) + (a - a0), na};
    const MtpStrided A{const_cast<double*>(adj) + (a - a0), na};
    const double* ru = g.ru + 4 * b;
    const MonoOnDemand mono_of{&v, ru};
    const double* phi = g.phi + 2L * R * b;
    mtp_train_jacobian_forward(v, n, g.ntype + b, phi, M, l0, R, Tm, stride, dv, mono_of);
    mtp_train_jacobian_reverse(v, M, A, Tm, Ta, stride, R);
    double f[2 * kMtpMaxRadialFuncs], acc[3 * kMtpMaxRadialBasis];
    const int ti = g.type[a];
    for (int j = 0; j < n; ++j) {
      const long p = b + j;
      mtp_train_radial(v, ti, g.ntype[p], phi + 2 * R * j, f, f + K);
      const MtpMonoPowers mono = mono_of(j);
      mtp_train_jacobian_neighbor(v, g.ntype[p], ru + 4 * j, phi + 2 * R * j, f, A, mono, Ta,
                                  stride, l0, R, acc);
      for (int d = 0; d < 3; ++d)
        for (int x = 0; x < R; ++x) dg[((p - p0) * 3 + d) * L + l0 + x] = acc[d * R + x];
    }
  }
};

// Weighted residuals of chunk rows: w (pred − y).
struct WeightedResidual {
  const double *w, *y, *pred;
  double* out;
  long r0;
  SUPERION_HD void operator()(long t) const { out[t] = w[r0 + t] * (pred[t] - y[r0 + t]); }
};

// Copy of a group block (rows × W, column-major) with every row scaled by its weight (and of the
// targets when y is given).
struct WeightBlock {
  const double *in, *w, *y;
  double *out, *yw;
  long rows, row0;
  SUPERION_HD void operator()(long t) const {
    const long r = t % rows;
    out[t] = w[row0 + r] * in[t];
    if (y && t < rows) yw[t] = w[row0 + t] * y[row0 + t];
  }
};

}  // namespace superion::device::SUPERION_DEVICE_NS
