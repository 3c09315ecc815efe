#!/usr/bin/python3
"""Training curves from `superion train --json` (the numbers come from C++; this only draws them).

Usage: plot_training.py train.json out.png [--title TEXT] [--last other.json]

Top: loss (MLIP weights, per configuration) of the training part, the validation set and the
test set against the iteration; bottom: energy MAE (meV/atom, left) and force-component MAE
(eV/A, right) of the same sets. A dashed line marks the written iterate (the best validation
loss with early stopping) and a dotted one where training stopped. --last adds the test errors of
another run (e.g. the same fit with --valid-fraction 0, i.e. the last-iterate behaviour) in grey.
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
    a = ap.parse_args()
    run = json.load(open(a.json))
    hist = run["history"]
    other = json.load(open(a.last))["history"] if a.last else None

    fig, (ax, axe) = plt.subplots(2, 1, figsize=(6.4, 6.4), sharex=True)
    for part, label, colour in SETS:
        its, loss = series(hist, part, "loss")
        if its:
            ax.plot(its, loss, color=colour, label=label)
    if other:
        its, loss = series(other, "test", "loss")
        ax.plot(its, loss, color="0.6", ls="-", lw=1, label="test, other run (--last)")
    ax.set_yscale("log")
    ax.set_ylabel("loss (MLIP weights)")
    axf = axe.twinx()
    for part, label, colour in SETS:
        its, e = series(hist, part, "energy_per_atom_mae_meV")
        if its:
            axe.plot(its, e, color=colour, label=f"{label} E")
            _, f = series(hist, part, "force_component_mae_eV_A")
            axf.plot(its, f, color=colour, ls="--", label=f"{label} F")
    if other:
        its, e = series(other, "test", "energy_per_atom_mae_meV")
        axe.plot(its, e, color="0.6", lw=1, label="test E, other run")
        _, f = series(other, "test", "force_component_mae_eV_A")
        axf.plot(its, f, color="0.6", lw=1, ls="--", label="test F, other run")
    axe.set_ylabel("energy MAE (meV/atom), solid")
    axf.set_ylabel("force MAE (eV/Å), dashed")
    axe.set_xlabel("iteration")
    for axis in (ax, axe):
        axis.axvline(run["returned_iteration"], color="k", ls="--", lw=0.8)
        axis.axvline(run["iterations"], color="k", ls=":", lw=0.8)
    ax.legend(fontsize=7, loc="upper right")
    h1, l1 = axe.get_legend_handles_labels()
    h2, l2 = axf.get_legend_handles_labels()
    axe.legend(h1 + h2, l1 + l2, fontsize=6, ncol=2, loc="upper right")
    what = "best validation" if run.get("returned") == "best-validation" else "last"
    ax.set_title((a.title + "\n" if a.title else "")
                 + f"written: iteration {run['returned_iteration']} ({what}); stopped at {run['iterations']}",
                 fontsize=9)
    fig.tight_layout()
    fig.savefig(a.png, dpi=120)


if __name__ == "__main__":
    main()
