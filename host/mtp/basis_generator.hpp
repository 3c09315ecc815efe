// Our own generator of untrained MTP contraction tables (the `.mtp` templates MLIP ships).
//
// What is generated (MTP_FACTS §3.2–3.3, §4.4): all scalars obtained by contracting k ≤ 4
// moment tensors M_{μ,ν} (unit vectors r̂, μ ≤ 5, ν ≤ 10) with level Σ(2 + 4μ + ν) ≤ L.
//
// 1. Enumeration. A candidate is a multigraph on k labelled nodes (μ_i, ν_i): edge multiplicity
//    m_ij = number of indices contracted between tensors i and j, Σ_j m_ij = ν_i, no self-loops
//    (a self-trace of r̂^{⊗ν} only reproduces M_{μ,ν−2}). Disconnected graphs are products of
//    connected scalars. Candidates are canonicalised under label-preserving node permutations
//    (k ≤ 4: ≤ 24 permutations), which removes duplicate contractions.
// 2. Duplicates and linear dependence, exactly. Scaling f_μ → λ_μ f_μ multiplies a candidate by
//    Π λ_μ^{#nodes with this μ}, so dependencies can only occur among candidates with the same
//    multiset of μ's ("μ-group"; it also fixes the number of factors). Within a group the
//    candidates are evaluated on random neighbourhoods over F_p (p = 2^61 − 1, unit vectors on
//    the F_p sphere, see basis_modular_eval.hpp) and kept greedily (lowest level first) when
//    they increase the rank of an exact row-echelon basis. No floating-point tolerance is
//    involved; the failure probability of the random test is ~1e-15.
//    MLIP's shipped tables remove only duplicates: they keep genuinely dependent contractions
//    (first at level 16: tr(T⁴) of T = M_{0,2} follows from Cayley–Hamilton in 3D, since
//    tr T = M_{0,0} for unit vectors). By default we do the same (candidates proportional to an
//    earlier one are dropped), which reproduces the shipped counts; remove_dependent = true keeps
//    only a linearly independent subset (same function space, fewer functions).
// 3. Contraction program, the same as MLIP's tables (docs/mtp.md). The tree of a connected graph
//    is built backwards: the moment contracted last is the one with the fewest indices
//    contracted with the others, ties by lower level, among those whose removal leaves the
//    rest connected; repeat on the rest until two moments remain (the first pair). The tree is
//    left-deep, ((A ⊗ B) ⊗ C) ⊗ D, except when the third moment of a 4-moment graph would keep
//    more free indices than it contracts: then (A ⊗ B) ⊗ (C ⊗ D). Intermediates keep their free
//    indices grouped by origin moment (each group as symmetric monomials, mixed-radix layout);
//    A ⊗ A of two equal labels is stored as unordered component pairs and stays so under
//    contractions that treat both groups alike. A slot has one term per distinct pair of
//    factor slots (multiplicities = multinomial counts of the contracted indices).
//    Intermediates with the same tree (labels, edges, free indices per position) are computed
//    once. Products of connected scalars are chained: connected parts first, then the M_{μ,0}
//    in descending order. Only slots reachable from kept functions are emitted, topologically
//    sorted, basic moments first in MLIP's order (μ, ν, then a, b descending).
//    alpha_moments_count, alpha_index_times_count, the terms per slot and the basis functions
//    themselves equal MLIP's at every level 2–28 (only the slot order differs).
#pragma once

#include "mtp/untrained_table.hpp"

namespace superion::mtp {

struct BasisOptions {
  int level = 16;  // even, 2..28
  int species_count = 1;
  int radial_basis_size = 8;
  double min_dist = 2.0;
  double max_dist = 5.0;
  // false (default, as MLIP's shipped tables): remove only duplicates (candidates proportional
  // to an earlier one); true: also remove every linearly dependent candidate (smaller basis).
  bool remove_dependent = false;
  unsigned long long seed = 20240611;  // random neighbourhoods for the exact rank test
};

struct BasisStats {
  long candidates = 0;     // canonical contraction graphs enumerated
  long program_slots = 0;  // slots before pruning
  double seconds = 0;      // wall time of generate_basis
};

// Throws InputError("mtp-basis", 0, ...) for invalid options.
MtpBasisTable generate_basis(const BasisOptions& options, BasisStats* stats = nullptr);

void validate_basis_options(const BasisOptions& options);

}  // namespace superion::mtp
