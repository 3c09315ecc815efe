#!/usr/bin/env bash
# Makes the project's own antiperovskite reference data with CP2K (GFN1-xTB, periodic Ewald):
#   1. build the ideal site-exchanged Na3XSO4 2x2x2 supercell (72 atoms) and relax cell + positions
#      (CELL_OPT, Gamma point = the 1x1x1 cell with a Gamma-centred 2x2x2 k-mesh);
#   2. NVT AIMD (CSVR, 1 fs) of the relaxed supercell at the temperatures/strains in RUNS;
#   3. convert every run with `superion convert` (our CP2K reader) to extxyz under DATA_DIR.
# One CP2K process at a time, OMP_NUM_THREADS=1, nice. Finished runs are skipped (re-running the
# script resumes with the next run); progress with ETA every PROGRESS_S seconds.
#
# Usage: scripts/make-reference-data.sh [run ...]      (default: relax + all RUNS)
#   run = relax | md:T_K:STRAIN:STEPS:PRINT_EVERY   e.g. md:800:0.00:200:1
#         | fd:STRAIN   single point (MD step 0 at 0 K, NVE) of the relaxed cell scaled by 1+STRAIN,
#                       no rattle: three of them check the stress sign, tr W = -dE/dstrain
# Environment: HALIDE (Cl|Br, default Cl), WORK (run directory, default build/cp2k-runs/Na3${HALIDE}SO4),
#   DATA_DIR (default data/reference/Na3${HALIDE}SO4), SUPERION (default build/superion),
#   CP2K (default: cp2k.psmp or cp2k.ssmp or cp2k), A0 (initial lattice parameter, default 6.4).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
HALIDE=${HALIDE:-Cl}
NAME=Na3${HALIDE}SO4
WORK=${WORK:-$ROOT/build/cp2k-runs/$NAME}
DATA_DIR=${DATA_DIR:-$ROOT/data/reference/$NAME}
SUPERION=${SUPERION:-$ROOT/build/superion}
A0=${A0:-6.4}
PROGRESS_S=${PROGRESS_S:-60}
EPS_SCF=${EPS_SCF:-1.0E-6}
TEMPLATES=$ROOT/scripts/cp2k
PY=/usr/bin/python3
if [ -z "${CP2K:-}" ]; then
  for c in cp2k.psmp cp2k.ssmp cp2k; do
    if command -v "$c" >/dev/null; then CP2K=$c; break; fi
  done
fi
[ -n "${CP2K:-}" ] || { echo "error: no cp2k binary (apt-get install -y cp2k)" >&2; exit 1; }
export OMP_NUM_THREADS=1
# Default plan (budget: about 2 core-hours at ~10 s per 72-atom step).
DEFAULT_RUNS=(relax fd:-0.003 fd:0.000 fd:0.003 md:800:0.00:200:1 md:1100:0.00:200:1 md:500:0.00:150:1 md:800:0.05:120:1
              md:800:-0.05:120:1)
if [ $# -gt 0 ]; then RUNS=("$@"); else RUNS=("${DEFAULT_RUNS[@]}"); fi

mkdir -p "$WORK" "$DATA_DIR"
log() { echo "[$(date -u +%H:%M:%S)] $*"; }

# setup_dir DIR: copy the templates next to the structure includes.
setup_dir() {
  mkdir -p "$1"
  cp "$TEMPLATES"/xtb_force_eval.inc "$TEMPLATES"/kpoints_*.inc "$1"/
}

# run_cp2k DIR INPUT PROJECT TOTAL_STEPS COUNT_FILE: runs CP2K in DIR, prints progress with ETA.
run_cp2k() {
  local dir=$1 inp=$2 project=$3 total=$4 count_file=$5
  local t0 now n rate eta
  t0=$(date +%s)
  (cd "$dir" && exec nice -n 10 "$CP2K" -i "$inp" -o "$project.out") &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep "$PROGRESS_S" &
    wait $! || true
    now=$(date +%s)
    n=0
    [ -f "$dir/$count_file" ] && n=$(grep -c '^ *[0-9]' "$dir/$count_file" || true)
    if [ "$n" -gt 0 ]; then
      rate=$(( (now - t0) / n ))
      eta=$(( rate * (total - n) ))
      log "$project: step $n/$total, ${rate} s/step, ETA $((eta / 60)) min"
    else
      log "$project: started $((now - t0)) s ago"
    fi
  done
  wait "$pid" || { log "$project: CP2K failed, see $dir/$project.out"; return 1; }
  echo $(( $(date +%s) - t0 )) > "$dir/WALL_SECONDS"
  grep -q "PROGRAM ENDED" "$dir/$project.out" || { log "$project: CP2K did not finish"; return 1; }
  touch "$dir/DONE"
  log "$project: done in $(cat "$dir/WALL_SECONDS") s"
}

do_relax() {
  local dir=$WORK/relax
  if [ -f "$dir/DONE" ]; then log "relax: already done"; return; fi
  setup_dir "$dir"
  $PY "$TEMPLATES"/build_antiperovskite.py --halide "$HALIDE" --a "$A0" --supercell 2 2 2 \
    --out "$dir/start"
  cp "$dir/start.cell.inc" "$dir/cell.inc"
  cp "$dir/start.coord.inc" "$dir/coord.inc"
  { echo "@SET PROJECT relax"; echo "@SET KPOINTS_INC kpoints_gamma.inc"; echo "@SET EPS_SCF $EPS_SCF"
    cat "$TEMPLATES/cell_opt.inp"; } > "$dir/relax.inp"
  log "relax: CELL_OPT of $NAME 2x2x2 (72 atoms), a0 = $A0 A"
  run_cp2k "$dir" relax.inp relax 15 relax-1.cell
  convert "$dir/relax-pos-1.xyz" "$DATA_DIR/relax.xyz"
}

# do_md T STRAIN STEPS PRINT_EVERY
do_md() {
  local T=$1 strain=$2 steps=$3 every=$4
  local tag
  tag=$(printf "md_%sK_strain%+.2f" "$T" "$strain")
  local dir=$WORK/$tag
  if [ -f "$dir/DONE" ]; then log "$tag: already done"; return; fi
  [ -f "$WORK/relax/DONE" ] || { echo "error: run relax first" >&2; exit 1; }
  setup_dir "$dir"
  # Relaxed 2x2x2 structure, isotropic strain, small rattle (seed from T) so runs differ at t = 0.
  $PY "$TEMPLATES"/build_antiperovskite.py --from-cp2k "$WORK/relax/relax" --strain "$strain" \
    --rattle 0.02 --seed "$T" --out "$dir/start"
  cp "$dir/start.cell.inc" "$dir/cell.inc"
  cp "$dir/start.coord.inc" "$dir/coord.inc"
  { echo "@SET PROJECT md"; echo "@SET KPOINTS_INC kpoints_gamma.inc"; echo "@SET EPS_SCF $EPS_SCF"
    echo "@SET ENSEMBLE NVT"; echo "@SET TEMPERATURE $T"; echo "@SET STEPS $steps"; echo "@SET TIMESTEP 1.0"
    echo "@SET PRINT_EVERY $every"; echo "@SET SEED $T"
    cat "$TEMPLATES/md.inp"; } > "$dir/md.inp"
  log "$tag: NVT MD, $steps steps of 1 fs, printing every $every"
  run_cp2k "$dir" md.inp "$tag" $(( steps / every + 1 )) md-1.ener
  convert "$dir/md-pos-1.xyz" "$DATA_DIR/$tag.xyz"
}

# do_fd STRAIN: energy, forces and stress of the relaxed structure under isotropic strain.
do_fd() {
  local strain=$1
  local tag
  tag=$(printf "fd_strain%+.4f" "$strain")
  local dir=$WORK/$tag
  if [ -f "$dir/DONE" ]; then log "$tag: already done"; return; fi
  [ -f "$WORK/relax/DONE" ] || { echo "error: run relax first" >&2; exit 1; }
  setup_dir "$dir"
  $PY "$TEMPLATES"/build_antiperovskite.py --from-cp2k "$WORK/relax/relax" --strain "$strain" \
    --out "$dir/start"
  cp "$dir/start.cell.inc" "$dir/cell.inc"
  cp "$dir/start.coord.inc" "$dir/coord.inc"
  { echo "@SET PROJECT md"; echo "@SET KPOINTS_INC kpoints_gamma.inc"; echo "@SET EPS_SCF 1.0E-8"
    echo "@SET ENSEMBLE NVE"; echo "@SET TEMPERATURE 0"; echo "@SET STEPS 0"; echo "@SET TIMESTEP 1.0"
    echo "@SET PRINT_EVERY 1"; echo "@SET SEED 1"
    cat "$TEMPLATES/md.inp"; } > "$dir/md.inp"
  log "$tag: single point (MD step 0, 0 K)"
  run_cp2k "$dir" md.inp "$tag" 1 md-1.ener
}

convert() {
  if [ -x "$SUPERION" ]; then
    "$SUPERION" convert "$1" "$2"
  else
    log "note: $SUPERION not built; convert later with: superion convert $1 $2"
  fi
}

"$CP2K" --version | head -2 > "$WORK/CP2K_VERSION"
log "$(head -1 "$WORK/CP2K_VERSION") ($CP2K), $NAME, work dir $WORK"
for r in "${RUNS[@]}"; do
  case $r in
    relax) do_relax ;;
    md:*) IFS=: read -r _ T S N P <<<"$r"; do_md "$T" "$S" "$N" "$P" ;;
    fd:*) do_fd "${r#fd:}" ;;
    *) echo "error: unknown run '$r' (relax | md:T:STRAIN:STEPS:PRINT_EVERY | fd:STRAIN)" >&2; exit 1 ;;
  esac
done
log "all runs done"
