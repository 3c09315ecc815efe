// Exact evaluation of MTP contraction programs in the prime field F_p, p = 2^61 − 1.
// Used by the basis generator to find linear dependencies exactly (no tolerance) and by the
// tests to compare function spaces. A "modular neighbourhood" is n neighbours with unit
// vectors on the sphere x²+y²+z² = 1 over F_p and independent random radial values f_μ(j):
// every polynomial identity between moment contractions that holds on real neighbourhoods with
// unit vectors holds here too, and a random point of F_p violates a non-identity with
// probability ~ degree/p ≈ 1e-17, so ranks over F_p equal ranks over the reals.
#pragma once

#include <array>
#include <cstdint>
#include <random>
#include <vector>

namespace superion::mtp::modp {

using u64 = std::uint64_t;
constexpr u64 kP = (u64{1} << 61) - 1;

inline u64 add(u64 a, u64 b) {
  u64 s = a + b;
  return s >= kP ? s - kP : s;
}
inline u64 sub(u64 a, u64 b) {
  return a >= b ? a - b : a + kP - b;
}
inline u64 mul(u64 a, u64 b) {
  __extension__ typedef unsigned __int128 u128;
  const u128 z = static_cast<u128>(a) * b;
  const u64 lo = static_cast<u64>(z) & kP;
  const u64 hi = static_cast<u64>(z >> 61);
  return add(lo, hi);
}
inline u64 pow(u64 a, u64 e) {
  u64 r = 1;
  while (e) {
    if (e & 1) r = mul(r, a);
    a = mul(a, a);
    e >>= 1;
  }
  return r;
}
inline u64 inv(u64 a) {
  return pow(a, kP - 2);
}
// Reduces a (possibly negative) integer multiplicity into the field.
inline u64 from_int(std::int64_t v) {
  const u64 m = static_cast<u64>(v < 0 ? -v : v) % kP;
  return v < 0 ? sub(0, m) : m;
}

struct Neighbourhood {
  std::vector<std::array<u64, 3>> dir;  // unit vectors over F_p
  std::vector<std::vector<u64>> f;      // f[μ][j]
};

// Random neighbourhood with n neighbours and radial values for μ = 0..K−1.
// p ≡ 3 (mod 4), so a square root of a quadratic residue s is s^((p+1)/4).
inline Neighbourhood random_neighbourhood(std::mt19937_64& rng, int n, int K) {
  std::uniform_int_distribution<u64> U(1, kP - 1);
  Neighbourhood h;
  while (static_cast<int>(h.dir.size()) < n) {
    const u64 x = U(rng), y = U(rng);
    const u64 s = sub(1, add(mul(x, x), mul(y, y)));
    const u64 z = pow(s, (kP + 1) / 4);
    if (mul(z, z) != s) continue;  // not a square: draw again
    h.dir.push_back({x, y, z});
  }
  h.f.assign(static_cast<std::size_t>(K), std::vector<u64>(static_cast<std::size_t>(n)));
  for (auto& fm : h.f)
    for (auto& v : fm) v = U(rng);
  return h;
}

// Basic moment values M_{μ,(a,b,c)} = Σ_j f_μ(j) x^a y^b z^c for the list {μ,a,b,c}.
inline std::vector<u64> basic_values(const std::vector<std::array<int, 4>>& basic,
                                     const Neighbourhood& h) {
  std::vector<u64> out(basic.size(), 0);
  for (std::size_t j = 0; j < h.dir.size(); ++j) {
    std::array<std::array<u64, 11>, 3> pw;
    for (int d = 0; d < 3; ++d) {
      pw[d][0] = 1;
      for (int k = 1; k < 11; ++k) pw[d][k] = mul(pw[d][k - 1], h.dir[j][d]);
    }
    for (std::size_t i = 0; i < basic.size(); ++i) {
      const auto& b = basic[i];
      const u64 v = mul(mul(pw[0][b[1]], pw[1][b[2]]), pw[2][b[3]]);
      out[i] = add(out[i], mul(h.f[b[0]][j], v));
    }
  }
  return out;
}

// Forward sweep M_t += m·M_p·M_q over a times list; `slots` holds the basic values on entry
// (size ≥ number of basic moments) and is resized to `nslots`.
inline void sweep(const std::vector<std::array<std::int64_t, 4>>& times, int nslots,
                  std::vector<u64>& slots) {
  slots.resize(static_cast<std::size_t>(nslots), 0);
  for (const auto& e : times)
    slots[e[3]] = add(slots[e[3]], mul(from_int(e[2]), mul(slots[e[0]], slots[e[1]])));
}

// Incremental row echelon basis over F_p: add() returns true if the vector is independent.
class EchelonBasis {
 public:
  explicit EchelonBasis(std::size_t dim) : dim_(dim) {}
  bool add(std::vector<u64> v) {
    for (std::size_t r = 0; r < rows_.size(); ++r) {
      const u64 c = v[pivot_[r]];
      if (c == 0) continue;
      const auto& row = rows_[r];
      for (std::size_t k = 0; k < dim_; ++k)
        if (row[k]) v[k] = sub(v[k], mul(c, row[k]));
    }
    std::size_t piv = 0;
    while (piv < dim_ && v[piv] == 0) ++piv;
    if (piv == dim_) return false;
    const u64 s = inv(v[piv]);
    for (auto& x : v) x = mul(x, s);
    rows_.push_back(std::move(v));
    pivot_.push_back(piv);
    return true;
  }
  std::size_t rank() const { return rows_.size(); }

 private:
  std::size_t dim_;
  std::vector<std::vector<u64>> rows_;
  std::vector<std::size_t> pivot_;
};

}  // namespace superion::mtp::modp
