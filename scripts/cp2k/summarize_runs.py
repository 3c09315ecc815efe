#!/usr/bin/python3
"""Markdown table of the CP2K runs kept under DATA_DIR/cp2k/ (for data/reference/*/README.md):
run, frames, simulated time, mean/min/max temperature, cell, pressure (potential part, GPa),
potential energy range (eV/atom), CPU-share wall time. Reads only the raw CP2K files.
Usage: summarize_runs.py DATA_DIR"""
import os
import sys

import numpy as np

HA = 27.211386245988
BAR_GPA = 1e-4


def rows(path):
    with open(path) as f:
        return np.array([[float(x) for x in l.split()] for l in f if l.strip() and not l.startswith("#")])


def main():
    base = os.path.join(sys.argv[1], "cp2k")
    print("| run | frames | time (fs) | T mean (min-max) K | a (A) | P_total mean (GPa) | E_pot (eV/atom) | wall (s) |")
    print("|---|---|---|---|---|---|---|---|")
    for run in sorted(os.listdir(base)):
        d = os.path.join(base, run)
        prefix = "relax" if run == "relax" else "md"
        cell = rows(os.path.join(d, f"{prefix}-1.cell"))
        stress = rows(os.path.join(d, f"{prefix}-1.stress"))
        with open(os.path.join(d, f"{prefix}-pos-1.xyz")) as f:
            natoms = int(f.readline())
        wall = open(os.path.join(d, "WALL_SECONDS")).read().strip() if os.path.exists(os.path.join(d, "WALL_SECONDS")) else "?"
        p = stress[:, [2, 6, 10]].mean(axis=1) * BAR_GPA
        a = cell[:, 2]
        ener = os.path.join(d, f"{prefix}-1.ener")
        if os.path.exists(ener):
            e = rows(ener)
            t = e[:, 3]
            epot = e[:, 4] * HA / natoms
            time = f"{e[-1, 1]:.0f}"
            temp = f"{t[1:].mean():.0f} ({t.min():.0f}-{t.max():.0f})" if len(t) > 1 else f"{t[0]:.0f}"
        else:
            with open(os.path.join(d, f"{prefix}-pos-1.xyz")) as f:
                es = [float(l.split("E =")[1]) for l in f if "E =" in l]
            epot = np.array(es) * HA / natoms
            time, temp = "-", "-"
        print(f"| {run} | {len(cell)} | {time} | {temp} | {a.min():.4f}-{a.max():.4f} | {p.mean():.2f} | "
              f"{epot.min():.4f} .. {epot.max():.4f} | {wall} |")


if __name__ == "__main__":
    main()
