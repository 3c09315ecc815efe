#!/usr/bin/env python3
"""Peer reference for tests: pymatgen-analysis-diffusion's VanHoveAnalysis on a stored
DiffusionAnalyzer JSON. Usage: pymatgen_vanhove.py analyzer.json SPECIES AVG_NSTEPS STEP_SKIP out.json
(exit 3 when pymatgen-analysis-diffusion is not importable)."""
import json
import sys

try:
    from pymatgen.analysis.diffusion.analyzer import DiffusionAnalyzer
    from pymatgen.analysis.diffusion.aimd.van_hove import VanHoveAnalysis
except ImportError:
    sys.exit(3)

path, species, avg, skip, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
a = DiffusionAnalyzer.from_dict(json.load(open(path)))
v = VanHoveAnalysis(a, avg_nsteps=avg, step_skip=skip, species=[species])
json.dump({"r": v.interval.tolist(), "gs": v.gsrt.tolist(), "gd": v.gdrt.tolist()}, open(out, "w"))
