// StepObserver: something the MD driver calls every `every()` steps (and once at the start of a
// fresh run) with the current state; it may stop the run, naming why. The driver then writes a
// checkpoint and commits its outputs as at a normal end. Extrapolation grading
// (md_grading.hpp) is one.
#pragma once

#include <cstdint>
#include <string>

#include "simulation.hpp"

namespace superion::md {

struct ObserverVerdict {
  bool stop = false;
  std::string reason;  // one line, e.g. "extrapolation grade 12.3 > --grade-break 10 at step 40"
};

class StepObserver {
 public:
  virtual ~StepObserver() = default;
  virtual std::int64_t every() const = 0;
  virtual ObserverVerdict observe(Simulation& sim) = 0;
  // Makes the observer's own output durable (at checkpoints and at the end).
  virtual void flush() {}
};

}  // namespace superion::md
