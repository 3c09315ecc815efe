"""Formats to/from ASE and numpy, and the command functions: superion.md and superion.train run,
superion.analyze.diffusion/arrhenius return exactly the command line's JSON, errors carry the
command line's messages."""
import json
import subprocess

import numpy as np
import pytest

import superion

from conftest import NA3CLSO4_MD, NA3CLSO4_POT, NA3CLSO4_SPECIES


def test_roundtrip_through_ase(tmp_path):
    configs = superion.read_arrays(str(NA3CLSO4_MD), "auto", NA3CLSO4_SPECIES)
    atoms = superion.read(NA3CLSO4_MD, species=NA3CLSO4_SPECIES)
    assert len(atoms) == len(configs) == 1
    a = atoms[0]
    assert a.get_chemical_formula() == "ClNa3O4S"
    np.testing.assert_array_equal(a.get_positions(), configs[0]["positions"])
    np.testing.assert_array_equal(a.get_forces(), configs[0]["forces"])
    for name in ("x.cfg", "x.xyz", "x.h5", "POSCAR"):
        superion.write(tmp_path / name, a, species=NA3CLSO4_SPECIES)
        b = superion.read(tmp_path / name, species=NA3CLSO4_SPECIES)[0]
        assert b.get_chemical_symbols() == a.get_chemical_symbols()
        np.testing.assert_allclose(b.get_positions(), a.get_positions(), rtol=0, atol=1e-12)
        np.testing.assert_allclose(b.get_cell(), a.get_cell(), rtol=0, atol=1e-12)
        if name != "POSCAR":
            assert b.get_potential_energy() == a.get_potential_energy()
            np.testing.assert_allclose(b.get_forces(), a.get_forces(), rtol=0, atol=1e-12)
            np.testing.assert_allclose(b.get_stress(), a.get_stress(), rtol=1e-12, atol=1e-15)


@pytest.fixture(scope="module")
def trajectory(tmp_path_factory):
    """3 ps of MD of 72 atoms at 500 K (superion.md), H5MD every 10 fs."""
    d = tmp_path_factory.mktemp("md")
    r = superion.md(str(NA3CLSO4_POT), str(NA3CLSO4_MD), species=NA3CLSO4_SPECIES,
                    supercell=[2, 2, 2], temperature=500, timestep="1fs", steps=3000,
                    thermostat="nose-hoover", seed=5, threads=1, quiet=True,
                    traj=str(d / "md.h5"), traj_every=10, thermo=str(d / "thermo.csv"),
                    thermo_every=100)
    assert "Speed of this run" in r["stdout"]
    assert list(r["thermo"]["step"]) == list(range(0, 3001, 100))
    return d / "md.h5"


def cli_json(tmp_path, *args):
    out = tmp_path / "cli.json"
    superion.run(*args, "--json", out)
    return json.loads(out.read_text())


def assert_same(py, cli):
    """Same keys and exactly the same values (numbers as numpy arrays on the Python side)."""
    assert set(py) == set(cli)
    for k, v in cli.items():
        if isinstance(v, dict):
            assert_same(py[k], v)
        elif isinstance(v, list) and v and not isinstance(py[k], list):
            np.testing.assert_array_equal(py[k], np.asarray(v, dtype=float))
        else:
            assert py[k] == v, k


def test_diffusion_equals_cli_json(tmp_path, trajectory):
    opts = dict(species="Na", temperature=500, start_time=0.1)
    py = superion.analyze.diffusion(str(trajectory), **opts)
    cli = cli_json(tmp_path, "analyze", "diffusion", trajectory, "--species", "Na",
                   "--temperature", "500", "--start-time", "0.1")
    assert_same(py, cli)
    assert superion.analyze.diffusion(str(trajectory), raw=True, **opts) == cli
    # arrhenius over two (here: relabelled) temperatures, also the same as the CLI
    files = []
    for T in (450, 500):
        f = tmp_path / ("d%d.json" % T)
        superion.run("analyze", "diffusion", trajectory, "--species", "Na", "--temperature", T,
                     "--json", f)
        files.append(str(f))
    assert superion.analyze.arrhenius(files, raw=True) == cli_json(tmp_path, "analyze",
                                                                     "arrhenius", *files)


def test_rotation_equals_cli_json(tmp_path, trajectory):
    py = superion.analyze.rotation(str(trajectory), raw=True)
    assert py == cli_json(tmp_path, "analyze", "rotation", trajectory)


def test_train_returns_potential(tmp_path):
    pot = superion.train(str(NA3CLSO4_MD), str(tmp_path / "p.mtp"), species=NA3CLSO4_SPECIES,
                         level=4, rcut=5.0, max_iter=5, threads=1)
    assert isinstance(pot, superion.Potential)
    assert pot.trained and pot.species_count == 4 and pot.level == 4


def test_errors_carry_cli_messages(tmp_path):
    missing = str(tmp_path / "missing.h5")
    proc = subprocess.run([superion.cli._executable(), "analyze", "diffusion", missing,
                           "--species", "Na", "--temperature", "300"],
                          capture_output=True, text=True)
    assert proc.returncode != 0
    message = proc.stderr.strip().splitlines()[-1].split(": ", 2)[-1]
    with pytest.raises(superion.Error) as err:
        superion.analyze.diffusion(missing, species="Na", temperature=300)
    assert str(err.value) == message
    bad = tmp_path / "bad.mtp"
    bad.write_text("MTP\nversion = 1.1.0\nspecies_count = two\n")
    with pytest.raises(superion.InputError, match="bad.mtp:3"):
        superion.Potential(str(bad))
    with pytest.raises(superion.InputError):
        superion.read(tmp_path / "none.cfg")
