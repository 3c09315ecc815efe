#!/usr/bin/python3
"""Plots for `superion analyze` mechanism outputs (every number from C++; /usr/bin/python3 with
numpy + matplotlib).

  plot_mechanism.py reorientation rotation.json out.png   C1(t), C2(t) over the whole window, 1/e
                                                          line, fits or the lower bound of tau
  plot_mechanism.py raster   hops.csv  out.png [--tmax T] hop-event raster (atom vs time)
  plot_mechanism.py map      map.csv   out.png [--rho]    A(theta, phi) (or rho) on the sphere
  plot_mechanism.py columns  table.csv out.png            every column against the first
                                                          (reorientation CSVs get proper labels)
Every kind takes --title; otherwise titles name what the file says (compound, temperature).
"""
import argparse
import csv
import json
import math
import re
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

INV_E = math.exp(-1.0)


def read(path):
    with open(path) as f:
        rows = list(csv.reader(f))
    if not rows:
        sys.exit(f"{path}: empty CSV")
    return rows[0], np.array([[float(x) for x in r] for r in rows[1:]], dtype=float).reshape(-1, len(rows[0]))


def tau_text(fit, name):
    if not fit.get("resolved"):
        return f"τ({name}) > {fit['tau_lower_bound_ps']:.3g} ps (not resolved)"
    return f"τ({name}) = {fit['tau_1e_ps']:.3g} ps"


def reorientation(args):
    r = json.load(open(args.input))
    t = np.array(r["t_ps"])
    fig, ax = plt.subplots(figsize=(6.4, 4.6))
    for key, color, sub in (("C1", "C0", "1"), ("C2", "C1", "2")):
        c = np.array(r[key])
        fit = r.get("fit_" + key, {})
        ax.plot(t, c, color=color, lw=1.6, label=f"C$_{sub}$(t) = ⟨P$_{sub}$(u(0)·u(t))⟩: " + tau_text(fit, "C" + sub))
        if fit.get("resolved") and fit.get("tau_exp_ps"):
            ax.plot(t, np.exp(-t / fit["tau_exp_ps"]), color=color, ls="--", lw=0.9,
                    label=f"exp(−t/τ), τ = {fit['tau_exp_ps']:.3g} ps")
        if fit.get("resolved") and fit.get("tau_kww_ps") and fit.get("beta"):
            ax.plot(t, np.exp(-(t / fit["tau_kww_ps"]) ** fit["beta"]), color=color, ls=":", lw=1.1,
                    label=f"exp(−(t/τ)$^β$), τ = {fit['tau_kww_ps']:.3g} ps, β = {fit['beta']:.2f}")
    ax.axhline(INV_E, color="0.5", lw=0.8, ls=":", label="1/e: τ is reported once C falls below it")
    ax.set_xlim(0.0, t.max())
    ax.set_ylim(min(-0.05, float(np.min([r["C1"], r["C2"]])) - 0.05), 1.05)
    ax.set_xlabel("lag time t (ps)")
    ax.set_ylabel("reorientation correlation C$_l$(t)")
    cluster = f"{r.get('centre', '')}{r.get('ligand', '')}$_{len(r['clusters'][0]['ligands'])}$" if r.get("clusters") else "anion"
    default = f"{cluster} reorientation in {r.get('formula') or 'the cell'}"
    if r.get("temperature_K"):
        default += f" at {r['temperature_K']:g} K"
    ax.set_title(args.title or default)
    ax.legend(fontsize=7, loc="upper right")
    fig.tight_layout()
    fig.savefig(args.png, dpi=150)


def raster(args):
    head, d = read(args.input)
    fig, ax = plt.subplots(figsize=(8, 4))
    if len(d):
        for atom, t0, t1 in zip(d[:, 0], d[:, 3], d[:, 4]):
            ax.plot([t0, t1], [atom, atom], lw=3, color="C0", solid_capstyle="butt")
    ax.set_xlim(0.0, args.tmax if args.tmax else (d[:, 4].max() if len(d) else 1.0))
    ax.set_xlabel("time (ps)")
    ax.set_ylabel("atom index")
    ax.set_title(args.title or f"{len(d)} long-lived hop events")
    fig.tight_layout()
    fig.savefig(args.png, dpi=150)


def sphere_map(args):
    head, d = read(args.input)
    th, ph = np.unique(d[:, 0]), np.unique(d[:, 1])
    z = d[:, 2 if args.rho else 3].reshape(len(th), len(ph))
    fig, ax = plt.subplots(figsize=(8, 4))
    im = ax.pcolormesh(ph, th, np.ma.masked_invalid(z), shading="nearest", cmap="viridis")
    fig.colorbar(im, ax=ax, label=("ρ (1/sr)" if args.rho else "A = −kT ln ρ (eV)") + "; white: no samples")
    ax.set_xlabel("azimuth φ (deg)")
    ax.set_ylabel("polar angle θ from +z (deg)")
    ax.invert_yaxis()
    ax.set_title(args.title or ("orientation density ρ(θ, φ)" if args.rho else "angular free energy A(θ, φ)"))
    fig.tight_layout()
    fig.savefig(args.png, dpi=150)


def pretty(name):
    """t_ps → 't (ps)', C1 → 'C₁', C1_600K → 'C₁, 600 K', MSD_A2 → 'MSD (Å²)'."""
    m = re.fullmatch(r"C([12])(?:_(.+?)K?)?", name)
    if m:
        return f"C$_{m.group(1)}$" + (f", {m.group(2)} K" if m.group(2) else "")
    units = {"_ps": " (ps)", "_A2": " (Å²)", "_thz": " (THz)", "_A": " (Å)", "_eV": " (eV)"}
    for suffix, unit in units.items():
        if name.endswith(suffix):
            return name[: -len(suffix)].replace("_", " ") + unit
    return name.replace("_", " ")


def columns(args):
    head, d = read(args.input)
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    for k in range(1, len(head)):
        ax.plot(d[:, 0], d[:, k], label=pretty(head[k]))
    reorient = all(re.fullmatch(r"C[12](_.*)?", h) for h in head[1:])
    ax.set_xlim(d[:, 0].min(), d[:, 0].max())
    ax.set_xlabel(pretty(head[0]))
    if reorient:
        ax.axhline(INV_E, color="0.5", lw=0.8, ls=":", label="1/e")
        ax.set_ylabel("reorientation correlation C$_l$(t)")
    elif args.ylabel:
        ax.set_ylabel(args.ylabel)
    ax.set_ylabel(args.ylabel or ax.get_ylabel() or "value")
    ax.set_title(args.title or ("anion reorientation correlation" if reorient else args.input.split("/")[-1]))
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(args.png, dpi=150)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("kind", choices=["reorientation", "raster", "map", "columns"])
    p.add_argument("input", help="rotation JSON (reorientation) or CSV")
    p.add_argument("png")
    p.add_argument("--rho", action="store_true", help="map: plot rho instead of A")
    p.add_argument("--tmax", type=float, help="raster: length of the run (ps)")
    p.add_argument("--title")
    p.add_argument("--ylabel", help="columns: y-axis label")
    a = p.parse_args()
    {"reorientation": reorientation, "raster": raster, "map": sphere_map, "columns": columns}[a.kind](a)


if __name__ == "__main__":
    main()
