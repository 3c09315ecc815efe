// Status words written by device kernels and read by the host once per step: the rebuild request
// of the neighbour list and the first failure of each kind (smallest atom / pair / replica index,
// by an integer atomic min, so the report does not depend on thread order). No floating-point
// atomics: these (cuda::atomic_ref, compat.hpp) are the only atomics of the backend.
#pragma once

#include <climits>

#include "backend.hpp"
#include "compat.hpp"
#include "core/hd.hpp"

namespace superion::device::SUPERION_DEVICE_NS {

enum StatusWord : int {
  kRebuild = 0,        // 1: some atom moved more than skin/2 since the last list build
  kLostAtom,           // atom that would move more than the limit in one step (or NaN velocity)
  kClusterDistorted,   // rigid cluster corrected by more than 1e-6 Å
  kTooClose,           // pair (list index) closer than min_dist/2
  kEnergyNotFinite,    // replica
  kForceNotFinite,     // atom
  kTemperatureBlowUp,  // replica (temperature not finite or above the limit)
  kPositionNotFinite,  // atom (at a list rebuild)
  kStatusWords
};

SUPERION_HD inline void status_flag(int* status, int word) {
  atomic_or(status + word, 1);
}
SUPERION_HD inline void status_min(int* status, int word, int index) {
  atomic_min(status + word, index);
}

// Initial contents: no rebuild, no failure.
inline int status_initial(int word) {
  return word == kRebuild ? 0 : INT_MAX;
}

}  // namespace superion::device::SUPERION_DEVICE_NS
