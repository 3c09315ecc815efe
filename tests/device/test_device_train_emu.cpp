// The device trainer's test bodies (tests/device/device_train_tests.hpp) on the emulated device:
// the GPU code path built for the host, against the CPU trainer backend.
#include "device_train_tests.hpp"

namespace superion::testing {

INSTANTIATE_TEST_SUITE_P(Emu, DeviceTrain, ::testing::Values("emu"));

}  // namespace superion::testing
