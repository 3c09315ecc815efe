#!/usr/bin/env bash
# Train MTPs on the mlearn benchmark (Zuo et al., J. Phys. Chem. A 124, 731 (2020)) with the
# paper's setup (level, cutoff, radial basis size 8, MLIP weights 1 : 0.01 : 0.001) and evaluate
# them on the test sets. Usage:
#   scripts/train_mlearn.sh [OUTDIR] [ELEMENTS...]      (default: out/mlearn Li Cu Ni Si)
# Environment: SUPERION (binary, default build/superion), MAX_ITER (default 1000),
# THREADS (default 1), SEED (default 1), TAG (file-name tag, default "default"), TRAIN_ARGS (more
# `superion train` options, e.g. "--valid-fraction 0" for the last-iterate fit on all of train.cfg).
# train.cfg is the training data (by default `superion train` holds 10 % of it out for early
# stopping); test.cfg is passed as --test: its errors are printed every iteration and never used.
# Prints one results row per element (MAE as published: energy meV/atom, force eV/Å per
# component) and keeps logs, potentials, JSON reports (with the per-iteration history) and the
# training curves (OUTDIR/EL.TAG.png, scripts/plot_training.py, needs Debian's matplotlib).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
bin="${SUPERION:-$here/build/superion}"
data="${MLEARN_DATA:-$here/../shared/data/mlearn}"
out="${1:-out/mlearn}"
shift || true
elements=("$@")
[ ${#elements[@]} -eq 0 ] && elements=(Li Cu Ni Si)
max_iter="${MAX_ITER:-1000}"
threads="${THREADS:-1}"
seed="${SEED:-1}"
tag="${TAG:-default}"
read -r -a extra <<<"${TRAIN_ARGS:-}"
mkdir -p "$out"

setup() {  # level cutoff of the paper's fitted potentials (mvl_fitted.mtp)
  case "$1" in
    Li) echo "16 5.1" ;;
    Cu) echo "20 3.9" ;;
    Ni) echo "20 4.0" ;;
    Si) echo "24 4.7" ;;
    *) echo "unknown element $1" >&2; exit 2 ;;
  esac
}

for el in "${elements[@]}"; do
  read -r level rcut <<<"$(setup "$el")"
  stem="$out/$el.$tag"
  "$bin" train --data "$data/$el/train.cfg" --test "$data/$el/test.cfg" --level "$level" \
    --rcut "$rcut" --radial-basis-size 8 --energy-weight 1 --force-weight 0.01 \
    --stress-weight 0.001 --max-iter "$max_iter" --seed "$seed" --threads "$threads" \
    --checkpoint-every 1 "${extra[@]}" --json "$stem.json" -o "$stem.mtp" >"$stem.log" 2>&1
  "$bin" errors "$stem.mtp" "$data/$el/train.cfg" --json "$stem.errors_train.json" >/dev/null
  "$bin" errors "$stem.mtp" "$data/$el/test.cfg" --json "$stem.errors_test.json" >/dev/null
  /usr/bin/python3 "$here/scripts/plot_training.py" "$stem.json" "$stem.png" \
    --title "mlearn $el, level $level, $tag" || echo "(no plot: matplotlib missing?)" >&2
  /usr/bin/python3 - "$stem" <<'PY'
import json, sys
stem = sys.argv[1]
tr = json.load(open(f"{stem}.errors_train.json"))
te = json.load(open(f"{stem}.errors_test.json"))
run = json.load(open(f"{stem}.json"))
print(f"{stem}: train E MAE {tr['energy_per_atom_mae_meV']:.4f} meV/atom, F MAE {tr['force_component_mae_eV_A']:.6f} eV/A | "
      f"test E MAE {te['energy_per_atom_mae_meV']:.4f} meV/atom, F MAE {te['force_component_mae_eV_A']:.6f} eV/A "
      f"(E RMSE {te['energy_per_atom_rmse_meV']:.4f}, F RMSE {te['force_component_rmse_eV_A']:.6f}); "
      f"written iteration {run['returned_iteration']} of {run['iterations']} ({run['stop_reason']}), {run['seconds']:.0f} s")
PY
done
