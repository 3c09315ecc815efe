#!/bin/bash
# Held-out test of a `superion learn` run: frames of one MD pass (every 0.1 ps trajectory frame of
# every replica, thinned to every STRIDE-th), labelled with CHGNet, against the potential that ran
# that pass (it was never trained on them); and the MLIP grades of those frames against that
# potential's active set. Prints the errors over all frames and a table per replica.
# The pass: the converged one (final.mtp) when the run converged; else the last iteration whose MD
# pass is complete (iter_k/labelled.xyz exists); ITER=k chooses another.
# Usage: [ITER=k] scripts/al/validate_learn.sh LEARN_RUN_DIR [OUT_DIR] [STRIDE]
# Environment: SUPERION (default build/superion), TEACHER_PY (default .venv-teacher/bin/python).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RUN=$(cd "${1:?usage: [ITER=k] validate_learn.sh LEARN_RUN_DIR [OUT_DIR] [STRIDE]}" && pwd)
STRIDE=${3:-5}
SUPERION=${SUPERION:-$ROOT/build/superion}
PY=${TEACHER_PY:-$ROOT/.venv-teacher/bin/python}
SP=Na,Cl,S,O
if [ -n "${ITER:-}" ]; then
  IT=$(printf '%s/iter_%03d' "$RUN" "$ITER")
elif [ -f "$RUN/final.mtp" ]; then
  IT=$(ls -d "$RUN"/iter_* | sort | tail -1)
else
  IT=$(ls -d "$RUN"/iter_*/labelled.xyz 2> /dev/null | sort | tail -1 | xargs -r dirname)
fi
[ -n "$IT" ] && [ -f "$IT/pot.mtp" ] && [ -f "$IT/state.als" ] && ls "$IT"/md/*.traj.xyz > /dev/null ||
  { echo "validate_learn.sh: no finished MD pass with pot.mtp and state.als in $RUN" >&2; exit 2; }
OUT=${2:-$RUN/validation_$(basename "$IT")}
mkdir -p "$OUT"
echo "MD pass: $IT (potential $IT/pot.mtp, every ${STRIDE}th 0.1-ps frame)"
: > "$OUT/frames.xyz"
: > "$OUT/replicas.txt"
for t in "$IT"/md/*.traj.xyz; do
  "$SUPERION" convert "$t" "$OUT/part.xyz" --species $SP --frames "::$STRIDE" > /dev/null
  echo "$(basename "$t" .traj.xyz) $(grep -c Lattice= "$OUT/part.xyz")" >> "$OUT/replicas.txt"
  cat "$OUT/part.xyz" >> "$OUT/frames.xyz"
done
rm -f "$OUT/part.xyz"
"$SUPERION" label "$OUT/frames.xyz" --species $SP -o "$OUT/frames_chgnet.xyz" --quiet \
  --calculator "command-batch:$PY $ROOT/scripts/al/chgnet_label.py {xyz} {out_xyz}"
"$SUPERION" errors "$IT/pot.mtp" "$OUT/frames_chgnet.xyz" --species $SP --json "$OUT/errors.json" \
  | tee "$OUT/errors.txt"
"$SUPERION" eval "$IT/pot.mtp" "$OUT/frames.xyz" --species $SP -o "$OUT/frames_mtp.xyz" 2> /dev/null
"$SUPERION" grade "$IT/pot.mtp" "$IT/state.als" "$OUT/frames.xyz" --species $SP \
  -o "$OUT/frames_graded.xyz" | tee "$OUT/grades.txt"
cd "$OUT"
/usr/bin/python3 - <<'PY' | tee replicas.md
import numpy as np
from ase.io import read
c, m, g = (read(f, ":") for f in ("frames_chgnet.xyz", "frames_mtp.xyz", "frames_graded.xyz"))
assert len(c) == len(m) == len(g), "frame counts differ"
for a, b in zip(c, m):  # the same frames in the same order
    assert np.abs(a.positions - b.positions).max() < 1e-4, "frames out of order"
print("| replica | frames | E RMSE (meV/atom) | F RMSE (eV/A) | largest grade | frames with grade > 2 |")
print("|---|---|---|---|---|---|")
k = 0
for line in open("replicas.txt"):
    name, n = line.split()
    s = slice(k, k + int(n))
    k += int(n)
    if int(n) == 0:
        continue
    de = [1000 * (a.get_potential_energy() - b.get_potential_energy()) / len(a) for a, b in zip(c[s], m[s])]
    df = np.concatenate([a.get_forces() - b.get_forces() for a, b in zip(c[s], m[s])])
    gr = [x.info["mv_grade"] for x in g[s]]
    print(f"| {name} | {n} | {np.sqrt(np.mean(np.square(de))):.3g} | {np.sqrt(np.mean(df ** 2)):.3g} | "
          f"{max(gr):.3g} | {sum(x > 2 for x in gr)} |")
PY
