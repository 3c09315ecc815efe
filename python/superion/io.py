"""The project's file formats to and from ASE Atoms (and numpy dicts via read_arrays/write_arrays).

read(path) returns a list of ase.Atoms; energies, forces and stresses of labelled data are attached
as a SinglePointCalculator (stress in ASE's convention, eV/Å³, σ = −W/V). write(path, atoms)
writes any format superion writes (.cfg, .xyz, POSCAR, LAMMPS data, .h5 …), losslessly by default.
"""
import numpy as np

from ._superion import read as read_arrays
from ._superion import write as write_arrays


def to_atoms(config):
    """One configuration dict (from read_arrays) as ase.Atoms with its labels."""
    from ase import Atoms
    from ase.calculators.singlepoint import SinglePointCalculator

    atoms = Atoms(symbols=config["symbols"], positions=config["positions"], cell=config["cell"],
                  pbc=config["pbc"])
    if config.get("masses") is not None:
        atoms.set_masses(config["masses"])
    results = {}
    if config.get("energy") is not None:
        results["energy"] = results["free_energy"] = config["energy"]
    if config.get("forces") is not None:
        results["forces"] = np.asarray(config["forces"])
    if config.get("virial") is not None and atoms.pbc.all():
        w = np.asarray(config["virial"])
        s = -w / atoms.get_volume()
        results["stress"] = np.array([s[0, 0], s[1, 1], s[2, 2], s[1, 2], s[0, 2], s[0, 1]])
    if config.get("site_energies") is not None:
        results["energies"] = np.asarray(config["site_energies"])
    if results:
        atoms.calc = SinglePointCalculator(atoms, **results)
    if config.get("config_type"):
        atoms.info["config_type"] = config["config_type"]
    return atoms


def from_atoms(atoms, species=None):
    """ase.Atoms as a configuration dict; `species` is the MTP type order (default: the order of
    first appearance). Labels of an attached calculator are included when present."""
    symbols = atoms.get_chemical_symbols()
    if species is None:
        species = list(dict.fromkeys(symbols))
    species = list(species)
    missing = sorted(set(symbols) - set(species))
    if missing:
        from ._superion import InputError
        raise InputError("element(s) %s are not in the species list %s" % (missing, species))
    config = {
        "positions": np.asarray(atoms.get_positions(), dtype=float),
        "cell": np.asarray(atoms.get_cell(), dtype=float),
        "pbc": tuple(bool(p) for p in atoms.pbc),
        "types": np.array([species.index(s) for s in symbols], dtype=np.int32),
        "species": species,
        "masses": np.asarray(atoms.get_masses(), dtype=float),
    }
    calc = atoms.calc
    if calc is not None and getattr(calc, "results", None):
        r = calc.results
        if "energy" in r:
            config["energy"] = float(r["energy"])
        if "forces" in r:
            config["forces"] = np.asarray(r["forces"], dtype=float)
        if "stress" in r and atoms.pbc.all():
            s = np.asarray(r["stress"], dtype=float)
            if s.shape == (6,):
                s = np.array([[s[0], s[5], s[4]], [s[5], s[1], s[3]], [s[4], s[3], s[2]]])
            config["virial"] = -s * atoms.get_volume()
    return config


def read(path, format="auto", species=None, index=None):
    """All configurations of `path` as a list of ase.Atoms (index: a slice or int to select)."""
    configs = read_arrays(str(path), format, list(species or []))
    if index is not None:
        configs = configs[index] if isinstance(index, slice) else [configs[index]]
    return [to_atoms(c) for c in configs]


def write(path, images, format="auto", species=None, lossless=True):
    """Writes ase.Atoms (one or a list) in any format superion writes."""
    if not isinstance(images, (list, tuple)):
        images = [images]
    if species is None:
        seen = []
        for a in images:
            for s in a.get_chemical_symbols():
                if s not in seen:
                    seen.append(s)
        species = seen
    configs = [from_atoms(a, species) for a in images]
    write_arrays(str(path), configs, format, list(species), lossless)
