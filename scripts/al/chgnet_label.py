#!/usr/bin/env python3
"""Batch labeller for `superion label` / `superion learn`: CHGNet energies, forces and stresses.

Used as the command-batch calculator (one process labels a whole file, so CHGNet's ~8 s start-up is
paid once per batch):

    superion label new.cfg -o labelled.xyz --species Na,Cl,S,O \
      --calculator "command-batch:$PWD/.venv-teacher/bin/python $PWD/scripts/al/chgnet_label.py {xyz} {out_xyz}"

Reads the extended XYZ superion writes (lossless positions), evaluates the pretrained CHGNet (the
model shipped in the `chgnet` wheel, loaded offline) on one CPU thread, and writes an extended XYZ
with energy (eV), forces (eV/A) and stress (eV/A^3, ASE sign: positive = tensile, which superion's
reader converts to MLIP's virial). A structure CHGNet cannot evaluate is written with
converged=F and no energy, so superion records that one failure and labels the rest.

CHGNet is a universal machine-learned potential trained on Materials Project PBE/PBE+U
relaxations: a stand-in for DFT, not DFT. Records the chgnet/torch versions in each frame
(labeller=...).
"""
import argparse
import sys
import time


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("input", help="extended XYZ with the structures")
    ap.add_argument("output", help="extended XYZ to write (same structures, same order)")
    ap.add_argument("--threads", type=int, default=1, help="torch threads (default 1)")
    a = ap.parse_args()

    import torch

    torch.set_num_threads(a.threads)
    from ase.calculators.singlepoint import SinglePointCalculator
    from ase.io import read, write
    import chgnet
    from chgnet.model import CHGNet
    from chgnet.model.dynamics import CHGNetCalculator

    t0 = time.time()
    model = CHGNet.load(verbose=False)
    calc = CHGNetCalculator(model=model, use_device="cpu", verbose=False)
    frames = read(a.input, index=":", format="extxyz")
    out = []
    tag = "CHGNet-%s/chgnet-%s/torch-%s" % (model.version, chgnet.__version__, torch.__version__)
    for k, atoms in enumerate(frames):
        atoms = atoms.copy()
        atoms.info = {"labeller": tag}
        try:
            atoms.calc = calc
            e = atoms.get_potential_energy()
            f = atoms.get_forces()
            s = atoms.get_stress(voigt=False)
            atoms.calc = SinglePointCalculator(atoms, energy=e, forces=f, stress=s)
        except Exception as err:  # one bad structure must not lose the batch
            print("structure %d: %s" % (k + 1, err), file=sys.stderr)
            atoms.calc = None
            atoms.info["converged"] = False
        out.append(atoms)
    write(a.output, out, format="extxyz")
    print("labelled %d structures with %s in %.1f s" % (len(out), tag, time.time() - t0))


if __name__ == "__main__":
    main()
