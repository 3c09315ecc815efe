#!/usr/bin/python3
"""Plots for `superion analyze` mechanism CSV outputs (needs numpy + matplotlib: /usr/bin/python3).

  plot_mechanism.py raster   hops.csv  out.png [--natoms N]   event raster (atom vs time)
  plot_mechanism.py map      map.csv   out.png [--rho]        A(theta, phi) (or rho) on the sphere
  plot_mechanism.py columns  table.csv out.png                every column against the first
"""
import argparse
import csv
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np


def read(path):
    with open(path) as f:
        rows = list(csv.reader(f))
    if not rows:
        sys.exit(f"{path}: empty CSV")
    return rows[0], np.array([[float(x) for x in r] for r in rows[1:]], dtype=float).reshape(-1, len(rows[0]))


def raster(args):
    head, d = read(args.csv)
    fig, ax = plt.subplots(figsize=(8, 4))
    if len(d):
        for atom, t0, t1 in zip(d[:, 0], d[:, 3], d[:, 4]):
            ax.plot([t0, t1], [atom, atom], lw=3, color="C0", solid_capstyle="butt")
    ax.set_xlabel("time (ps)")
    ax.set_ylabel("atom index")
    ax.set_title(f"{len(d)} long-lived hop events")
    fig.tight_layout()
    fig.savefig(args.png, dpi=150)


def sphere_map(args):
    head, d = read(args.csv)
    th, ph = np.unique(d[:, 0]), np.unique(d[:, 1])
    z = d[:, 2 if args.rho else 3].reshape(len(th), len(ph))
    fig, ax = plt.subplots(figsize=(8, 4))
    im = ax.pcolormesh(ph, th, np.ma.masked_invalid(z), shading="nearest", cmap="viridis")
    fig.colorbar(im, ax=ax, label="ρ (1/sr)" if args.rho else "A (eV)")
    ax.set_xlabel("φ (deg)")
    ax.set_ylabel("θ (deg)")
    ax.invert_yaxis()
    fig.tight_layout()
    fig.savefig(args.png, dpi=150)


def columns(args):
    head, d = read(args.csv)
    fig, ax = plt.subplots(figsize=(7, 4))
    for k in range(1, len(head)):
        ax.plot(d[:, 0], d[:, k], label=head[k])
    ax.set_xlabel(head[0])
    ax.legend()
    fig.tight_layout()
    fig.savefig(args.png, dpi=150)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("kind", choices=["raster", "map", "columns"])
    p.add_argument("csv")
    p.add_argument("png")
    p.add_argument("--rho", action="store_true", help="map: plot rho instead of A")
    a = p.parse_args()
    {"raster": raster, "map": sphere_map, "columns": columns}[a.kind](a)


if __name__ == "__main__":
    main()
