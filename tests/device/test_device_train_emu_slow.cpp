// The device trainer on the whole data sets (tests/device/device_train_full_tests.hpp) on
// the emulated device, against the CPU trainer backend. Label slow (minutes on one core).
#include "device_train_full_tests.hpp"

namespace superion::testing {

INSTANTIATE_TEST_SUITE_P(Emu, DeviceTrainFull, ::testing::Values("emu"));

}  // namespace superion::testing
