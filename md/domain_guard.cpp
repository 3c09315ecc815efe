// Training-domain guard of MD; see domain_guard.hpp.
#include "domain_guard.hpp"

#include <cstdio>

#include "core/error.hpp"

namespace superion::md {

DomainPolicy parse_domain_policy(const std::string& text) {
  if (text == "stop") return DomainPolicy::kStop;
  if (text == "warn") return DomainPolicy::kWarn;
  if (text == "off") return DomainPolicy::kOff;
  throw Error("--outside-domain: expected stop, warn or off, got '" + text + "'");
}

DomainGuard::DomainGuard(const Mtp& model, std::string potential, DomainGuardOptions options)
    : potential_(std::move(potential)), opt_(options) {
  model_.species_count = model.species_count;
  model_.species_names = model.species_names;
  model_.domain_min_distance = model.domain_min_distance;
  if (opt_.every < 1) throw Error("--domain-check-every must be >= 1");
  if (!(opt_.tolerance >= 0)) throw Error("--domain-tolerance must be >= 0");
}

bool DomainGuard::active() const {
  return opt_.policy != DomainPolicy::kOff && !model_.domain_min_distance.empty();
}

std::string DomainGuard::explain(const DomainExit& e) const {
  auto name = [&](int t) {
    return model_.species_names.empty() ? "type " + std::to_string(t)
                                        : model_.species_names[static_cast<std::size_t>(t)];
  };
  const std::string pair = name(e.type_a) + "-" + name(e.type_b);
  char buf[320];
  std::snprintf(buf, sizeof buf,
                "%s at %.3f A (atoms %zu and %zu), %.3f A closer than the shortest %s distance "
                "in the training data (%.3f A)",
                pair.c_str(), e.distance, e.atom_a + 1, e.atom_b + 1, e.depth(), pair.c_str(),
                e.limit);
  return buf;
}

std::string DomainGuard::describe() const {
  if (model_.domain_min_distance.empty())
    return "training domain: none stored in " + potential_ +
           " (an MLIP or older potential): MD cannot tell when it extrapolates; retrain with "
           "superion to store it, or use --domain TRAIN.xyz";
  if (opt_.policy == DomainPolicy::kOff) return "training domain: check off (--outside-domain off)";
  std::string pairs;
  const int C = model_.species_count;
  char buf[64];
  for (int a = 0; a < C; ++a)
    for (int b = a; b < C; ++b) {
      const auto name = [&](int t) {
        return model_.species_names.empty() ? std::to_string(t)
                                            : model_.species_names[static_cast<std::size_t>(t)];
      };
      std::snprintf(buf, sizeof buf, " %s-%s %.3f", name(a).c_str(), name(b).c_str(),
                    model_.domain_min_distance[static_cast<std::size_t>(a) * C + b]);
      pairs += buf;
    }
  std::snprintf(buf, sizeof buf, "%.3g A, every %lld steps", opt_.tolerance,
                static_cast<long long>(opt_.every));
  return "training domain of " + potential_ + " (shortest distances, A):" + pairs + "; " +
         (opt_.policy == DomainPolicy::kStop ? "MD stops" : "MD warns") +
         " when a pair comes closer by more than " + buf;
}

DomainExit DomainGuard::check(const Structure& s, std::int64_t step, const std::string& where) {
  DomainExit e;
  if (!active() || step % opt_.every != 0) return e;
  ++checks_;
  e = check_training_domain(s, model_.domain_min_distance, model_.species_count, opt_.tolerance);
  if (!e.outside) return e;
  ++exits_;
  const std::string what = "the run left the training domain of " + potential_ + " at step " +
                           std::to_string(step) + where + ": " + explain(e);
  if (opt_.policy == DomainPolicy::kStop)
    throw OutsideDomainError(what +
                             ". The potential extrapolates there (its energy can fall without "
                             "bound). Retrain with such configurations, keep the run inside with "
                             "--domain TRAIN.xyz, or continue with --outside-domain warn");
  if (exits_ == 1)
    std::fprintf(stderr, "warning: %s; continuing (--outside-domain warn)\n", what.c_str());
  return e;
}

std::string DomainGuard::likely_cause(const Structure& s) const {
  if (model_.domain_min_distance.empty())
    return "likely cause: the potential extrapolating outside its training data (it stores no "
           "training domain to check), or a too large time step";
  const DomainExit e =
      check_training_domain(s, model_.domain_min_distance, model_.species_count, opt_.tolerance);
  if (e.outside) return "likely cause: the potential left its training domain: " + explain(e);
  return "the structure is inside the training domain (no pair closer than the training data's "
         "shortest distance by more than the tolerance): likely cause a too large time step or a "
         "too weak thermostat";
}

}  // namespace superion::md
