// Small portability shims for the device sources: libcu++ (cuda::atomic_ref, cuda::std::isfinite)
// ships with the CUDA toolkit's CCCL; Debian's libthrust-dev 1.17 (the fallback without a toolkit)
// has Thrust and CUB but no libcu++, so the emulated build then uses the GCC builtins instead.
#pragma once

#include "core/hd.hpp"

#if defined(__CUDACC__) || __has_include(<cuda/atomic>)
#include <cuda/atomic>
#include <cuda/std/cmath>
#define SUPERION_HAVE_LIBCUDACXX 1
#else
#include <cmath>
#define SUPERION_HAVE_LIBCUDACXX 0
#endif

namespace superion::device {

SUPERION_HD inline bool is_finite(double x) {
#if SUPERION_HAVE_LIBCUDACXX
  return ::cuda::std::isfinite(x);
#else
  return std::isfinite(x);
#endif
}

// Integer atomics of the status words (status.hpp): relaxed fetch-or and fetch-min.
SUPERION_HD inline void atomic_or(int* p, int v) {
#if SUPERION_HAVE_LIBCUDACXX
  ::cuda::atomic_ref<int, ::cuda::thread_scope_device>(*p).fetch_or(
      v, ::cuda::std::memory_order_relaxed);
#else
  __atomic_fetch_or(p, v, __ATOMIC_RELAXED);
#endif
}

SUPERION_HD inline void atomic_min(int* p, int v) {
#if SUPERION_HAVE_LIBCUDACXX
  ::cuda::atomic_ref<int, ::cuda::thread_scope_device>(*p).fetch_min(
      v, ::cuda::std::memory_order_relaxed);
#else
  int cur = __atomic_load_n(p, __ATOMIC_RELAXED);
  while (v < cur &&
         !__atomic_compare_exchange_n(p, &cur, v, true, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
  }
#endif
}

}  // namespace superion::device
