"""The superion commands from Python: train, md and the analyze functions run the same code as
the command line (the `superion` executable of this build or installation) and return plain
Python objects: analyze.X(...) returns the command's --json output as a dict with the same keys
(lists of numbers as numpy arrays unless raw=True). A failing command raises superion.InputError
or superion.Error with the command line's message.
"""
import json
import os
import shutil
import subprocess
import tempfile

import numpy as np

from ._superion import Error, InputError


def _executable():
    here = os.path.dirname(os.path.abspath(__file__))
    installed = os.path.join(here, "bin", "superion")
    if os.path.exists(installed):
        return installed
    try:
        from ._build_paths import CLI
        if os.path.exists(CLI):
            return CLI
    except ImportError:
        pass
    found = shutil.which("superion")
    if found:
        return found
    raise Error("the superion executable was not found (build it, or pip install the package)")


def _options(options):
    """{'max_iter': 500, 'species': ['Na','Cl'], 'quiet': True} -> ['--max-iter', '500', ...]."""
    args = []
    for key, value in options.items():
        if value is None or value is False:
            continue
        flag = "--" + key.replace("_", "-")
        if value is True:
            args.append(flag)
        elif isinstance(value, (list, tuple, np.ndarray)):
            args.append(flag)
            args.extend(str(v) for v in value)
        else:
            args.extend([flag, str(value)])
    return args


def run(*args, check=True):
    """Runs `superion ARGS…`; returns its standard output. Raises InputError/Error on failure."""
    proc = subprocess.run([_executable(), *map(str, args)], capture_output=True, text=True)
    if check and proc.returncode != 0:
        message = proc.stderr.strip().splitlines()
        text = message[-1] if message else "superion exited with code %d" % proc.returncode
        for prefix, kind in (("superion: input error: ", InputError), ("superion: error: ", Error)):
            if text.startswith(prefix):
                raise kind(text[len(prefix):])
        raise Error(proc.stderr.strip() or text)
    return proc.stdout


def _arrays(obj):
    if isinstance(obj, dict):
        return {k: _arrays(v) for k, v in obj.items()}
    if isinstance(obj, list):
        if obj and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in obj):
            return np.asarray(obj, dtype=float)
        if obj and all(isinstance(v, list) for v in obj):
            try:
                return np.asarray(obj, dtype=float)
            except (ValueError, TypeError):
                pass
        return [_arrays(v) for v in obj]
    return obj


def _with_json(args, raw):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "out.json")
        run(*args, "--json", path)
        with open(path) as f:
            data = json.load(f)
    return data if raw else _arrays(data)


def train(data, output, **options):
    """superion train --data DATA -o OUTPUT [--level …]; returns the trained superion.Potential.

    Options are the command's long options with '_' for '-', e.g. valid="test.cfg", level=10,
    rcut=5.0, max_iter=500, species=["Na", "Cl", "S", "O"], seed=1, threads=1."""
    from ._superion import Potential
    run("train", "--data", data, "-o", output, *_options(options))
    return Potential(str(output))


def md(potential, structure, **options):
    """superion md --potential P --structure S [options]; returns {'stdout': text, 'thermo':
    structured numpy array of the --thermo CSV (when given)}.

    E.g. md("pot.mtp", "POSCAR", temperature=600, timestep="2fs", steps=1000,
    thermostat="nose-hoover", traj="run.h5", thermo="thermo.csv", species=["Na", "Cl"])."""
    out = run("md", "--potential", potential, "--structure", structure, *_options(options))
    result = {"stdout": out}
    if options.get("thermo"):
        result["thermo"] = np.genfromtxt(options["thermo"], delimiter=",", names=True)
    return result


class _Analyze:
    """superion analyze KIND: each function returns the command's --json output as a dict."""

    def diffusion(self, trajectory, raw=False, **options):
        """MSD, tracer/charge D, σ, Haven ratio (options: species, temperature, frame_interval,
        start_time, smoothing, …)."""
        return _with_json(["analyze", "diffusion", trajectory, *_options(options)], raw)

    def arrhenius(self, diffusion_json_files, raw=False, **options):
        """Ea, prefactor, D and σ at 300 K from diffusion JSON files."""
        files = [diffusion_json_files] if isinstance(diffusion_json_files, (str, os.PathLike)) \
            else list(diffusion_json_files)
        return _with_json(["analyze", "arrhenius", *files, *_options(options)], raw)

    def _generic(self, kind, trajectory, raw, options):
        return _with_json(["analyze", kind, trajectory, *_options(options)], raw)

    def hops(self, trajectory, raw=False, **options):
        return self._generic("hops", trajectory, raw, options)

    def vanhove(self, trajectory, raw=False, **options):
        return self._generic("vanhove", trajectory, raw, options)

    def rdf(self, trajectory, raw=False, **options):
        return self._generic("rdf", trajectory, raw, options)

    def vacf(self, trajectory, raw=False, **options):
        return self._generic("vacf", trajectory, raw, options)

    def rotation(self, trajectory, raw=False, **options):
        return self._generic("rotation", trajectory, raw, options)

    def density(self, trajectory, raw=False, **options):
        return self._generic("density", trajectory, raw, options)

    def ldfc(self, trajectory, raw=False, **options):
        return self._generic("ldfc", trajectory, raw, options)


analyze = _Analyze()
