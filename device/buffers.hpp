// Device vectors of the backend: thrust::device_vector with a counting allocator (memory_stats.hpp)
// and raw() to get the pointer a functor may capture. On the emulated build the "device" is host
// memory owned by the OpenMP device system; the code cannot tell the difference.
#pragma once

#include <thrust/device_allocator.h>
#include <thrust/device_vector.h>

#include <cstddef>
#include <vector>

#include "backend.hpp"
#include "memory_stats.hpp"

namespace superion::device::SUPERION_DEVICE_NS {

template <class T>
class CountedAllocator : public thrust::device_allocator<T> {
 public:
  using base = thrust::device_allocator<T>;
  using pointer = typename base::pointer;
  using size_type = typename base::size_type;
  template <class U>
  struct rebind {
    using other = CountedAllocator<U>;
  };
  CountedAllocator() = default;
  template <class U>
  CountedAllocator(const CountedAllocator<U>&) {}
  pointer allocate(size_type n) {
    memory_stats().add(n * sizeof(T));
    return base::allocate(n);
  }
  void deallocate(pointer p, size_type n) {
    memory_stats().sub(n * sizeof(T));
    base::deallocate(p, n);
  }
};

template <class T>
using dvec = thrust::device_vector<T, CountedAllocator<T>>;

template <class T>
T* raw(dvec<T>& v) {
  return thrust::raw_pointer_cast(v.data());
}
template <class T>
const T* raw(const dvec<T>& v) {
  return thrust::raw_pointer_cast(v.data());
}

// Resizes to n elements without keeping the contents when it must grow: the old storage is freed
// first and exactly n elements are allocated. (thrust's resize would allocate max(n, 2 × capacity)
// beside the old storage, copy and then free it: up to three times the memory a plan counts on.)
template <class T>
void resize_discard(dvec<T>& d, std::size_t n) {
  if (n > d.capacity()) dvec<T>().swap(d);
  d.resize(n);
}

// Synchronous host <-> device copies (setup, checkpoints, tests; never in the step loop).
template <class T>
void upload(dvec<T>& d, const std::vector<T>& h) {
  resize_discard(d, h.size());
  if (!h.empty()) thrust::copy(h.begin(), h.end(), d.begin());
}
template <class T>
std::vector<T> download(const dvec<T>& d) {
  std::vector<T> h(d.size());
  if (!h.empty()) thrust::copy(d.begin(), d.end(), h.begin());
  return h;
}
template <class T>
std::vector<T> download(const dvec<T>& d, std::size_t begin, std::size_t n) {
  std::vector<T> h(n);
  if (n)
    thrust::copy(d.begin() + static_cast<long>(begin), d.begin() + static_cast<long>(begin + n),
                 h.begin());
  return h;
}

}  // namespace superion::device::SUPERION_DEVICE_NS
