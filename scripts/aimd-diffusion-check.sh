#!/usr/bin/env bash
# MTP-MD vs AIMD diffusion check: does MD with an MTP trained on an AIMD run reproduce that run's
# Na diffusion coefficient at the same temperatures?
#   1. split every AIMD trajectory DATA/md_<T>K_*.xyz: every TRAIN_STRIDE-th frame trains, the
#      frames halfway between are the held-out test (SPLIT=interleaved), or the first
#      TRAIN_FRACTION trains and the rest tests (SPLIT=time);
#   2. train one MTP on all training frames (LM, energy:force = 100:1, no stress), report its
#      errors on the held-out frames (`superion errors`);
#   3. per temperature: REPLICAS MTP-MD runs as long as the AIMD run (same start structure,
#      cell, time step 1 fs, CSVR thermostat with the AIMD's 50 fs, the domain wall of the
#      training frames), plus one LONG_PS run;
#   4. D(Na) of the AIMD run, of every replica and of the long run with `superion analyze
#      diffusion`, partial RDFs of the AIMD run and the long run, all after discarding the first
#      EQUIL_PS;
#   5. scripts/aimd_diffusion_summary.py writes OUT/comparison.json and a table: the AIMD D is
#      compared with the distribution of D over MTP-MD runs of the same length (its sampling
#      uncertainty) and with the long-run D.
# Usage: scripts/aimd-diffusion-check.sh DATA_DIR OUT_DIR
#   DATA_DIR: converted AIMD runs (md_*K_*.xyz) and their raw CP2K folders (cp2k/<run>/start.xyz)
#   e.g. data/reference/Na3ClSO4-pm3 (made by scripts/make-reference-data.sh with LEVEL=pm3).
# Environment: LEVEL_MTP (default 8), RCUT (5.0), MAX_ITER (LM iterations, 150), WALL_K (1000
#   eV/A^3; 0 = MTP-MD without the domain wall), REPLICAS (32),
#   LONG_PS (100), EQUIL_PS (0.5), MIN_OBS (10), SPLIT (interleaved), TRAIN_FRACTION (0.8, time
#   split), TRAIN_STRIDE (4), SPECIES (Na Cl S O),
#   MTP (use this trained potential instead of training one), SEED (1), THREADS (1), MD_T (aimd:
#   MTP-MD at the AIMD's mean temperature after EQUIL_PS, or nominal),
#   SUPERION (build/superion).
set -euo pipefail
DATA=${1:?usage: $0 DATA_DIR OUT_DIR}
OUT=${2:?usage: $0 DATA_DIR OUT_DIR}
mkdir -p "$OUT"
DATA=$(cd "$DATA" && pwd)
OUT=$(cd "$OUT" && pwd)
[ -z "${MTP:-}" ] || MTP=$(realpath "$MTP")
cd "$(dirname "$0")/.."
ROOT=$PWD
SUPERION=${SUPERION:-$ROOT/build/superion}
LEVEL_MTP=${LEVEL_MTP:-8}
RCUT=${RCUT:-5.0}
MAX_ITER=${MAX_ITER:-150}
# MTP-MD runs with `--domain TRAIN`: a wall k/3 (r_w - r)^3 below each element pair's shortest
# distance in the training frames (zero on them). WALL_K = 0 runs without it.
WALL_K=${WALL_K:-1000}
REPLICAS=${REPLICAS:-32}
LONG_PS=${LONG_PS:-100}
EQUIL_PS=${EQUIL_PS:-0.5}
# pymatgen's 'max' smoothing fits lags from 1 ps up to n_ions x frames / MIN_OBS frames; its default
# 30 leaves no lags for 11 Na ions and a few ps, so 10 (the same for AIMD and MTP-MD).
MIN_OBS=${MIN_OBS:-10}
TRAIN_FRACTION=${TRAIN_FRACTION:-0.8}
TRAIN_STRIDE=${TRAIN_STRIDE:-4}
# SPLIT=interleaved (default): train on every TRAIN_STRIDE-th frame of the whole run, test on the
# frames halfway between (interpolation in time). SPLIT=time: train on the first TRAIN_FRACTION,
# test on the rest (transferability to later times; a few-ps AIMD run keeps visiting new
# configurations, so this fails for the PM3 runs: docs/reference-data.md).
SPLIT=${SPLIT:-interleaved}
[ "$SPLIT" = time ] || [ "$SPLIT" = interleaved ] || { echo "error: SPLIT must be time or interleaved" >&2; exit 1; }
[ "$SPLIT" = time ] || [ $((TRAIN_STRIDE % 2)) -eq 0 ] || { echo "error: SPLIT=interleaved needs an even TRAIN_STRIDE" >&2; exit 1; }
SEED=${SEED:-1}
THREADS=${THREADS:-1}
read -r -a SPECIES <<<"${SPECIES:-Na Cl S O}"
RDF_PAIRS=(Na-Na Na-Cl Na-O S-O O-O Cl-O)
PY=/usr/bin/python3
[ -x "$SUPERION" ] || { echo "error: $SUPERION not built (cmake --build build --target superion)" >&2; exit 1; }
log() { echo "[$(date -u +%H:%M:%S)] $*"; }

shopt -s nullglob
runs=()
for f in "$DATA"/md_*K_*.xyz "$DATA"/md_*K_*.xyz.gz; do runs+=("$f"); done
[ ${#runs[@]} -gt 0 ] || { echo "error: no AIMD runs md_<T>K_*.xyz in $DATA" >&2; exit 1; }
mkdir -p "$OUT"/split "$OUT"/md "$OUT"/diffusion

# Frame count of an extxyz file (first line of every frame = atom count).
frames_of() { "$SUPERION" info "$1" | awk '$1 == "configurations" {print $2}'; }

# 1. split
train_files=() test_files=()
for f in "${runs[@]}"; do
  name=$(basename "$f"); name=${name%.gz}; name=${name%.xyz}
  n=$(frames_of "$f")
  if [ "$SPLIT" = time ]; then
    cut=$($PY -c "print(int($n * $TRAIN_FRACTION))")
    train_sel="0:$cut:$TRAIN_STRIDE" test_sel="$cut::$TRAIN_STRIDE"
  else
    train_sel="0::$TRAIN_STRIDE" test_sel="$((TRAIN_STRIDE / 2))::$TRAIN_STRIDE"
  fi
  "$SUPERION" convert "$f" "$OUT/split/${name}_train.xyz" --frames "$train_sel" >/dev/null
  "$SUPERION" convert "$f" "$OUT/split/${name}_test.xyz" --frames "$test_sel" >/dev/null
  train_files+=("$OUT/split/${name}_train.xyz"); test_files+=("$OUT/split/${name}_test.xyz")
  log "$name: $n frames, $SPLIT split: training frames $train_sel, test frames $test_sel"
done
cat "${train_files[@]}" > "$OUT/train.xyz"
cat "${test_files[@]}" > "$OUT/test.xyz"

# 2. train
if [ -n "${MTP:-}" ]; then
  cp "$MTP" "$OUT/pot.mtp"
  log "using the given potential $MTP"
else
  log "training a level-$LEVEL_MTP MTP (rcut $RCUT A) on $(frames_of "$OUT/train.xyz") frames"
  # --valid-fraction 0: all training frames are fitted, the held-out test frames only monitored
  # (never used for early stopping), as when the committed potential was made.
  OMP_NUM_THREADS=$THREADS "$SUPERION" train --data "$OUT/train.xyz" --valid "$OUT/test.xyz" \
    --species "${SPECIES[@]}" --level "$LEVEL_MTP" --rcut "$RCUT" --energy-weight 1 \
    --force-weight 0.01 --stress-weight 0 --max-iter "$MAX_ITER" --seed "$SEED" \
    --threads "$THREADS" --valid-fraction 0 -o "$OUT/pot.mtp" > "$OUT/train.log"
fi
"$SUPERION" errors "$OUT/pot.mtp" "$OUT/test.xyz" --species "${SPECIES[@]}" \
  --json "$OUT/test_errors.json" > "$OUT/test_errors.txt"
cat "$OUT/test_errors.txt"

# 3./4. MTP-MD and diffusion per temperature
for f in "${runs[@]}"; do
  name=$(basename "$f"); name=${name%.gz}; name=${name%.xyz}
  T=${name#md_}; T=${T%%K_*}
  start=$DATA/cp2k/$name/start.xyz
  [ -f "$start" ] || { echo "error: $start missing (the AIMD start structure)" >&2; exit 1; }
  # AIMD length in fs from the last frame's time_fs, its frame spacing, and its mean temperature
  # after EQUIL_PS (CP2K's printed temperature_K of each frame).
  read -r aimd_fs every_fs aimd_T < <($PY - "$f" "$EQUIL_PS" <<'EOF'
import gzip, re, sys
path, equil_fs = sys.argv[1], 1000.0 * float(sys.argv[2])
opener = gzip.open if path.endswith(".gz") else open
times, temps = [], []
for line in opener(path, "rt"):
    m = re.search(r"time_fs=([-+0-9.eE]+)", line)
    if m:
        times.append(float(m.group(1)))
        t = re.search(r"temperature_K=([-+0-9.eE]+)", line)
        if t and times[-1] - times[0] >= equil_fs:
            temps.append(float(t.group(1)))
mean_T = sum(temps) / len(temps) if temps else float("nan")
print(int(round(times[-1] - times[0])), int(round(times[1] - times[0])), f"{mean_T:.1f}")
EOF
)
  # MD_T=aimd (default): MTP-MD at the AIMD's measured mean temperature (the CSVR thermostat of a
  # Born-Oppenheimer run with finite SCF convergence holds it a few % above the target), or
  # MD_T=nominal: at the AIMD's target T.
  md_T=$T
  [ "${MD_T:-aimd}" = aimd ] && [ "$aimd_T" != nan ] && md_T=$aimd_T
  log "$name: AIMD ${aimd_fs} fs (frames every ${every_fs} fs, mean T ${aimd_T} K after ${EQUIL_PS} ps); MTP-MD $REPLICAS x ${aimd_fs} fs + ${LONG_PS} ps at $md_T K"
  "$SUPERION" analyze diffusion "$f" --species Na --temperature "$T" --start-time "$EQUIL_PS" --min-obs "$MIN_OBS" \
    --json "$OUT/diffusion/${name}_aimd.json" > /dev/null
  mdcommon=(--potential "$OUT/pot.mtp" --structure "$start" --species "${SPECIES[@]}"
            --temperature "$md_T" --thermostat csvr --tdamp 50fs --timestep 1fs
            --threads "$THREADS" --quiet --dump-every "$every_fs")
  if [ "$WALL_K" != 0 ]; then mdcommon+=(--domain "$OUT/train.xyz" --wall-stiffness "$WALL_K"); fi
  "$SUPERION" md "${mdcommon[@]}" --steps "$aimd_fs" --replicas "$REPLICAS" --seed "$((SEED * 1000))" \
    --dump-xyz "$OUT/md/${name}_short.xyz" > "$OUT/md/${name}_short.log"
  for ((k = 0; k < REPLICAS; k++)); do
    traj=$(ls "$OUT/md/${name}_short"*_r"$k".xyz)
    "$SUPERION" analyze diffusion "$traj" --species Na --temperature "$T" \
      --start-time "$EQUIL_PS" --min-obs "$MIN_OBS" --json "$OUT/diffusion/${name}_mtp_r$k.json" > /dev/null
    rm -f "$traj"
  done
  "$SUPERION" md "${mdcommon[@]}" --time "${LONG_PS}ps" --seed "$((SEED * 1000 + 999))" \
    --dump-xyz "$OUT/md/${name}_long.xyz" > "$OUT/md/${name}_long.log"
  "$SUPERION" analyze diffusion "$OUT/md/${name}_long.xyz" --species Na --temperature "$T" \
    --start-time "$EQUIL_PS" --min-obs "$MIN_OBS" --json "$OUT/diffusion/${name}_mtp_long.json" > /dev/null
  # Structure: partial RDFs of the AIMD run and of the long MTP-MD run, same window.
  for which in aimd mtp_long; do
    traj=$f
    [ "$which" = mtp_long ] && traj=$OUT/md/${name}_long.xyz
    "$SUPERION" analyze rdf "$traj" --pairs "${RDF_PAIRS[@]}" --rmax 6 --bins 120 \
      --start-time "$EQUIL_PS" --json "$OUT/diffusion/${name}_${which}_rdf.json" > /dev/null
  done
  rm -f "$OUT/md/${name}_long.xyz"
done

# 5. summary
$PY "$ROOT/scripts/aimd_diffusion_summary.py" "$OUT"
