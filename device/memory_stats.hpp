// Device memory accounting: every device vector (buffers.hpp) and every Thrust temporary
// (temp_allocator.hpp) is counted, so `bytes per atom` is measured, not estimated, in both builds.
#pragma once

#include <atomic>
#include <cstddef>

#include "backend.hpp"

namespace superion::device::SUPERION_DEVICE_NS {

class MemoryStats {
 public:
  void add(std::size_t bytes) {
    const long long now = current_ += static_cast<long long>(bytes);
    long long p = peak_.load();
    while (now > p && !peak_.compare_exchange_weak(p, now)) {
    }
  }
  void sub(std::size_t bytes) { current_ -= static_cast<long long>(bytes); }
  std::size_t current() const { return static_cast<std::size_t>(current_.load()); }
  std::size_t peak() const { return static_cast<std::size_t>(peak_.load()); }
  void reset_peak() { peak_ = current_.load(); }

 private:
  std::atomic<long long> current_{0}, peak_{0};
};

// The process-wide counters of this build.
MemoryStats& memory_stats();

}  // namespace superion::device::SUPERION_DEVICE_NS
