#!/usr/bin/python3
"""The PNG figures of a `superion demo` run folder (every number comes from the C++ outputs).

  plot_demo.py RUN_DIR        writes RUN_DIR/plots/*.png from summary.json and the CSV files

Figures: arrhenius.png (MTP-MD D(T) with its fit and band, the reference's D(T) and fit, the
paper's values at 300 K; temperatures without Na diffusion are marked on the axis, never plotted
as data), msd.png, d_vs_reference.png, hops.png (hop-event raster), vanhove.png,
reorientation.png, angular_free_energy.png, ldfc.png, frozen_rotation.png. Needs Debian's
matplotlib and numpy (/usr/bin/python3).
"""
import csv
import glob
import json
import math
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

KB = 8.617333262e-5  # eV/K


def rows(path):
    with open(path) as f:
        return list(csv.DictReader(f))


def col(rs, key):
    return np.array([float(r[key]) if r[key] not in ("", "inf", "nan") else np.nan for r in rs])


def title(s, what):
    return f"{s['compound']}: {what}"


def save(fig, run, name, made):
    path = os.path.join(run, "plots", name)
    fig.tight_layout()
    fig.savefig(path, dpi=150)
    plt.close(fig)
    made.append(path)


def arrhenius(s, run, made):
    fig, ax = plt.subplots(figsize=(6.4, 4.8))
    per = s["per_temperature"]
    a = s["arrhenius"]
    x_all = []

    def points(key, color, marker, label):
        T = [p["T_K"] for p in per if key in p and p[key]["diffusive"]]
        D = [p[key]["D_cm2_s"] for p in per if key in p and p[key]["diffusive"]]
        E = [p[key]["D_err_cm2_s"] for p in per if key in p and p[key]["diffusive"]]
        if T:
            x = 1000.0 / np.array(T)
            x_all.extend(x)
            ax.errorbar(x, D, yerr=E, fmt=marker, color=color, capsize=3, label=label)

    points("mtp", "C0", "o", "MTP-MD (this run)")
    points("reference", "C1", "s", "reference MD (CHGNet)")
    x300 = 1000.0 / 300.0

    def fit_line(fit, color, style, label):
        if not fit.get("fitted"):
            return
        T_used = fit["temperatures_used"]
        xs = np.linspace(1000.0 / max(T_used), x300, 100)
        Ea, lnD0 = fit["Ea_eV"], math.log(fit["prefactor_cm2_s"])
        ys = np.exp(lnD0 - Ea * xs / (1000.0 * KB))
        ax.plot(xs, ys, style, color=color, label=label)

    if a.get("resolved"):
        fit_line(a, "C0", "-", f"MTP fit Ea = {a['Ea_eV']:.3f} ± {a['Ea_err_eV']:.3f} eV")
        # 1-sigma band of the fit (covariance-propagated, arrhenius.json), symmetric in ln D
        aj = os.path.join(run, "arrhenius.json")
        if os.path.exists(aj):
            fl = json.load(open(aj)).get("fit_line", [])
            if fl:
                xs = np.array([p["inv_T_1000"] for p in fl])
                ys = np.array([p["D_cm2_s"] for p in fl])
                rel = np.array([p["D_err_cm2_s"] for p in fl]) / ys
                ax.fill_between(xs, ys * np.exp(-rel), ys * np.exp(rel), color="C0", alpha=0.2,
                                lw=0, label="MTP fit ±1σ")
        d3, rel = a["D_300K_cm2_s"], a["D_300K_err_cm2_s"] / a["D_300K_cm2_s"]
        ax.errorbar([x300], [d3], yerr=[[d3 * (1 - math.exp(-rel))], [d3 * (math.exp(rel) - 1)]],
                    fmt="o", mfc="white", color="C0", capsize=3,
                    label="MTP, extrapolated to 300 K (±1σ in ln D)")
    elif a.get("fitted"):
        fit_line(a, "gray", ":", "MTP fit, NOT resolved (not a result)")
    r = s.get("reference_arrhenius", {})
    fit_line(r, "C1", "--", (f"reference fit Ea = {r['Ea_eV']:.3f} ± {r['Ea_err_eV']:.3f} eV"
                             if r.get("fitted") else ""))
    p = s["paper"]
    if p.get("D_300K_mtp_cm2_s"):
        ax.plot([x300], [p["D_300K_mtp_cm2_s"]], "*", ms=12, color="k",
                label="paper, 100-ns MTP-MD (300 K)")
    if p.get("D_300K_aimd_cm2_s"):
        ax.plot([x300], [p["D_300K_aimd_cm2_s"]], "x", ms=9, color="k",
                label="paper, extrapolated AIMD (300 K)")
    nd = [q["T_K"] for q in per if q.get("in_plan") and not q.get("mtp", {}).get("diffusive")]
    for T in nd:
        ax.axvline(1000.0 / T, color="gray", ls=":", lw=1)
        ax.text(1000.0 / T, 0.98, f"{T:g} K: no Na diffusion", rotation=90, fontsize=7,
                color="gray", transform=ax.get_xaxis_transform(), va="top", ha="right")
    ax.set_yscale("log")
    ax.set_xlabel("1000 / T (K$^{-1}$)")
    ax.set_ylabel("D(Na) (cm$^2$/s)")
    status = (f"Ea = {a['Ea_eV']:.3f} ± {a['Ea_err_eV']:.3f} eV" if a.get("resolved")
              else "Ea NOT RESOLVED: " + a.get("reason", ""))
    ax.set_title(title(s, "Arrhenius plot") + "\n" + status, fontsize=10,
                 color="k" if a.get("resolved") else "red")
    ax.legend(fontsize=7, loc="lower left")
    save(fig, run, "arrhenius.png", made)


def msd(s, run, made):
    files = sorted(glob.glob(os.path.join(run, "analysis", "msd_T*_r0.csv")),
                   key=lambda f: float(os.path.basename(f)[5:].split("_")[0]))
    if not files:
        return
    fig, ax = plt.subplots(figsize=(6.4, 4.8))
    per = {p["T_K"]: p for p in s["per_temperature"]}
    for k, f in enumerate(files):
        T = float(os.path.basename(f)[5:].split("_")[0])
        rs = rows(f)
        t, m = col(rs, "t_ps"), col(rs, "MSD_A2")
        d = json.load(open(f.replace("msd_", "diffusion_").replace(".csv", ".json")))
        c = f"C{k % 10}"
        ax.plot(t, m, color=c, label=f"{T:g} K (replica 0)")
        slope = 6.0 * d["D_cm2_s"] * 1e4  # A^2/ps
        icpt = np.mean(m - slope * t)
        tt = np.array([0.0, t[-1]])
        ax.plot(tt, slope * tt + icpt, "--", color=c, lw=0.8)
        if not per.get(T, {}).get("mtp", {}).get("diffusive", True):
            ax.text(t[-1], m[-1], " no diffusion", color=c, fontsize=7)
    ax.set_xlim(left=0)
    ax.set_ylim(bottom=0)
    ax.set_xlabel("lag t (ps)")
    ax.set_ylabel("Na mean squared displacement (Å$^2$)")
    ax.set_title(title(s, "Na MSD of MTP-MD from the first fitted lag (1 ps; dashed: 6Dt + c)"),
                 fontsize=10)
    ax.legend(fontsize=7)
    save(fig, run, "msd.png", made)


def d_vs_reference(s, run, made):
    per = [p for p in s["per_temperature"] if "reference" in p]
    if not per:
        return
    fig, ax = plt.subplots(figsize=(6.4, 4.8))
    for key, c, mk, lab, dx in (("mtp", "C0", "o", "MTP-MD", -4), ("reference", "C1", "s",
                                                                      "reference (CHGNet) MD", 4)):
        T = [p["T_K"] + dx for p in per if key in p and p[key]["diffusive"]]
        D = [p[key]["D_cm2_s"] for p in per if key in p and p[key]["diffusive"]]
        E = [p[key]["D_err_cm2_s"] for p in per if key in p and p[key]["diffusive"]]
        ax.errorbar(T, D, yerr=E, fmt=mk, color=c, capsize=3, label=lab)
    for p in per:
        if "z_mtp_vs_reference" in p and p["z_mtp_vs_reference"] is not None:
            ax.annotate(f"z = {p['z_mtp_vs_reference']:+.1f}", (p["T_K"], p["reference"]["D_cm2_s"]),
                        textcoords="offset points", xytext=(6, -12), fontsize=7)
    cmp = s["comparison"]
    ax.set_yscale("log")
    ax.set_xlabel("T (K)")
    ax.set_ylabel("D(Na) (cm$^2$/s)")
    ax.set_title(title(s, f"MTP-MD vs its reference: {cmp['agree']}/{cmp['compared']} agree "
                          "within 2σ"), fontsize=10)
    ax.legend(fontsize=8)
    save(fig, run, "d_vs_reference.png", made)


def mechanism(s, run, made):
    mdir = os.path.join(run, "analysis", "mechanism")
    m = s.get("mechanism") or {}
    if not os.path.isdir(mdir) or not m:
        return
    T = m.get("T_K")
    f = os.path.join(mdir, "hop_events.csv")
    if os.path.exists(f):
        rs = rows(f)
        fig, ax = plt.subplots(figsize=(6.4, 4.0))
        for r in rs:
            ax.plot([float(r["start_ps"]), float(r["end_ps"])], [int(r["atom"])] * 2, lw=4,
                    solid_capstyle="butt", color="C3")
        h = m["hops"]
        ax.set_xlabel("time (ps, after equilibration)")
        ax.set_ylabel("Na atom index")
        ax.set_title(title(s, f"Na hop events at {T:g} K ({h['events']} events; t_p = "
                              f"{h['t_p_ps']:g} ps, a = {h['a_A']:g} Å, t_a = {h['t_a_ps']:g} ps)"),
                     fontsize=9)
        save(fig, run, "hops.png", made)
    f = os.path.join(mdir, "vanhove.csv")
    if os.path.exists(f):
        rs = rows(f)
        r_ = col(rs, "r_A")
        fig, (a1, a2) = plt.subplots(1, 2, figsize=(9, 3.8))
        for k, key in enumerate([c for c in rs[0] if c.startswith("gs4pir2_t")]):
            t = key[len("gs4pir2_t"):]
            a1.plot(r_, col(rs, key), color=f"C{k}", label=f"t = {t} ps")
            a2.plot(r_, col(rs, "gd_t" + t), color=f"C{k}", label=f"t = {t} ps")
        a1.set_xlabel("r (Å)")
        a1.set_ylabel("4πr² G$_s$(r, t) (Å$^{-1}$)")
        a1.set_title("self part (Na)", fontsize=9)
        a2.set_xlabel("r (Å)")
        a2.set_ylabel("G$_d$(r, t)")
        a2.set_title("distinct part (Na–Na)", fontsize=9)
        a1.legend(fontsize=7)
        fig.suptitle(title(s, f"van Hove correlation of Na at {T:g} K (MTP-MD)"), fontsize=10)
        save(fig, run, "vanhove.png", made)
    f = os.path.join(mdir, "reorientation.csv")
    if os.path.exists(f):
        rs = rows(f)
        t = col(rs, "t_ps")
        fig, ax = plt.subplots(figsize=(6.4, 4.4))
        ro = m.get("reorientation", {})
        for key, c in (("C1", "C0"), ("C2", "C1")):
            info = ro.get(key, {})
            lab = (f"{key}: τ(1/e) = {info['tau_ps']:.3g} ps" if info.get("reached")
                   else f"{key}: τ(1/e) > {info.get('tau_lower_bound_ps', float('nan')):.3g} ps "
                        "(not reached)")
            ax.plot(t, col(rs, key), color=c, label=lab)
        ax.axhline(math.exp(-1), color="gray", ls=":", lw=1)
        ax.text(t[-1], math.exp(-1), "1/e", va="bottom", ha="right", fontsize=7, color="gray")
        ax.set_xlabel("lag t (ps)")
        ax.set_ylabel("C$_l$(t) = ⟨P$_l$(u(0)·u(t))⟩")
        ax.set_title(title(s, f"SO$_4$ reorientation at {T:g} K (MTP-MD)"), fontsize=10)
        ax.legend(fontsize=8)
        save(fig, run, "reorientation.png", made)
    f = os.path.join(mdir, "angular_map.csv")
    if os.path.exists(f):
        rs = rows(f)
        th, ph, A = col(rs, "theta_deg"), col(rs, "phi_deg"), col(rs, "free_energy_eV")
        nth, nph = len(np.unique(th)), len(np.unique(ph))
        grid = A.reshape(nth, nph) * 1000.0
        fig, ax = plt.subplots(figsize=(6.8, 3.8))
        im = ax.imshow(grid, origin="lower", extent=[-180, 180, 0, 180], aspect="auto",
                       cmap="viridis")
        fig.colorbar(im, ax=ax, label="A(θ, φ) (meV); white: never visited")
        ax.set_xlabel("φ (degrees)")
        ax.set_ylabel("θ (degrees)")
        ax.set_title(title(s, f"angular free energy of S–O bond directions at {T:g} K"),
                     fontsize=10)
        save(fig, run, "angular_free_energy.png", made)
    f = os.path.join(mdir, "ldfc_spectra.csv")
    if os.path.exists(f):
        rs = rows(f)
        nu = col(rs, "freq_THz")
        lf = m.get("ldfc", {})
        keep = nu <= 3 * lf.get("cutoff_THz", 5.0)
        fig, ax = plt.subplots(figsize=(6.4, 4.4))
        ax.plot(nu[keep], col(rs, "S_Na")[keep], label=f"Na VACF, ν$_{{Na}}$ = {lf.get('nu_Na_THz', 0):.2f} THz")
        ax.plot(nu[keep], col(rs, "S_rot")[keep],
                label=f"SO$_4$ angular velocity, ν$_{{rot}}$ = {lf.get('nu_rot_THz', 0):.2f} THz")
        ax.axvline(lf.get("cutoff_THz", 5.0), color="gray", ls=":", lw=1)
        ax.set_xlabel("frequency (THz)")
        ax.set_ylabel("normalised power spectrum (THz$^{-1}$)")
        ax.set_title(title(s, f"LDFC = ν$_{{Na}}$ − ν$_{{rot}}$ = {lf.get('LDFC_THz', 0):.2f} THz "
                              f"at {T:g} K (centroids below {lf.get('cutoff_THz', 5.0):g} THz)"),
                     fontsize=9)
        ax.legend(fontsize=8)
        save(fig, run, "ldfc.png", made)
    fr = m.get("frozen")
    if fr:
        fig, ax = plt.subplots(figsize=(6.4, 4.4))
        for pattern, lab, c in (("msd_mechanism_T*.csv", "free SO$_4$ rotation", "C0"),
                                ("msd_frozen_*.csv", "frozen SO$_4$ (rigid, not rotating)", "C3")):
            g = glob.glob(os.path.join(run, "analysis", pattern))
            if g:
                rs = rows(g[0])
                ax.plot(col(rs, "t_ps"), col(rs, "MSD_A2"), color=c, label=lab)
        ratio = fr.get("D_free_over_frozen")
        ax.set_xlim(left=0)
        ax.set_ylim(bottom=0)
        ax.set_xlabel("lag t (ps)")
        ax.set_ylabel("Na mean squared displacement (Å$^2$)")
        ax.set_title(title(s, f"frozen-rotation check at {T:g} K: D(free)/D(frozen) = "
                              + (f"{ratio:.3g}" if ratio else "n/a")
                              + f", hops {m.get('free_hop_events')} vs {fr.get('hop_events')}"),
                     fontsize=9)
        ax.legend(fontsize=8)
        save(fig, run, "frozen_rotation.png", made)


def main():
    if len(sys.argv) != 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0 if len(sys.argv) == 2 else 2
    run = sys.argv[1]
    s = json.load(open(os.path.join(run, "summary.json")))
    os.makedirs(os.path.join(run, "plots"), exist_ok=True)
    made = []
    for f in (arrhenius, msd, d_vs_reference, mechanism):
        f(s, run, made)
    for m in made:
        print(m)
    return 0


if __name__ == "__main__":
    sys.exit(main())
