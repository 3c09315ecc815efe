#!/usr/bin/env bash
# Installs dependencies, builds superion and runs the demo: train an MTP on the bundled Na3ClSO4
# CP2K data, NVT MD at 5 temperatures, Na diffusion / Arrhenius / SO4 rotation analysis.
# Usage: scripts/demo.sh [superion demo options]   e.g. --quick (CI size), --full, --out DIR
# Results (summary.json, CSV, PNG): demo-results/ unless --out is given.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
scripts/install-deps.sh
if [ -x /usr/local/cuda/bin/nvcc ]; then export PATH=/usr/local/cuda/bin:$PATH; fi
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD" -j"$(nproc)" --target superion
"$BUILD"/superion version
"$BUILD"/superion demo "$@"
