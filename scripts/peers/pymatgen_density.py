#!/usr/bin/env python3
"""Peer reference for tests: pymatgen-analysis-diffusion's ProbabilityDensityAnalysis on a stored
DiffusionAnalyzer JSON.

Usage: pymatgen_density.py analyzer.json SPECIES SPACING MODE out.json out.CHGCAR
  MODE analyzer: ProbabilityDensityAnalysis.from_diffusion_analyzer (framework drift removed)
  MODE raw:      ProbabilityDensityAnalysis(structure, fractional trajectories) on the positions
                 initial + displacement as they are (no drift correction)
Writes the grid sizes, Pr (a-major, c fastest), max, min and integral (sum Pr * V / n_grid) to
out.json and pymatgen's own to_chgcar file. Exit 3 when pymatgen-analysis-diffusion is missing.
"""
import gzip
import json
import sys

try:
    import numpy as np
    from pymatgen.analysis.diffusion.aimd.pathway import ProbabilityDensityAnalysis
    from pymatgen.analysis.diffusion.analyzer import DiffusionAnalyzer
except ImportError:
    sys.exit(3)


def load_json(path):
    """A JSON file, gzip-compressed or not (the tests carry large ones as .json.gz)."""
    with (gzip.open(path, "rt") if path.endswith(".gz") else open(path)) as f:
        return json.load(f)

path, species, spacing, mode, out, chgcar = sys.argv[1:7]
spacing = float(spacing)
analyzer = DiffusionAnalyzer.from_dict(load_json(path))
if mode == "analyzer":
    pda = ProbabilityDensityAnalysis.from_diffusion_analyzer(analyzer, interval=spacing, species=[species])
elif mode == "raw":
    structure = analyzer.structure
    cart = np.array(structure.cart_coords)[:, None, :] + analyzer.disp  # [site, frame, 3]
    frac = [structure.lattice.get_fractional_coords(cart[:, t, :]) for t in range(cart.shape[1])]
    pda = ProbabilityDensityAnalysis(structure, np.array(frac), interval=spacing, species=[species])
else:
    sys.exit("MODE must be analyzer or raw")
pda.to_chgcar(chgcar)
pr = np.asarray(pda.Pr)
volume = pda.structure.lattice.volume
json.dump(
    {
        "lens": [int(x) for x in pda.lens],
        "pr": pr.ravel().tolist(),
        "max": float(pr.max()),
        "min": float(pr.min()),
        "integral": float(pr.sum() * volume / pr.size),
    },
    open(out, "w"),
)
