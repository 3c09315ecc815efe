#!/usr/bin/env python3
"""A stand-in batch labeller for the `superion label` tests (standard library only).

Usage: fake_batch_labeller.py INPUT.xyz OUTPUT.xyz [--crash-natoms N] [--unconverged-natoms M]
        [--count FILE]

Reads the extended XYZ superion writes, and writes every frame back with energy = -sum_i x_i
(eV, x = first Cartesian coordinate), forces F_i = (1, 0, 0) eV/A (so F = -dE/dx exactly) and no
stress. --crash-natoms N: exit 1 without output when any frame has N atoms (a batch that fails as
a whole). --unconverged-natoms M: frames with M atoms are written with converged=F and no energy.
--count FILE: append one line per run (how many processes were started).
"""
import sys


def main():
    args = sys.argv[1:]
    inp, out = args[0], args[1]
    crash = unconv = None
    count = None
    k = 2
    while k < len(args):
        if args[k] == "--crash-natoms":
            crash = int(args[k + 1])
        elif args[k] == "--unconverged-natoms":
            unconv = int(args[k + 1])
        elif args[k] == "--count":
            count = args[k + 1]
        k += 2
    if count:
        with open(count, "a") as f:
            f.write("run\n")
    lines = open(inp).read().split("\n")
    frames, i = [], 0
    while i < len(lines) and lines[i].strip():
        n = int(lines[i])
        frames.append((lines[i + 1], lines[i + 2:i + 2 + n]))
        i += 2 + n
    if crash is not None and any(len(a) == crash for _, a in frames):
        print("fake labeller: poisoned batch", file=sys.stderr)
        sys.exit(1)
    with open(out, "w") as f:
        for comment, atoms in frames:
            lattice = comment[comment.index("Lattice="):].split('"')[1]
            n = len(atoms)
            xs = [float(a.split()[1]) for a in atoms]
            f.write("%d\n" % n)
            if unconv is not None and n == unconv:
                f.write('Lattice="%s" Properties=species:S:1:pos:R:3 converged=F pbc="T T T"\n'
                        % lattice)
                for a in atoms:
                    f.write(" ".join(a.split()[:4]) + "\n")
                continue
            f.write('Lattice="%s" Properties=species:S:1:pos:R:3:forces:R:3 energy=%.12f '
                    'pbc="T T T"\n' % (lattice, -sum(xs)))
            for a in atoms:
                f.write(" ".join(a.split()[:4]) + " 1.0 0.0 0.0\n")


if __name__ == "__main__":
    main()
