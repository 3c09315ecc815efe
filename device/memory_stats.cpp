// The process-wide device memory counters of this build.
#include "memory_stats.hpp"

namespace superion::device::SUPERION_DEVICE_NS {

MemoryStats& memory_stats() {
  static MemoryStats stats;
  return stats;
}

}  // namespace superion::device::SUPERION_DEVICE_NS
