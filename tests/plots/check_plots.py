#!/usr/bin/python3
"""ctest `plots`: every scripts/plot_*.py on outputs of `superion` (committed PM3 AIMD data and
files made here), checked as a reader would look at them: axes labelled with units, a title
naming compound and temperature, the fit line and its band where there is a fit, the whole MSD
curve from zero with the window marked, an Arrhenius plot whose y range follows the data and
shows clipped D only as upper bounds, reorientation curves over the whole window with a y label.
Usage: check_plots.py SUPERION SOURCE_DIR OUT_DIR. Exit 0 = pass; prints PLOTS_SKIPPED when
/usr/bin/python3 has no matplotlib."""
import importlib.util
import json
import math
import os
import subprocess
import sys

try:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy  # noqa: F401
except ImportError:
    print("PLOTS_SKIPPED: matplotlib/numpy not importable by", sys.executable)
    sys.exit(0)

superion, source, out = sys.argv[1:4]
os.makedirs(out, exist_ok=True)
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def run(*args):
    r = subprocess.run([superion, *args], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"superion {' '.join(args)} failed:\n{r.stdout}{r.stderr}")
    return r.stdout


def figure_of(script, argv):
    """Runs scripts/SCRIPT's main() with argv and returns the figure it saved (and saves it)."""
    spec = importlib.util.spec_from_file_location("plot", os.path.join(source, "scripts", script))
    mod = importlib.util.module_from_spec(spec)
    saved = {}
    orig = plt.Figure.savefig

    def capture(fig, path, *a, **k):
        saved["fig"] = fig
        return orig(fig, path, *a, **k)

    plt.Figure.savefig = capture
    old = sys.argv
    sys.argv = [script, *argv]
    try:
        spec.loader.exec_module(mod)
        if hasattr(mod, "main"):
            mod.main()
    finally:
        sys.argv = old
        plt.Figure.savefig = orig
    check(os.path.getsize(argv[1 if script != "plot_mechanism.py" else 2]) > 10000, f"{script}: PNG written")
    return saved["fig"]


data = os.path.join(source, "data", "reference", "Na3ClSO4-pm3")
for T in (1200, 1500):
    run("analyze", "diffusion", os.path.join(data, f"md_{T}K_strain+0.00_schottky.xyz.gz"), "--species", "Na",
        "--temperature", str(T), "--min-obs", "10", "--json", f"{out}/d{T}.json", "--csv", f"{out}/msd{T}.csv")

# --- MSD: whole curve from 0, window marked, fit line + band, labels, title
fig = figure_of("plot_msd.py", [f"{out}/msd1200.csv", f"{out}/msd1200.png", "--json", f"{out}/d1200.json"])
ax = fig.axes[0]
check(ax.get_xlim()[0] == 0 and ax.get_ylim()[0] == 0, "msd: axes start at zero")
check("(ps)" in ax.get_xlabel() and "Å" in ax.get_ylabel(), "msd: axis labels with units")
# The PM3 runs are of a Schottky-defect cell: its formula is Na11Cl3S4O16, not Na3ClSO4.
COMPOUND = "Na11Cl3S4O16"
check("Na" in ax.get_title() and COMPOUND in ax.get_title() and "1200 K" in ax.get_title(),
      "msd: title names species, compound, temperature: " + ax.get_title())
labels = [line.get_label() for line in ax.get_lines()]
check(any(lab.startswith("fit 6Dt") for lab in labels), "msd: fit line drawn")
msd_line = [line for line in ax.get_lines() if line.get_label() == "MSD (all ions)"][0]
check(msd_line.get_xdata()[0] == 0 and max(msd_line.get_xdata()) > 4.0, "msd: whole curve from t = 0")
check(len(ax.patches) + len(ax.collections) >= 2, "msd: fit window and error band drawn")

# --- Arrhenius: a third temperature whose D is clipped is excluded and shown as an upper bound
d = json.load(open(f"{out}/d1200.json"))
d.update({"temperature_K": 900, "D_cm2_s": 1.6666666666666667e-17, "D_err_cm2_s": 7e-9, "D_clipped": True})
json.dump(d, open(f"{out}/d900.json", "w"))
text = run("analyze", "arrhenius", f"{out}/d900.json", f"{out}/d1200.json", f"{out}/d1500.json", "--json",
           f"{out}/arr.json")
check("T = 900 K left out: no diffusion resolved" in text, "arrhenius: clipped point left out of the fit")
fig = figure_of("plot_arrhenius.py", [f"{out}/arr.json", f"{out}/arrhenius.png"])
ax = fig.axes[0]
lo, hi = ax.get_ylim()
check(math.log10(hi / lo) < 8, f"arrhenius: y range {lo:.3g}..{hi:.3g} follows the data, not 30 decades")
check("1000/T" in ax.get_xlabel() and "cm" in ax.get_ylabel(), "arrhenius: axis labels with units")
check("Na" in ax.get_title() and COMPOUND in ax.get_title() and "1200" in ax.get_title(),
      "arrhenius: title names species, compound and temperatures: " + ax.get_title())
bounds = [line for line in ax.get_lines() if "upper bound" in line.get_label()]
check(len(bounds) == 1 and len(bounds[0].get_ydata()) == 1 and bounds[0].get_marker() == "v",
      "arrhenius: the clipped D appears once, as an upper-bound marker")
fitted = [c for c in ax.containers if "fitted" in str(c.get_label())]
check(fitted and all(y > 1e-10 for y in fitted[0].lines[0].get_ydata()), "arrhenius: clipped D not among the fitted data")
check(any(line.get_label().startswith("fit: E") for line in ax.get_lines()), "arrhenius: fit line with Ea")

# --- Reorientation: whole window, y label, readable labels, fits or bound in the legend
run("analyze", "rotation", os.path.join(data, "md_1500K_strain+0.00_schottky.xyz.gz"), "-T", "1500", "--json",
    f"{out}/rot.json", "--csv", f"{out}/rot.csv")
fig = figure_of("plot_mechanism.py", ["reorientation", f"{out}/rot.json", f"{out}/reorientation.png"])
ax = fig.axes[0]
rot = json.load(open(f"{out}/rot.json"))
check(abs(ax.get_xlim()[1] - rot["t_ps"][-1]) < 1e-9 and ax.get_xlim()[0] == 0, "reorientation: the full time range")
check(ax.get_ylabel() != "" and "(ps)" in ax.get_xlabel(), "reorientation: y label and x unit")
check("SO" in ax.get_title() and COMPOUND in ax.get_title() and "1500 K" in ax.get_title(),
      "reorientation: title " + ax.get_title())
legend = " ".join(line.get_label() for line in ax.get_lines())
check("τ(C1)" in legend and "τ(C2)" in legend, "reorientation: τ or its bound in the legend")
fig = figure_of("plot_mechanism.py", ["columns", f"{out}/rot.csv", f"{out}/columns.png"])
ax = fig.axes[0]
check("C$_1$" in " ".join(line.get_label() for line in ax.get_lines()), "columns: readable C1 label")
check(ax.get_ylabel().startswith("reorientation"), "columns: reorientation y label")

# --- hop raster and angular map
run("analyze", "hops", os.path.join(data, "md_1500K_strain+0.00_schottky.xyz.gz"), "--csv", f"{out}/hops.csv",
    "--tp", "0.5", "--ta", "0.1")
fig = figure_of("plot_mechanism.py", ["raster", f"{out}/hops.csv", f"{out}/hops.png", "--tmax", "4.2",
                                      "--title", f"Na hops in {COMPOUND} at 1500 K"])
check(fig.axes[0].get_xlabel() == "time (ps)" and fig.axes[0].get_xlim() == (0.0, 4.2), "raster: labels, range")
run("analyze", "rotation", os.path.join(data, "md_1500K_strain+0.00_schottky.xyz.gz"), "-T", "1500",
    "--map-csv", f"{out}/map.csv")
fig = figure_of("plot_mechanism.py", ["map", f"{out}/map.csv", f"{out}/map.png",
                                      "--title", f"SO4 orientation free energy, {COMPOUND}, 1500 K"])
check("(deg)" in fig.axes[0].get_xlabel() and "(deg)" in fig.axes[0].get_ylabel(), "map: angle units")
check("eV" in fig.axes[1].get_ylabel(), "map: colour bar unit")

# --- phonon bands and tolerance factors
bands = f"{out}/bands.csv"
with open(bands, "w") as f:
    f.write("segment,distance_index,qa,qb,qc,frequencies_THz...\n")
    for s, (a, b) in enumerate((((0, 0, 0), (0.5, 0, 0.5)), ((0.5, 0, 0.5), (0.5, 0.5, 0.5)))):
        for k in range(11):
            q = [a[i] + k / 10 * (b[i] - a[i]) for i in range(3)]
            f.write(f"{s},{k},{q[0]},{q[1]},{q[2]},{-0.3 + 0.1 * k},{2 + 0.1 * k},{5 - 0.05 * k}\n")
fig = figure_of("plot_bands.py", [bands, f"{out}/bands.png", "--title", "NaCl phonons (test data)"])
ax = fig.axes[0]
check(ax.get_ylabel() == "frequency (THz)" and "q" in ax.get_xlabel(), "bands: axis labels")
check([t.get_text() for t in ax.get_xticklabels()] == ["Γ", "(1/2,0,1/2)", "(1/2,1/2,1/2)"], "bands: q labels")
run("screen", "tolerance", "--csv", f"{out}/tol.csv")
fig = figure_of("plot_tolerance.py", [f"{out}/tol.csv", f"{out}/tolerance.png"])
check(all(a.get_xlabel() and a.get_ylabel() for a in fig.axes[:2]), "tolerance: axis labels")
check(fig._suptitle is not None and "tolerance" in fig._suptitle.get_text(), "tolerance: title")

print(f"{len(failures)} failures; PNGs in {out}")
sys.exit(1 if failures else 0)
