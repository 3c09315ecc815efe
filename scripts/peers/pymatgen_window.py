#!/usr/bin/env python3
"""Peer reference for tests: electrochemical window from pymatgen's GrandPotentialPhaseDiagram.

Usage: pymatgen_window.py entries.csv COMPOUND OPEN out.json
entries.csv as for `superion screen hull` (formula,energy in total eV; optional name). COMPOUND is
a name from the CSV or a formula. The candidate window edges are pymatgen's transition chemical
potentials of OPEN (PhaseDiagram.get_transition_chempots, capped at the elemental reference);
on each interval between them the compound's stability is decided by whether its
GrandPotPDEntry is among GrandPotentialPhaseDiagram(entries, {OPEN: mu}).stable_entries at the
interval midpoint. Writes {"stable_anywhere", "delta_mu_min_eV", "delta_mu_max_eV",
"reduction_V", "oxidation_V", "mu_ref_eV"} with Δμ relative to OPEN's lowest energy per atom.
Exit code 3 when pymatgen is not installed (the test then skips visibly).
"""
import csv
import json
import sys

try:
    from pymatgen.analysis.phase_diagram import (GrandPotentialPhaseDiagram, PDEntry,
                                                 PhaseDiagram)
    from pymatgen.core import Composition, Element
except ImportError:
    sys.exit(3)

path, compound, open_el, out_path = sys.argv[1:5]
entries, target = [], None
with open(path) as f:
    for row in csv.DictReader(line for line in f if not line.startswith("#")):
        e = PDEntry(Composition(row["formula"]), float(row["energy"]), name=row.get("name"))
        entries.append(e)
        if row.get("name") == compound:
            target = e
if target is None:  # formula match, lowest energy per atom (as superion does)
    wanted = Composition(compound).reduced_formula
    matches = [e for e in entries if e.composition.reduced_formula == wanted]
    target = min(matches, key=lambda e: e.energy_per_atom) if matches else None
if target is None:
    sys.exit("compound %s not among the entries" % compound)
el = Element(open_el)
pd = PhaseDiagram(entries)
mu_ref = pd.el_refs[el].energy_per_atom
lowest = mu_ref - 8.0  # superion's default scan range: Δμ in [-8, 0] eV
edges = sorted({min(c, mu_ref) for c in pd.get_transition_chempots(el)} | {lowest, mu_ref})
edges = [c for c in edges if c >= lowest]


def stable(mu):
    gpd = GrandPotentialPhaseDiagram(entries, {el: mu})
    return any(g.original_entry is target for g in gpd.stable_entries)


lo = hi = None
for a, b in zip(edges[:-1], edges[1:]):
    if b - a > 1e-12 and stable(0.5 * (a + b)):
        lo = a if lo is None else lo
        hi = b
out = {"stable_anywhere": lo is not None, "mu_ref_eV": mu_ref}
if lo is not None:
    out.update({"delta_mu_min_eV": lo - mu_ref, "delta_mu_max_eV": hi - mu_ref,
                "reduction_V": -(hi - mu_ref), "oxidation_V": -(lo - mu_ref)})
with open(out_path, "w") as f:
    json.dump(out, f)
