#!/usr/bin/env bash
# Makes the CHGNet stand-in reference data (issue 20) for the given compounds, one process on one
# core at a time, every stage resumable (re-run the same command to continue after a stop):
#   relax -> train (15 NVT runs: 300..1100 K x strain -5/0/+5 %) -> volumes -> diffusion (replicas
#   until each D(Na) has a standard error <= TARGET_ERROR) -> report -> pack (into
#   data/reference/COMPOUND-chgnet).
# Usage: scripts/teacher/make-teacher-data.sh [COMPOUND ...]   (default: Na3ClSO4 Na3BrSO4)
# Environment: DIFF_T ("700 800 900 1000 1100"), DIFF_PS (6, production ps per replica),
#   DIFF_EQ_PS (0.5, equilibration before each replica),
#   MIN_REPLICAS (3), MAX_REPLICAS (6), TARGET_ERROR (0.30), BUDGET_H (diffusion stage, 0 = none),
#   PY (.venv-teacher/bin/python; make it with scripts/install-teacher.sh).
# Typical cost: ~0.11 s of CPU per MD step of the 70-atom cell (one torch thread); the default plan
# is ~19k training + ~50k diffusion steps per compound.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PY:-.venv-teacher/bin/python}
[ -x "$PY" ] || { echo "error: $PY not found; run scripts/install-teacher.sh first" >&2; exit 1; }
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
COMPOUNDS=("$@")
[ ${#COMPOUNDS[@]} -gt 0 ] || COMPOUNDS=(Na3ClSO4 Na3BrSO4)
for c in "${COMPOUNDS[@]}"; do
  "$PY" scripts/teacher/chgnet_teacher.py --compound "$c" relax train volumes pack
  "$PY" scripts/teacher/chgnet_teacher.py --compound "$c" \
      --diff-T ${DIFF_T:-700 800 900 1000 1100} --diff-ps "${DIFF_PS:-6}" --diff-eq-ps "${DIFF_EQ_PS:-0.5}" \
      --min-replicas "${MIN_REPLICAS:-3}" --max-replicas "${MAX_REPLICAS:-6}" \
      --target-error "${TARGET_ERROR:-0.30}" --budget-h "${BUDGET_H:-0}" diffusion report pack
done
