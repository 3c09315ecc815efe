// Thrust's temporary storage (sort buffers, scan partials) through a counting allocator, so peak
// device memory includes it. Part of the thin layer: cudaMalloc on the GPU, malloc on the host.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <new>

#include "backend.hpp"
#include "memory_stats.hpp"

#if SUPERION_DEVICE_CUDA
#include <cuda_runtime.h>
#endif

namespace superion::device::SUPERION_DEVICE_NS {

struct CountingTempAllocator {
  using value_type = char;
  char* allocate(std::ptrdiff_t n) {
    void* p = nullptr;
#if SUPERION_DEVICE_CUDA
    if (cudaMalloc(&p, static_cast<std::size_t>(n)) != cudaSuccess) throw std::bad_alloc();
#else
    p = std::malloc(static_cast<std::size_t>(n) > 0 ? static_cast<std::size_t>(n) : 1);
    if (!p) throw std::bad_alloc();
#endif
    memory_stats().add(static_cast<std::size_t>(n));
    return static_cast<char*>(p);
  }
  void deallocate(char* p, std::size_t n) {
    memory_stats().sub(n);
#if SUPERION_DEVICE_CUDA
    cudaFree(p);
#else
    std::free(p);
#endif
  }
};

inline CountingTempAllocator& temp_allocator() {
  static CountingTempAllocator a;
  return a;
}

}  // namespace superion::device::SUPERION_DEVICE_NS
