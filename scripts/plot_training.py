#!/usr/bin/python3
"""Training curves from `superion train --json` (the numbers come from C++; this only draws them).

Usage: plot_training.py train.json out.png [--title TEXT] [--last other.json]
                        [--written N --stopped M]

Top: loss (MLIP weights, per configuration) of the training part, the validation set and the
test set against the iteration; middle: their energy MAE (meV/atom); bottom: their force-component
MAE (eV/A). A dashed line marks the written iterate (the best validation
loss with early stopping) and a dotted one where training stopped. --last adds the test errors of
another run (e.g. the same fit with --valid-fraction 0, i.e. the last-iterate behaviour) in grey.
--written/--stopped mark other iterations than the run's own (e.g. what the default rule, replayed
by scripts/early_stopping_rules.py, writes on a run continued past its stop).
"""
import argparse
import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

SETS = [("train", "training", "C0"), ("valid", "validation", "C1"), ("test", "test", "C2")]


def series(history, part, key):
    its, vals = [], []
    for r in history:
        if part in r:
            its.append(r["iteration"])
            vals.append(r[part][key])
    return its, vals


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("json")
    ap.add_argument("png")
    ap.add_argument("--title", default="")
    ap.add_argument("--last", help="JSON of a run whose test curve is drawn for comparison")
    ap.add_argument("--written", type=int, help="mark this iteration as the written one")
    ap.add_argument("--stopped", type=int, help="mark this iteration as the stopping point")
    a = ap.parse_args()
    run = json.load(open(a.json))
    if a.written is not None or a.stopped is not None:
        run["returned_iteration"] = a.written if a.written is not None else run["returned_iteration"]
        run["iterations"] = a.stopped if a.stopped is not None else run["iterations"]
        run["returned"] = "replayed rule"
        run.pop("best_iteration", None)
    hist = run["history"]
    other = json.load(open(a.last))["history"] if a.last else None

    fig, (ax, axe, axf) = plt.subplots(3, 1, figsize=(6.4, 8.0), sharex=True)
    panels = [(ax, "loss", "loss (MLIP weights)"), (axe, "energy_per_atom_mae_meV", "energy MAE (meV/atom)"),
              (axf, "force_component_mae_eV_A", "force MAE (eV/Å)")]
    for axis, key, ylabel in panels:
        for part, label, colour in SETS:
            its, vals = series(hist, part, key)
            if its:
                axis.plot(its, vals, color=colour, label=label)
        if other:
            its, vals = series(other, "test", key)
            axis.plot(its, vals, color="0.6", lw=1, label="test, other run (--last)")
        axis.set_ylabel(ylabel)
        axis.axvline(run["returned_iteration"], color="k", ls="--", lw=0.8)
        if "best_iteration" in run and run["best_iteration"] != run["returned_iteration"]:
            axis.axvline(run["best_iteration"], color="C1", ls="--", lw=0.6)
        axis.axvline(run["iterations"], color="k", ls=":", lw=0.8)
    ax.set_yscale("log")
    axf.set_xlabel("iteration")
    ax.legend(fontsize=7, loc="upper right")
    what = {"best-validation": "best validation", "within-noise": "within the noise of the best",
            "last": "last", "replayed rule": "the default rule replayed"}.get(run.get("returned"), "")
    ax.set_title((a.title + "\n" if a.title else "")
                 + f"written: iteration {run['returned_iteration']} ({what}); stopped at {run['iterations']}",
                 fontsize=9)
    fig.tight_layout()
    fig.savefig(a.png, dpi=120)


if __name__ == "__main__":
    main()
