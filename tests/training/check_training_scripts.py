#!/usr/bin/python3
"""ctest training_scripts: the Python helpers of `superion train` against the trainer itself.

Usage: check_training_scripts.py SUPERION SOURCE_DIR SHARED_DATA_DIR OUT_DIR

* scripts/early_stopping_rules.py: replaying the trainer's own rule (its --early-stop-patience and
  --early-stop-z, from the per-configuration validation losses of the --json history) on a real
  run must give the iteration where the trainer stopped and the iterate it wrote (the default z = 1
  and the plain rule z = 0; exact, the rule compares the same numbers). Its command line prints that row.
* scripts/plot_training.py draws a PNG from the same JSON (signature and a non-trivial size: the
  three panels at 120 dpi are tens of kB).
* scripts/mlearn_table.py's paired bootstrap: a constant per-configuration shift of the energy
  errors gives exactly that difference with zero spread; identical inputs give 0 ± 0.
Exit code 77 (skipped) when the shared Li data set is absent.
"""
import importlib.util
import json
import os
import subprocess
import sys

import numpy as np


def load(source, name):
    spec = importlib.util.spec_from_file_location(name, os.path.join(source, "scripts", name + ".py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def train(superion, data, out, extra):
    js = os.path.join(out, "run.json")
    subprocess.run([superion, "train", "--data", data, "--level", "6", "--rcut", "4.5", "--max-iter", "60",
                    "--threads", "1", "-o", os.path.join(out, "p.mtp"), "--json", js] + extra,
                   check=True, stdout=subprocess.DEVNULL)
    return json.load(open(js)), js


def check_replay(rules, run, z):
    hist = [r for r in run["history"] if r["stage"] == 0]
    stop, written = rules.replay(hist, run["early_stop_patience"], z)
    assert hist[written]["iteration"] == run["returned_iteration"], (z, written, run["returned_iteration"])
    if run["stop_reason"].startswith("early stop"):
        # The history ends where the trainer stopped; one more non-improving iterate (a copy of
        # the last) must not move the replay's stopping point: it stops there, not later.
        stop, written = rules.replay(hist + [hist[-1]], run["early_stop_patience"], z)
        assert stop == len(hist) - 1 and hist[written]["iteration"] == run["returned_iteration"], (z, stop)
    else:  # another rule stopped it first: the replay ran through the whole history
        assert stop == len(hist) - 1, (z, stop, len(hist))


def main():
    superion, source, shared, out = sys.argv[1:5]
    data = os.path.join(shared, "mtp/cfg/Li_T450_73cfg.cfg")
    if not os.path.exists(data):
        print(f"skipped: {data} absent")
        return 77
    os.makedirs(out, exist_ok=True)
    rules = load(source, "early_stopping_rules")

    for z in (1.0, 0.0):  # the default (noise allowance 1), then the plain rule
        extra = [] if z > 0 else ["--early-stop-z", "0"]
        run, js = train(superion, data, out, extra)
        assert run["early_stop_z"] == z
        check_replay(rules, run, z)
    # The last run (plain rule) through the command line: its own row names the written iterate.
    text = subprocess.run([sys.executable, os.path.join(source, "scripts/early_stopping_rules.py"), js,
                           "--patience", str(run["early_stop_patience"]), "--z", "0"],
                          check=True, capture_output=True, text=True).stdout
    row = [l for l in text.splitlines() if l.startswith(f"| {js} | {run['early_stop_patience']} | 0 |")]
    assert len(row) == 1 and row[0].split("|")[5].strip() == str(run["returned_iteration"]), text

    png = os.path.join(out, "curves.png")
    subprocess.run([sys.executable, os.path.join(source, "scripts/plot_training.py"), js, png], check=True)
    blob = open(png, "rb").read()
    assert blob[:8] == b"\x89PNG\r\n\x1a\n" and len(blob) > 10000, len(blob)

    table = load(source, "mlearn_table")
    rng = np.random.default_rng(3)
    e = rng.random(29)
    fs, fn = rng.random(29), np.full(29, 30.0)
    d = table.bootstrap_difference((e + 0.25, fs, fn), (e, fs, fn))
    assert abs(d[0] - 0.25) < 1e-12 and d[1] < 1e-12 and d[2] == 0.0 and d[3] == 0.0, d
    d = table.bootstrap_difference((e, fs, fn), (e, fs, fn))
    assert d == (0.0, 0.0, 0.0, 0.0), d
    print("training scripts: replay, plot and bootstrap checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
