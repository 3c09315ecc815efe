#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan+UBSan) and runs each text reader for RUNS executions,
# seeded with tests/fuzz/seeds/<target>/ and, when present, real files from ../shared/data.
# Usage: scripts/fuzz.sh [RUNS=100000] [BUILD=build-fuzz] [TARGET...]
# Env: JOBS (build jobs), SUPERION_FUZZ_CMAKE_ARGS (extra cmake flags, e.g. a ccache launcher).
# Prints one line per target: executions, corpus size, and whether it found a crash.
# Crash reproducers are left in BUILD/fuzz-runs/<target>/ (crash-*, leak-*, timeout-*).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RUNS=${1:-100000}
BUILD=${2:-build-fuzz}
shift $(( $# > 2 ? 2 : $# )) || true
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
  TARGETS=(cfg extxyz poscar lammps_data vasprun outcar mtp cp2k xdatcar lammps_dump extxyz_traj pymatgen_json)
fi
SHARED=${SUPERION_SHARED:-$ROOT/../shared/data}

CC=clang CXX=clang++ cmake -S . -B "$BUILD" ${SUPERION_FUZZ_CMAKE_ARGS:-} -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSUPERION_FUZZ=ON \
  -DSUPERION_CUDA=OFF -DSUPERION_BUILD_TESTS=OFF -DSUPERION_BUILD_BENCH=OFF >/dev/null
cmake --build "$BUILD" -j"${JOBS:-$(nproc)}" --target $(printf 'fuzz_%s ' "${TARGETS[@]}")

# Real files that seed each reader (only those that exist are used).
shared_seeds() {
  case $1 in
    cfg) echo mtp/cfg/example2sp_5cfg.cfg ;;
    extxyz|extxyz_traj) echo mlearn/Li/test.xyz ;;
    poscar) echo vasp/dpdata_h2o_md/POSCAR.h2o.md ;;
    vasprun) echo vasp/dpdata_h2o_md/vasprun.h2o.md.xml vasp/dpdata_h2o_md/vasprun.h2o.md.tribox.xml ;;
    outcar) echo vasp/dpdata_h2o_md/OUTCAR.h2o.md ;;
    mtp) echo mtp/trained/example2sp_L06_mlip2.mtp mtp/trained/Li_L10_mlip2.mtp mtp/untrained/08.mtp ;;
  esac
}

SUMMARY="$BUILD/fuzz-runs/summary.txt"
mkdir -p "$BUILD/fuzz-runs"
: >"$SUMMARY"
status=0
for t in "${TARGETS[@]}"; do
  dir="$BUILD/fuzz-runs/$t"
  rm -rf "$dir"
  mkdir -p "$dir/corpus"
  if compgen -G "tests/fuzz/seeds/$t/*" >/dev/null; then cp tests/fuzz/seeds/"$t"/* "$dir/corpus/"; fi
  for f in $(shared_seeds "$t"); do
    if [ -f "$SHARED/$f" ]; then cp "$SHARED/$f" "$dir/corpus/shared-$(basename "$f")"; fi
  done
  # Big real files make each execution slow; libFuzzer truncates inputs to -max_len.
  set +e
  (cd "$dir" && ASAN_OPTIONS=detect_leaks=1 "$ROOT/$BUILD/tests/fuzz/fuzz_$t" corpus \
    -runs="$RUNS" -max_len=32768 -timeout=20 -rss_limit_mb=4096 -malloc_limit_mb=2048 \
    -print_final_stats=1 >log.txt 2>&1)
  rc=$?
  set -e
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$dir/log.txt" | grep -o '[0-9]*$' || echo 0)
  secs=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$dir/log.txt" | awk '{print $5}' || echo '?')
  corpus=$(ls "$dir/corpus" | wc -l)
  verdict=ok
  if [ $rc -ne 0 ]; then verdict="FAILED (rc $rc, see $dir/log.txt)"; status=1; fi
  printf '%-14s executions %-9s in %4ss  corpus %-5s %s\n' "$t" "$runs" "$secs" "$corpus" "$verdict" | tee -a "$SUMMARY"
done
exit $status
