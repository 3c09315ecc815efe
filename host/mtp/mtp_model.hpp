// The Moment Tensor Potential model (MLIP-2 `.mtp` semantics, MTP_FACTS.md §2–3): RBChebyshev
// radial basis, radial coefficients per ORDERED species pair (central, neighbour), basic moments
// {μ,a,b,c}, contraction list {p,q,m,t}, scalar-moment mapping and linear coefficients.
// Flat parameter vector θ = [radial ((i·C+j)·K+μ)·R+β] ++ [species_coeffs (C)] ++ [moment_coeffs
// (A)].
#pragma once

#include <array>
#include <string>
#include <vector>

namespace superion {

struct Mtp {
  std::string potential_name = "MTP1m";
  int species_count = 1;  // C
  double scaling = 1.0;   // global multiplier of every radial basis function
  std::string radial_basis_type = "RBChebyshev";
  double min_dist = 2.0;       // Å, left end of the Chebyshev interval
  double max_dist = 5.0;       // Å, cutoff
  int radial_basis_size = 8;   // R
  int radial_funcs_count = 1;  // K
  // radial_coeffs[((i*C + j)*K + mu)*R + beta], i = central species, j = neighbour species.
  std::vector<double> radial_coeffs;
  int alpha_moments_count = 0;                        // total slots (basic + derived)
  std::vector<std::array<int, 4>> alpha_index_basic;  // {mu, a, b, c}
  std::vector<std::array<int, 4>> alpha_index_times;  // {p, q, m, t}: M_t += m·M_p·M_q
  std::vector<int> alpha_moment_mapping;  // A slot indices of the scalar basis functions
  std::vector<double> species_coeffs;     // C
  std::vector<double> moment_coeffs;      // A
  bool trained = false;  // false: coefficients are MLIP-2's placeholders (untrained template)
  // Element of MTP type 0, 1, … (C symbols), or empty when the file does not say (MLIP's own
  // files). Stored in the `potential_tag` line as `elements Na Cl S O` (mtp_file.hpp).
  std::vector<std::string> species_names;
  // Training domain (mtp/training_domain.hpp): C×C shortest type-pair distances of the training
  // data (Å), stored in the potential_tag as `domain Na-Na 3.1012 …`; empty = not stored.
  std::vector<double> domain_min_distance;
  // Any other `potential_tag` text, kept verbatim for lossless round trips.
  std::string potential_tag;

  int alpha_scalar_moments() const { return static_cast<int>(alpha_moment_mapping.size()); }
  int basic_count() const { return static_cast<int>(alpha_index_basic.size()); }
  double cutoff() const { return max_dist; }
  // Maximal tensor rank ν = a+b+c over the basic moments.
  int max_nu() const;
  // Level = max over scalar basis functions of Σ (2 + 4μ + ν) of their factors (MTP_FACTS §4.1).
  int level() const;

  // θ layout (MTP_FACTS §2.3); P = C²·K·R + C + A.
  std::size_t n_radial_params() const {
    return static_cast<std::size_t>(species_count) * species_count * radial_funcs_count *
           radial_basis_size;
  }
  std::size_t n_params() const {
    return n_radial_params() + species_count + alpha_moment_mapping.size();
  }
  std::vector<double> parameters() const;
  // Sets θ (size must be n_params(), throws superion::Error otherwise) and marks the model trained.
  void set_parameters(const std::vector<double>& theta);

  // MLIP-2 placeholders for an untrained template: radial 1e-6, (μ, β=μ) 1e-3; linear 1e-3.
  void set_placeholder_coefficients();
  // Resizes species (radial blocks, species_coeffs) to `c` species with placeholders; for
  // untrained templates that say species_count = 1. Element names and a domain of another count
  // are dropped.
  void set_species_count(int c);
  // Consistency checks of sizes and indices (and of species_names: C distinct chemical elements
  // when present); throws superion::Error describing the problem.
  void validate() const;
};

}  // namespace superion
