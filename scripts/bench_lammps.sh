#!/usr/bin/env bash
# Speed of superion-lammps against `superion md` on the same system (a benchmark, not a test):
# NVE, dt 1 fs, skin 1 A, N steps from the same start; 1 thread / 1 MPI rank, then 2 threads /
# 2 MPI ranks. Prints atom*step/s of each. Usage:
#   scripts/bench_lammps.sh BUILD_DIR [STEPS]        (default 100 steps)
# Systems: the NYZC equilibrated cell x (4 4 8) = 4736 atoms (NYZC level-14 MTP from ../shared)
# and Na3ClSO4 x (4 4 4) = 576 atoms (the level-10 MTP of tests/data/pso).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:?build directory}
STEPS=${2:-100}
SUP=$BUILD/superion
LMP=$BUILD/lammps/superion-lammps
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

bench() {  # name potential structure species "a b c"
  local name=$1 pot=$2 structure=$3 species=$4 rep=$5
  "$SUP" convert "$structure" "$WORK/$name.data" --species "$species" --lossless >/dev/null
  cat >"$WORK/$name.in" <<IN
units metal
atom_style atomic
read_data $WORK/$name.data
replicate $rep
pair_style mtp $pot
pair_coeff * * ${species//,/ }
velocity all create 600 4 mom yes rot no
neighbor 1.0 bin
timestep 0.001
fix 1 all nve
thermo 50
run 2
run $STEPS
IN
  for t in 1 2; do
    local md
    md=$(OMP_NUM_THREADS=$t "$SUP" bench md --potential "$pot" --structure "$structure" \
      --species "$species" --supercell $rep --steps "$STEPS" --threads "$t" --timestep 1fs |
      grep -o '[0-9.e+]* atom\*step/s' | head -1)
    local lmp np=$t
    lmp=$(OMP_NUM_THREADS=1 mpirun --oversubscribe -np "$np" "$LMP" -in "$WORK/$name.in" -log none |
      awk '/^Loop time of/ {t=$4; s=$9; a=$12} END {printf "%.4g atom*step/s", a*s/t}')
    local thr
    thr=$(OMP_NUM_THREADS=$t "$LMP" -in "$WORK/$name.in" -log none |
      awk '/^Loop time of/ {t=$4; s=$9; a=$12} END {printf "%.4g atom*step/s", a*s/t}')
    echo "$name: superion md ($t threads) $md | superion-lammps $np MPI ranks $lmp | superion-lammps 1 rank x $t OpenMP threads $thr"
  done
}

bench nyzc ../shared/data/mtp/nyzc/fitted.mtp.2021.02.mtp data/nyzc/nyzc37_eq600K.vasp Na,Y,Zr,Cl "4 4 8"
bench na3clso4 tests/data/pso/na3clso4_level10.mtp "data/reference/Na3ClSO4/md_500K_strain+0.00.xyz" Na,Cl,S,O "4 4 4"
