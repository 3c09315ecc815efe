// Thin layer, GPU build (nvcc, THRUST_DEVICE_SYSTEM_CUDA): see launch.hpp. The default stream for
// compute and one copy stream per process; kernels are launched with 128-thread blocks (the
// per-atom MTP passes use many registers; docs/gpu.md has the occupancy numbers).
#pragma once

#include <cuda_runtime.h>
#include <thrust/system/cuda/execution_policy.h>

#include <cstddef>
#include <string>

#include "backend.hpp"
#include "core/error.hpp"
#include "temp_allocator.hpp"

namespace superion::device::SUPERION_DEVICE_NS {

inline void cuda_check(cudaError_t status, const char* what) {
  if (status != cudaSuccess)
    throw Error(std::string("CUDA error in ") + what + ": " + cudaGetErrorString(status));
}

// Compute work runs on the legacy default stream, where thrust::device_vector's own operations
// (resize, fill, copies) also run, so they are ordered with the kernels without extra events. The
// copy stream does not block on it; AsyncCopy orders it with an event.
struct Streams {
  cudaStream_t compute = nullptr, copy = nullptr;
  Streams() {
    cuda_check(cudaStreamCreateWithFlags(&copy, cudaStreamNonBlocking), "cudaStreamCreate");
  }
};
inline Streams& streams() {
  static Streams s;
  return s;
}

template <class F>
__global__ void for_n_kernel(long n, F f) {
  const long i = static_cast<long>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i < n) f(i);
}

constexpr int kBlock = 128;

template <class F>
void for_n(long n, const F& f) {
  if (n <= 0) return;
  const long blocks = (n + kBlock - 1) / kBlock;
  for_n_kernel<<<static_cast<unsigned>(blocks), kBlock, 0, streams().compute>>>(n, f);
  cuda_check(cudaGetLastError(), "kernel launch");
}

// On the GPU every index is its own thread: no separate balancing is needed.
template <class F>
void for_n_balanced(long n, const F& f) {
  for_n(n, f);
}

inline auto exec() {
  return thrust::cuda::par_nosync(temp_allocator()).on(streams().compute);
}
inline void synchronize() {
  cuda_check(cudaStreamSynchronize(streams().compute), "synchronize");
}

template <class T>
class PinnedBuffer {
 public:
  PinnedBuffer() = default;
  PinnedBuffer(const PinnedBuffer&) = delete;
  PinnedBuffer& operator=(const PinnedBuffer&) = delete;
  ~PinnedBuffer() { release(); }
  void resize(std::size_t n) {
    if (n == n_) return;
    release();
    if (n)
      cuda_check(cudaMallocHost(reinterpret_cast<void**>(&p_), n * sizeof(T)), "cudaMallocHost");
    n_ = n;
  }
  T* data() { return p_; }
  const T* data() const { return p_; }
  std::size_t size() const { return n_; }

 private:
  void release() {
    if (p_) cudaFreeHost(p_);
    p_ = nullptr;
    n_ = 0;
  }
  T* p_ = nullptr;
  std::size_t n_ = 0;
};

// Device → pinned host copies on the copy stream, ordered after the compute work enqueued so far.
class AsyncCopy {
 public:
  AsyncCopy() {
    cuda_check(cudaEventCreateWithFlags(&after_compute_, cudaEventDisableTiming),
               "cudaEventCreate");
    cuda_check(cudaEventCreateWithFlags(&done_, cudaEventDisableTiming), "cudaEventCreate");
  }
  AsyncCopy(const AsyncCopy&) = delete;
  AsyncCopy& operator=(const AsyncCopy&) = delete;
  ~AsyncCopy() {
    cudaEventDestroy(after_compute_);
    cudaEventDestroy(done_);
  }
  // The first enqueue after record() waits for the compute work enqueued before record().
  void record() {
    cuda_check(cudaEventRecord(after_compute_, streams().compute), "cudaEventRecord");
    cuda_check(cudaStreamWaitEvent(streams().copy, after_compute_, 0), "cudaStreamWaitEvent");
  }
  void enqueue(void* host, const void* device, std::size_t bytes) {
    if (!bytes) return;
    cuda_check(cudaMemcpyAsync(host, device, bytes, cudaMemcpyDeviceToHost, streams().copy),
               "cudaMemcpyAsync");
    cuda_check(cudaEventRecord(done_, streams().copy), "cudaEventRecord");
  }
  bool ready() const { return cudaEventQuery(done_) == cudaSuccess; }
  void wait() { cuda_check(cudaEventSynchronize(done_), "cudaEventSynchronize"); }

 private:
  cudaEvent_t after_compute_ = nullptr, done_ = nullptr;
};

inline int runtime_device_count() {
  int n = 0;
  if (cudaGetDeviceCount(&n) != cudaSuccess) {
    cudaGetLastError();
    return 0;
  }
  return n;
}
inline std::string runtime_device_name() {
  int d = 0;
  cudaDeviceProp p{};
  if (cudaGetDevice(&d) != cudaSuccess || cudaGetDeviceProperties(&p, d) != cudaSuccess)
    return "unknown CUDA device";
  return p.name;
}
inline void select_device(int d) {
  cuda_check(cudaSetDevice(d), "cudaSetDevice");
}
// Free device memory now (cudaMemGetInfo).
inline std::size_t runtime_memory_free() {
  std::size_t free = 0, total = 0;
  cuda_check(cudaMemGetInfo(&free, &total), "cudaMemGetInfo");
  return free;
}
inline const char* backend_name() {
  return "cuda";
}

}  // namespace superion::device::SUPERION_DEVICE_NS
