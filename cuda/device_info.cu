// CUDA runtime helpers: error checking and device discovery (used to skip GPU tests visibly).
#include "device_info.hpp"

#include <cuda_runtime.h>

#include <string>

namespace superion::cuda {

void check(cudaError_t status, const char* what, const char* file, int line) {
  if (status != cudaSuccess)
    throw Error(std::string("CUDA error in ") + what + " at " + file + ":" + std::to_string(line) + ": " +
                cudaGetErrorString(status));
}

int device_count() {
  int n = 0;
  if (cudaGetDeviceCount(&n) != cudaSuccess) {
    cudaGetLastError();  // clear the sticky "no device" error
    return 0;
  }
  return n;
}

std::string device_name(int device) {
  cudaDeviceProp prop{};
  SUPERION_CUDA_CHECK(cudaGetDeviceProperties(&prop, device));
  return prop.name;
}

}  // namespace superion::cuda
