#!/usr/bin/env python3
"""Phonon band structure from `superion screen phonons --bands bands.csv` (numbers from C++).

Usage: /usr/bin/python3 scripts/plot_bands.py bands.csv bands.png [--title TEXT]
Imaginary modes are plotted as negative frequencies (phonopy convention) and shaded; the path
corners are labelled with their reduced q (Γ for 0,0,0).
"""
import argparse
import csv
from fractions import Fraction

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def q_label(q):
    if all(abs(v) < 1e-9 for v in q):
        return "Γ"
    return "(" + ",".join(str(Fraction(v).limit_denominator(12)) for v in q) + ")"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("csv")
    p.add_argument("png")
    p.add_argument("--title")
    a = p.parse_args()
    rows = list(csv.reader(open(a.csv)))[1:]
    x, bands, ticks, labels = [], [], [], []
    for k, row in enumerate(rows):
        q = [float(v) for v in row[2:5]]
        if int(row[1]) == 0:
            if ticks and ticks[-1] == k - 1:  # segment end == next segment start
                labels[-1] = labels[-1] if labels[-1] == q_label(q) else labels[-1] + "|" + q_label(q)
            else:
                ticks.append(k)
                labels.append(q_label(q))
        x.append(k)
        bands.append([float(v) for v in row[5:]])
    last = [float(v) for v in rows[-1][2:5]]
    ticks.append(len(rows) - 1)
    labels.append(q_label(last))
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    for b in range(len(bands[0])):
        ax.plot(x, [f[b] for f in bands], color="k", lw=1)
    fmin = min(min(f) for f in bands)
    if fmin < 0:
        ax.axhspan(fmin * 1.05, 0, color="C3", alpha=0.08, label="imaginary modes (shown negative)")
        ax.legend(fontsize=7, loc="upper right")
    for t in ticks:
        ax.axvline(t, color="0.7", lw=0.5)
    ax.axhline(0, color="0.5", lw=0.5, ls="--")
    ax.set_xticks(ticks, labels)
    ax.set_xlim(0, len(rows) - 1)
    ax.set_xlabel("wave vector q along the path (reduced coordinates)")
    ax.set_ylabel("frequency (THz)")
    ax.set_title(a.title or "phonon band structure (" + a.csv.split("/")[-1] + ")")
    fig.tight_layout()
    fig.savefig(a.png, dpi=150)


if __name__ == "__main__":
    main()
