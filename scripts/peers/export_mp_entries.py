#!/usr/bin/env python3
"""Exports a real DFT entry set to our `name,formula,energy` CSV (total eV of the formula as written).

The source is the Materials Project GGA/GGA+U ComputedEntry set that pymatgen itself ships
(pymatgen/entries/calc_compounds.json.gz, used by its correction fitting; Debian python3-pymatgen
installs it). Energies are the raw VASP totals of each MP calculation (no MP2020 corrections: the
file's `correction` is 0 for every entry). name = "<mp-id>:<formula>".

Usage: export_mp_entries.py Na,Cl,Br,S,O out.csv
Keeps every entry whose elements are a subset of the given ones. Exit code 3 when pymatgen (and
so the data file) is not installed.
"""
import csv
import gzip
import json
import os
import sys

try:
    import pymatgen.entries as pe
except ImportError:
    sys.exit(3)

path = os.path.join(os.path.dirname(pe.__file__), "calc_compounds.json.gz")
if not os.path.exists(path):
    sys.exit(3)
with gzip.open(path, "rt") as f:
    data = json.load(f)
elements = set(sys.argv[1].split(","))
rows = []
for key, e in data.items():
    comp = e["composition"]
    if not set(comp) <= elements:
        continue
    assert e.get("correction", 0.0) == 0.0, key
    formula = "".join(f"{el}{int(n) if float(n).is_integer() else n}" for el, n in comp.items())
    rows.append((f"{e['entry_id']}:{key}", formula, repr(float(e["energy"])), e["parameters"]["run_type"]))
rows.sort()
with open(sys.argv[2], "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["name", "formula", "energy", "run_type"])
    w.writerows(rows)
print(f"{len(rows)} entries of {sorted(elements)} from {path}")
