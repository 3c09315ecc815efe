#!/usr/bin/env bash
# keep_raw.sh RUN_DIR DEST: copies what is needed to re-read and re-make a CP2K run into DEST:
# its inputs (*.inp, *.inc, start.xyz), the printed outputs our reader uses (-pos/-frc/-vel-1.xyz,
# .ener, .stress, .cell), WALL_SECONDS, and the main output compressed (*.out.xz). Printed outputs
# larger than 1 MiB (picosecond runs) are stored gzip-compressed as NAME.gz, which the reader
# accepts in place of NAME (docs/formats.md).
set -euo pipefail
src=$1 dest=$2
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)
cd "$src"
for f in *.inp *.inc start.xyz *-pos-1.xyz *-frc-1.xyz *-vel-1.xyz *-1.ener *-1.stress *-1.cell \
         WALL_SECONDS; do
  [ -f "$f" ] || continue
  if [ "$(stat -c %s "$f")" -gt 1048576 ]; then
    gzip -9 -n -c "$f" > "$dest/$f.gz"
  else
    cp "$f" "$dest/"
  fi
done
for f in *.out; do
  [ -f "$f" ] && xz -9 -c "$f" > "$dest/$f.xz"
done
exit 0
