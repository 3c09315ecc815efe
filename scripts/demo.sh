#!/usr/bin/env bash
# Installs dependencies, builds superion and runs the demo.
# Until the full demo (train an MTP on shipped antiperovskite data → MD → Arrhenius) lands, the
# demo reads the shipped Na3ClSO4 antiperovskite structure and prints its summary.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
scripts/install-deps.sh
if [ -x /usr/local/cuda/bin/nvcc ]; then export PATH=/usr/local/cuda/bin:$PATH; fi
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD" -j"$(nproc)" --target superion
"$BUILD"/superion version
"$BUILD"/superion info data/structures/Na3ClSO4_cubic.vasp
