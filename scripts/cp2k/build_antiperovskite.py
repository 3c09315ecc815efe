#!/usr/bin/python3
"""Build site-exchanged antiperovskites Na3XSO4 (X = Cl, Br) and write CP2K &CELL/&COORD includes.

Cubic cell (lattice parameter a): X at the body centre (centre of the Na6 octahedron), Na at the
three face centres, the SO4 tetrahedron centred on the cube corner with S-O bonds along the
<111> directions (Td orientation). Optionally: repeat as an NX x NY x NZ supercell, apply an
isotropic strain (a -> a*(1+strain)), start from a relaxed CP2K structure (lowest-energy
frame of a CELL_OPT run), and rattle the positions (Gaussian, sigma in A, fixed seed) so MD starts off the
ideal lattice.

Outputs (all in Angstrom): <out>.cell.inc (CP2K &CELL body), <out>.coord.inc (CP2K &COORD body)
and <out>.xyz (extended XYZ, for looking at it and for superion).
Only numpy is needed.
"""
import argparse
import sys

import numpy as np


def unit_cell(halide: str, a: float, so: float):
    d = so / np.sqrt(3.0)
    symbols = ["Na", "Na", "Na", halide, "S", "O", "O", "O", "O"]
    frac = [(0.5, 0.5, 0.0), (0.5, 0.0, 0.5), (0.0, 0.5, 0.5), (0.5, 0.5, 0.5), (0.0, 0.0, 0.0)]
    cart = [np.array(f) * a for f in frac]
    for sx, sy, sz in [(1, 1, 1), (1, -1, -1), (-1, 1, -1), (-1, -1, 1)]:
        cart.append(np.array([sx * d, sy * d, sz * d]))
    cell = np.eye(3) * a
    return symbols, cell, np.array(cart)


def read_best_cp2k_frame(prefix: str):
    """Lowest-energy frame of PREFIX-pos-1.xyz (title E) with its cell from PREFIX-1.cell (matched
    by step). The lowest energy rather than the last frame: a BFGS CELL_OPT that hits MAX_ITER can
    end on a worse point than one it visited."""
    with open(prefix + "-pos-1.xyz") as f:
        lines = f.read().splitlines()
    frames = []
    i = 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        n = int(lines[i])
        frames.append(lines[i : i + n + 2])
        i += n + 2
    def title(fr):
        kv = dict(item.split("=") for item in fr[1].split(",") if "=" in item)
        return int(kv[" i "]), float(kv[" E "])
    best = min(frames, key=lambda fr: title(fr)[1])
    step, energy = title(best)
    symbols = [l.split()[0] for l in best[2:]]
    pos = np.array([[float(x) for x in l.split()[1:4]] for l in best[2:]])
    with open(prefix + "-1.cell") as f:
        rows = {int(l.split()[0]): l.split() for l in f if l.strip() and not l.lstrip().startswith("#")}
    cell = np.array([float(x) for x in rows[step][2:11]]).reshape(3, 3)
    print(f"{prefix}: step {step} (E = {energy} Hartree) of {len(frames)}", file=sys.stderr)
    return symbols, cell, pos


def remove_schottky_pair(symbols, pos, cell):
    """Remove the first Na and the halide farthest from it (minimum image): the two vacancies
    are then as far apart as the cell allows, so they start unbound."""
    na = symbols.index("Na")
    inv = np.linalg.inv(cell)
    best, far = -1.0, None
    for i, s in enumerate(symbols):
        if s in ("Cl", "Br"):
            f = (pos[i] - pos[na]) @ inv
            f -= np.round(f)
            r = np.linalg.norm(f @ cell)
            if r > best:
                best, far = r, i
    keep = [i for i in range(len(symbols)) if i not in (na, far)]
    print(f"Schottky pair: removed Na {na} and {symbols[far]} {far}, {best:.3f} A apart",
          file=sys.stderr)
    return [symbols[i] for i in keep], pos[keep]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--halide", choices=["Cl", "Br"], default="Cl")
    p.add_argument("--a", type=float, default=6.4, help="cubic lattice parameter, A (ideal build)")
    p.add_argument("--so", type=float, default=1.48, help="S-O bond length, A")
    p.add_argument("--from-cp2k", metavar="PREFIX", help="start from the lowest-energy frame of a CP2K run")
    p.add_argument("--supercell", type=int, nargs=3, default=[1, 1, 1])
    p.add_argument("--strain", type=float, default=0.0, help="isotropic strain, e.g. 0.05 or -0.05")
    p.add_argument("--rattle", type=float, default=0.0, help="Gaussian displacement sigma, A")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--schottky", action="store_true",
                   help="remove one Na and the halide farthest from it (a neutral Na-vacancy + "
                        "halide-vacancy pair, so Na can hop within picoseconds)")
    p.add_argument("--out", required=True, help="output prefix")
    args = p.parse_args()

    if args.from_cp2k:
        symbols, cell, pos = read_best_cp2k_frame(args.from_cp2k)
    else:
        symbols, cell, pos = unit_cell(args.halide, args.a, args.so)

    nx, ny, nz = args.supercell
    all_sym, all_pos = [], []
    for i in range(nx):
        for j in range(ny):
            for k in range(nz):
                shift = i * cell[0] + j * cell[1] + k * cell[2]
                all_sym += symbols
                all_pos.append(pos + shift)
    pos = np.vstack(all_pos)
    cell = cell * np.array([[nx], [ny], [nz]])
    if args.schottky:
        all_sym, pos = remove_schottky_pair(all_sym, pos, cell)
    # Isotropic strain: scale cell and cartesian positions together (fractional coords unchanged).
    pos = pos * (1.0 + args.strain)
    cell = cell * (1.0 + args.strain)
    if args.rattle > 0:
        rng = np.random.default_rng(args.seed)
        pos = pos + rng.normal(0.0, args.rattle, pos.shape)
    # Wrap into the cell.
    frac = np.linalg.solve(cell.T, pos.T).T
    frac -= np.floor(frac)
    pos = frac @ cell

    with open(args.out + ".cell.inc", "w") as f:
        for name, row in zip("ABC", cell):
            f.write(f"      {name} [angstrom] {row[0]:.10f} {row[1]:.10f} {row[2]:.10f}\n")
    with open(args.out + ".coord.inc", "w") as f:
        for s, r in zip(all_sym, pos):
            f.write(f"      {s:2s} {r[0]:.10f} {r[1]:.10f} {r[2]:.10f}\n")
    with open(args.out + ".xyz", "w") as f:
        f.write(f"{len(all_sym)}\n")
        lat = " ".join(f"{x:.10f}" for x in cell.reshape(-1))
        f.write(f'Lattice="{lat}" Properties=species:S:1:pos:R:3 pbc="T T T"\n')
        for s, r in zip(all_sym, pos):
            f.write(f"{s:2s} {r[0]:.10f} {r[1]:.10f} {r[2]:.10f}\n")
    # Smallest interatomic distance (minimum image, cubic-ish cells) as a sanity print.
    inv = np.linalg.inv(cell)
    dmin = 1e9
    for i in range(len(pos)):
        d = pos - pos[i]
        f = d @ inv
        f -= np.round(f)
        r = np.linalg.norm(f @ cell, axis=1)
        r[i] = 1e9
        dmin = min(dmin, r.min())
    print(f"{args.out}: {len(all_sym)} atoms, cell diag {np.diag(cell).round(4).tolist()}, "
          f"min distance {dmin:.3f} A", file=sys.stderr)


if __name__ == "__main__":
    main()
