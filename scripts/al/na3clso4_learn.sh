#!/bin/bash
# The end-to-end active-learning run of docs/active-learning.md: Na3ClSO4 from the project's 22
# PBE-D3 AIMD frames (data/reference/Na3ClSO4/md_*.xyz, 9-atom cells), relabelled with CHGNet (the
# learn run's reference, issue 20), to a level-10 MTP whose MD of the 2x2x2 cell (72 atoms) at
# 300-1100 K runs 5 ps per replica without a grade above 2. Rerunning continues where it stopped.
# Usage: [MAX_ITERATIONS=60] scripts/al/na3clso4_learn.sh RUN_DIR [further learn options]
# Environment: SUPERION (default build/superion), TEACHER_PY (default .venv-teacher/bin/python).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RUN=${1:?usage: na3clso4_learn.sh RUN_DIR [learn options]}
shift
SUPERION=${SUPERION:-$ROOT/build/superion}
PY=${TEACHER_PY:-$ROOT/.venv-teacher/bin/python}
CHGNET="command-batch:$PY $ROOT/scripts/al/chgnet_label.py {xyz} {out_xyz}"
D=$ROOT/data/reference/Na3ClSO4
mkdir -p "$RUN"
if [ ! -f "$RUN/init_chgnet.xyz" ]; then
  cat "$D"/md_*.xyz > "$RUN/init_frames.xyz"  # 22 frames, in ls order
  "$SUPERION" label "$RUN/init_frames.xyz" --species Na,Cl,S,O -o "$RUN/init_chgnet.xyz" \
    --calculator "$CHGNET"
fi
exec "$SUPERION" learn --out "$RUN/learn" --train "$RUN/init_chgnet.xyz" \
  --species Na,Cl,S,O --structure "$D/md_500K_strain+0.00.xyz" --supercell 2 2 2 \
  --init "$ROOT/tests/data/pso/na3clso4_level10.mtp" --train-args "--optimizer lbfgs --max-iter 300" \
  --temperatures 300,500,700,900,1100 --replicas 2 --time 5ps --timestep 1fs --thermostat csvr \
  --grade-every 1 --grade-threshold 2 --grade-break 100 --grade-mode nbh --max-new 30 \
  --max-iterations "${MAX_ITERATIONS:-60}" --threads 1 --calculator "$CHGNET" "$@"
