// Building and initialising the potential to train: an Mtp from an untrained basis table
// (our generator or an MLIP template), seeded random radial coefficients, the `scaling` choice,
// and helpers on the basis (number of moment factors per scalar basis function).
#pragma once

#include <cstdint>
#include <vector>

#include "mtp/mtp_model.hpp"
#include "mtp/untrained_table.hpp"

namespace superion {

// Untrained Mtp (placeholder coefficients) with the given species count and radial basis.
Mtp mtp_from_basis(const mtp::MtpBasisTable& table, int species_count, double min_dist,
                   double max_dist, int radial_basis_size);

// Seeded, reproducible radial initialisation (std::mt19937_64): every coefficient of every ordered
// species pair is 0.1·U(−1, 1), plus 1 on the (μ, β = μ) entry, so that the K radial functions
// start distinct and well conditioned (their absolute scale is irrelevant: the linear solve
// absorbs it). Linear coefficients are zeroed; scaling = 1.
void init_radial_coefficients(Mtp& m, std::uint64_t seed);

// Number of basic moments multiplied into each scalar basis function (1..4), from the
// contraction list (basic slots have 1, M_t += M_p·M_q adds the counts of p and q).
std::vector<int> scalar_factor_counts(const Mtp& m);

// Chooses `scaling` like MLIP's Rescale (MTP_FACTS §5.3) but exactly and without re-solving:
// changing s → λs multiplies basis function α by λ^{n_α} (n_α its factor count), so the optimal
// moment coefficients become ξ_α λ^{−n_α}; λ minimises ‖ξ‖₂ / median |ξ_l| over species and
// moment coefficients (searched on a fine log grid). The potential (E, F, W) is unchanged.
void choose_scaling(Mtp& m);

}  // namespace superion
