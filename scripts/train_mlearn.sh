#!/usr/bin/env bash
# Train MTPs on the mlearn benchmark (Zuo et al., J. Phys. Chem. A 124, 731 (2020)) with the
# paper's setup (level, cutoff, radial basis size 8, MLIP weights 1 : 0.01 : 0.001) and evaluate
# them on the test sets. Usage:
#   scripts/train_mlearn.sh [OUTDIR] [ELEMENTS...]      (default: out/mlearn Li Cu Ni Si)
# Environment: SUPERION (binary, default build/superion), MAX_ITER (default 1000),
# THREADS (default 1), SEED (default 1). Prints one results row per element (MAE as published:
# energy meV/atom, force eV/Å per component) and keeps logs, potentials and JSON reports.
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
  pot="$out/$el.mtp"
  "$bin" train --data "$data/$el/train.cfg" --valid "$data/$el/test.cfg" --level "$level" \
    --rcut "$rcut" --radial-basis-size 8 --energy-weight 1 --force-weight 0.01 \
    --stress-weight 0.001 --max-iter "$max_iter" --seed "$seed" --threads "$threads" \
    --checkpoint-every 25 --json "$out/$el.train.json" -o "$pot" >"$out/$el.train.log" 2>&1
  "$bin" errors "$pot" "$data/$el/train.cfg" --json "$out/$el.errors_train.json" >/dev/null
  "$bin" errors "$pot" "$data/$el/test.cfg" --json "$out/$el.errors_test.json" >/dev/null
  /usr/bin/python3 - "$el" "$out" <<'PY'
import json, sys
el, out = sys.argv[1], sys.argv[2]
tr = json.load(open(f"{out}/{el}.errors_train.json"))
te = json.load(open(f"{out}/{el}.errors_test.json"))
run = json.load(open(f"{out}/{el}.train.json"))
print(f"{el}: train E MAE {tr['energy_per_atom_mae_meV']:.3f} meV/atom, F MAE {tr['force_component_mae_eV_A']:.4f} eV/A | "
      f"test E MAE {te['energy_per_atom_mae_meV']:.3f} meV/atom, F MAE {te['force_component_mae_eV_A']:.4f} eV/A "
      f"(E RMSE {te['energy_per_atom_rmse_meV']:.3f}, F RMSE {te['force_component_rmse_eV_A']:.4f}); "
      f"{run['iterations']} iterations, {run['seconds']:.0f} s")
PY
done
