#!/usr/bin/env bash
# keep_raw.sh RUN_DIR DEST: copies what is needed to re-read and re-make a CP2K run into DEST:
# its inputs (*.inp, *.inc, start.xyz), the printed outputs our reader uses (-pos/-frc/-vel-1.xyz,
# .ener, .stress, .cell), WALL_SECONDS, and the main output compressed (*.out.xz).
set -euo pipefail
src=$1 dest=$2
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)
cd "$src"
for f in *.inp *.inc start.xyz *-pos-1.xyz *-frc-1.xyz *-vel-1.xyz *-1.ener *-1.stress *-1.cell \
         WALL_SECONDS; do
  [ -f "$f" ] && cp "$f" "$dest/"
done
for f in *.out; do
  [ -f "$f" ] && xz -9 -c "$f" > "$dest/$f.xz"
done
exit 0
