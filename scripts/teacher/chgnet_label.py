#!/usr/bin/env python3
"""Label configurations with CHGNet (energy, forces, stress): the CHGNet stand-in reference as an
external calculator for superion.

One process labels a whole file, so the model is loaded once (~7 s) for any number of frames:
  .venv-teacher/bin/python scripts/teacher/chgnet_label.py IN.xyz OUT.xyz
IN: any file ASE reads (extxyz, POSCAR, cfg is not one: convert with `superion convert`), all
frames. OUT: extended XYZ in ASE's conventions (energy eV, forces eV/A, stress eV/A^3 with ASE's
sign, virial part only), frame by frame in input order, same atoms and positions, `config_type=
chgnet`; superion reads it as reference data (`superion train --data OUT.xyz`).

With superion's command calculator (one structure per call: pays the model load every time):
  --calculator "command:$PWD/.venv-teacher/bin/python $PWD/scripts/teacher/chgnet_label.py {xyz} {out_xyz}"
Batch use (active learning): write the selected configurations to one file, label it here, append
OUT to the training set.

Resumable: frames go to OUT.partial as they are labelled (renamed to OUT at the end); if OUT or
OUT.partial already holds the first K frames of IN (same positions), only the rest are labelled (`--restart` to relabel everything). Progress with ETA on stderr every
--progress-s seconds. One torch thread.
CHGNet is NOT DFT: a universal potential fitted to Materials Project PBE/PBE+U relaxations; see
data/reference/README.md (CHGNet section) for what that means for these compounds.
"""
import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import teacher_common as tc  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("input")
    p.add_argument("output")
    p.add_argument("--format", help="ASE format of the input (default: from the name)")
    p.add_argument("--restart", action="store_true", help="relabel all frames (ignore OUT)")
    p.add_argument("--progress-s", type=float, default=30.0)
    a = p.parse_args()
    from ase.io import read, write
    from ase.calculators.singlepoint import SinglePointCalculator

    try:
        frames = read(a.input, index=":", format=a.format)
    except Exception as e:  # noqa: BLE001  (report any reader failure with the file name)
        sys.exit(f"error: {a.input}: cannot read configurations: {e}")
    if not frames:
        sys.exit(f"error: {a.input}: no configurations")
    out = Path(a.output)
    tmp = out.with_name(out.name + ".partial")
    done = []
    src = out if out.exists() else tmp
    if src.exists() and not a.restart:
        done = read(src, index=":")
        for k, (x, y) in enumerate(zip(done, frames)):
            if len(x) != len(y) or np.abs(x.get_positions() - y.get_positions()).max() > 1e-5:
                sys.exit(f"error: {src}: frame {k + 1} is not frame {k + 1} of {a.input}; "
                         "use --restart to relabel")
        done = done[: len(frames)]
    calc = tc.make_calculator()
    if done:
        write(tmp, done, format="extxyz")  # (rewritten: a partial last line is dropped)
    elif tmp.exists():
        tmp.unlink()
    t0 = last = time.time()
    n0 = len(done)
    for k in range(n0, len(frames)):
        at = frames[k]
        at.calc = calc
        e = at.get_potential_energy()
        f = at.get_forces()
        s = at.get_stress() if all(at.pbc) and at.cell.volume > 0 else None
        lab = at.copy()
        lab.info = {k2: v for k2, v in at.info.items() if k2 not in ("energy", "stress")}
        lab.info["config_type"] = "chgnet"
        lab.calc = SinglePointCalculator(lab, energy=e, forces=f, **({"stress": s} if s is not None else {}))
        write(tmp, lab, format="extxyz", append=True)
        now = time.time()
        if now - last > a.progress_s or k + 1 == len(frames):
            last = now
            per = (now - t0) / (k + 1 - n0)
            print(f"chgnet_label: {k + 1}/{len(frames)} frames, {per:.2f} s/frame, ETA "
                  f"{tc.fmt_s(per * (len(frames) - k - 1))}", file=sys.stderr, flush=True)
    os.replace(tmp, out)


if __name__ == "__main__":
    main()
