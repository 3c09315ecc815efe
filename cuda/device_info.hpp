// CUDA error checking (every runtime call goes through SUPERION_CUDA_CHECK) and device discovery.
#pragma once

#include <cuda_runtime.h>

#include <string>

#include "core/error.hpp"

namespace superion::cuda {

void check(cudaError_t status, const char* what, const char* file, int line);
int device_count();  // 0 when there is no usable device (never throws)
std::string device_name(int device);

}  // namespace superion::cuda

#define SUPERION_CUDA_CHECK(call) ::superion::cuda::check((call), #call, __FILE__, __LINE__)
