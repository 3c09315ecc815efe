#!/usr/bin/env python3
"""Peer reference for tests: pymatgen's Bartel G^delta(T) and reduced mass.

Usage: pymatgen_gibbs.py formula volume_per_atom T out.json   (exit 3 without pymatgen)
"""
import json
import sys

try:
    from pymatgen.core import Composition, Lattice, Structure
    from pymatgen.entries.computed_entries import GibbsComputedStructureEntry as G
except ImportError:
    sys.exit(3)

formula, vpa, temp = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
comp = Composition(formula)
species = [el.symbol for el, n in comp.items() for _ in range(int(n))]
n = len(species)
a = (vpa * n) ** (1.0 / 3.0)
structure = Structure(Lattice.cubic(a), species, [[i / n, 0, 0] for i in range(n)])
m = G._reduced_mass(structure)
masses = {el.symbol: float(el.atomic_mass) for el in comp}
json.dump({"reduced_mass": m, "g_delta": G._g_delta_sisso(vpa, m, temp), "masses": masses},
          open(sys.argv[4], "w"))
