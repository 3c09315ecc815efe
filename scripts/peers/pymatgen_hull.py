#!/usr/bin/env python3
"""Peer reference for tests: pymatgen's PhaseDiagram on a `formula,energy` CSV (total eV).

Usage: pymatgen_hull.py entries.csv out.json
Writes {"e_above_hull": [...], "formation_energy_per_atom": [...]} in entry order.
Exit code 3 when pymatgen is not installed (the test then skips visibly).
"""
import csv
import json
import sys

try:
    from pymatgen.analysis.phase_diagram import PDEntry, PhaseDiagram
    from pymatgen.core import Composition
except ImportError:
    sys.exit(3)

entries = []
with open(sys.argv[1]) as f:
    for row in csv.DictReader(f):
        entries.append(PDEntry(Composition(row["formula"]), float(row["energy"])))
pd = PhaseDiagram(entries)
out = {
    "e_above_hull": [pd.get_e_above_hull(e, allow_negative=True) for e in entries],
    "formation_energy_per_atom": [pd.get_form_energy_per_atom(e) for e in entries],
}
with open(sys.argv[2], "w") as f:
    json.dump(out, f)
