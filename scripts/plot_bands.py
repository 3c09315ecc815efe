#!/usr/bin/env python3
"""Plot a phonon band structure written by `superion screen phonons --bands bands.csv`.

Usage: /usr/bin/python3 scripts/plot_bands.py bands.csv bands.png
Imaginary modes are plotted as negative frequencies (phonopy convention).
"""
import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

rows = list(csv.reader(open(sys.argv[1])))[1:]
x, bands, ticks = [], [], []
for k, row in enumerate(rows):
    if int(row[1]) == 0:
        ticks.append(k)
    x.append(k)
    bands.append([float(v) for v in row[5:]])
fig, ax = plt.subplots(figsize=(6, 4))
for b in range(len(bands[0])):
    ax.plot(x, [f[b] for f in bands], color="k", lw=1)
for t in ticks:
    ax.axvline(t, color="0.7", lw=0.5)
ax.axhline(0, color="0.5", lw=0.5, ls="--")
ax.set_xticks([])
ax.set_ylabel("frequency (THz)")
fig.tight_layout()
fig.savefig(sys.argv[2], dpi=150)
