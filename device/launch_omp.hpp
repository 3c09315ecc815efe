// Thin layer, emulated build (THRUST_DEVICE_SYSTEM_OMP, host compiler): see launch.hpp. Kernels
// become OpenMP loops over the index; each index writes only its own outputs, so results do not
// depend on the number of threads. "Device" memory is host memory, copies are plain copies.
#pragma once

#include <thrust/system/omp/execution_policy.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <string>
#include <vector>

#include "backend.hpp"
#include "temp_allocator.hpp"

namespace superion::device::SUPERION_DEVICE_NS {

// Kernel launch: an OpenMP loop (static schedule; load balance is the runtime's business).
template <class F>
void for_n(long n, const F& f) {
#pragma omp parallel for schedule(static)
  for (long i = 0; i < n; ++i) f(i);
}

// The same with dynamic scheduling, for kernels whose work per index varies (per-atom MTP passes).
template <class F>
void for_n_balanced(long n, const F& f) {
#pragma omp parallel for schedule(dynamic, 16)
  for (long i = 0; i < n; ++i) f(i);
}

inline auto exec() {
  return thrust::omp::par(temp_allocator());
}
inline void synchronize() {}

template <class T>
class PinnedBuffer {
 public:
  void resize(std::size_t n) { data_.resize(n); }
  T* data() { return data_.data(); }
  const T* data() const { return data_.data(); }
  std::size_t size() const { return data_.size(); }

 private:
  std::vector<T> data_;
};

class AsyncCopy {
 public:
  // Copies `bytes` from device memory to host memory (here: at once).
  void enqueue(void* host, const void* device, std::size_t bytes) {
    if (bytes) std::memcpy(host, device, bytes);
  }
  void record() {}
  bool ready() const { return true; }
  void wait() {}
};

inline int runtime_device_count() {
  return 0;
}
inline std::string runtime_device_name() {
  return "host (OpenMP, emulated device)";
}
inline void select_device(int) {}
// Memory a device computation may plan with: a quarter of the physical memory, at most 8 GiB
// (the emulated device shares the host's memory with everything else).
inline std::size_t runtime_memory_free() {
  const long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
  const std::size_t phys = pages > 0 && size > 0 ? static_cast<std::size_t>(pages) * size : 0;
  return std::min<std::size_t>(std::size_t(8) << 30, phys / 4);
}
inline const char* backend_name() {
  return "emu";
}

}  // namespace superion::device::SUPERION_DEVICE_NS
