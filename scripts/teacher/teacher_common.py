"""Shared pieces of the CHGNet teacher scripts (scripts/teacher/): the model and its ASE
calculator, the antiperovskite cells, a resumable NVT MD runner with progress and ETA, and the
provenance record (versions, seeds, commands).

CHGNet is a pretrained universal machine-learning potential (PyPI `chgnet`, model weights shipped in
the wheel, trained on Materials Project PBE/PBE+U relaxation trajectories). It is a *stand-in* for
the paper's PBE+D3 AIMD: cheap enough for picoseconds on one core, but not DFT.

Units: ASE's (Angstrom, eV, amu; times converted from fs/ps at the edges).
Needs the venv made by scripts/install-teacher.sh (chgnet, torch, ase, pymatgen, numpy).
"""
import json
import os
import platform
import socket
import sys
import time
import zlib
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO / "scripts" / "cp2k"))
import build_antiperovskite  # noqa: E402  (the project's cell builder, shared with the CP2K route)

KB_EV = 8.617333262e-5  # eV/K


def log(msg: str) -> None:
    print(f"[{time.strftime('%Y-%m-%d %H:%M:%S')}] {msg}", flush=True)


def versions() -> dict:
    import ase
    import chgnet
    import pymatgen.core
    import torch

    return {
        "python": platform.python_version(),
        "chgnet": chgnet.__version__,
        "torch": torch.__version__,
        "ase": ase.__version__,
        "pymatgen": getattr(pymatgen.core, "__version__", "?"),
        "numpy": np.__version__,
        "torch_threads": torch.get_num_threads(),
        "host": socket.gethostname(),
        "cpu": platform.processor() or platform.machine(),
    }


def atomic_write_text(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def atomic_write_json(path: Path, obj) -> None:
    atomic_write_text(path, json.dumps(obj, indent=1, sort_keys=True) + "\n")


def run_seed(base_seed: int, name: str) -> int:
    """A reproducible per-run seed from the base seed and the run's name."""
    return (base_seed * 1_000_003 + zlib.crc32(name.encode())) % (2**31 - 1)


# ---------------------------------------------------------------------------------------------
# Model and calculator

_MODEL = None


def load_model():
    """CHGNet's bundled pretrained model (no network), on the CPU, one torch thread."""
    global _MODEL
    if _MODEL is None:
        import torch

        torch.set_num_threads(1)
        from chgnet.model import CHGNet

        _MODEL = CHGNet.load(verbose=False)
    return _MODEL


def model_version() -> str:
    return str(getattr(load_model(), "version", "?"))


def make_calculator():
    """An ASE calculator around CHGNet that computes the stress only when asked for it (`efs` is
    ~25 % dearer than `ef`). Energies are extensive (eV), forces eV/A, stress eV/A^3 in ASE's
    convention (sigma = (1/V) dE/d(strain), the virial part only: no kinetic term)."""
    from ase.calculators.calculator import Calculator, all_changes
    from pymatgen.io.ase import AseAtomsAdaptor
    from ase import units

    model = load_model()

    class ChgnetCalc(Calculator):
        implemented_properties = ["energy", "free_energy", "forces", "stress"]

        def calculate(self, atoms=None, properties=("energy",), system_changes=all_changes):
            super().calculate(atoms, properties, system_changes)
            self.results = {}
            task = "efs" if "stress" in properties else "ef"
            structure = AseAtomsAdaptor.get_structure(self.atoms)
            graph = model.graph_converter(structure)
            pred = model.predict_graph(graph, task=task)
            n = len(self.atoms) if model.is_intensive else 1
            self.results["energy"] = float(pred["e"]) * n
            self.results["free_energy"] = self.results["energy"]
            self.results["forces"] = np.asarray(pred["f"], dtype=float)
            if "s" in pred:
                # CHGNet returns GPa in ASE's sign convention
                self.results["stress"] = np.asarray(pred["s"], dtype=float) * units.GPa
                from ase.stress import full_3x3_to_voigt_6_stress

                if self.results["stress"].shape == (3, 3):
                    self.results["stress"] = full_3x3_to_voigt_6_stress(self.results["stress"])

    return ChgnetCalc()


# ---------------------------------------------------------------------------------------------
# Cells

COMPOUNDS = {
    # name: (halide, central atom of the tetrahedron, starting a (A), X-O bond (A))
    "Na3ClSO4": ("Cl", "S", 5.23, 1.50),
    "Na3BrSO4": ("Br", "S", 5.30, 1.50),
    "Na3BrSeO4": ("Br", "Se", 5.45, 1.66),
}


def unit_cell_atoms(compound: str, a: float = None, xo: float = None):
    """The 9-atom cubic site-exchanged antiperovskite (scripts/cp2k/build_antiperovskite.py)."""
    from ase import Atoms

    halide, centre, a0, xo0 = COMPOUNDS[compound]
    symbols, cell, pos = build_antiperovskite.unit_cell(halide, a or a0, xo or xo0)
    symbols = [centre if s == "S" else s for s in symbols]
    return Atoms(symbols, positions=pos, cell=cell, pbc=True)


def defective_supercell(unit, n=2):
    """n x n x n supercell with one Na + halide Schottky pair removed (the same rule as the CP2K
    route: the first Na and the halide farthest from it)."""
    from ase import Atoms

    sc = unit.repeat((n, n, n))
    symbols, pos = build_antiperovskite.remove_schottky_pair(
        sc.get_chemical_symbols(), sc.get_positions(), sc.cell.array)
    return Atoms(symbols, positions=pos, cell=sc.cell, pbc=True)


# ---------------------------------------------------------------------------------------------
# Progress with ETA

class Progress:
    """One line every `every_s` seconds: what, steps done/total, seconds per step, ETA of this run
    and (when `stage_left_steps` is given) of the stage."""

    def __init__(self, what: str, total: int, done: int = 0, every_s: float = 60.0,
                 stage_left_steps=None):
        self.what, self.total, self.start_done = what, total, done
        self.t0 = self.last = time.time()
        self.every_s = every_s
        self.stage_left_steps = stage_left_steps

    def sec_per_step(self, done: int) -> float:
        n = done - self.start_done
        return (time.time() - self.t0) / n if n > 0 else float("nan")

    def update(self, done: int, extra: str = "", force: bool = False) -> None:
        now = time.time()
        if not force and now - self.last < self.every_s:
            return
        self.last = now
        sps = self.sec_per_step(done)
        eta = (self.total - done) * sps
        msg = f"{self.what}: step {done}/{self.total} ({100.0 * done / self.total:.1f} %), " \
              f"{sps:.3f} s/step, ETA {fmt_s(eta)}"
        if self.stage_left_steps is not None:
            msg += f", stage ETA {fmt_s(eta + self.stage_left_steps * sps)}"
        log(msg + (f" | {extra}" if extra else ""))


def fmt_s(s: float) -> str:
    if not np.isfinite(s):
        return "?"
    s = int(round(s))
    return f"{s // 3600}h{(s % 3600) // 60:02d}m{s % 60:02d}s" if s >= 3600 else \
        f"{s // 60}m{s % 60:02d}s"


# ---------------------------------------------------------------------------------------------
# Resumable NVT MD (velocity Verlet + Bussi stochastic velocity rescaling = CSVR)

class MDRun:
    """NVT MD of `atoms` at `temperature_K` with checkpoints in `ckpt` (npz). Every `sample_every`
    steps `on_sample(step, atoms, with_stress)` is called; at steps that are multiples of
    `stress_every` the calculator computes the stress too. `on_sample` returns a dict of arrays
    that is appended to the run's record (kept in the checkpoint, so a resumed run loses nothing).
    """

    def __init__(self, atoms, temperature_K: float, dt_fs: float, taut_fs: float, seed: int,
                 ckpt: Path, sample_every: int, stress_every: int = 0):
        self.atoms = atoms
        self.T = temperature_K
        self.dt_fs, self.taut_fs = dt_fs, taut_fs
        self.seed = seed
        self.ckpt = Path(ckpt)
        self.sample_every = sample_every
        self.stress_every = stress_every
        self.step = 0
        self.record = {}
        self.rng = np.random.default_rng(seed)

    def _init_velocities(self):
        from ase.md.velocitydistribution import MaxwellBoltzmannDistribution, Stationary

        MaxwellBoltzmannDistribution(self.atoms, temperature_K=self.T, rng=self.rng)
        Stationary(self.atoms)

    def _save(self):
        data = {"positions": self.atoms.get_positions(), "momenta": self.atoms.get_momenta(),
                "step": np.array(self.step),
                "rng_state": np.array(json.dumps(self.rng.bit_generator.state))}
        for k, v in self.record.items():
            data["rec_" + k] = np.asarray(v)
        tmp = self.ckpt.with_name(self.ckpt.name + ".tmp.npz")
        np.savez(tmp, **data)
        os.replace(tmp, self.ckpt)

    def _load(self) -> bool:
        if not self.ckpt.exists():
            return False
        d = np.load(self.ckpt)
        self.atoms.set_positions(d["positions"])
        self.atoms.set_momenta(d["momenta"])
        self.step = int(d["step"])
        self.rng.bit_generator.state = json.loads(str(d["rng_state"]))
        self.record = {k[4:]: list(d[k]) for k in d.files if k.startswith("rec_")}
        return True

    def run(self, n_steps: int, on_sample, what: str, checkpoint_every_s: float = 120.0,
            stage_left_steps=None, progress_every_s: float = 60.0):
        from ase import units
        from ase.md.bussi import Bussi

        if self._load():
            log(f"{what}: resumed at step {self.step}")
        else:
            self._init_velocities()
        dyn = Bussi(self.atoms, timestep=self.dt_fs * units.fs, temperature_K=self.T,
                    taut=self.taut_fs * units.fs, rng=self.rng)
        prog = Progress(what, n_steps, self.step, every_s=progress_every_s,
                        stage_left_steps=stage_left_steps)
        last_ckpt = time.time()
        masses = self.atoms.get_masses()[:, None]
        dt = dyn.dt
        forces = self._forces(False)
        while self.step < n_steps:
            nxt = self.step + 1
            want_stress = bool(self.stress_every) and nxt % self.stress_every == 0
            # Bussi (CSVR) rescaling, then one velocity-Verlet step (ASE's Bussi.step, written
            # out so that the closing force call can also return the stress when it is sampled)
            dyn.scale_velocities()
            p = self.atoms.get_momenta() + 0.5 * dt * forces
            self.atoms.set_positions(self.atoms.get_positions() + dt * p / masses)
            forces = self._forces(want_stress)
            self.atoms.set_momenta(p + 0.5 * dt * forces)
            self.step = nxt
            if self.step % self.sample_every == 0 or want_stress:
                rec = on_sample(self.step, self.atoms, want_stress)
                for k, v in (rec or {}).items():
                    self.record.setdefault(k, []).append(v)
            if time.time() - last_ckpt > checkpoint_every_s:
                self._save()
                last_ckpt = time.time()
            prog.update(self.step, f"T_inst {self.atoms.get_temperature():.0f} K")
        self._save()
        return {k: np.asarray(v) for k, v in self.record.items()}

    def _forces(self, with_stress: bool):
        calc = self.atoms.calc
        props = ["energy", "forces", "stress"] if with_stress else ["energy", "forces"]
        calc.calculate(self.atoms, props, ["positions"])
        return calc.results["forces"].copy()


def pressure_GPa(atoms) -> float:
    """Instantaneous pressure: virial (from the model's stress) plus the kinetic term N k T / V."""
    from ase import units

    s = atoms.calc.results["stress"]
    vir = -np.mean(s[:3])
    kin = 2.0 * atoms.get_kinetic_energy() / (3.0 * atoms.get_volume())
    return (vir + kin) / units.GPa


def block_error(x, nblocks: int = 5):
    """Mean and its standard error from `nblocks` contiguous blocks (correlated samples)."""
    x = np.asarray(x, dtype=float)
    n = len(x) // nblocks
    if n < 1:
        return float(np.mean(x)), float("nan")
    b = x[: n * nblocks].reshape(nblocks, n).mean(axis=1)
    return float(np.mean(x)), float(np.std(b, ddof=1) / np.sqrt(nblocks))
