// GPU smoke test (label `gpu`): the CUDA runtime is reachable and error checking throws with
// context. Skips with a visible message on machines without a CUDA device (CI, developer boxes).
#include <gtest/gtest.h>

#include "device_info.hpp"

namespace {

TEST(CudaRuntime, DeviceIsUsableOrSkippedVisibly) {
  if (superion::cuda::device_count() == 0) GTEST_SKIP() << "no CUDA device present: GPU test skipped";
  EXPECT_FALSE(superion::cuda::device_name(0).empty());
  void* p = nullptr;
  SUPERION_CUDA_CHECK(cudaMalloc(&p, 1024));
  SUPERION_CUDA_CHECK(cudaFree(p));
}

TEST(CudaRuntime, ErrorsCarryContext) {
  try {
    superion::cuda::check(cudaErrorInvalidValue, "cudaMemcpy(dst, src)", "file.cu", 12);
    FAIL() << "check() did not throw";
  } catch (const superion::Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("cudaMemcpy(dst, src)"), std::string::npos);
    EXPECT_NE(msg.find("file.cu:12"), std::string::npos);
  }
}

}  // namespace
