// Long statistical test bodies (label slow) on the emulated device: canonical sampling of every
// thermostat of the device MD engine (tests/device/device_md_tests.hpp).
#include "device_md_tests.hpp"

namespace superion::testing {

INSTANTIATE_TEST_SUITE_P(Engines, DeviceMdCanonical, ::testing::Values("emu"));
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(DeviceMdTest);  // test_device_emu.cpp

}  // namespace superion::testing
