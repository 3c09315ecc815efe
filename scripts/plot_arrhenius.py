#!/usr/bin/python3
"""Arrhenius plot from the JSON of `superion analyze arrhenius --json` (numbers come from C++).
Usage: plot_arrhenius.py fit.json out.png"""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    fit = json.load(open(sys.argv[1]))
    pts = fit["points"]
    line = fit["fit_line"]
    fig, ax = plt.subplots(figsize=(5, 4))
    x = [p["inv_T_1000"] for p in pts]
    y = [p["D_cm2_s"] for p in pts]
    err = [p["D_err_cm2_s"] or 0 for p in pts]
    ax.errorbar(x, y, yerr=err, fmt="o", label="MD")
    lx = [p["inv_T_1000"] for p in line]
    ly = [p["D_cm2_s"] for p in line]
    lo = [p["D_cm2_s"] - (p["D_err_cm2_s"] or 0) for p in line]
    hi = [p["D_cm2_s"] + (p["D_err_cm2_s"] or 0) for p in line]
    ax.plot(lx, ly, "-", label="Ea = %.3f ± %.3f eV" % (fit["Ea_eV"], fit["Ea_err_eV"] or 0))
    ax.fill_between(lx, [max(v, 1e-30) for v in lo], hi, alpha=0.2)
    T = fit["extrapolation_T_K"]
    ax.errorbar([1000 / T], [fit["D_extrap_cm2_s"]], yerr=[fit["D_extrap_err_cm2_s"] or 0], fmt="s",
                label="%g K extrapolated" % T)
    ax.set_yscale("log")
    ax.set_xlabel("1000/T (1/K)")
    ax.set_ylabel("D (cm$^2$/s)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(sys.argv[2], dpi=150)


if __name__ == "__main__":
    main()
