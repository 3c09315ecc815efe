#!/usr/bin/env python3
"""Peer reference for tests: phonopy fed superion's displacement forces.

Usage: phonopy_frequencies.py in.json out.json   (exit 3 when phonopy is not installed)
in.json: unit cell (lattice rows, fractional positions, symbols), supercell diagonal, the
supercell's fractional positions in superion's order, displacement records
{atom, vector (Å), forces (superion order)} and q-points (reduced).
out.json: {"frequencies": [[THz …] per q]}.
"""
import json
import sys

try:
    import numpy as np
    from phonopy import Phonopy
    from phonopy.structure.atoms import PhonopyAtoms
except ImportError:
    sys.exit(3)

d = json.load(open(sys.argv[1]))
unit = PhonopyAtoms(symbols=d["symbols"], cell=d["lattice"], scaled_positions=d["positions"],
                    masses=d["masses"])  # the same masses as superion: only the solver differs
ph = Phonopy(unit, supercell_matrix=np.diag(d["supercell"]), primitive_matrix=None)
sc = ph.supercell
# Map superion's supercell order onto phonopy's by fractional positions.
ours = np.array(d["super_positions"]) % 1.0
theirs = sc.scaled_positions % 1.0
perm = []  # perm[k] = superion index of phonopy atom k
for p in theirs:
    diff = ours - p
    diff -= np.round(diff)
    perm.append(int(np.argmin(np.linalg.norm(diff, axis=1))))
assert len(set(perm)) == len(perm), "supercell mapping failed"
inverse = {s: k for k, s in enumerate(perm)}
first_atoms = []
for rec in d["displacements"]:
    forces = np.array(rec["forces"])[perm]
    first_atoms.append({"number": inverse[rec["atom"]], "displacement": rec["vector"], "forces": forces})
ph.dataset = {"natom": len(sc), "first_atoms": first_atoms}
ph.produce_force_constants()
freqs = [list(ph.get_frequencies(q)) for q in d["qpoints"]]
json.dump({"frequencies": freqs}, open(sys.argv[2], "w"))
