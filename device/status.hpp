// Status words written by device kernels and read by the host once per step: the rebuild request
// of the neighbour list and the first failure of each kind (smallest atom / pair / replica index,
// by an integer atomic min, so the report does not depend on thread order). No floating-point
// atomics: these are the only atomics of the backend.
#pragma once

#include <climits>
#include <cuda/atomic>

#include "backend.hpp"
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
  ::cuda::atomic_ref<int, ::cuda::thread_scope_device>(status[word])
      .fetch_or(1, ::cuda::std::memory_order_relaxed);
}
SUPERION_HD inline void status_min(int* status, int word, int index) {
  ::cuda::atomic_ref<int, ::cuda::thread_scope_device>(status[word])
      .fetch_min(index, ::cuda::std::memory_order_relaxed);
}

// Initial contents: no rebuild, no failure.
inline int status_initial(int word) {
  return word == kRebuild ? 0 : INT_MAX;
}

}  // namespace superion::device::SUPERION_DEVICE_NS
