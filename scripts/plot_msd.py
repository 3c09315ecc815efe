#!/usr/bin/python3
"""MSD(t) plot from the CSV of `superion analyze diffusion --csv` (numbers come from C++).
Usage: plot_msd.py msd.csv out.png"""
import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    rows = list(csv.DictReader(open(sys.argv[1])))
    t = [float(r["t_ps"]) for r in rows]
    fig, ax = plt.subplots(figsize=(5, 4))
    for key, label in [("MSD_A2", "MSD"), ("MSD_x_A2", "x"), ("MSD_y_A2", "y"), ("MSD_z_A2", "z"), ("MSCD_A2", "MSCD")]:
        ax.plot(t, [float(r[key]) for r in rows], label=label)
    ax.set_xlabel("t (ps)")
    ax.set_ylabel("MSD (Å$^2$)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(sys.argv[2], dpi=150)


if __name__ == "__main__":
    main()
