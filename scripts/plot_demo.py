#!/usr/bin/python3
"""Plots of `superion demo` that combine several temperatures (numbers come from C++).

  plot_demo.py msd CSV:LABEL [CSV:LABEL ...] --png out.png   Na MSD(t) of every temperature
"""
import argparse
import csv

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def msd(args):
    fig, ax = plt.subplots(figsize=(5, 4))
    for item in args.curves:
        path, _, label = item.partition(":")
        rows = list(csv.DictReader(open(path)))
        ax.plot([float(r["t_ps"]) for r in rows], [float(r["MSD_A2"]) for r in rows], label=label or path)
    ax.set_xlabel("t (ps)")
    ax.set_ylabel("Na MSD (Å$^2$)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(args.png, dpi=150)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("kind", choices=["msd"])
    p.add_argument("curves", nargs="+", help="CSV:LABEL")
    p.add_argument("--png", required=True)
    a = p.parse_args()
    {"msd": msd}[a.kind](a)


if __name__ == "__main__":
    main()
