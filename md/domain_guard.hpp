// Training-domain guard of `superion md` (until MaxVol extrapolation grades, issue 21): every
// `every` steps the MD structure is compared with the training domain stored in the potential
// (mtp/training_domain.hpp: the shortest distance of each element pair in the training data).
// When a pair comes more than `tolerance` closer than that, the potential extrapolates: by default
// the run stops with a SimulationError naming the pair, its distance, the data's limit and the
// step; `warn` reports the first exit and the count at the end; `off` skips the check. The same
// diagnosis is added to any other failure (temperature blow-up, lost atom) as its likely cause.
#pragma once

#include <cstdint>
#include <string>

#include "core/structure.hpp"
#include "force_backend.hpp"
#include "mtp/mtp_model.hpp"
#include "mtp/training_domain.hpp"

namespace superion::md {

enum class DomainPolicy { kStop, kWarn, kOff };

// Thrown by DomainGuard::check under the stop policy.
class OutsideDomainError : public SimulationError {
 public:
  using SimulationError::SimulationError;
};
// "stop" | "warn" | "off" (Error otherwise).
DomainPolicy parse_domain_policy(const std::string& text);

struct DomainGuardOptions {
  DomainPolicy policy = DomainPolicy::kStop;
  double tolerance = 0.1;   // Å inside the data's shortest distance before it counts
  std::int64_t every = 10;  // steps between checks
};

class DomainGuard {
 public:
  DomainGuard(const Mtp& model, std::string potential, DomainGuardOptions options);
  // False when the potential stores no domain or the policy is off.
  bool active() const;
  // One line for the start of the run: the domain and the policy (or why there is no check).
  std::string describe() const;
  // At step k (checked when k % every == 0): stop → throws SimulationError on an exit; warn →
  // prints the first exit to stderr and counts. Returns the exit found (outside = false if none).
  // `where` is added after the step in the messages (e.g. " (replica _T1000)").
  DomainExit check(const Structure& s, std::int64_t step, const std::string& where = "");
  // "likely cause: …" for a failure at structure s (any policy, also without a stored domain).
  std::string likely_cause(const Structure& s) const;
  std::int64_t every() const { return opt_.every; }
  // Checks made and how many found the structure outside (warn policy).
  std::int64_t checks() const { return checks_; }
  std::int64_t exits() const { return exits_; }
  // "Na-O at 1.520 A, 0.190 A closer than the shortest Na-O distance in the training data (1.710
  // A)"
  std::string explain(const DomainExit& e) const;

 private:
  Mtp model_;  // names and domain only are used
  std::string potential_;
  DomainGuardOptions opt_;
  std::int64_t checks_ = 0, exits_ = 0;
};

}  // namespace superion::md
