#!/usr/bin/env python3
"""Peer reference for tests: pymatgen-analysis-diffusion's VanHoveAnalysis on a stored
DiffusionAnalyzer JSON. Usage: pymatgen_vanhove.py analyzer.json SPECIES AVG_NSTEPS STEP_SKIP out.json
(exit 3 when pymatgen-analysis-diffusion is not importable)."""
import gzip
import json
import sys

try:
    from pymatgen.analysis.diffusion.analyzer import DiffusionAnalyzer
    from pymatgen.analysis.diffusion.aimd.van_hove import VanHoveAnalysis
except ImportError:
    sys.exit(3)


def load_json(path):
    """A JSON file, gzip-compressed or not (the tests carry large ones as .json.gz)."""
    with (gzip.open(path, "rt") if path.endswith(".gz") else open(path)) as f:
        return json.load(f)

path, species, avg, skip, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
a = DiffusionAnalyzer.from_dict(load_json(path))
v = VanHoveAnalysis(a, avg_nsteps=avg, step_skip=skip, species=[species])
json.dump({"r": v.interval.tolist(), "gs": v.gsrt.tolist(), "gd": v.gdrt.tolist()}, open(out, "w"))
