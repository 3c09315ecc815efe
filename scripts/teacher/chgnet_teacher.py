#!/usr/bin/env python3
"""CHGNet stand-in reference data for the Na3XAO4 antiperovskites (issue 20).

Stages (each resumable: finished runs are skipped, running ones continue from their checkpoint):
  relax      cubic unit cell (cell + positions, Td SO4) -> a0; finite-difference check of the
             stress sign; the 2x2x2 cell with one Na + halide Schottky pair, positions relaxed at a0
  train      NVT (CSVR) training runs of the defective 2x2x2 cell at each T x isotropic strain
             (default 300..1100 K x -5, 0, +5 % of a0): equilibrate, then a frame every 0.1 ps with
             energy, forces and stress; the pressure every `--p-every` steps
  volumes    the zero-pressure volume per T from the three strains' mean pressures (quadratic
             P(V)), and a(T) fitted for the temperatures in between
  diffusion  NVT replicas of the defective cell at the teacher's a(T): positions every 0.05 ps,
             tracer D(Na) per replica; replicas are added (worst relative error first) until each
             D has a standard error <= --target-error or --max-replicas/--budget-h is reached
  report     D(T) table, Arrhenius fit Ea +- error, D(300 K) and sigma(300 K) extrapolated
  pack       compressed, lean copies for the repository (extxyz.gz + JSON) into --data

Usage (venv from scripts/install-teacher.sh; one core):
  .venv-teacher/bin/python scripts/teacher/chgnet_teacher.py --compound Na3ClSO4 all
Work files go to build/teacher/COMPOUND (override with --work); `provenance.json` there records
versions, seeds and every command line.
"""
import argparse
import gzip
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import teacher_common as tc  # noqa: E402

DT_FS = 2.0
TAUT_FS = 100.0  # CSVR time constant (superion md's default tdamp is 0.1 ps)
FRAME_EVERY = 50  # 0.1 ps
POS_EVERY = 25  # 0.05 ps (diffusion trajectories)


# ---------------------------------------------------------------------------------------------
# Small helpers

def fmt_strain(s: float) -> str:
    return f"{s:+.2f}"


def multiple_of(steps: float, k: int) -> int:
    """`steps` rounded up to a multiple of k (so that samples fall on the sampling grid)."""
    return int(np.ceil(round(steps, 6) / k)) * k


def train_name(T: float, strain: float) -> str:
    return f"md_{T:g}K_strain{fmt_strain(strain)}_schottky"


def write_extxyz(path: Path, frames) -> None:
    """Compact extended XYZ (ASE conventions: energy eV, forces eV/A, stress eV/A^3 with ASE's
    sign, virial part only) written atomically; `frames` is a list of dicts."""
    out = []
    for fr in frames:
        cell = fr["cell"]
        lat = " ".join(f"{x:.8f}" for x in np.asarray(cell).reshape(-1))
        props = "species:S:1:pos:R:3" + (":forces:R:3" if "forces" in fr else "")
        info = [f'Lattice="{lat}"', f"Properties={props}"]
        if "energy" in fr:
            info.append(f"energy={fr['energy']:.6f}")
        if "stress" in fr:
            from ase.stress import voigt_6_to_full_3x3_stress

            s9 = voigt_6_to_full_3x3_stress(np.asarray(fr["stress"])).reshape(-1)
            info.append('stress="' + " ".join(f"{x:.6e}" for x in s9) + '"')
        for k, v in fr.get("info", {}).items():
            info.append(f"{k}={v}")
        info.append('pbc="T T T"')
        out.append(f"{len(fr['symbols'])}\n" + " ".join(info) + "\n")
        pos, frc = fr["positions"], fr.get("forces")
        for i, s in enumerate(fr["symbols"]):
            line = f"{s:2s} {pos[i][0]:.5f} {pos[i][1]:.5f} {pos[i][2]:.5f}"
            if frc is not None:
                line += f" {frc[i][0]:.5f} {frc[i][1]:.5f} {frc[i][2]:.5f}"
            out.append(line + "\n")
    text = "".join(out)
    tmp = path.with_name(path.name + ".tmp")
    if path.suffix == ".gz":
        with gzip.GzipFile(tmp, "wb", compresslevel=9, mtime=0) as f:
            f.write(text.encode())
    else:
        tmp.write_text(text)
    tmp.replace(path)


class Provenance:
    def __init__(self, work: Path):
        self.path = work / "provenance.json"
        self.data = json.loads(self.path.read_text()) if self.path.exists() else {
            "what": "CHGNet stand-in reference data (scripts/teacher/chgnet_teacher.py)",
            "commands": [], "runs": {}}

    def command(self, argv, vers, model_version):
        self.data["commands"].append({"argv": argv, "date": time.strftime("%Y-%m-%d %H:%M:%S"),
                                      "versions": vers, "model": model_version})
        self.save()

    def run(self, name, info):
        self.data["runs"][name] = info
        self.save()

    def save(self):
        tc.atomic_write_json(self.path, self.data)


# ---------------------------------------------------------------------------------------------
# relax

def stage_relax(args, work: Path, prov: Provenance):
    out = work / "relax.json"
    if out.exists():
        tc.log(f"relax: done ({out})")
        return json.loads(out.read_text())
    from ase.filters import FrechetCellFilter
    from ase.optimize import BFGS
    from ase import units

    t0 = time.time()
    calc = tc.make_calculator()
    unit = tc.unit_cell_atoms(args.compound)
    unit.calc = calc
    opt = BFGS(FrechetCellFilter(unit, hydrostatic_strain=True), logfile=None)
    opt.run(fmax=0.001, steps=300)
    a0 = float(np.cbrt(unit.get_volume()))
    centre = tc.COMPOUNDS[args.compound][1]
    ic = [i for i, s in enumerate(unit.get_chemical_symbols()) if s == centre][0]
    xo = float(np.mean([unit.get_distance(ic, j, mic=True)
                        for j, s in enumerate(unit.get_chemical_symbols()) if s == "O"]))
    e0 = unit.get_potential_energy() / len(unit)
    p0 = -np.mean(unit.get_stress()[:3]) / units.GPa
    tc.log(f"relax: a0 = {a0:.4f} A, {centre}-O = {xo:.4f} A, E = {e0:.5f} eV/atom, "
           f"P = {p0:.3f} GPa ({opt.nsteps} BFGS steps)")

    # Stress sign and magnitude: for an isotropic strain e of the cell (fractional positions
    # fixed), dE/de = V tr(sigma) in ASE's convention. Check at -3 % where P != 0.
    fd = {}
    ref = unit.copy()
    h = 0.002
    es = []
    for e in (-0.03 - h, -0.03 + h, -0.03):
        a = ref.copy()
        a.set_cell(ref.cell * (1 + e), scale_atoms=True)
        a.calc = calc
        es.append((a.get_potential_energy(), a.get_volume(), a.get_stress().copy()))
    dEde = (es[1][0] - es[0][0]) / (2 * h / (1 - 0.03))  # d/d(ln scale) at the middle point
    vtr = es[2][1] * float(np.sum(es[2][2][:3]))
    fd = {"strain": -0.03, "dE_dlnscale_eV": dEde, "V_tr_sigma_eV": vtr,
          "rel_diff": abs(dEde - vtr) / abs(vtr)}
    tc.log(f"relax: stress check at -3 %: dE/dln(s) = {dEde:.4f} eV, V tr(sigma) = {vtr:.4f} eV")

    # Defective 2x2x2 cell at a0, positions relaxed
    sc = tc.defective_supercell(unit_cell_scaled(args.compound, unit), 2)
    sc.calc = calc
    opt2 = BFGS(sc, logfile=None)
    opt2.run(fmax=0.01, steps=500)
    p_sc = -np.mean(sc.get_stress()[:3]) / units.GPa
    tc.log(f"relax: defective 2x2x2 cell ({len(sc)} atoms) relaxed in {opt2.nsteps} steps, "
           f"P = {p_sc:.3f} GPa")
    write_extxyz(work / "unit_relaxed.xyz", [frame_of(unit, stress=True)])
    write_extxyz(work / "start_schottky.xyz", [frame_of(sc, stress=True)])
    res = {"a0_A": a0, "XO_A": xo, "E_unit_eV_per_atom": e0, "P_unit_GPa": p0,
           "unit_bfgs_steps": opt.nsteps, "stress_check": fd, "defect_cell_atoms": len(sc),
           "defect_cell_P_GPa": p_sc, "defect_bfgs_steps": opt2.nsteps,
           "formula_defect_cell": sc.get_chemical_formula(), "wall_s": time.time() - t0}
    tc.atomic_write_json(out, res)
    prov.run("relax", res)
    return res


def unit_cell_scaled(compound, relaxed):
    from ase import Atoms

    return Atoms(relaxed.get_chemical_symbols(), positions=relaxed.get_positions(),
                 cell=relaxed.cell, pbc=True)


def frame_of(atoms, stress=False, info=None):
    fr = {"symbols": atoms.get_chemical_symbols(), "positions": atoms.get_positions(),
          "cell": atoms.cell.array, "energy": atoms.get_potential_energy(),
          "forces": atoms.get_forces()}
    if stress:
        fr["stress"] = atoms.get_stress()
    if info:
        fr["info"] = info
    return fr


def start_cell(work: Path, scale: float):
    from ase.io import read

    atoms = read(work / "start_schottky.xyz")
    atoms.set_cell(atoms.cell * scale, scale_atoms=True)
    atoms.calc = tc.make_calculator()
    return atoms


# ---------------------------------------------------------------------------------------------
# train

def stage_train(args, work: Path, prov: Provenance):
    tdir = work / "train"
    tdir.mkdir(exist_ok=True)
    eq = multiple_of(args.train_eq_ps * 1000 / DT_FS, FRAME_EVERY)
    prod = multiple_of(args.train_ps * 1000 / DT_FS, FRAME_EVERY)
    plan = [(T, s) for T in args.train_T for s in args.strains]
    todo = [(T, s) for T, s in plan if not (tdir / (train_name(T, s) + ".json")).exists()]
    tc.log(f"train: {len(plan)} runs ({len(plan) - len(todo)} done), {eq} + {prod} steps each")
    for k, (T, s) in enumerate(todo):
        name = train_name(T, s)
        seed = tc.run_seed(args.seed, name)
        atoms = start_cell(work, 1.0 + s)
        symbols = atoms.get_chemical_symbols()
        frames = []

        def on_sample(step, at, with_stress):
            rec = {}
            if with_stress:
                rec["pressure_GPa"] = tc.pressure_GPa(at) if step > eq else np.nan
                rec["T_inst_p"] = at.get_temperature()
            if step > eq and (step - eq) % FRAME_EVERY == 0:
                if "stress" not in at.calc.results:
                    at.calc.calculate(at, ["energy", "forces", "stress"], ["positions"])
                r = at.calc.results
                rec.update({"pos": at.get_positions().copy(), "frc": r["forces"].copy(),
                            "ene": r["energy"], "str": r["stress"].copy(),
                            "tinst": at.get_temperature(), "fstep": step})
            return rec

        run = tc.MDRun(atoms, T, DT_FS, TAUT_FS, seed, tdir / (name + ".ckpt.npz"),
                       sample_every=FRAME_EVERY, stress_every=args.p_every)
        t0 = time.time()
        rec = run.run(eq + prod, on_sample, f"train {name} ({k + 1}/{len(todo)})",
                      stage_left_steps=(len(todo) - k - 1) * (eq + prod))
        for i in range(len(rec["ene"])):
            frames.append({"symbols": symbols, "positions": rec["pos"][i], "cell": atoms.cell.array,
                           "energy": float(rec["ene"][i]), "forces": rec["frc"][i],
                           "stress": rec["str"][i],
                           "info": {"config_type": "chgnet", "T_target_K": f"{T:g}",
                                    "strain": fmt_strain(s),
                                    "time_fs": f"{rec['fstep'][i] * DT_FS:.1f}",
                                    "temperature_K": f"{rec['tinst'][i]:.1f}"}})
        write_extxyz(tdir / (name + ".xyz"), frames)
        p = np.asarray(rec["pressure_GPa"], dtype=float)
        p = p[np.isfinite(p)]
        pm, pe = tc.block_error(p, 5)
        tin = np.asarray(rec["T_inst_p"], dtype=float)[-len(p):]
        info = {"T_K": T, "strain": s, "seed": seed, "dt_fs": DT_FS, "taut_fs": TAUT_FS,
                "equilibration_steps": eq, "production_steps": prod, "frames": len(frames),
                "frame_every_steps": FRAME_EVERY, "pressure_every_steps": args.p_every,
                "volume_A3": float(atoms.get_volume()), "n_atoms": len(atoms),
                "P_mean_GPa": pm, "P_err_GPa": pe, "T_mean_K": float(np.mean(tin)),
                "wall_s": time.time() - t0, "s_per_step": (time.time() - t0) / (eq + prod)}
        tc.atomic_write_json(tdir / (name + ".json"), info)
        (tdir / (name + ".ckpt.npz")).unlink(missing_ok=True)
        prov.run("train/" + name, info)
        tc.log(f"train {name}: {len(frames)} frames, P = {pm:.2f} +- {pe:.2f} GPa, "
               f"<T> = {info['T_mean_K']:.0f} K")


# ---------------------------------------------------------------------------------------------
# volumes

def stage_volumes(args, work: Path, prov: Provenance):
    tdir = work / "train"
    rows = []
    for T in args.train_T:
        pts = []
        for s in args.strains:
            f = tdir / (train_name(T, s) + ".json")
            if f.exists():
                j = json.loads(f.read_text())
                pts.append((j["volume_A3"], j["P_mean_GPa"], j["P_err_GPa"]))
        if len(pts) < 2:
            continue
        pts.sort()
        V, P, E = (np.array(x) for x in zip(*pts))
        deg = min(2, len(pts) - 1)
        rng = np.random.default_rng(7)
        sols = []
        for trial in range(400):
            Pt = P + (rng.normal(0, 1, len(P)) * E if trial else 0)
            c = np.polyfit(V, Pt, deg)
            roots = [r.real for r in np.roots(c) if abs(r.imag) < 1e-9
                     and 0.8 * V.min() < r.real < 1.2 * V.max()]
            if roots:
                sols.append(min(roots, key=lambda r: abs(r - np.median(V))))
        V0, V0e = sols[0], float(np.std(sols[1:], ddof=1))
        B = -V0 * np.polyval(np.polyder(np.polyfit(V, P, deg)), V0)
        rows.append({"T_K": T, "V0_A3": V0, "V0_err_A3": V0e, "a_A": np.cbrt(V0) / 2,
                     "extrapolated": bool(V0 < V.min() or V0 > V.max()),
                     "a_err_A": np.cbrt(V0) / 2 * V0e / V0 / 3, "B_GPa": B,
                     "points": [{"V_A3": v, "P_GPa": p, "P_err_GPa": e}
                                for v, p, e in zip(V, P, E)]})
        tc.log(f"volumes: {T:g} K: a = {rows[-1]['a_A']:.4f} +- {rows[-1]['a_err_A']:.4f} A, "
               f"B = {B:.1f} GPa")
    Ts = np.array([r["T_K"] for r in rows])
    a = np.array([r["a_A"] for r in rows])
    coef = np.polyfit(Ts, a, min(2, len(rows) - 1)).tolist()
    res = {"per_T": rows, "a_of_T_poly": coef,
           "a_of_T_note": "a(T) = polyval(a_of_T_poly, T): quadratic fit of the zero-pressure a per T"}
    tc.atomic_write_json(work / "volumes.json", res)
    prov.run("volumes", {"a_of_T_poly": coef})
    return res


def lattice_at(work: Path, T: float) -> float:
    v = json.loads((work / "volumes.json").read_text())
    return float(np.polyval(v["a_of_T_poly"], T))


# ---------------------------------------------------------------------------------------------
# diffusion

def tracer_D(pos, is_na, dt_ps, t_min_ps=1.0, t_max_frac=0.5):
    """Tracer D(Na) (cm^2/s) of one unwrapped trajectory (frames x atoms x 3, A): framework drift
    removed, MSD over all time origins, least-squares line through lags t_min .. t_max_frac * run."""
    disp = pos - pos[0]
    disp = disp - disp[:, ~is_na].mean(axis=1, keepdims=True)
    x = disp[:, is_na]
    F = len(x)
    hi = max(int(F * t_max_frac), 2)
    lags = np.arange(min(max(int(round(t_min_ps / dt_ps)), 1), hi // 2), hi + 1)
    msd = np.array([np.mean(np.sum((x[m:] - x[:-m]) ** 2, axis=2)) for m in lags])
    t = lags * dt_ps
    slope, icpt = np.polyfit(t, msd, 1)
    return slope / 6.0 * 1e-4, t, msd  # A^2/ps -> cm^2/s


def diffusion_runs(work: Path):
    ddir = work / "diffusion"
    out = {}
    for f in sorted(ddir.glob("*/rep*.json")):
        j = json.loads(f.read_text())
        out.setdefault(j["T_K"], []).append(j)
    return out


def d_stats(reps):
    D = np.array([r["D_cm2_s"] for r in reps])
    n = len(D)
    m = float(np.mean(D))
    se = float(np.std(D, ddof=1) / np.sqrt(n)) if n > 1 else float("inf")
    return m, se, n


def stage_diffusion(args, work: Path, prov: Provenance):
    ddir = work / "diffusion"
    ddir.mkdir(exist_ok=True)
    eq = multiple_of(args.diff_eq_ps * 1000 / DT_FS, POS_EVERY)
    prod = multiple_of(args.diff_ps * 1000 / DT_FS, POS_EVERY)
    t_start = time.time()

    def rep_path(T, k):
        return ddir / f"{T:g}K" / f"rep{k:02d}"

    def run_one(T, k, stage_left):
        base = rep_path(T, k)
        base.parent.mkdir(exist_ok=True)
        if base.with_suffix(".json").exists():
            return
        a = lattice_at(work, T)
        a0 = json.loads((work / "relax.json").read_text())["a0_A"]
        name = f"diffusion {T:g}K rep{k:02d}"
        seed = tc.run_seed(args.seed, f"diff_{T:g}K_rep{k:02d}")
        atoms = start_cell(work, a / a0)
        is_na = np.array([s == "Na" for s in atoms.get_chemical_symbols()])

        def on_sample(step, at, with_stress):
            if step >= eq and (step - eq) % POS_EVERY == 0:
                return {"pos": at.get_positions().copy(), "tinst": at.get_temperature(),
                        "epot": at.calc.results["energy"]}
            return {}

        run = tc.MDRun(atoms, T, DT_FS, TAUT_FS, seed, base.with_suffix(".ckpt.npz"),
                       sample_every=POS_EVERY)
        t0 = time.time()
        rec = run.run(eq + prod, on_sample, name, stage_left_steps=stage_left)
        pos = rec["pos"]
        D, _, _ = tracer_D(pos, is_na, POS_EVERY * DT_FS / 1000)
        np.savez_compressed(base.with_suffix(".traj.npz"), positions=pos.astype(np.float32),
                            symbols=np.array(atoms.get_chemical_symbols()),
                            cell=atoms.cell.array, T_inst=rec["tinst"], epot=rec["epot"],
                            frame_interval_ps=POS_EVERY * DT_FS / 1000)
        info = {"T_K": T, "replica": k, "seed": seed, "a_A": a, "cell_A": float(atoms.cell[0, 0]),
                "dt_fs": DT_FS, "taut_fs": TAUT_FS, "equilibration_steps": eq,
                "production_steps": prod, "frame_interval_ps": POS_EVERY * DT_FS / 1000,
                "D_cm2_s": D, "T_mean_K": float(np.mean(rec["tinst"])),
                "wall_s": time.time() - t0, "n_atoms": len(atoms)}
        tc.atomic_write_json(base.with_suffix(".json"), info)
        base.with_suffix(".ckpt.npz").unlink(missing_ok=True)
        prov.run(f"diffusion/{T:g}K/rep{k:02d}", info)
        tc.log(f"{name}: D = {D:.3e} cm2/s, <T> = {info['T_mean_K']:.0f} K")

    steps_per = eq + prod
    # minimum replicas first, round-robin over temperatures
    base_plan = [(T, k) for k in range(args.min_replicas) for T in args.diff_T]
    for i, (T, k) in enumerate(base_plan):
        left = sum(1 for TT, kk in base_plan[i + 1:]
                   if not rep_path(TT, kk).with_suffix(".json").exists())
        run_one(T, k, left * steps_per)
    # then add replicas where the error is worst
    while True:
        runs = diffusion_runs(work)
        worst, worst_rel = None, 0.0
        for T in args.diff_T:
            m, se, n = d_stats(runs.get(T, []))
            rel = se / m if m > 0 else float("inf")
            tc.log(f"diffusion: {T:g} K: D = {m:.3e} +- {se:.2e} cm2/s ({100 * rel:.0f} %, "
                   f"{n} replicas)")
            if rel > args.target_error and n < args.max_replicas and rel > worst_rel:
                worst, worst_rel = T, rel
        used_h = (time.time() - t_start) / 3600
        if worst is None:
            tc.log("diffusion: every D meets the target error (or has max replicas)")
            break
        if args.budget_h and used_h >= args.budget_h:
            tc.log(f"diffusion: budget of {args.budget_h} h used; stopping")
            break
        n = len(runs.get(worst, []))
        run_one(worst, n, 0)


# ---------------------------------------------------------------------------------------------
# report

def arrhenius(T, D, Derr):
    """Weighted fit ln D = ln D0 - Ea/(kB T); returns Ea, its error, and a function giving
    D(T) and its error from the fit covariance."""
    T, D, Derr = (np.asarray(x, dtype=float) for x in (T, D, Derr))
    y = np.log(D)
    sy = Derr / D
    x = 1.0 / (tc.KB_EV * T)
    W = np.diag(1 / sy ** 2)
    A = np.vstack([np.ones_like(x), -x]).T
    cov = np.linalg.inv(A.T @ W @ A)
    lnD0, Ea = cov @ A.T @ W @ y
    chi2 = float(np.sum(((A @ np.array([lnD0, Ea])) - y) ** 2 / sy ** 2))
    dof = max(len(T) - 2, 1)
    # scale the covariance by the reduced chi^2 when the scatter exceeds the stated errors
    scale = max(1.0, chi2 / dof)
    cov = cov * scale

    def at(Tq):
        v = np.array([1.0, -1.0 / (tc.KB_EV * Tq)])
        lnd = v @ np.array([lnD0, Ea])
        return float(np.exp(lnd)), float(np.exp(lnd) * np.sqrt(v @ cov @ v))

    return float(Ea), float(np.sqrt(cov[1, 1])), at, chi2 / dof


def nernst_einstein_mS_cm(D_cm2_s, n_ions, V_A3, T):
    e, kB, NA = 1.602176634e-19, 1.380649e-23, 6.02214076e23
    c = n_ions / (V_A3 * 1e-30)  # m^-3
    return D_cm2_s * 1e-4 * c * e ** 2 / (kB * T) * 10.0  # S/m -> mS/cm


def stage_report(args, work: Path, prov: Provenance):
    runs = diffusion_runs(work)
    rows = []
    for T in sorted(runs):
        m, se, n = d_stats(runs[T])
        rows.append({"T_K": T, "D_cm2_s": m, "D_err_cm2_s": se, "rel_err": se / m,
                     "replicas": n, "ps_per_replica": runs[T][0]["production_steps"] * DT_FS / 1000,
                     "a_A": runs[T][0]["a_A"],
                     "D_replicas_cm2_s": [r["D_cm2_s"] for r in runs[T]]})
        tc.log(f"report: {T:g} K: D = {m:.3e} +- {se:.2e} cm2/s ({n} x "
               f"{rows[-1]['ps_per_replica']:g} ps)")
    res = {"compound": args.compound, "per_T": rows,
           "D_method": "tracer D(Na): framework drift removed, MSD over all time origins, "
                       "least-squares line over lags 1 ps .. half the replica; mean of "
                       "independent replicas, error = standard error of that mean"}
    if len(rows) >= 2:
        Ea, Eae, at, rchi2 = arrhenius([r["T_K"] for r in rows], [r["D_cm2_s"] for r in rows],
                                       [r["D_err_cm2_s"] for r in rows])
        D300, D300e = at(300.0)
        # sigma at 300 K: Na ions and volume of the defective cell at the 300 K volume
        V300 = (2 * lattice_at(work, 300.0)) ** 3
        from ase.io import read

        n_na = read(work / "start_schottky.xyz").get_chemical_symbols().count("Na")
        s300 = nernst_einstein_mS_cm(D300, n_na, V300, 300.0)
        res["arrhenius"] = {"Ea_eV": Ea, "Ea_err_eV": Eae, "reduced_chi2": rchi2,
                            "D300_cm2_s": D300, "D300_err_cm2_s": D300e,
                            "sigma300_mS_cm": s300, "sigma300_err_mS_cm": s300 * D300e / D300,
                            "sigma_note": "Nernst-Einstein, Haven ratio 1, the Na count and "
                                          "volume of the defective 2x2x2 cell at a(300 K)",
                            "V300_A3": V300, "n_Na": n_na}
        tc.log(f"report: Ea = {Ea:.3f} +- {Eae:.3f} eV, D(300 K) = {D300:.2e} +- {D300e:.1e} "
               f"cm2/s, sigma(300 K) = {s300:.2f} mS/cm")
    tc.atomic_write_json(work / "teacher_diffusion.json", res)
    return res


# ---------------------------------------------------------------------------------------------
# pack

def stage_pack(args, work: Path, prov: Provenance):
    data = Path(args.data)
    data.mkdir(parents=True, exist_ok=True)
    n = 0
    for f in sorted((work / "train").glob("*.xyz")):
        if (work / "train" / (f.stem + ".json")).exists():
            dst = data / "train" / (f.name + ".gz")
            dst.parent.mkdir(exist_ok=True)
            dst_tmp = dst.with_name(dst.name + ".tmp")
            with gzip.GzipFile(dst_tmp, "wb", compresslevel=9, mtime=0) as g:
                g.write(f.read_bytes())
            dst_tmp.replace(dst)
            n += 1
    # diffusion trajectories: every 0.1 ps, positions only (extxyz.gz, superion reads them)
    for f in sorted((work / "diffusion").glob("*/rep*.traj.npz")):
        d = np.load(f)
        j = json.loads(f.with_name(f.name.replace(".traj.npz", ".json")).read_text())
        keep = range(0, len(d["positions"]), 2)
        frames = [{"symbols": d["symbols"].tolist(), "positions": d["positions"][i],
                   "cell": d["cell"],
                   "info": {"time_fs": f"{i * float(d['frame_interval_ps']) * 1000:.1f}",
                            "temperature_K": f"{d['T_inst'][i]:.1f}", "T_target_K": f"{j['T_K']:g}"}}
                  for i in keep]
        dst = data / "diffusion" / f"md_{j['T_K']:g}K_rep{j['replica']:02d}_schottky.xyz.gz"
        dst.parent.mkdir(exist_ok=True)
        write_extxyz(dst, frames)
    for name in ("relax.json", "volumes.json", "teacher_diffusion.json", "provenance.json"):
        if (work / name).exists():
            (data / name).write_text((work / name).read_text())
    for name in ("unit_relaxed.xyz", "start_schottky.xyz"):
        if (work / name).exists():
            (data / name).write_text((work / name).read_text())
    train_info = {f.stem: json.loads(f.read_text()) for f in sorted((work / "train").glob("*.json"))}
    tc.atomic_write_json(data / "train_runs.json", train_info)
    diff_info = {f"{j['T_K']:g}K/rep{j['replica']:02d}": j
                 for js in diffusion_runs(work).values() for j in js}
    tc.atomic_write_json(data / "diffusion_runs.json", diff_info)
    tc.log(f"pack: {n} training files and the diffusion trajectories -> {data}")


# ---------------------------------------------------------------------------------------------

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("stages", nargs="+",
                   choices=["relax", "train", "volumes", "diffusion", "report", "pack", "all"])
    p.add_argument("--compound", default="Na3ClSO4", choices=sorted(tc.COMPOUNDS))
    p.add_argument("--work", help="work folder (default build/teacher/COMPOUND)")
    p.add_argument("--data", help="repository data folder for `pack` "
                                  "(default data/reference/COMPOUND-chgnet)")
    p.add_argument("--seed", type=int, default=20, help="base seed (per-run seeds derive from it)")
    p.add_argument("--train-T", type=float, nargs="+", default=[300, 500, 700, 900, 1100])
    p.add_argument("--strains", type=float, nargs="+", default=[0.0, -0.05, 0.05])
    p.add_argument("--train-eq-ps", type=float, default=0.5)
    p.add_argument("--train-ps", type=float, default=2.0, help="production ps per training run")
    p.add_argument("--p-every", type=int, default=10, help="steps between pressure samples")
    p.add_argument("--diff-T", type=float, nargs="+", default=[700, 800, 900, 1000, 1100])
    p.add_argument("--diff-eq-ps", type=float, default=0.5)
    p.add_argument("--diff-ps", type=float, default=8.0, help="production ps per replica")
    p.add_argument("--min-replicas", type=int, default=3)
    p.add_argument("--max-replicas", type=int, default=8)
    p.add_argument("--target-error", type=float, default=0.25,
                   help="relative standard error of D to reach by adding replicas")
    p.add_argument("--budget-h", type=float, default=0,
                   help="stop adding replicas after this many hours of the diffusion stage")
    args = p.parse_args()
    work = Path(args.work or tc.REPO / "build" / "teacher" / args.compound)
    work.mkdir(parents=True, exist_ok=True)
    args.data = args.data or str(tc.REPO / "data" / "reference" / f"{args.compound}-chgnet")
    tc.load_model()
    prov = Provenance(work)
    prov.command(sys.argv, tc.versions(), tc.model_version())
    stages = args.stages
    if "all" in stages:
        stages = ["relax", "train", "volumes", "diffusion", "report", "pack"]
    for st in stages:
        globals()["stage_" + st](args, work, prov)


if __name__ == "__main__":
    main()
