#!/bin/bash
# Is the PSO's R3m artefact (docs/pso.md) gone with a potential made by `superion learn`?
# 1. The seven PBE-D3 single-point structures of data/reference/Na3ClSO4/pso_dft (cubic, the two
#    R3m distortions, P-4m2; rigid and free SO4) are labelled with CHGNet (the learn run's
#    reference) and evaluated with the PSO potential (tests/data/pso) and the learned one; their
#    grades are taken against the first and the learned active set of the run.
# 2. The structure search of docs/pso.md is repeated with the learned potential WITHOUT domain
#    walls (seeds 1..N); the three best structures of each seed are labelled with CHGNet.
# The learned potential: final.mtp and final_state.als when the run converged; else the last
# trained iteration's pot.mtp and state.als (ITER=k chooses another).
# Usage: [ITER=k] scripts/al/r3m_check.sh LEARN_RUN_DIR [OUT_DIR] [SEEDS]
# Environment: SUPERION (default build/superion), TEACHER_PY (default .venv-teacher/bin/python).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RUN=$(cd "${1:?usage: [ITER=k] r3m_check.sh LEARN_RUN_DIR [OUT_DIR] [SEEDS]}" && pwd)
if [ -n "${ITER:-}" ]; then
  IT=$(printf '%s/iter_%03d' "$RUN" "$ITER")
  POT=$IT/pot.mtp ALS=$IT/state.als TAG=$(basename "$IT")
elif [ -f "$RUN/final.mtp" ]; then
  POT=$RUN/final.mtp ALS=$RUN/final_state.als TAG=final
else
  IT=$(ls -d "$RUN"/iter_*/state.als | sort | tail -1 | xargs dirname)
  POT=$IT/pot.mtp ALS=$IT/state.als TAG=$(basename "$IT")
fi
[ -f "$POT" ] && [ -f "$ALS" ] || { echo "r3m_check.sh: no $POT or $ALS" >&2; exit 2; }
echo "learned potential: $POT"
OUT=${2:-$RUN/r3m_check_$TAG}
SEEDS=${3:-2}
SUPERION=${SUPERION:-$ROOT/build/superion}
PY=${TEACHER_PY:-$ROOT/.venv-teacher/bin/python}
SP=Na,Cl,S,O
CHGNET="command-batch:$PY $ROOT/scripts/al/chgnet_label.py {xyz} {out_xyz}"
mkdir -p "$OUT"
cd "$OUT"
D=$ROOT/data/reference/Na3ClSO4/pso_dft
NAMES="cubic_rigid r3m_a_rigid r3m_b_rigid p4m2_rigid cubic_free r3m_a_free r3m_b_free"
: > dft.xyz
for n in $NAMES; do cat "$D/$n.xyz" >> dft.xyz; done
"$SUPERION" label dft.xyz --species $SP -o chgnet.xyz --quiet --calculator "$CHGNET" > label.log
"$SUPERION" eval "$ROOT/tests/data/pso/na3clso4_level10.mtp" dft.xyz --species $SP -o pso_mtp.xyz 2> /dev/null
"$SUPERION" eval "$POT" dft.xyz --species $SP -o learned.xyz 2> /dev/null
"$SUPERION" grade "$POT" "$ALS" dft.xyz --species $SP -o grade_final.xyz > /dev/null
"$SUPERION" grade "$RUN/iter_000/pot.mtp" "$RUN/iter_000/state.als" dft.xyz --species $SP \
  -o grade_first.xyz > /dev/null
/usr/bin/python3 - $NAMES <<'PY' | tee structures.md
import sys
from ase.io import read
names = sys.argv[1:]
sets = {k: read(k + ".xyz", ":") for k in ("dft", "chgnet", "pso_mtp", "learned", "grade_final", "grade_first")}
e = {k: [a.get_potential_energy() / len(a) if k in ("dft", "chgnet", "pso_mtp", "learned") else a.info["mv_grade"]
         for a in v] for k, v in sets.items()}
ref = {"rigid": names.index("cubic_rigid"), "free": names.index("cubic_free")}
print("| structure | PBE-D3 | CHGNet | PSO MTP | learned MTP | learned - CHGNet | grade (first / final active set) |")
print("|---|---|---|---|---|---|---|")
print("| (energies relative to the cubic structure of the same kind, meV/atom) | | | | | | |")
for i, n in enumerate(names):
    r = ref["rigid" if n.endswith("rigid") else "free"]
    d = {k: 1000 * (e[k][i] - e[k][r]) for k in ("dft", "chgnet", "pso_mtp", "learned")}
    print(f"| {n} | {d['dft']:+.2f} | {d['chgnet']:+.2f} | {d['pso_mtp']:+.2f} | {d['learned']:+.2f} | "
          f"{1000 * ((e['learned'][i] - e['chgnet'][i]) - (e['learned'][r] - e['chgnet'][r])):+.2f} | "
          f"{e['grade_first'][i]:.3g} / {e['grade_final'][i]:.3g} |")
PY
for s in $(seq 1 "$SEEDS"); do
  OMP_NUM_THREADS=1 "$SUPERION" pso --composition Na3ClSO4 --formula-units 1 --clusters SO4 \
    --calculator "mtp:$POT:$SP" --population 20 --generations 10 --symprec 0.3 \
    --polish 10 --seed "$s" -o "seed$s" > "seed$s.log"
  : > "seed$s/top3.xyz"
  for k in 001 002 003; do
    "$SUPERION" convert "seed$s/structures/rank_$k.vasp" "seed$s/rank_$k.xyz" > /dev/null
    cat "seed$s/rank_$k.xyz" >> "seed$s/top3.xyz"
  done
  "$SUPERION" label "seed$s/top3.xyz" --species $SP -o "seed$s/top3_chgnet.xyz" --quiet \
    --calculator "$CHGNET" > /dev/null
  "$SUPERION" eval "$POT" "seed$s/top3.xyz" --species $SP -o "seed$s/top3_mtp.xyz" 2> /dev/null
  "$SUPERION" grade "$POT" "$ALS" "seed$s/top3.xyz" --species $SP \
    -o "seed$s/top3_grade.xyz" > /dev/null
done
/usr/bin/python3 - $(seq 1 "$SEEDS") <<'PY' | tee search.md
import csv, sys
from ase.io import read
print("| seed | rank | space group | learned MTP (eV/atom) | CHGNet (eV/atom) | MTP - CHGNet (meV/atom) | grade |")
print("|---|---|---|---|---|---|---|")
for s in sys.argv[1:]:
    rows = list(csv.DictReader(open(f"seed{s}/ranking.csv")))
    m = read(f"seed{s}/top3_mtp.xyz", ":")
    c = read(f"seed{s}/top3_chgnet.xyz", ":")
    g = read(f"seed{s}/top3_grade.xyz", ":")
    for k in range(3):
        em, ec = m[k].get_potential_energy() / len(m[k]), c[k].get_potential_energy() / len(c[k])
        print(f"| {s} | {k + 1} | {rows[k]['space_group']} | {em:.6f} | {ec:.6f} | "
              f"{1000 * (em - ec):+.2f} | {g[k].info['mv_grade']:.3g} |")
PY
