#!/usr/bin/env bash
# Installs dependencies, builds superion (CUDA backend when nvcc is found) and runs every test.
# Usage: scripts/test.sh [build-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
scripts/install-deps.sh
scripts/install-peers.sh
# nvcc lives in /usr/local/cuda on our machines; put it on PATH when present: the CUDA backend
# (superion_cuda, warnings as errors) is then compiled too. The emulated device backend
# (superion_device_emu) is always built and its tests always run; GPU tests skip without a device.
if [ -x /usr/local/cuda/bin/nvcc ]; then export PATH=/usr/local/cuda/bin:$PATH; fi
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release
cmake --build "$BUILD" -j"$(nproc)"
cd "$BUILD"
ctest --output-on-failure -j"$(nproc)"
