#!/usr/bin/env python3
"""Plot the history of `superion learn` (OUT/history.csv) into a PNG.

Usage: plot_learn.py history.csv history.png
Panels: largest extrapolation grade per iteration (log scale); training-set size and
configurations added; errors (training set, validation set when given, and the new configurations
before they were learnt); MD time reached. Every number comes from history.csv (written by superion).
"""
import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def col(rows, name):
    return [float(r[name]) if r.get(name, "") not in ("", None) else float("nan") for r in rows]


def main():
    rows = list(csv.DictReader(open(sys.argv[1])))
    it = col(rows, "iteration")
    fig, ax = plt.subplots(2, 2, figsize=(10, 7))
    a = ax[0][0]
    a.semilogy(it, col(rows, "max_grade"), "o-")
    a.set_xlabel("iteration")
    a.set_ylabel("largest MD grade")
    a.set_title("extrapolation grade")
    a = ax[0][1]
    a.plot(it, col(rows, "train_configs"), "o-", label="training configurations")
    a.bar(it, col(rows, "labelled"), alpha=0.5, label="added")
    a.set_xlabel("iteration")
    a.legend()
    a = ax[1][0]
    a.semilogy(it, col(rows, "train_f_rmse_eV_A"), "o-", label="F train (eV/A)")
    a.semilogy(it, col(rows, "new_f_rmse_eV_A"), "s-", label="F new configs (eV/A)")
    a.semilogy(it, [x / 1000 for x in col(rows, "train_e_rmse_meV_atom")], "o--",
               label="E train (eV/atom)")
    a.semilogy(it, [x / 1000 for x in col(rows, "new_e_rmse_meV_atom")], "s--",
               label="E new configs (eV/atom)")
    if any(r.get("valid_f_rmse_eV_A", "") not in ("", None) for r in rows):
        a.semilogy(it, col(rows, "valid_f_rmse_eV_A"), "^-", label="F validation (eV/A)")
        a.semilogy(it, [x / 1000 for x in col(rows, "valid_e_rmse_meV_atom")], "^--",
                   label="E validation (eV/atom)")
    a.set_xlabel("iteration")
    a.set_title("RMSE")
    a.legend(fontsize=7)
    a = ax[1][1]
    req = col(rows, "md_time_requested_ps")
    got = col(rows, "md_time_ps")
    a.plot(it, [g / r if r else float("nan") for g, r in zip(got, req)], "o-")
    a.set_ylim(0, 1.05)
    a.set_xlabel("iteration")
    a.set_ylabel("MD time reached / requested")
    fig.tight_layout()
    fig.savefig(sys.argv[2], dpi=120)


if __name__ == "__main__":
    main()
