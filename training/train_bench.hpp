// `superion bench train` (train_bench.cpp): training speed on the CPU trainer or a device.
#pragma once

#include <CLI/CLI.hpp>

namespace superion::cli {

void register_train_bench(CLI::App& bench);

}  // namespace superion::cli
