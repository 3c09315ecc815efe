"""superion from Python: MTP energies/forces (ASE calculator), the project's file formats, and the
training, MD and analysis commands.

    import superion
    pot = superion.Potential("pot.mtp")
    from superion.ase import MTPCalculator            # ASE calculator
    frames = superion.read("train.cfg")               # list of ase.Atoms (with labels)
    superion.train(data="train.cfg", level=10, output="pot.mtp", species=["Na", "Cl", "S", "O"])
    d = superion.analyze.diffusion("md.h5", species="Na", temperature=600)   # dict, CLI JSON keys

Errors raise superion.InputError (bad input: file, line, what was expected) or superion.Error,
with the same message the command line prints.
"""
from ._superion import Error, InputError, Potential, __version__
from ._superion import read as read_arrays
from ._superion import write as write_arrays
from .io import from_atoms, read, to_atoms, write
from .cli import analyze, md, run, train

__all__ = [
    "Error", "InputError", "Potential", "__version__", "read", "write", "read_arrays",
    "write_arrays", "to_atoms", "from_atoms", "train", "md", "analyze", "run",
]
