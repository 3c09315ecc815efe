// The device backend's test bodies on the CPU engine (sanity) and the emulated device (the GPU
// code path built for the host): tests/device/device_*_tests.hpp.
#include "device_eval_tests.hpp"
#include "device_md_tests.hpp"

namespace superion::testing {

INSTANTIATE_TEST_SUITE_P(Engines, DeviceEval, ::testing::Values("cpu", "emu"));
INSTANTIATE_TEST_SUITE_P(Engines, DeviceMdTest, ::testing::Values("cpu", "emu"));
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(DeviceMdCanonical);  // test_device_emu_slow.cpp

}  // namespace superion::testing
