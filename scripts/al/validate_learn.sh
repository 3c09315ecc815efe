#!/bin/bash
# Held-out test of a converged `superion learn` run: frames of its final MD pass (every 0.1 ps
# trajectory frame of every replica, thinned to every STRIDE-th), labelled with CHGNet, against the
# final potential; and the MLIP grades of those frames against the final active set.
# Usage: scripts/al/validate_learn.sh LEARN_RUN_DIR [OUT_DIR] [STRIDE]
# Environment: SUPERION (default build/superion), TEACHER_PY (default .venv-teacher/bin/python).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RUN=$(cd "${1:?usage: validate_learn.sh LEARN_RUN_DIR [OUT_DIR] [STRIDE]}" && pwd)
OUT=${2:-$RUN/validation}
STRIDE=${3:-5}
SUPERION=${SUPERION:-$ROOT/build/superion}
PY=${TEACHER_PY:-$ROOT/.venv-teacher/bin/python}
SP=Na,Cl,S,O
mkdir -p "$OUT"
LAST=$(ls -d "$RUN"/iter_* | sort | tail -1)
: > "$OUT/frames.xyz"
for t in "$LAST"/md/*.traj.xyz; do
  "$SUPERION" convert "$t" "$OUT/part.xyz" --species $SP --frames "::$STRIDE" > /dev/null
  cat "$OUT/part.xyz" >> "$OUT/frames.xyz"
done
rm -f "$OUT/part.xyz"
"$SUPERION" label "$OUT/frames.xyz" --species $SP -o "$OUT/frames_chgnet.xyz" --quiet \
  --calculator "command-batch:$PY $ROOT/scripts/al/chgnet_label.py {xyz} {out_xyz}"
"$SUPERION" errors "$RUN/final.mtp" "$OUT/frames_chgnet.xyz" --species $SP --json "$OUT/errors.json" \
  | tee "$OUT/errors.txt"
"$SUPERION" grade "$RUN/final.mtp" "$RUN/final_state.als" "$OUT/frames.xyz" --species $SP \
  -o "$OUT/frames_graded.xyz" | tee "$OUT/grades.txt"
