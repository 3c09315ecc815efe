// The thin layer of the device backend: everything that must differ between the GPU build and the
// emulated build is declared here and implemented twice, in launch_cuda.hpp (CUDA runtime) and
// launch_omp.hpp (OpenMP on the host). Everything else in device/ is shared source.
//
//   for_n(n, f)           run f(i) for i in [0, n): a CUDA kernel launch vs an OpenMP loop
//                         (a hand-written kernel cannot be expressed for both otherwise)
//   exec()                the Thrust execution policy on the compute stream, with the counting
//                         temporary allocator (CUDA streams exist only on the GPU)
//   synchronize()         wait for the compute stream (a no-op on the host)
//   PinnedBuffer<T>       page-locked host memory for asynchronous copies (cudaMallocHost vs plain
//                         host memory)
//   AsyncCopy             device → pinned host copy on a copy stream after the work enqueued so
//                         far, with an event to wait on (cudaMemcpyAsync + events vs memcpy)
//   runtime_device_count(), runtime_device_name(), select_device(): device selection (CUDA runtime
//   only); runtime_memory_free(): memory a computation may plan with (cudaMemGetInfo vs a share
//   of the host's physical memory)
//
// Functors passed to for_n capture only raw pointers into device vectors (buffers.hpp) and plain
// values, so the emulated build exercises the same memory discipline as the GPU build.
#pragma once

#include "backend.hpp"

#if SUPERION_DEVICE_CUDA
#include "launch_cuda.hpp"
#else
#include "launch_omp.hpp"
#endif
