#!/usr/bin/env bash
# Installs dependencies, builds superion and runs the demo: the paper's workflow on the bundled
# CHGNet stand-in reference for Na3ClSO4 (data/reference/Na3ClSO4-chgnet: CHGNet-labelled NVT
# frames and CHGNet's own Na diffusion; CHGNet is a universal ML potential, not DFT): train an MTP,
# MTP-MD at 500-1100 K, D(Na) next to the reference's, Arrhenius Ea and sigma(300 K) with errors,
# SO4 rotation mechanism.
# Usage: scripts/demo.sh [superion demo options]   e.g. --quick (CI size), --full,
#        --compound Na3BrSO4, --out DIR
# Results (summary.json, CSV, PNG): demo-results/ unless --out is given. Exit status: 0 = Ea
# resolved, 3 = finished without a resolved Ea (reason printed), other = error.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
scripts/install-deps.sh
if [ -x /usr/local/cuda/bin/nvcc ]; then export PATH=/usr/local/cuda/bin:$PATH; fi
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD" -j"$(nproc)" --target superion
"$BUILD"/superion version
"$BUILD"/superion demo "$@"
