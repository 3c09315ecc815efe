#!/usr/bin/env python3
"""Builds a plausible Na2.25Y0.25Zr0.75Cl6 (NYZC75) cell for MD tests and benchmarks.

Cl on a cubic-close-packed (fcc) lattice with lattice parameter A (5.37 Å: zero pressure of the NYZC MTP at 0 K for the 37-atom cell); the cations (Na9 Y1 Zr3 per 24 Cl)
occupy octahedral holes. The highest-charged cations are placed first and each goes to the free hole
farthest (charge-weighted) from the cations already placed, so Zr/Y are spread out and Na fill the
rest; the result is deterministic. Writes a VASP POSCAR (species order Na Y Zr Cl = the types of
../shared/data/mtp/nyzc/*.mtp).

usage: /usr/bin/python3 scripts/build_nyzc_cell.py [--a 5.37] [--repeat 1 1 1] -o data/nyzc/POSCAR
The base cell is 3x2x1 conventional fcc cells (24 Cl, 37 atoms); --repeat makes supercells of it.
"""
import argparse

import numpy as np


def build(a, repeat):
    base = np.array([3, 2, 1]) * np.array(repeat)
    fcc = np.array([[0, 0, 0], [0, .5, .5], [.5, 0, .5], [.5, .5, 0]])
    octa = fcc + np.array([.5, 0, 0])  # the octahedral holes of an fcc lattice
    cells = np.array([[i, j, k] for i in range(base[0]) for j in range(base[1]) for k in range(base[2])])
    cl = ((cells[:, None, :] + fcc[None]) / base).reshape(-1, 3)
    holes = (((cells[:, None, :] + octa[None]) % base) / base).reshape(-1, 3)
    n_units = len(cl) // 24
    counts = [("Zr", 4, 3 * n_units), ("Y", 3, 1 * n_units), ("Na", 1, 9 * n_units)]
    lengths = a * base

    def dist(f, g):
        d = f - g
        d -= np.round(d)
        return np.linalg.norm(d * lengths, axis=-1)

    free = list(range(len(holes)))
    placed = []  # (hole index, charge, symbol)
    for sym, q, n in counts:
        for _ in range(n):
            if not placed:
                best = free[0]
            else:
                # Minimise the charge-weighted Coulomb-like sum to the cations already placed.
                cost = [sum(q * qp / max(dist(holes[h], holes[p]), 1e-9) for p, qp, _ in placed) for h in free]
                best = free[int(np.argmin(cost))]
            placed.append((best, q, sym))
            free.remove(best)
    species = ["Na", "Y", "Zr", "Cl"]
    frac = {s: [holes[h] for h, _, t in placed if t == s] for s in species[:3]}
    frac["Cl"] = list(cl)
    return np.diag(lengths), species, frac


def write_poscar(path, cell, species, frac):
    with open(path, "w") as f:
        counts = [len(frac[s]) for s in species]
        f.write("Na%gY%gZr%gCl%g plausible NYZC75 cell (scripts/build_nyzc_cell.py)\n1.0\n" % tuple(counts))
        for row in cell:
            f.write("  %.10f %.10f %.10f\n" % tuple(row))
        f.write("  " + " ".join(species) + "\n  " + " ".join(str(c) for c in counts) + "\nDirect\n")
        for s in species:
            for p in frac[s]:
                f.write("  %.10f %.10f %.10f\n" % tuple(p))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--a", type=float, default=5.37, help="fcc Cl lattice parameter (A)")
    ap.add_argument("--repeat", type=int, nargs=3, default=[1, 1, 1])
    ap.add_argument("-o", "--output", required=True)
    args = ap.parse_args()
    cell, species, frac = build(args.a, args.repeat)
    write_poscar(args.output, cell, species, frac)


if __name__ == "__main__":
    main()
