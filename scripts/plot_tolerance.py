#!/usr/bin/env python3
"""Heatmap of antiperovskite tolerance factors (like the paper's Figure 2) from
`superion screen tolerance --csv t.csv`.

Usage: /usr/bin/python3 scripts/plot_tolerance.py t.csv t.png
Left panel Na3BA (divalent anion at the octahedron centre), right panel site-exchanged Na3AB.
Cells inside 0.8 <= t <= 1.1 are outlined.
"""
import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

rows = list(csv.DictReader(open(sys.argv[1])))
fig, axes = plt.subplots(1, 2, figsize=(11, 5))
for ax, kind in zip(axes, ["BA", "AB"]):
    sub = [r for r in rows if r["type"] == kind]
    divalent = sorted({r["centre"] if kind == "BA" else r["corner"] for r in sub})
    monovalent = sorted({r["corner"] if kind == "BA" else r["centre"] for r in sub})
    grid = np.full((len(divalent), len(monovalent)), np.nan)
    for r in sub:
        b = r["centre"] if kind == "BA" else r["corner"]
        a = r["corner"] if kind == "BA" else r["centre"]
        grid[divalent.index(b), monovalent.index(a)] = float(r["t"])
    im = ax.imshow(grid, cmap="coolwarm", vmin=0.6, vmax=1.3)
    for i in range(len(divalent)):
        for j in range(len(monovalent)):
            t = grid[i, j]
            ax.text(j, i, f"{t:.2f}", ha="center", va="center", fontsize=7,
                    fontweight="bold" if 0.8 <= t <= 1.1 else "normal")
    ax.set_xticks(range(len(monovalent)), monovalent, rotation=60)
    ax.set_yticks(range(len(divalent)), divalent)
    ax.set_title("Na$_3$BA" if kind == "BA" else "Na$_3$AB (site-exchanged)")
    ax.set_xlabel("monovalent anion A" + (" (corner site)" if kind == "BA" else " (centre site)"))
    ax.set_ylabel("divalent anion B" + (" (octahedron centre)" if kind == "BA" else " (corner site)"))
fig.colorbar(im, ax=axes, shrink=0.8, label="Goldschmidt tolerance factor t (dimensionless)")
fig.suptitle("Goldschmidt tolerance factors of Na antiperovskites (bold: 0.8 ≤ t ≤ 1.1)")
fig.savefig(sys.argv[2], dpi=150, bbox_inches="tight")
