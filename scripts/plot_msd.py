#!/usr/bin/python3
"""MSD(t) from `superion analyze diffusion --csv msd.csv --json d.json` (every number from C++).

Usage: plot_msd.py msd.csv out.png [--json d.json] [--title TEXT]

The whole curve from t = 0 (total MSD, its x/y/z parts, the collective MSCD dashed), the fit
window shaded; with the JSON the fitted line (solid in the window, dashed outside) with the band
of D's ±1σ slope error about the window's centre, and a title naming species, compound and
temperature. A D clipped at pymatgen's floor is marked as not resolved (no line).
"""
import argparse
import csv
import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

A2PS_TO_CM2S = 1e-4  # 1 Å²/ps = 1e-4 cm²/s


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("csv")
    p.add_argument("png")
    p.add_argument("--json", help="diffusion JSON of the same run (fit line, D, title)")
    p.add_argument("--title")
    a = p.parse_args()
    rows = list(csv.DictReader(open(a.csv)))
    if not rows:
        raise SystemExit(f"{a.csv}: no rows")
    t = np.array([float(r["t_ps"]) for r in rows])
    col = {k: np.array([float(r[k]) for r in rows]) for k in ("MSD_A2", "MSD_x_A2", "MSD_y_A2", "MSD_z_A2", "MSCD_A2")}
    in_fit = np.array([int(r.get("in_fit", 1)) for r in rows], dtype=bool)
    d = json.load(open(a.json)) if a.json else None

    fig, ax = plt.subplots(figsize=(6.4, 4.6))
    ax.plot(t, col["MSD_A2"], color="k", lw=1.8, label="MSD (all ions)")
    for k, c, lab in (("MSD_x_A2", "C0", "x"), ("MSD_y_A2", "C1", "y"), ("MSD_z_A2", "C2", "z")):
        ax.plot(t, col[k], color=c, lw=0.9, label=f"MSD$_{lab}$")
    ax.plot(t, col["MSCD_A2"], color="0.45", lw=0.9, ls="--", label="MSCD / N (collective)")
    if in_fit.any():
        t0, t1 = t[in_fit].min(), t[in_fit].max()
        ax.axvspan(t0, t1, color="C0", alpha=0.08, label=f"fit window {t0:.3g}–{t1:.3g} ps")
    if d is not None and d.get("fit_slope_A2_ps") is not None:
        m, c = d["fit_slope_A2_ps"], d["fit_intercept_A2"]
        tl = np.linspace(0.0, t.max(), 200)
        inside = (tl >= t[in_fit].min()) & (tl <= t[in_fit].max()) if in_fit.any() else np.ones_like(tl, bool)
        if d.get("D_clipped"):
            ax.plot([], [], " ", label="D not resolved: MSD slope ≤ 0 (clipped)")
        else:
            D, De = d["D_cm2_s"], d.get("D_err_cm2_s")
            lab = f"fit 6Dt + c: D = {D:.3g}" + (f" ± {De:.2g}" if De is not None else "") + " cm²/s"
            ax.plot(tl[inside], m * tl[inside] + c, color="C3", lw=1.6, label=lab)
            ax.plot(tl, m * tl + c, color="C3", lw=1.0, ls=":")
            if De is not None and in_fit.any():
                tc = t[in_fit].mean()
                yc = m * tc + c
                e = 6.0 * De / A2PS_TO_CM2S
                ax.fill_between(tl, yc + (m - e) * (tl - tc), yc + (m + e) * (tl - tc), color="C3", alpha=0.15,
                                lw=0, label="±1σ of D")
    ax.set_xlim(0.0, t.max())
    top = max(col["MSD_A2"].max(), col["MSD_x_A2"].max(), col["MSD_y_A2"].max(), col["MSD_z_A2"].max())
    ax.set_ylim(0.0, 1.15 * top if top > 0 else 1.0)
    ax.set_xlabel("lag time t (ps)")
    ax.set_ylabel("mean square displacement (Å$^2$)")
    if a.title:
        title = a.title
    elif d is not None:
        title = f"{d.get('species', '')} MSD in {d.get('formula') or 'the cell'} at {d['temperature_K']:g} K"
    else:
        title = "mean square displacement"
    ax.set_title(title)
    ax.legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    fig.savefig(a.png, dpi=150)


if __name__ == "__main__":
    main()
