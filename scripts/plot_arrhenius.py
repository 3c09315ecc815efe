#!/usr/bin/python3
"""Arrhenius plot from `superion analyze arrhenius --json fit.json` (every number from C++).

Usage: plot_arrhenius.py fit.json out.png [--title TEXT]

log D against 1000/T (temperature on the top axis): the fitted points with their errors, the fit
(solid over the data, dashed to the extrapolation temperature) with its ±1σ band, the
extrapolated D, and temperatures left out of the fit (D clipped: no diffusion resolved) as
upper bounds, never as data. The y range follows the data (within a factor 10 around them and
the extrapolated value), so an unresolved fit's band is cut at the axes instead of spanning
tens of decades.
"""
import argparse
import json
import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def log_errors(d, err):
    """Asymmetric errors for a log axis: D·exp(±σ_lnD), σ_lnD = err/D (never below zero)."""
    if not err or err <= 0 or d <= 0:
        return 0.0, 0.0
    s = err / d
    return d - d * math.exp(-s), d * math.exp(s) - d


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("json")
    p.add_argument("png")
    p.add_argument("--title")
    a = p.parse_args()
    fit = json.load(open(a.json))
    pts = fit["points"]
    line = fit["fit_line"]
    excluded = fit.get("excluded_points", [])
    T_ex = fit["extrapolation_T_K"]

    fig, ax = plt.subplots(figsize=(6.4, 4.8))
    x = np.array([q["inv_T_1000"] for q in pts])
    y = np.array([q["D_cm2_s"] for q in pts])
    errs = [log_errors(q["D_cm2_s"], q.get("D_err_cm2_s")) for q in pts]
    ax.errorbar(x, y, yerr=np.array(errs).T, fmt="o", color="C0", capsize=3, label="MD (fitted)")

    lx = np.array([q["inv_T_1000"] for q in line])
    ly = np.array([q["D_cm2_s"] for q in line])
    le = [q.get("D_err_cm2_s") for q in line]
    x_data = (x.min(), x.max())
    inside = (lx >= x_data[0] - 1e-12) & (lx <= x_data[1] + 1e-12)
    Ea, Ea_err = fit.get("Ea_eV"), fit.get("Ea_err_eV")
    resolved = Ea is not None and Ea_err is not None and Ea_err < abs(Ea)
    ea_text = (f"E$_a$ = {Ea:.3f} ± {Ea_err:.3f} eV" if Ea_err is not None
               else f"E$_a$ = {Ea:.3f} eV (no error estimate)")
    ax.plot(lx[inside], ly[inside], "-", color="C3", label="fit: " + ea_text)
    ax.plot(lx, ly, ":", color="C3", lw=1.0)
    if all(e is not None for e in le):
        lo = [v * math.exp(-e / v) for v, e in zip(ly, le)]
        hi = [v * math.exp(e / v) for v, e in zip(ly, le)]
        ax.fill_between(lx, lo, hi, color="C3", alpha=0.15, lw=0, label="±1σ of the fit")

    D_ex, D_ex_err = fit.get("D_extrap_cm2_s"), fit.get("D_extrap_err_cm2_s")
    if D_ex:
        ax.errorbar([1000.0 / T_ex], [D_ex], yerr=np.array([log_errors(D_ex, D_ex_err)]).T, fmt="s",
                    color="C3", mfc="white", capsize=3, label=f"{T_ex:g} K extrapolated: {D_ex:.2g} cm²/s")
    # y range from the fitted data (with errors) and the extrapolated value, ×/÷ 10 around them;
    # the floor of a clipped D is no datum and does not stretch the axis.
    ys = list(y) + [v - lo for v, (lo, _) in zip(y, errs) if v - lo > 0] + [v + hi for v, (_, hi) in zip(y, errs)]
    if D_ex:
        ys.append(D_ex)
    ys = [v for v in ys if v and v > 0]
    ax.set_yscale("log")
    y_lo, y_hi = min(ys) / 10.0, max(ys) * 10.0
    ax.set_ylim(y_lo, y_hi)
    if excluded:
        # Upper bounds: a downward marker at the bound, or at the bottom edge when it is below.
        bx = [q["inv_T_1000"] for q in excluded]
        by = [max(q["D_upper_bound_cm2_s"], y_lo * 1.6) for q in excluded]
        below = any(q["D_upper_bound_cm2_s"] < y_lo * 1.6 for q in excluded)
        ax.plot(bx, by, "v", color="0.4", mfc="none", ms=8, clip_on=False,
                label="not resolved, not fitted: D upper bound" + (" (below the axis)" if below else ""))
        for q, yb in zip(excluded, by):
            ax.annotate(f"{q['T_K']:g} K: D < {q['D_upper_bound_cm2_s']:.1e}", (q["inv_T_1000"], yb),
                        textcoords="offset points", xytext=(4, 6), fontsize=6, color="0.3")
    ax.set_xlabel("1000/T (1/K)")
    ax.set_ylabel("D (cm$^2$/s)")
    top = ax.secondary_xaxis("top", functions=(lambda v: 1000.0 / np.maximum(v, 1e-9),
                                               lambda v: 1000.0 / np.maximum(v, 1e-9)))
    # Round temperatures at least 7 % of the axis apart, so the labels never overlap.
    x0, x1 = ax.get_xlim()
    ticks = []
    for T in (3000, 2000, 1500, 1200, 1000, 800, 700, 600, 500, 400, 350, 300, 250, 200, 150, 100):
        x = 1000.0 / T
        if x0 <= x <= x1 and all(abs(x - 1000.0 / u) >= 0.07 * (x1 - x0) for u in ticks):
            ticks.append(T)
    top.set_ticks(ticks)
    top.set_xlabel("T (K)")
    if a.title:
        title = a.title
    else:
        who = fit.get("species", "")
        where = fit.get("formula")
        title = f"{who} diffusion" + (f" in {where}" if where else "")
        title += f", {min(q['T_K'] for q in pts):g}–{max(q['T_K'] for q in pts):g} K"
        if not resolved:
            title += "\n(E$_a$ not resolved by these data)"
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7, loc="best")
    fig.tight_layout()
    fig.savefig(a.png, dpi=150)


if __name__ == "__main__":
    main()
