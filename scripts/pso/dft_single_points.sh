#!/bin/bash
# PBE-D3 single points (the level of the training data: GAPW 400 Ry, Γ-centred 2×2×2 k-mesh,
# EPS_SCF 1e-6; scripts/cp2k/) of structures found by `superion pso`, to check the MTP's ranking.
# Usage: scripts/pso/dft_single_points.sh WORK_DIR STRUCTURE [STRUCTURE ...]   (any readable format)
# Prints one line per structure: name, atoms, E_DFT (eV/atom). One CP2K process at a time, nice,
# OMP_NUM_THREADS=1; a finished structure is not recomputed. Environment: SUPERION, CP2K.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$1
shift
SUPERION=${SUPERION:-$ROOT/build/superion}
CP2K=${CP2K:-cp2k.psmp}
T=$ROOT/scripts/cp2k
export OMP_NUM_THREADS=1
mkdir -p "$WORK"
for s in "$@"; do
  name=$(echo "$s" | tr '/' '_' | sed 's/\.[a-z]*$//')
  dir=$WORK/$name
  if [ ! -f "$dir/DONE" ]; then
    mkdir -p "$dir"
    "$SUPERION" convert "$s" "$dir/start.xyz" > /dev/null
    # extxyz → CP2K &CELL (rows A, B, C) and &COORD bodies.
    awk 'NR == 2 { match($0, /Lattice="[^"]*"/); split(substr($0, RSTART + 9, RLENGTH - 10), v, " ");
                   printf "A [angstrom] %s %s %s\nB [angstrom] %s %s %s\nC [angstrom] %s %s %s\n",
                          v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9] > "/dev/stderr" }
         NR > 2 { print $1, $2, $3, $4 }' "$dir/start.xyz" > "$dir/coord.inc" 2> "$dir/cell.inc"
    cp "$T/pbe_force_eval.inc" "$T/kpoints_2x2x2_gamma_centred.inc" "$T/kpoints_gamma.inc" "$dir/"
    { echo "@SET PROJECT sp"; echo "@SET FORCE_EVAL pbe_force_eval.inc"
      echo "@SET KPOINTS_INC kpoints_2x2x2_gamma_centred.inc"; echo "@SET EPS_SCF 1.0E-6"
      echo "@SET CUTOFF 400"; echo "@SET QS_METHOD GAPW"; echo "@SET ENSEMBLE NVE"
      echo "@SET TEMPERATURE 0"; echo "@SET STEPS 0"; echo "@SET TIMESTEP 1.0"
      echo "@SET PRINT_EVERY 1"; echo "@SET SEED 1"; cat "$T/md.inp"; } > "$dir/sp.inp"
    (cd "$dir" && nice -n 10 "$CP2K" -i sp.inp -o sp.out)
    grep -q "PROGRAM ENDED" "$dir/sp.out" && touch "$dir/DONE"
  fi
  n=$(head -1 "$dir/start.xyz")
  # Potential energy (Hartree) of step 0 from the .ener file → eV/atom.
  e=$(awk -v n="$n" '!/^#/ { printf "%.6f", $5 * 27.211386245988 / n; exit }' "$dir/sp-1.ener")
  echo "$s $n atoms E_DFT $e eV/atom"
done
