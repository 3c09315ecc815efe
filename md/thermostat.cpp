// Nosé–Hoover chain, CSVR and Langevin thermostats.
#include "thermostat.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "integrator_kernels.hpp"
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
  const std::size_t m = xi_.size();
  const double kT = c.kT, tau2 = tdamp_ * tdamp_;
  auto q = [&](std::size_t j) { return j == 0 ? c.dof * kT * tau2 : kT * tau2; };
  // Force on thermostat j: G1 = (2K − N_f kT)/Q1, Gj = (Q_{j−1} v_{j−1}² − kT)/Qj.
  auto g = [&](std::size_t j, double ke) {
    return j == 0 ? (2.0 * ke - c.dof * kT) / q(0)
                  : (q(j - 1) * vxi_[j - 1] * vxi_[j - 1] - kT) / q(j);
  };
  const double h2 = 0.5 * h, h4 = 0.25 * h;
  // Update chain velocities from the top down, each damped by the one above it.
  vxi_[m - 1] += h2 * g(m - 1, kinetic);
  for (std::size_t j = m - 1; j-- > 0;) {
    const double e = std::exp(-h4 * vxi_[j + 1]);
    vxi_[j] = e * (e * vxi_[j] + h2 * g(j, kinetic));
  }
  const double scale = std::exp(-h * vxi_[0]);
  for (Vec3& v : c.velocities) scale_velocity(v, scale);
  kinetic *= scale * scale;
  for (std::size_t j = 0; j < m; ++j) xi_[j] += h * vxi_[j];
  for (std::size_t j = 0; j + 1 < m; ++j) {
    const double e = std::exp(-h4 * vxi_[j + 1]);
    vxi_[j] = e * (e * vxi_[j] + h2 * g(j, kinetic));
  }
  vxi_[m - 1] += h2 * g(m - 1, kinetic);
  return kinetic;
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

double csvr_resample(double kinetic, double target, double dof, double c, double r1, double s2) {
  return kinetic + (1.0 - c) * (target * (r1 * r1 + s2) / dof - kinetic) +
         2.0 * r1 * std::sqrt(c * (1.0 - c) * kinetic * target / dof);
}

double CsvrThermostat::outer_half(ThermostatContext& c, double h, bool second, double kinetic) {
  if (!(kinetic > 0)) return kinetic;
  const auto nf = static_cast<std::uint64_t>(std::llround(c.dof));
  // N_f normal numbers: R1 and N_f − 1 more whose squares are summed. Counter: (step, half).
  const std::uint64_t counter = 2 * c.step + (second ? 1 : 0);
  double r1 = 0.0, s2 = 0.0;
  for (std::uint64_t k = 0; 2 * k < nf; ++k) {
    const NormalPair p = normal_pair(c.seed, RngStream::kCsvr, counter, k);
    if (k == 0) {
      r1 = p.a;
    } else {
      s2 += p.a * p.a;
    }
    if (2 * k + 1 < nf) s2 += p.b * p.b;
  }
  const double target = 0.5 * c.dof * c.kT;
  const double decay = std::exp(-h / tdamp_);
  const double k_new = csvr_resample(kinetic, target, c.dof, decay, r1, s2);
  const double alpha = std::sqrt(std::max(k_new, 0.0) / kinetic);
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
