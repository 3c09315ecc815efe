// MTP basis generator: enumeration, exact dependency removal, contraction program (see header).
#include "mtp/basis_generator.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <functional>
#include <map>
#include <numeric>
#include <set>
#include <string>
#include <unordered_map>

#include "core/error.hpp"
#include "mtp/basis_modular_eval.hpp"

namespace superion::mtp {

namespace {

constexpr int kMaxMu = 5;
constexpr int kMaxNu = 10;
constexpr int kMaxFactors = 4;

struct Label {
  int mu, nu;
  int level() const { return 2 + 4 * mu + nu; }
  bool operator<(const Label& o) const { return mu != o.mu ? mu < o.mu : nu < o.nu; }
  bool operator==(const Label& o) const { return mu == o.mu && nu == o.nu; }
};

struct Candidate {
  int k = 0;
  Label lab[kMaxFactors]{};
  int m[kMaxFactors][kMaxFactors]{};
  int level = 0;
};

// Exponent vectors (a, b, c), a + b + c = n, in MLIP's order: a descending, then b descending.
struct Exponents {
  std::vector<std::vector<std::array<int, 3>>> list;
  std::vector<std::int64_t> fact;
  Exponents() {
    list.resize(kMaxNu + 1);
    for (int n = 0; n <= kMaxNu; ++n)
      for (int a = n; a >= 0; --a)
        for (int b = n - a; b >= 0; --b) list[n].push_back({a, b, n - a - b});
    fact.resize(kMaxNu + 1, 1);
    for (int i = 1; i <= kMaxNu; ++i) fact[i] = fact[i - 1] * i;
  }
  static int index(int a, int b, int c) {
    const int n = a + b + c, A = n - a;
    return A * (A + 1) / 2 + (n - a - b);
  }
  std::int64_t multinom(const std::array<int, 3>& e) const {
    return fact[e[0] + e[1] + e[2]] / (fact[e[0]] * fact[e[1]] * fact[e[2]]);
  }
  std::size_t count(int n) const { return list[static_cast<std::size_t>(n)].size(); }
};

struct Term {
  int p, q;
  std::int64_t m;
};

// The contraction program under construction: provisional basic slots for every label with
// level ≤ L, then intermediates in creation (= topological) order.
class Program {
 public:
  Program(int L, const Exponents& ex) : ex_(ex) {
    for (int mu = 0; mu <= kMaxMu; ++mu)
      for (int nu = 0; nu <= kMaxNu; ++nu) {
        if (2 + 4 * mu + nu > L) continue;
        base_[{mu, nu}] = static_cast<int>(basic_.size());
        for (const auto& e : ex_.list[nu]) basic_.push_back({mu, e[0], e[1], e[2]});
      }
  }
  int basic_slot(const Label& l, const std::array<int, 3>& e) const {
    return base_.at(l) + Exponents::index(e[0], e[1], e[2]);
  }
  int nbasic() const { return static_cast<int>(basic_.size()); }
  int nslots() const { return nbasic() + static_cast<int>(terms_.size()); }
  const std::vector<std::array<int, 4>>& basic() const { return basic_; }
  const std::vector<Term>& terms(int slot) const {
    return terms_[static_cast<std::size_t>(slot - nbasic())];
  }

  // Allocates `n` new slots, returns the first.
  int allocate(std::size_t n) {
    const int first = nslots();
    terms_.resize(terms_.size() + n);
    merge_.resize(terms_.size());
    return first;
  }
  void add_term(int t, int p, int q, std::int64_t m) {
    if (p > q) std::swap(p, q);
    auto& mp = merge_[static_cast<std::size_t>(t - nbasic())];
    const std::uint64_t key = (static_cast<std::uint64_t>(p) << 32) | static_cast<std::uint32_t>(q);
    auto it = mp.find(key);
    auto& v = terms_[static_cast<std::size_t>(t - nbasic())];
    if (it == mp.end()) {
      mp.emplace(key, v.size());
      v.push_back({p, q, m});
    } else {
      v[it->second].m += m;
    }
  }
  void finish_merging() {
    merge_.clear();
    merge_.shrink_to_fit();
  }

  // Memo of shared products of scalars: ordered factor slots → slot.
  std::map<std::vector<int>, int> product_memo;

 private:
  const Exponents& ex_;
  std::map<Label, int> base_;
  std::vector<std::array<int, 4>> basic_;
  std::vector<std::vector<Term>> terms_;
  std::vector<std::unordered_map<std::uint64_t, std::size_t>> merge_;
};

// Mixed-radix iteration over tuples of exponent vectors with the given sizes.
struct TupleIter {
  const Exponents& ex;
  std::vector<int> sizes;
  std::vector<std::size_t> idx;
  TupleIter(const Exponents& e, std::vector<int> s)
      : ex(e), sizes(std::move(s)), idx(sizes.size(), 0) {}
  const std::array<int, 3>& at(std::size_t d) const {
    return ex.list[static_cast<std::size_t>(sizes[d])][idx[d]];
  }
  bool next() {
    for (std::size_t d = sizes.size(); d-- > 0;) {
      if (++idx[d] < ex.count(sizes[d])) return true;
      idx[d] = 0;
    }
    return false;
  }
};

std::array<int, 3> plus(std::array<int, 3> a, const std::array<int, 3>& b) {
  for (int i = 0; i < 3; ++i) a[i] += b[i];
  return a;
}

// Contraction of one connected graph in MLIP's representation (docs/mtp.md, "Contraction
// program"): a left-deep product ((A ⊗ B) ⊗ C) ⊗ D whose intermediates keep their free
// indices grouped by origin node (each group as symmetric monomials, mixed-radix layout); the
// first pair A ⊗ A of two equal labels is stored as unordered component pairs.
class OriginBuilder {
 public:
  OriginBuilder(Program& prog, const Exponents& ex) : prog_(prog), ex_(ex) {}

  struct Tensor {
    int base = 0;
    bool sym = false;        // two groups, stored as unordered pairs of components
    std::vector<int> nodes;  // origin node of each group
    std::vector<int> sizes;  // free indices per group
  };

  int slot(const Tensor& t, const std::vector<std::array<int, 3>>& e) const {
    int off = 0;
    std::size_t g0 = 0;
    if (t.sym) {  // groups 0 and 1 form one unordered pair
      int i = Exponents::index(e[0][0], e[0][1], e[0][2]);
      int j = Exponents::index(e[1][0], e[1][1], e[1][2]);
      if (i > j) std::swap(i, j);
      const int n = static_cast<int>(ex_.count(t.sizes[0]));
      off = i * n - i * (i - 1) / 2 + (j - i);
      g0 = 2;
    }
    for (std::size_t g = g0; g < e.size(); ++g)
      off = off * static_cast<int>(ex_.count(t.sizes[g])) +
            Exponents::index(e[g][0], e[g][1], e[g][2]);
    return t.base + off;
  }

  // Scalar of the whole order (left-deep).
  int build(const Candidate& c, const std::vector<int>& order) {
    return build_prefix(c, order, static_cast<int>(order.size())).base;
  }

  // Scalar (A ⊗ B) ⊗ (C ⊗ D) of a connected 4-node graph, order = {A, B, C, D}: both pairs
  // are built as intermediates and contracted completely with each other.
  int build_pairs(const Candidate& c, const std::vector<int>& order) {
    const Tensor X = build_prefix(c, order, 2);
    const std::vector<int> other{order[2], order[3], order[0], order[1]};
    const Tensor Y = build_prefix(c, other, 2);
    const int t = prog_.allocate(1);
    // Indices contracted between group g of X and group h of Y.
    std::vector<int> n;
    for (std::size_t g = 0; g < X.nodes.size(); ++g)
      for (std::size_t h = 0; h < Y.nodes.size(); ++h) n.push_back(c.m[X.nodes[g]][Y.nodes[h]]);
    TupleIter it(ex_, n);
    do {
      std::vector<std::array<int, 3>> xe(X.nodes.size(), std::array<int, 3>{0, 0, 0});
      std::vector<std::array<int, 3>> ye(Y.nodes.size(), std::array<int, 3>{0, 0, 0});
      std::int64_t w = 1;
      for (std::size_t g = 0; g < X.nodes.size(); ++g)
        for (std::size_t h = 0; h < Y.nodes.size(); ++h) {
          const auto& k = it.at(g * Y.nodes.size() + h);
          xe[g] = plus(xe[g], k);
          ye[h] = plus(ye[h], k);
          w *= ex_.multinom(k);
        }
      prog_.add_term(t, slot(X, xe), slot(Y, ye), w);
    } while (it.next());
    return t;
  }

 private:
  Tensor build_prefix(const Candidate& c, const std::vector<int>& order, int s) {
    const int a0 = order[0];
    Tensor X;
    X.base = prog_.basic_slot(c.lab[a0], {c.lab[a0].nu, 0, 0});
    X.nodes = {a0};
    X.sizes = {c.lab[a0].nu};
    for (int i = 1; i < s; ++i) {
      const int B = order[i];
      std::vector<int> inc(order.begin(), order.begin() + i + 1);
      std::vector<int> perm;
      const std::string key = prefix_key(c, order, i + 1, &perm);
      auto found = memo_.find(key);
      if (found != memo_.end()) {
        const Stored& st = found->second;
        X = Tensor{st.base, st.sym, {}, st.sizes};
        for (int r : st.ranks) X.nodes.push_back(perm[static_cast<std::size_t>(r)]);
        continue;
      }
      Tensor R;
      std::vector<int> cg;  // indices of each X group contracted with B
      int k = 0;
      for (std::size_t g = 0; g < X.nodes.size(); ++g) {
        cg.push_back(c.m[X.nodes[g]][B]);
        k += cg.back();
      }
      std::vector<int> keep;  // X groups that stay free
      for (std::size_t g = 0; g < X.nodes.size(); ++g)
        if (X.sizes[g] - cg[g] > 0) {
          keep.push_back(static_cast<int>(g));
          R.nodes.push_back(X.nodes[g]);
          R.sizes.push_back(X.sizes[g] - cg[g]);
        }
      const int fb = c.lab[B].nu - k;
      if (fb > 0) {
        R.nodes.push_back(B);
        R.sizes.push_back(fb);
      }
      // A ⊗ A of two equal labels is symmetric under exchange of its two groups, and stays so
      // when a fully contracted moment takes the same number of indices from both.
      R.sym = (i == 1 && c.lab[a0] == c.lab[B] && R.sizes.size() == 2) ||
              (X.sym && cg[0] == cg[1] && keep.size() >= 2 && keep[0] == 0 && keep[1] == 1);
      std::size_t nres = 1;
      for (std::size_t g = R.sym ? 2 : 0; g < R.sizes.size(); ++g) nres *= ex_.count(R.sizes[g]);
      if (R.sym) {
        const std::size_t n = ex_.count(R.sizes[0]);
        nres *= n * (n + 1) / 2;
      }
      R.base = prog_.allocate(nres);
      const int bbase = prog_.basic_slot(c.lab[B], {c.lab[B].nu, 0, 0});
      TupleIter ir(ex_, R.sizes);
      do {
        std::vector<std::array<int, 3>> re(R.sizes.size());
        for (std::size_t g = 0; g < R.sizes.size(); ++g) re[g] = ir.at(g);
        if (R.sym && Exponents::index(re[0][0], re[0][1], re[0][2]) >
                         Exponents::index(re[1][0], re[1][1], re[1][2]))
          continue;
        const int rs = slot(R, re);
        std::vector<int> csz;
        for (std::size_t g = 0; g < cg.size(); ++g) csz.push_back(cg[g]);
        TupleIter ik(ex_, csz);
        do {
          std::vector<std::array<int, 3>> xe(X.nodes.size(), std::array<int, 3>{0, 0, 0});
          std::array<int, 3> be = fb > 0 ? re.back() : std::array<int, 3>{0, 0, 0};
          std::int64_t w = 1;
          for (std::size_t g = 0; g < X.nodes.size(); ++g) {
            xe[g] = ik.at(g);
            be = plus(be, ik.at(g));
            w *= ex_.multinom(ik.at(g));
          }
          for (std::size_t r = 0; r < keep.size(); ++r)
            xe[static_cast<std::size_t>(keep[r])] =
                plus(xe[static_cast<std::size_t>(keep[r])], re[r]);
          const int xs =
              i == 1 ? X.base + Exponents::index(xe[0][0], xe[0][1], xe[0][2]) : slot(X, xe);
          prog_.add_term(rs, xs, bbase + Exponents::index(be[0], be[1], be[2]), w);
        } while (ik.next());
      } while (ir.next());
      Stored st{R.base, R.sym, {}, R.sizes};
      for (int u : R.nodes)
        st.ranks.push_back(static_cast<int>(std::find(perm.begin(), perm.end(), u) - perm.begin()));
      memo_.emplace(key, st);
      X = R;
    }
    return X;
  }

  struct Stored {
    int base;
    bool sym;
    std::vector<int> ranks;  // canonical position of each group's origin node
    std::vector<int> sizes;
  };

  // Key of the first n nodes of `order`: labels, internal edges and free indices per node,
  // minimised over orderings of the nodes; *perm receives the minimising ordering.
  static std::string prefix_key(const Candidate& c, const std::vector<int>& order, int n,
                                std::vector<int>* perm) {
    std::vector<int> inc(order.begin(), order.begin() + n);
    std::sort(inc.begin(), inc.end());
    std::vector<int> free(static_cast<std::size_t>(kMaxFactors), 0);
    for (int u : inc)
      for (int d = n; d < static_cast<int>(order.size()); ++d) free[u] += c.m[u][order[d]];
    std::string best;
    do {
      std::string key;
      for (int u : inc)
        key += std::to_string(c.lab[u].mu) + "," + std::to_string(c.lab[u].nu) + "," +
               std::to_string(free[u]) + ";";
      key += "|";
      for (int a = 0; a < n; ++a)
        for (int b = a + 1; b < n; ++b) key += std::to_string(c.m[inc[a]][inc[b]]) + ",";
      if (best.empty() || key < best) {
        best = key;
        *perm = inc;
      }
    } while (std::next_permutation(inc.begin(), inc.end()));
    return best;
  }

  Program& prog_;
  const Exponents& ex_;
  std::map<std::string, Stored> memo_;
};

// All canonical candidates with total level ≤ L.
std::vector<Candidate> enumerate(int L) {
  std::vector<Label> labels;
  for (int mu = 0; mu <= kMaxMu; ++mu)
    for (int nu = 0; nu <= kMaxNu; ++nu)
      if (2 + 4 * mu + nu <= L) labels.push_back({mu, nu});
  std::sort(labels.begin(), labels.end());
  std::vector<Candidate> out;
  std::set<std::vector<int>> seen;
  Candidate c;
  // Edge enumeration over pairs (i<j) with remaining degrees.
  std::vector<std::pair<int, int>> pairs;
  std::function<void(std::size_t, std::array<int, kMaxFactors>&)> edges;
  edges = [&](std::size_t pi, std::array<int, kMaxFactors>& rem) {
    if (pi == pairs.size()) {
      for (int i = 0; i < c.k; ++i)
        if (rem[i] != 0) return;
      // Canonical form under label-preserving permutations.
      std::vector<int> perm(static_cast<std::size_t>(c.k));
      std::iota(perm.begin(), perm.end(), 0);
      std::vector<int> best;
      do {
        bool ok = true;
        for (int i = 0; i < c.k; ++i) ok = ok && c.lab[perm[i]] == c.lab[i];
        if (!ok) continue;
        std::vector<int> v;
        for (const auto& p : pairs) v.push_back(c.m[perm[p.first]][perm[p.second]]);
        if (best.empty() || v < best) best = v;
      } while (std::next_permutation(perm.begin(), perm.end()));
      std::vector<int> key;
      for (int i = 0; i < c.k; ++i) {
        key.push_back(c.lab[i].mu);
        key.push_back(c.lab[i].nu);
      }
      key.insert(key.end(), best.begin(), best.end());
      if (seen.insert(key).second) out.push_back(c);
      return;
    }
    const auto [i, j] = pairs[pi];
    for (int v = 0; v <= std::min(rem[i], rem[j]); ++v) {
      c.m[i][j] = c.m[j][i] = v;
      rem[i] -= v;
      rem[j] -= v;
      edges(pi + 1, rem);
      rem[i] += v;
      rem[j] += v;
    }
    c.m[i][j] = c.m[j][i] = 0;
  };
  std::function<void(int, std::size_t, int)> choose = [&](int k, std::size_t from, int lev) {
    if (k > 0) {
      c.k = k;
      c.level = lev;
      pairs.clear();
      for (int i = 0; i < k; ++i)
        for (int j = i + 1; j < k; ++j) pairs.emplace_back(i, j);
      std::array<int, kMaxFactors> rem{};
      for (int i = 0; i < k; ++i) rem[i] = c.lab[i].nu;
      edges(0, rem);
    }
    if (k == kMaxFactors) return;
    for (std::size_t li = from; li < labels.size(); ++li) {
      if (lev + labels[li].level() > L) continue;
      c.lab[k] = labels[li];
      choose(k + 1, li, lev + labels[li].level());
    }
  };
  choose(0, 0, 0);
  return out;
}

// Connected components of a candidate (lists of node indices).
std::vector<std::vector<int>> components(const Candidate& c) {
  std::vector<int> comp(static_cast<std::size_t>(c.k), -1);
  std::vector<std::vector<int>> out;
  for (int s = 0; s < c.k; ++s) {
    if (comp[s] >= 0) continue;
    std::vector<int> nodes{s};
    comp[s] = static_cast<int>(out.size());
    for (std::size_t h = 0; h < nodes.size(); ++h)
      for (int v = 0; v < c.k; ++v)
        if (comp[v] < 0 && c.m[nodes[h]][v] > 0) {
          comp[v] = comp[s];
          nodes.push_back(v);
        }
    std::sort(nodes.begin(), nodes.end());
    out.push_back(nodes);
  }
  return out;
}

// The contraction tree MLIP's tables use for one connected graph (decoded from every shipped
// table, levels 2–28; docs/mtp.md). Built backwards: the moment contracted last is the one with
// the fewest indices contracted with the others (its "cut"), ties by lower level, then by the
// larger Σ m·level and Σ m·μ of its contracted neighbours (m = indices shared), among those
// whose removal leaves the rest connected; repeat on the rest until two moments remain, which
// form the first pair. Remaining ties are automorphisms of the graph. The tree is left-deep,
// ((A ⊗ B) ⊗ C) ⊗ D, except when the third moment C of a 4-moment graph would keep more free
// indices than it contracts: then MLIP contracts two pairs, (A ⊗ B) ⊗ (C ⊗ D).
struct ContractionOrder {
  std::vector<int> nodes;  // A, B, C, D
  bool pairs = false;      // (A ⊗ B) ⊗ (C ⊗ D) instead of left-deep
};

bool connected_without(const Candidate& c, const std::vector<int>& nodes, int removed) {
  std::vector<int> rest;
  for (int u : nodes)
    if (u != removed) rest.push_back(u);
  std::vector<int> reached{rest.front()};
  for (std::size_t h = 0; h < reached.size(); ++h)
    for (int v : rest)
      if (c.m[reached[h]][v] > 0 && std::find(reached.begin(), reached.end(), v) == reached.end())
        reached.push_back(v);
  return reached.size() == rest.size();
}

ContractionOrder mlip_order(const Candidate& c, std::vector<int> nodes) {
  std::vector<int> removed;  // last contracted first
  while (nodes.size() > 2) {
    int best = -1;
    std::array<int, 4> best_key{};
    for (int v : nodes) {
      if (!connected_without(c, nodes, v)) continue;
      // (cut, level, −Σ m·level(neighbour), −Σ m·μ(neighbour)): smallest is removed.
      std::array<int, 4> key{0, c.lab[v].level(), 0, 0};
      for (int u : nodes) {
        key[0] += c.m[v][u];
        key[2] -= c.m[v][u] * c.lab[u].level();
        key[3] -= c.m[v][u] * c.lab[u].mu;
      }
      if (best < 0 || key < best_key) {
        best = v;
        best_key = key;
      }
    }
    // A connected graph always has a moment whose removal keeps it connected (a leaf of a
    // spanning tree), so best >= 0.
    removed.push_back(best);
    nodes.erase(std::find(nodes.begin(), nodes.end(), best));
  }
  ContractionOrder order;
  order.nodes = nodes;
  order.nodes.insert(order.nodes.end(), removed.rbegin(), removed.rend());
  if (order.nodes.size() == 4) {
    const int C = order.nodes[2];
    const int k = c.m[order.nodes[0]][C] + c.m[order.nodes[1]][C];
    order.pairs = c.lab[C].nu - k > k;
  }
  return order;
}

}  // namespace

void validate_basis_options(const BasisOptions& o) {
  const std::string src = "mtp-basis";
  if (o.level < 2 || o.level > 28 || o.level % 2 != 0)
    throw InputError(src, 0,
                     "--level must be an even integer in 2..28, got " + std::to_string(o.level));
  if (o.species_count < 1)
    throw InputError(src, 0, "--species must be >= 1, got " + std::to_string(o.species_count));
  if (o.radial_basis_size < 2)
    throw InputError(
        src, 0, "--radial-basis-size must be >= 2, got " + std::to_string(o.radial_basis_size));
  if (!(o.min_dist >= 0.0)) throw InputError(src, 0, "--rmin must be >= 0");
  if (!(o.max_dist > o.min_dist))
    throw InputError(src, 0,
                     "--rcut (" + format_distance(o.max_dist) + ") must be greater than --rmin (" +
                         format_distance(o.min_dist) + ")");
}

MtpBasisTable generate_basis(const BasisOptions& opt, BasisStats* stats) {
  validate_basis_options(opt);
  const auto t0 = std::chrono::steady_clock::now();
  const int L = opt.level;
  const Exponents ex;
  std::vector<Candidate> cands = enumerate(L);
  std::stable_sort(cands.begin(), cands.end(), [](const Candidate& a, const Candidate& b) {
    return a.k != b.k ? a.k < b.k : a.level < b.level;
  });

  // Program: one scalar slot per candidate.
  Program prog(L, ex);
  OriginBuilder origin(prog, ex);
  std::vector<int> cand_slot(cands.size());
  for (std::size_t ci = 0; ci < cands.size(); ++ci) {
    const Candidate& c = cands[ci];
    std::vector<int> scalars;
    for (const auto& nodes : components(c)) {
      if (nodes.size() == 1) {
        scalars.push_back(prog.basic_slot(c.lab[nodes[0]], {0, 0, 0}));
        continue;
      }
      const ContractionOrder order = mlip_order(c, nodes);
      scalars.push_back(order.pairs ? origin.build_pairs(c, order.nodes)
                                    : origin.build(c, order.nodes));
    }
    // Product order as in MLIP's tables: connected contractions first, then the scalar basic
    // moments M_{μ,0} in descending order (M00·M00·M10 = (M10·M00)·M00, (v·v)·M10·M00), so
    // that products share their prefixes the same way.
    const auto nb = prog.nbasic();
    std::sort(scalars.begin(), scalars.end(), [nb](int a, int b) {
      const bool ba = a < nb, bb = b < nb;
      if (ba != bb) return bb;
      return ba ? a > b : a < b;
    });
    int acc = scalars[0];
    for (std::size_t i = 1; i < scalars.size(); ++i) {
      std::vector<int> key(scalars.begin(), scalars.begin() + static_cast<long>(i) + 1);
      auto it = prog.product_memo.find(key);
      if (it != prog.product_memo.end()) {
        acc = it->second;
        continue;
      }
      const int t = prog.allocate(1);
      prog.add_term(t, acc, scalars[i], 1);
      prog.product_memo.emplace(key, t);
      acc = t;
    }
    cand_slot[ci] = acc;
  }
  prog.finish_merging();

  // μ-groups: candidates with the same multiset of μ's.
  std::map<std::vector<int>, std::vector<std::size_t>> groups;
  for (std::size_t ci = 0; ci < cands.size(); ++ci) {
    std::vector<int> mus;
    for (int i = 0; i < cands[ci].k; ++i) mus.push_back(cands[ci].lab[i].mu);
    std::sort(mus.begin(), mus.end());
    groups[mus].push_back(ci);
  }
  std::size_t max_group = 0;
  for (const auto& g : groups) max_group = std::max(max_group, g.second.size());
  const std::size_t nenv = max_group + 4;

  // Values of every candidate on `nenv` random modular neighbourhoods.
  std::vector<std::vector<modp::u64>> values(cands.size(), std::vector<modp::u64>(nenv));
  {
    std::vector<std::mt19937_64> rngs;
    std::mt19937_64 master(opt.seed);
    for (std::size_t e = 0; e < nenv; ++e) rngs.emplace_back(master());
    const int nslots = prog.nslots();
#pragma omp parallel
    {
      std::vector<modp::u64> slots;
#pragma omp for schedule(dynamic, 4)
      for (long e = 0; e < static_cast<long>(nenv); ++e) {
        const auto h =
            modp::random_neighbourhood(rngs[static_cast<std::size_t>(e)], 16, kMaxMu + 1);
        slots = modp::basic_values(prog.basic(), h);
        slots.resize(static_cast<std::size_t>(nslots), 0);
        for (int t = prog.nbasic(); t < nslots; ++t) {
          modp::u64 acc = 0;
          for (const Term& x : prog.terms(t))
            acc = modp::add(acc, modp::mul(modp::from_int(x.m), modp::mul(slots[x.p], slots[x.q])));
          slots[t] = acc;
        }
        for (std::size_t ci = 0; ci < cands.size(); ++ci)
          values[ci][static_cast<std::size_t>(e)] = slots[static_cast<std::size_t>(cand_slot[ci])];
      }
    }
  }

  // Greedy exact rank selection inside each μ-group (candidates are sorted by level).
  std::vector<char> keep(cands.size(), 0);
  std::vector<std::vector<std::size_t>> group_list;
  for (auto& g : groups) group_list.push_back(g.second);
#pragma omp parallel for schedule(dynamic, 1)
  for (long gi = 0; gi < static_cast<long>(group_list.size()); ++gi) {
    if (opt.remove_dependent) {
      modp::EchelonBasis basis(nenv);
      for (std::size_t ci : group_list[static_cast<std::size_t>(gi)])
        if (basis.add(values[ci])) keep[ci] = 1;
    } else {
      // Only duplicates: drop a candidate proportional to an earlier one (or identically 0).
      std::set<std::vector<modp::u64>> seen_dirs;
      for (std::size_t ci : group_list[static_cast<std::size_t>(gi)]) {
        std::vector<modp::u64> v = values[ci];
        std::size_t k = 0;
        while (k < v.size() && v[k] == 0) ++k;
        if (k == v.size()) continue;
        const modp::u64 s = modp::inv(v[k]);
        for (auto& x : v) x = modp::mul(x, s);
        if (seen_dirs.insert(std::move(v)).second) keep[ci] = 1;
      }
    }
  }

  // Prune to the slots reachable from kept functions and renumber.
  const int nslots = prog.nslots();
  std::vector<char> need(static_cast<std::size_t>(nslots), 0);
  for (std::size_t ci = 0; ci < cands.size(); ++ci)
    if (keep[ci]) need[static_cast<std::size_t>(cand_slot[ci])] = 1;
  for (int t = nslots - 1; t >= prog.nbasic(); --t) {
    if (!need[static_cast<std::size_t>(t)]) continue;
    for (const Term& x : prog.terms(t))
      need[static_cast<std::size_t>(x.p)] = need[static_cast<std::size_t>(x.q)] = 1;
  }
  std::vector<int> newid(static_cast<std::size_t>(nslots), -1);
  MtpBasisTable table;
  int next = 0;
  for (int s = 0; s < prog.nbasic(); ++s)
    if (need[static_cast<std::size_t>(s)]) {
      newid[static_cast<std::size_t>(s)] = next++;
      table.basic.push_back(prog.basic()[static_cast<std::size_t>(s)]);
    }
  for (int t = prog.nbasic(); t < nslots; ++t)
    if (need[static_cast<std::size_t>(t)]) newid[static_cast<std::size_t>(t)] = next++;
  for (int t = prog.nbasic(); t < nslots; ++t) {
    if (!need[static_cast<std::size_t>(t)]) continue;
    for (const Term& x : prog.terms(t))
      table.times.push_back({newid[static_cast<std::size_t>(x.p)],
                             newid[static_cast<std::size_t>(x.q)], x.m,
                             newid[static_cast<std::size_t>(t)]});
  }
  for (std::size_t ci = 0; ci < cands.size(); ++ci)
    if (keep[ci]) table.mapping.push_back(newid[static_cast<std::size_t>(cand_slot[ci])]);
  std::sort(table.mapping.begin(), table.mapping.end());
  table.alpha_moments_count = next;
  table.species_count = opt.species_count;
  table.radial_basis_size = opt.radial_basis_size;
  table.min_dist = opt.min_dist;
  table.max_dist = opt.max_dist;
  int maxmu = 0;
  for (const auto& b : table.basic) maxmu = std::max(maxmu, b[0]);
  table.radial_funcs_count = maxmu + 1;
  if (stats) {
    stats->candidates = static_cast<long>(cands.size());
    stats->program_slots = nslots;
    stats->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  return table;
}

}  // namespace superion::mtp
