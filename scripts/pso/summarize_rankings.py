#!/usr/bin/python3
"""Summarise `superion pso` rankings of several seeds against a reference structure.

Usage: summarize_rankings.py REF_ENERGY_EV_ATOM RUN_DIR [RUN_DIR ...]
For every RUN_DIR/ranking.csv prints: the number of unique structures, the best structure
(energy per atom, space group, domain violation), the first cubic antiperovskite (space group
P-43m or Pm-3m within 1 meV/atom of the reference: rank overall and among the structures inside
the potential's domain, energy gap to the best) and the best structure inside the domain.
Only the standard library is needed.
"""
import csv
import sys


def main():
    ref = float(sys.argv[1])
    print("run | unique | best (eV/atom, sg, viol A, pair) | cubic rank (all / inside) | "
          "E_cubic - E_best (meV/atom) | best inside (sg, E - E_ref meV/atom)")
    for run in sys.argv[2:]:
        with open(run + "/ranking.csv") as f:
            rows = list(csv.DictReader(f))
        best = rows[0]
        inside = [r for r in rows if r.get("inside_domain", "1") == "1"]
        cubic = next((r for r in rows if r["space_group"] in ("P-43m", "Pm-3m")
                      and abs(float(r["energy_eV_atom"]) - ref) < 1e-3), None)
        e_best = float(best["enthalpy_eV_atom"])
        if cubic:
            rank_in = next(k + 1 for k, r in enumerate(inside) if r is cubic) if cubic in inside else "-"
            c = f"{cubic['rank']} / {rank_in} | {1000 * (float(cubic['enthalpy_eV_atom']) - e_best):.2f}"
        else:
            c = "not found | -"
        bi = (f"{inside[0]['space_group']}, {1000 * (float(inside[0]['enthalpy_eV_atom']) - ref):+.2f}"
              if inside else "none")
        print(f"{run} | {len(rows)} | {e_best:.6f}, {best['space_group']}, "
              f"{best.get('domain_violation_A', '-')}, {best.get('domain_worst_pair', '-')} | {c} | {bi}")


if __name__ == "__main__":
    main()
