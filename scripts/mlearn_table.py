#!/usr/bin/python3
"""The mlearn comparison table of docs/training.md, made from the committed potentials.

Usage: mlearn_table.py [--superion build/superion] [--results bench/results/mlearn]
                       [--data ../shared/data/mlearn] [--update docs/training.md]

Every error is computed now with `superion errors` on the mlearn test sets (nothing is copied
from earlier runs): the paper's own potential (mvl_fitted.mtp), the last-iterate fit
(EL_lm.mtp: Levenberg-Marquardt on all of train.cfg, i.e. `superion train --valid-fraction 0`)
and the default fit (EL_default.mtp: 10 % of train.cfg held out, early stopping, best-validation
iterate). The published values are those of Zuo et al., J. Phys. Chem. A 124, 731 (2020), Table 3
(two decimals). The stopping point comes from EL_default.json (`superion train --json`).
With --update the table replaces the block between the markers
<!-- mlearn-table:begin --> and <!-- mlearn-table:end --> of the given file.
"""
import argparse
import json
import os
import subprocess
import tempfile

ELEMENTS = [("Li", 16, 5.1), ("Cu", 20, 3.9), ("Ni", 20, 4.0), ("Si", 24, 4.7)]
# Published MTP test MAE (energy meV/atom, force eV/A per component), Zuo et al. 2020.
PUBLISHED = {"Li": (0.49, 0.01), "Cu": (0.41, 0.01), "Ni": (0.48, 0.01), "Si": (2.21, 0.06)}
BEGIN, END = "<!-- mlearn-table:begin -->", "<!-- mlearn-table:end -->"


def test_mae(superion, potential, test_cfg):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "e.json")
        subprocess.run([superion, "errors", potential, test_cfg, "--json", out], check=True,
                       stdout=subprocess.DEVNULL)
        e = json.load(open(out))
    return e["energy_per_atom_mae_meV"], e["force_component_mae_eV_A"]


def mark(value, bars):
    """value in bold when it is at or below every bar (the issue's criterion)."""
    ok = all(value <= b for b in bars)
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--superion", default=os.path.join(here, "build/superion"))
    ap.add_argument("--results", default=os.path.join(here, "bench/results/mlearn"))
    ap.add_argument("--data", default=os.path.join(here, "../shared/data/mlearn"))
    ap.add_argument("--update", help="markdown file whose marked block is replaced")
    a = ap.parse_args()

    rows = []
    head = ("| element (level, R_cut) | published MTP | paper's `mvl_fitted.mtp` re-evaluated | "
            "last iterate (LM, all of train.cfg) | **default** (early stopped) | default: "
            "written / stopped (validation configurations) | default meets the bar (E / F) |")
    rows.append(head)
    rows.append("|---|---|---|---|---|---|---|")
    for el, level, rcut in ELEMENTS:
        default = os.path.join(a.results, f"{el}_default.mtp")
        if not os.path.exists(default):
            rows.append(f"| {el} ({level}, {rcut} Å) | {PUBLISHED[el][0]} / {PUBLISHED[el][1]} | | | (not run) | | |")
            continue
        test = os.path.join(a.data, el, "test.cfg")
        paper = test_mae(a.superion, os.path.join(a.data, el, "mvl_fitted.mtp"), test)
        last = test_mae(a.superion, os.path.join(a.results, f"{el}_lm.mtp"), test)
        new = test_mae(a.superion, default, test)
        run = json.load(open(os.path.join(a.results, f"{el}_default.json")))
        pub = PUBLISHED[el]
        e_ok = mark(new[0], [pub[0], paper[0], last[0]])
        f_ok = mark(new[1], [pub[1], paper[1], last[1]])
        rows.append(
            f"| {el} ({level}, {rcut} Å) | {pub[0]:.2f} / {pub[1]:.2f} | {paper[0]:.4f} / {paper[1]:.6f} | "
            f"{last[0]:.4f} / {last[1]:.6f} | **{new[0]:.4f} / {new[1]:.6f}** | "
            f"iteration {run['returned_iteration']} / {run['iterations']} "
            f"({run['validation']['n_configs']}) | {'yes' if e_ok else 'no'} / {'yes' if f_ok else 'no'} |")
    table = "\n".join(rows) + "\n"
    if a.update:
        text = open(a.update).read()
        i, j = text.index(BEGIN), text.index(END)
        text = text[: i + len(BEGIN)] + "\n" + table + text[j:]
        open(a.update, "w").write(text)
    print(table, end="")


if __name__ == "__main__":
    main()
