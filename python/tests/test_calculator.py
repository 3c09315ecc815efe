"""superion.ase.MTPCalculator: equals `superion eval` on the shared potentials (1e-12 relative;
both run the same evaluator, so only the stress conversion σ = −W/V can round), passes ASE's
finite-difference checks of forces and stress, and drives ASE's Langevin MD, an optimiser and
the phonon tools."""
import numpy as np
import pytest

import superion
from superion.ase import MTPCalculator

from conftest import NA3CLSO4_MD, NA3CLSO4_POT, NA3CLSO4_SPECIES, SOURCE, shared

CASES = [
    ("mtp/trained/example2sp_L06_mlip2.mtp", "mtp/cfg/example2sp_5cfg.cfg", ["Al", "Ni"], 5),
    ("mtp/trained/Li_L10_mlip2.mtp", "mtp/cfg/Li_T450_73cfg.cfg", ["Li"], 3),
    ("mtp/trained/Li_L06_mlip3.almtp", "mtp/cfg/Li_T450_73cfg.cfg", ["Li"], 2),
    ("mlearn/Cu/mvl_fitted.mtp", "mlearn/Cu/test.cfg", ["Cu"], 3),
    ("mlearn/Si/mvl_fitted.mtp", "mlearn/Si/test.cfg", ["Si"], 3),
    ("mtp/nyzc/fitted.mtp.2022.09.mtp", str(SOURCE / "data/nyzc/nyzc37_eq600K.vasp"),
     ["Na", "Y", "Zr", "Cl"], 1),
    (str(NA3CLSO4_POT), str(NA3CLSO4_MD), NA3CLSO4_SPECIES, 1),
]


def rel(a, b, floor=0.0):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return np.max(np.abs(a - b)) / max(np.max(np.abs(b)), floor)


@pytest.mark.parametrize("pot,data,species,frames", CASES, ids=[c[0].split("/")[-1] for c in CASES])
def test_equals_superion_eval(tmp_path, pot, data, species, frames):
    pot = pot if pot.startswith("/") else shared(pot)
    data = data if data.startswith("/") else shared(data)
    pred = tmp_path / "pred.cfg"
    superion.run("eval", pot, data, "--species", ",".join(species), "-o", pred, "--lossless")
    reference = superion.read_arrays(str(pred))
    calc = MTPCalculator(str(pot), species=species)
    for k, config in enumerate(superion.read_arrays(str(data), "auto", species)[:frames]):
        atoms = superion.to_atoms(config)
        atoms.calc = calc
        ref = reference[k]
        assert abs(atoms.get_potential_energy() - ref["energy"]) <= 1e-12 * abs(ref["energy"])
        assert atoms.get_potential_energy() == atoms.get_potential_energy(force_consistent=True)
        assert rel(atoms.get_forces(), ref["forces"], 1e-3) <= 1e-12
        assert rel(atoms.get_potential_energies(), ref["site_energies"]) <= 1e-12
        stress = -np.asarray(ref["virial"]) / atoms.get_volume()
        voigt = [stress[0, 0], stress[1, 1], stress[2, 2], stress[1, 2], stress[0, 2], stress[0, 1]]
        assert rel(atoms.get_stress(), voigt) <= 1e-12


def na3clso4(repeat=(1, 1, 1)):
    atoms = superion.read(NA3CLSO4_MD, species=NA3CLSO4_SPECIES)[0].repeat(repeat)
    atoms.calc = MTPCalculator(str(NA3CLSO4_POT), species=NA3CLSO4_SPECIES)
    return atoms


def test_finite_differences():
    """Central differences (ASE's own routines) of the energy: forces with d = 1e-4 Å (truncation
    ~d²·F'''/6 ~ 1e-8 eV/Å, rounding ~1e-16·|E|/d ~ 1e-9 eV/Å) within 1e-6 eV/Å; stress with
    strain 1e-6 within 1e-7 eV/Å³ (0.016 GPa·1e-3; rounding ~1e-16·|E|/(d·V) ~ 5e-10)."""
    atoms = na3clso4()
    atoms.rattle(0.05, seed=1)
    f = atoms.get_forces()
    f_fd = atoms.calc.calculate_numerical_forces(atoms, d=1e-4)
    assert np.max(np.abs(f - f_fd)) < 1e-6
    s = atoms.get_stress()
    s_fd = atoms.calc.calculate_numerical_stress(atoms, d=1e-6)
    assert np.max(np.abs(s - s_fd)) < 1e-7


def test_langevin_is_stable():
    """200 Langevin steps (1 fs, 300 K, friction 0.02/fs) of 72 atoms: finite, T near 300 K,
    SO4 tetrahedra intact (S–O bonds 1.3–1.7 Å)."""
    from ase import units
    from ase.md.langevin import Langevin
    from ase.md.velocitydistribution import MaxwellBoltzmannDistribution

    atoms = na3clso4((2, 2, 2))
    MaxwellBoltzmannDistribution(atoms, temperature_K=300, rng=np.random.default_rng(1))
    dyn = Langevin(atoms, 1 * units.fs, temperature_K=300, friction=0.02, rng=np.random.default_rng(2))
    temps = []
    dyn.attach(lambda: temps.append(atoms.get_temperature()), interval=10)
    dyn.run(200)
    assert np.all(np.isfinite(atoms.get_positions()))
    assert np.isfinite(atoms.get_potential_energy())
    assert 100 < np.mean(temps[5:]) < 600
    sym = np.array(atoms.get_chemical_symbols())
    s_idx, o_idx = np.where(sym == "S")[0], np.where(sym == "O")[0]
    d = atoms.get_all_distances(mic=True)[np.ix_(s_idx, o_idx)]
    nearest = np.sort(d, axis=1)[:, :4]
    assert np.all((nearest > 1.3) & (nearest < 1.7))


def test_optimiser_lowers_energy():
    from ase.optimize import BFGS

    atoms = na3clso4()
    atoms.rattle(0.05, seed=3)
    e0 = atoms.get_potential_energy()
    BFGS(atoms, logfile=None).run(fmax=0.05, steps=200)
    assert atoms.get_potential_energy() < e0
    assert np.max(np.linalg.norm(atoms.get_forces(), axis=1)) < 0.05


def test_phonons_acoustic_sum(tmp_path):
    """ASE's finite-displacement phonons at Γ: with the acoustic sum rule imposed, three zero
    modes; without it, the raw force constants already give |ω| < 1 meV for them (translation
    invariance of the MTP)."""
    from ase.phonons import Phonons

    atoms = na3clso4()
    ph = Phonons(atoms, atoms.calc, supercell=(1, 1, 1), delta=0.01, name=str(tmp_path / "ph"))
    ph.run()
    ph.read(acoustic=False)
    omega = np.sort(np.abs(ph.band_structure([[0, 0, 0]])[0]))
    assert np.all(omega[:3] < 1e-3)  # eV
    assert np.all(np.isfinite(omega))


def test_species_errors():
    with pytest.raises(superion.InputError, match="give species"):
        MTPCalculator(str(NA3CLSO4_POT))
    atoms = na3clso4()
    atoms.calc = MTPCalculator(str(NA3CLSO4_POT), species=["Na", "Br", "S", "O"])
    with pytest.raises(superion.InputError, match="Cl are not species"):
        atoms.get_potential_energy()


def test_stored_species_names(tmp_path):
    # A potential written by superion names its elements (potential_tag = elements ...): the
    # calculator needs no species list and refuses one in another order.
    text = NA3CLSO4_POT.read_text().replace("potential_tag = \n", "potential_tag = elements Na Cl S O\n")
    named = tmp_path / "named.mtp"
    named.write_text(text)
    assert superion.Potential(str(named)).species_names == NA3CLSO4_SPECIES
    assert MTPCalculator(str(named)).species == NA3CLSO4_SPECIES
    with pytest.raises(superion.InputError, match="differs from the element order"):
        MTPCalculator(str(named), species=["Cl", "Na", "S", "O"])
