#!/usr/bin/python3
"""Early-stopping rules replayed on the history of one `superion train --json` run.

Usage: early_stopping_rules.py RUN.json [RUN.json ...] [--patience 5 10 20 1000] [--z 0 1 2]

The optimiser's trajectory does not depend on when training stops, so a run made with a large
--early-stop-patience (here: to convergence) contains every shorter run. For each patience P and
noise allowance z (`superion train --early-stop-patience P --early-stop-z z`, the same rule as
training/trainer.cpp, from the per-configuration validation losses in the history) this prints
where training would have stopped, the iterate it would have written, and that iterate's
validation loss and --test errors (energy MAE meV/atom, force-component MAE eV/A). The rule sees
only the validation set; the test columns are for reporting.
"""
import argparse
import json
import math


def replay(hist, patience, z):
    """(stop index, written index) into hist for the rule (patience, z)."""
    best = written = 0
    since = 0
    for t in range(1, len(hist)):
        lt, lb = hist[t]["valid"]["loss"], hist[best]["valid"]["loss"]
        if lt < lb:
            best = written = t
            since = 0
        else:
            pt, pb = hist[t]["valid_config_loss"], hist[best]["valid_config_loss"]
            k = len(pt)
            d = sum(a - b for a, b in zip(pt, pb))
            ss = sum((a - b - d / k) ** 2 for a, b in zip(pt, pb))
            if z > 0 and k > 1 and d < z * math.sqrt(k / (k - 1.0) * ss):
                written = t
                since = 0
            else:
                since += 1
        if since >= patience:
            return t, written
    return len(hist) - 1, written


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("runs", nargs="+")
    ap.add_argument("--patience", type=int, nargs="+", default=[5, 10, 20, 1000])
    ap.add_argument("--z", type=float, nargs="+", default=[0.0, 1.0, 2.0])
    a = ap.parse_args()
    print("| run | patience | z | stopped at | written | its validation loss | test E MAE | test F MAE |")
    print("|---|---|---|---|---|---|---|---|")
    for path in a.runs:
        hist = [r for r in json.load(open(path))["history"] if r["stage"] == 0]
        if not hist or "valid_config_loss" not in hist[0]:
            raise SystemExit(f"{path}: no per-configuration validation losses in the history")
        for p in a.patience:
            for z in a.z:
                stop, w = replay(hist, p, z)
                r = hist[w]
                test = r.get("test", {})
                print(f"| {path} | {p if p < 1000 else '∞'} | {z:g} | {hist[stop]['iteration']} | "
                      f"{r['iteration']} | {r['valid']['loss']:.5e} | "
                      f"{test.get('energy_per_atom_mae_meV', float('nan')):.4f} | "
                      f"{test.get('force_component_mae_eV_A', float('nan')):.6f} |")
        last = hist[-1]
        test = last.get("test", {})
        print(f"| {path} | (last iterate) | | {last['iteration']} | {last['iteration']} | "
              f"{last['valid']['loss']:.5e} | {test.get('energy_per_atom_mae_meV', float('nan')):.4f} | "
              f"{test.get('force_component_mae_eV_A', float('nan')):.6f} |")


if __name__ == "__main__":
    main()
