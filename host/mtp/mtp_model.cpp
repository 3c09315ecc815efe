// Mtp: parameter vector, placeholders and consistency checks.
#include "mtp/mtp_model.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/elements.hpp"
#include "core/error.hpp"

namespace superion {

int Mtp::max_nu() const {
  int m = 0;
  for (const auto& b : alpha_index_basic) m = std::max(m, b[1] + b[2] + b[3]);
  return m;
}

int Mtp::level() const {
  std::vector<int> lev(static_cast<std::size_t>(std::max(alpha_moments_count, 0)), 0);
  for (std::size_t k = 0; k < alpha_index_basic.size() && k < lev.size(); ++k) {
    const auto& b = alpha_index_basic[k];
    lev[k] = 2 + 4 * b[0] + b[1] + b[2] + b[3];
  }
  for (const auto& t : alpha_index_times)
    if (t[3] >= 0 && t[3] < static_cast<int>(lev.size()))
      lev[t[3]] = std::max(lev[t[3]], lev[t[0]] + lev[t[1]]);
  int l = 0;
  for (int s : alpha_moment_mapping)
    if (s >= 0 && s < static_cast<int>(lev.size())) l = std::max(l, lev[s]);
  return l;
}

std::vector<double> Mtp::parameters() const {
  std::vector<double> theta;
  theta.reserve(n_params());
  theta.insert(theta.end(), radial_coeffs.begin(), radial_coeffs.end());
  theta.insert(theta.end(), species_coeffs.begin(), species_coeffs.end());
  theta.insert(theta.end(), moment_coeffs.begin(), moment_coeffs.end());
  return theta;
}

void Mtp::set_parameters(const std::vector<double>& theta) {
  if (theta.size() != n_params())
    throw Error("MTP parameter vector has " + std::to_string(theta.size()) + " entries, expected " +
                std::to_string(n_params()));
  const std::size_t nr = n_radial_params();
  const auto c = static_cast<std::size_t>(species_count);
  radial_coeffs.assign(theta.begin(), theta.begin() + static_cast<long>(nr));
  species_coeffs.assign(theta.begin() + static_cast<long>(nr),
                        theta.begin() + static_cast<long>(nr + c));
  moment_coeffs.assign(theta.begin() + static_cast<long>(nr + c), theta.end());
  trained = true;
}

void Mtp::set_placeholder_coefficients() {
  radial_coeffs.assign(n_radial_params(), 1e-6);
  const int pairs = species_count * species_count;
  for (int p = 0; p < pairs; ++p)
    for (int mu = 0; mu < radial_funcs_count && mu < radial_basis_size; ++mu)
      radial_coeffs[(static_cast<std::size_t>(p) * radial_funcs_count + mu) * radial_basis_size +
                    mu] = 1e-3;
  species_coeffs.assign(static_cast<std::size_t>(species_count), 1e-3);
  moment_coeffs.assign(alpha_moment_mapping.size(), 1e-3);
  trained = false;
}

void Mtp::set_species_count(int c) {
  if (c < 1) throw Error("MTP species count must be >= 1, got " + std::to_string(c));
  if (c == species_count) return;
  const bool was_trained = trained;
  if (was_trained)
    throw Error("cannot change the species count of a trained MTP (" +
                std::to_string(species_count) + " -> " + std::to_string(c) + ")");
  species_count = c;
  if (!species_names.empty() && static_cast<int>(species_names.size()) != c) species_names.clear();
  domain_min_distance.clear();
  set_placeholder_coefficients();
}

void Mtp::validate() const {
  auto fail = [](const std::string& what) { throw Error("invalid MTP: " + what); };
  if (species_count < 1) fail("species_count must be >= 1");
  if (!domain_min_distance.empty()) {
    if (domain_min_distance.size() != static_cast<std::size_t>(species_count) * species_count)
      fail("the training domain has " + std::to_string(domain_min_distance.size()) +
           " distances, expected C^2");
    for (double d : domain_min_distance)
      if (!(d >= 0) || !std::isfinite(d)) fail("a training-domain distance is not >= 0");
  }
  if (!species_names.empty()) {
    if (static_cast<int>(species_names.size()) != species_count)
      fail(std::to_string(species_names.size()) + " element names for " +
           std::to_string(species_count) + " species");
    for (std::size_t i = 0; i < species_names.size(); ++i) {
      const Element* e = find_element(species_names[i]);
      if (!e || species_names[i] != e->symbol)
        fail("element name '" + species_names[i] + "' is not a chemical element symbol");
      for (std::size_t j = 0; j < i; ++j)
        if (species_names[j] == species_names[i])
          fail("element " + species_names[i] + " named twice");
    }
  }
  if (!(min_dist < max_dist) || !(max_dist > 0)) fail("need 0 < max_dist and min_dist < max_dist");
  if (radial_basis_size < 2) fail("radial_basis_size must be >= 2");
  if (radial_funcs_count < 1) fail("radial_funcs_count must be >= 1");
  if (radial_coeffs.size() != n_radial_params())
    fail("radial_coeffs has " + std::to_string(radial_coeffs.size()) +
         " numbers, expected C^2*K*R = " + std::to_string(n_radial_params()));
  const int nb = basic_count();
  if (nb < 1) fail("alpha_index_basic is empty");
  if (alpha_moments_count < nb) fail("alpha_moments_count < alpha_index_basic_count");
  int max_mu = -1;
  for (const auto& b : alpha_index_basic) {
    if (b[0] < 0 || b[1] < 0 || b[2] < 0 || b[3] < 0) fail("negative entry in alpha_index_basic");
    if (b[1] + b[2] + b[3] > 16) fail("tensor rank a+b+c > 16 in alpha_index_basic");
    max_mu = std::max(max_mu, b[0]);
  }
  if (max_mu + 1 != radial_funcs_count)
    fail("radial_funcs_count = " + std::to_string(radial_funcs_count) +
         " but alpha_index_basic uses mu up to " + std::to_string(max_mu));
  // Topological order: every write to a slot precedes every read of it.
  std::vector<int> first_read(static_cast<std::size_t>(alpha_moments_count), -1);
  for (std::size_t e = 0; e < alpha_index_times.size(); ++e) {
    const auto& t = alpha_index_times[e];
    for (int s : {t[0], t[1], t[3]})
      if (s < 0 || s >= alpha_moments_count)
        fail("alpha_index_times entry " + std::to_string(e) + " refers to slot " +
             std::to_string(s) + " outside 0.." + std::to_string(alpha_moments_count - 1));
    if (t[3] < nb)
      fail("alpha_index_times entry " + std::to_string(e) + " writes a basic moment slot");
    if (t[2] <= 0) fail("alpha_index_times entry " + std::to_string(e) + " has multiplicity <= 0");
    for (int s : {t[0], t[1]})
      if (first_read[s] < 0) first_read[s] = static_cast<int>(e);
    if (first_read[t[3]] >= 0)
      fail("alpha_index_times is not topologically sorted (slot " + std::to_string(t[3]) +
           " written after being read)");
  }
  for (int s : alpha_moment_mapping)
    if (s < 0 || s >= alpha_moments_count)
      fail("alpha_moment_mapping refers to slot " + std::to_string(s) + " outside 0.." +
           std::to_string(alpha_moments_count - 1));
  if (species_coeffs.size() != static_cast<std::size_t>(species_count))
    fail("species_coeffs has " + std::to_string(species_coeffs.size()) + " numbers, expected " +
         std::to_string(species_count));
  if (moment_coeffs.size() != alpha_moment_mapping.size())
    fail("moment_coeffs has " + std::to_string(moment_coeffs.size()) + " numbers, expected " +
         std::to_string(alpha_moment_mapping.size()));
}

}  // namespace superion
