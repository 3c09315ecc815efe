#!/usr/bin/env bash
# stop_at.sh WORK TAG:STEPS ...: shortens running CP2K MD runs to fit a time budget. Watches
# WORK/TAG/md-1.ener and, once it holds STEPS MD steps after step 0 (STEPS = 0: step 0 only),
# creates WORK/TAG/EXIT, which
# makes CP2K stop cleanly after the current step (its external-control file). Exits when all are done.
set -euo pipefail
work=$1; shift
pending=("$@")
while [ ${#pending[@]} -gt 0 ]; do
  left=()
  for p in "${pending[@]}"; do
    tag=${p%%:*} n=${p##*:}
    ener=$work/$tag/md-1.ener
    have=-1
    [ -f "$ener" ] && have=$(( $(grep -c '^ *[0-9]' "$ener" || true) - 1 ))
    if [ "$have" -ge 0 ] && [ "$have" -ge "$n" ]; then
      touch "$work/$tag/EXIT"
      echo "[$(date -u +%H:%M:%S)] $tag: $have steps, EXIT written"
    else
      left+=("$p")
    fi
  done
  pending=("${left[@]+"${left[@]}"}")
  sleep 10
done
