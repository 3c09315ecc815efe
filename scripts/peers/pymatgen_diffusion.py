#!/usr/bin/env python3
"""Peer reference for tests: pymatgen-analysis-diffusion's DiffusionAnalyzer on a stored
DiffusionAnalyzer JSON. Usage: pymatgen_diffusion.py analyzer.json out.json [START:STOP]
(exit 3 without it). START:STOP keeps only those frames (a Python slice of the displacements), the
reference for `superion analyze diffusion --start-time/--end-time`."""
import gzip
import json
import sys

try:
    from pymatgen.analysis.diffusion.analyzer import DiffusionAnalyzer
except ImportError:
    sys.exit(3)


def load_json(path):
    """A JSON file, gzip-compressed or not (the tests carry large ones as .json.gz)."""
    with (gzip.open(path, "rt") if path.endswith(".gz") else open(path)) as f:
        return json.load(f)

d = load_json(sys.argv[1])
if len(sys.argv) > 3:
    import numpy as np
    start, stop = (int(x) if x else None for x in sys.argv[3].split(":"))
    d["displacements"] = np.array(d["displacements"])[:, start:stop, :].tolist()
a = DiffusionAnalyzer.from_dict(d)
json.dump({"D_cm2_s": a.diffusivity, "sigma_mS_cm": a.conductivity, "D_charge_cm2_s": a.chg_diffusivity,
           "sigma_charge_mS_cm": a.chg_conductivity, "haven_ratio": a.haven_ratio,
           "sigma_xyz_mS_cm": [float(x) for x in a.conductivity_components]}, open(sys.argv[2], "w"))
