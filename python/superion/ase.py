"""superion.ase.MTPCalculator: an ASE calculator running superion's MTP evaluator in-process.

    from superion.ase import MTPCalculator
    atoms.calc = MTPCalculator("pot.mtp", species=["Na", "Cl", "S", "O"])
    atoms.get_potential_energy(), atoms.get_forces(), atoms.get_stress(),
    atoms.get_potential_energies()

`species` is the potential's element order (MTP type 0 first). It may be omitted for a
potential that stores its element names (superion writes them) or has one species. Properties: energy, free_energy (= energy: no electronic entropy), forces,
stress (ASE convention, eV/Å³: σ = −W/V with W the MLIP PlusStress virial; periodic cells only)
and energies (site energies). Works with ASE's MD, optimisers and phonon tools.
"""
import numpy as np
from ase.calculators.calculator import Calculator, all_changes

from ._superion import InputError, Potential


class MTPCalculator(Calculator):
    implemented_properties = ["energy", "free_energy", "forces", "stress", "energies"]

    def __init__(self, potential, species=None, **kwargs):
        super().__init__(**kwargs)
        self.potential = potential if isinstance(potential, Potential) else Potential(str(potential))
        stored = list(self.potential.species_names)  # written by superion; MLIP files have none
        if species is not None and stored and list(species) != stored:
            raise InputError("species %s differs from the element order %s stored in %s"
                             % (",".join(species), ",".join(stored), self.potential.path))
        if species is None and stored:
            species = stored
        if species is None:
            if self.potential.species_count != 1:
                raise InputError(
                    "%s has %d species: give species=[...] in MTP type order (type 0 first)"
                    % (self.potential.path, self.potential.species_count))
            species = None
        elif len(species) != self.potential.species_count:
            raise InputError("species lists %d elements but %s has %d species"
                             % (len(species), self.potential.path, self.potential.species_count))
        self.species = list(species) if species is not None else None

    def _types(self, atoms):
        symbols = atoms.get_chemical_symbols()
        if self.species is None:
            return np.zeros(len(symbols), dtype=np.int32)
        index = {s: k for k, s in enumerate(self.species)}
        missing = sorted(set(symbols) - set(index))
        if missing:
            raise InputError("element(s) %s are not species of %s (it has %s)"
                             % (", ".join(missing), self.potential.path, " ".join(self.species)))
        return np.array([index[s] for s in symbols], dtype=np.int32)

    def calculate(self, atoms=None, properties=("energy",), system_changes=all_changes):
        super().calculate(atoms, properties, system_changes)
        a = self.atoms
        pbc = tuple(bool(p) for p in a.pbc)
        energy, forces, virial, energies = self.potential.evaluate(
            a.get_positions(), np.asarray(a.get_cell()), self._types(a), pbc)
        self.results["energy"] = energy
        self.results["free_energy"] = energy
        self.results["forces"] = forces
        self.results["energies"] = energies
        if all(pbc):
            s = -virial / a.get_volume()
            self.results["stress"] = np.array([s[0, 0], s[1, 1], s[2, 2], s[1, 2], s[0, 2], s[0, 1]])
        elif "stress" in properties:
            from ase.calculators.calculator import PropertyNotImplementedError
            raise PropertyNotImplementedError("stress needs a periodic cell")
