// The device trainer on the whole data sets (tests/device/device_train_full_tests.hpp) on
// the CUDA build. Label gpu; every test skips with a message without a CUDA build or device.
#include "../device/device_train_full_tests.hpp"

namespace superion::testing {

INSTANTIATE_TEST_SUITE_P(Gpu, DeviceTrainFull, ::testing::Values("gpu"));

}  // namespace superion::testing
