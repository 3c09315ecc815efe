// The device trainer's test bodies (tests/device/device_train_tests.hpp) on the CUDA build. Label
// gpu; every test skips with a message when this build has no CUDA backend or no device is present.
#include "../device/device_train_tests.hpp"

namespace superion::testing {

INSTANTIATE_TEST_SUITE_P(Gpu, DeviceTrain, ::testing::Values("gpu"));

}  // namespace superion::testing
