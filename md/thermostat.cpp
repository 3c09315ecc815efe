// Nosé–Hoover chain, CSVR and Langevin thermostats.
#include "thermostat.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "core/fixed_sum.hpp"
#include "integrator_kernels.hpp"
#include "thermostat_kernels.hpp"
#include "rng.hpp"

namespace superion::md {

void Thermostat::set_state(const std::vector<double>& s) {
  if (s.size() != 1) throw Error("thermostat " + name() + ": state has the wrong size");
  reservoir_ = s[0];
}

// ---- Nosé–Hoover chain -------------------------------------------------------------------------

NoseHooverChain::NoseHooverChain(double tdamp, int chain_length)
    : tdamp_(tdamp), xi_(static_cast<std::size_t>(chain_length), 0.0), vxi_(xi_) {
  if (!(tdamp > 0)) throw Error("nose-hoover: --tdamp must be positive");
  if (chain_length < 1) throw Error("nose-hoover: chain length must be >= 1");
}

double NoseHooverChain::outer_half(ThermostatContext& c, double h, bool, double kinetic) {
  const double scale = nhc_half_step(xi_.data(), vxi_.data(), static_cast<int>(xi_.size()), c.dof,
                                     c.kT, tdamp_, h, kinetic);
  for (Vec3& v : c.velocities) scale_velocity(v, scale);
  return kinetic * (scale * scale);
}

double NoseHooverChain::energy(double kT, double dof) const {
  const double tau2 = tdamp_ * tdamp_;
  double e = 0.0;
  for (std::size_t j = 0; j < xi_.size(); ++j) {
    const double q = (j == 0 ? dof : 1.0) * kT * tau2;
    e += 0.5 * q * vxi_[j] * vxi_[j] + (j == 0 ? dof : 1.0) * kT * xi_[j];
  }
  return e;
}

std::vector<double> NoseHooverChain::state() const {
  std::vector<double> s(xi_);
  s.insert(s.end(), vxi_.begin(), vxi_.end());
  return s;
}

void NoseHooverChain::set_state(const std::vector<double>& s) {
  if (s.size() != 2 * xi_.size())
    throw Error("nose-hoover: checkpoint has a chain of " + std::to_string(s.size() / 2) +
                " thermostats, this run uses " + std::to_string(xi_.size()));
  xi_.assign(s.begin(), s.begin() + static_cast<long>(xi_.size()));
  vxi_.assign(s.begin() + static_cast<long>(xi_.size()), s.end());
}

// ---- CSVR -------------------------------------------------------------------------------------

double CsvrThermostat::outer_half(ThermostatContext& c, double h, bool second, double kinetic) {
  if (!(kinetic > 0)) return kinetic;
  const auto nf = static_cast<std::uint64_t>(std::llround(c.dof));
  // N_f normal numbers: R1 and N_f − 1 more whose squares are summed. Counter: (step, half).
  const std::uint64_t counter = 2 * c.step + (second ? 1 : 0);
  std::vector<double> terms(static_cast<std::size_t>(csvr_pairs(nf)));
  for (std::uint64_t k = 0; k < terms.size(); ++k) terms[k] = csvr_term(c.seed, counter, k, nf);
  const double s2 = fixed_sum(terms), r1 = csvr_r1(c.seed, counter);
  const double alpha = csvr_scale(kinetic, c.kT, c.dof, std::exp(-h / tdamp_), r1, s2);
  for (Vec3& v : c.velocities) scale_velocity(v, alpha);
  return kinetic * alpha * alpha;
}

// ---- Langevin ---------------------------------------------------------------------------------

void LangevinThermostat::middle(ThermostatContext& c, double dt) {
  const double c1 = std::exp(-dt / tdamp_);
  for (std::size_t i = 0; i < c.velocities.size(); ++i)
    langevin_o(c.velocities[i], c1, c.kT, c.masses[i], c.seed, c.step, i);
}

std::unique_ptr<Thermostat> make_thermostat(const std::string& kind, double tdamp) {
  if (kind == "none" || kind == "nve") return std::make_unique<NoThermostat>();
  if (!(tdamp > 0)) throw Error("thermostat " + kind + ": --tdamp must be a positive time");
  if (kind == "nose-hoover" || kind == "nh" || kind == "nhc")
    return std::make_unique<NoseHooverChain>(tdamp);
  if (kind == "csvr" || kind == "bussi") return std::make_unique<CsvrThermostat>(tdamp);
  if (kind == "langevin") return std::make_unique<LangevinThermostat>(tdamp);
  throw Error("unknown thermostat '" + kind + "' (expected none, nose-hoover, langevin or csvr)");
}

}  // namespace superion::md
