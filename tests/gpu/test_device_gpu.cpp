// The device backend's test bodies (tests/device/device_*_tests.hpp) on the CUDA build. Label gpu;
// every test skips with a message when this build has no CUDA backend or no device is present.
#include "../device/device_eval_tests.hpp"
#include "../device/device_md_tests.hpp"

namespace superion::testing {

INSTANTIATE_TEST_SUITE_P(Gpu, DeviceEval, ::testing::Values("gpu"));
INSTANTIATE_TEST_SUITE_P(Gpu, DeviceMdTest, ::testing::Values("gpu"));
INSTANTIATE_TEST_SUITE_P(Gpu, DeviceMdCanonical, ::testing::Values("gpu"));

}  // namespace superion::testing
