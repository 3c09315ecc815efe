#!/usr/bin/env python3
"""A stand-in "external DFT code" for the command-calculator tests (standard library only).

Reads POSCAR (or an extended XYZ written by superion) from the working directory, evaluates a
Buckingham pair potential with the same conventions as superion's classical calculator
(E = sum over pairs r < rc of [phi(r) - phi(rc)], phi = A exp(-r/rho) - C/r^6, forces from phi'
only, periodic images), and writes the result like a real code would:

  vasprun  vasprun.xml with VASP's print precision (%16.8f), <scstep> history and NELM
  xyz      output.xyz, extended XYZ, energy/forces/stress in repr() precision
  cp2k     run-pos-1.xyz (Å), run-frc-1.xyz (Hartree/Bohr), run-1.stress (bar) in CP2K's print
           formats (F20.10), as a GEO_OPT/ENERGY_FORCE-like frame 0 without a time

Usage: fake_dft.py PARAMS.json vasprun|xyz|cp2k [--input POSCAR|input.xyz] [--mode MODE]
MODE: ok (default) | fail (stderr message, exit 2) | nooutput (exit 0, writes nothing) |
      unconverged (vasprun with NELM electronic steps; CP2K's "SCF run NOT converged" on stdout) |
      reorder (atoms written in reverse order)
Charges in PARAMS.json must be zero (no Coulomb term here).
"""
import json
import math
import sys

EV_A3_TO_KBAR = 1602.1766208  # 10 * 160.21766208, as superion's units.hpp
EV_A3_TO_BAR = 1602176.6208
HARTREE = 27.211386245988  # eV (CODATA 2018, as superion's units.hpp)
BOHR = 0.529177210903  # Å


def read_poscar(path):
    lines = open(path).read().split("\n")
    scale = float(lines[1].split()[0])
    cell = [[scale * float(x) for x in lines[k].split()[:3]] for k in (2, 3, 4)]
    symbols = lines[5].split()
    counts = [int(x) for x in lines[6].split()]
    k = 7
    if lines[k].strip()[0] in "sS":
        k += 1
    direct = lines[k].strip()[0] in "dD"
    species, pos = [], []
    n = sum(counts)
    for s, c in zip(symbols, counts):
        species += [s] * c
    for i in range(n):
        v = [float(x) for x in lines[k + 1 + i].split()[:3]]
        pos.append([sum(v[a] * cell[a][b] for a in range(3)) for b in range(3)] if direct else
                   [scale * x for x in v])
    return cell, species, pos


def read_xyz(path):
    lines = open(path).read().split("\n")
    n = int(lines[0])
    lat = lines[1].split('Lattice="')[1].split('"')[0].split()
    cell = [[float(lat[3 * a + b]) for b in range(3)] for a in range(3)]
    species, pos = [], []
    for i in range(n):
        t = lines[2 + i].split()
        species.append(t[0])
        pos.append([float(x) for x in t[1:4]])
    return cell, species, pos


def inverse(m):
    a, b, c = m
    det = (a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0]) +
           a[2] * (b[0] * c[1] - b[1] * c[0]))
    cof = [[b[1] * c[2] - b[2] * c[1], a[2] * c[1] - a[1] * c[2], a[1] * b[2] - a[2] * b[1]],
           [b[2] * c[0] - b[0] * c[2], a[0] * c[2] - a[2] * c[0], a[2] * b[0] - a[0] * b[2]],
           [b[0] * c[1] - b[1] * c[0], a[1] * c[0] - a[0] * c[1], a[0] * b[1] - a[1] * b[0]]]
    return [[cof[i][j] / det for j in range(3)] for i in range(3)], abs(det)


def buckingham(params, cell, species, pos):
    rc = params.get("cutoff", 10.0)
    pairs = {}
    for p in params["buckingham"]:
        a, b = p["pair"]
        pairs[(a, b)] = pairs[(b, a)] = (p["A"], p["rho"], p.get("C", 0.0))
    assert all(abs(q) == 0 for q in params["charges"].values()), "charges must be zero"
    inv, vol = inverse(cell)
    # Images: enough repeats that every vector shorter than rc is found (face distances).
    reps = []
    for a in range(3):
        h = 1.0 / math.sqrt(sum(inv[k][a] ** 2 for k in range(3)))  # distance between faces
        reps.append(int(math.ceil(rc / h)) + 1)
    n = len(pos)
    energy, forces = 0.0, [[0.0] * 3 for _ in range(n)]
    virial = [[0.0] * 3 for _ in range(3)]
    for i in range(n):
        for j in range(n):
            p = pairs.get((species[i], species[j]))
            if p is None:
                continue
            A, rho, C = p
            shift = A * math.exp(-rc / rho) - C * rc ** -6
            for u in range(-reps[0], reps[0] + 1):
                for v in range(-reps[1], reps[1] + 1):
                    for w in range(-reps[2], reps[2] + 1):
                        if i == j and u == v == w == 0:
                            continue
                        d = [pos[j][k] - pos[i][k] + u * cell[0][k] + v * cell[1][k] + w * cell[2][k]
                             for k in range(3)]
                        r = math.sqrt(d[0] ** 2 + d[1] ** 2 + d[2] ** 2)
                        if r >= rc:
                            continue
                        ex = A * math.exp(-r / rho)
                        energy += 0.5 * (ex - C * r ** -6 - shift)  # each pair seen twice
                        dedr = -ex / rho + 6.0 * C * r ** -7
                        for k in range(3):
                            forces[i][k] += dedr * d[k] / r
                        for a in range(3):
                            for b in range(3):
                                virial[a][b] -= 0.5 * dedr * d[a] * d[b] / r
    return energy, forces, virial, vol


def write_vasprun(path, cell, species, pos, energy, forces, virial, vol, nelm, nsc):
    inv, _ = inverse(cell)
    types = []
    for s in species:
        if s not in types:
            types.append(s)
    f = open(path, "w")
    f.write('<?xml version="1.0" encoding="ISO-8859-1"?>\n<modeling>\n')
    f.write(' <generator>\n  <i name="program" type="string">fake_dft </i>\n </generator>\n')
    f.write(' <parameters>\n  <separator name="electronic" >\n')
    f.write('   <separator name="electronic convergence" >\n')
    f.write('    <i type="int" name="NELM">%6d</i>\n   </separator>\n  </separator>\n </parameters>\n'
            % nelm)
    f.write(' <atominfo>\n  <atoms>%6d</atoms>\n  <types>%6d</types>\n' % (len(species), len(types)))
    f.write('  <array name="atoms" >\n   <dimension dim="1">ion</dimension>\n'
            '   <field type="string">element</field>\n   <field type="int">atomtype</field>\n   <set>\n')
    for s in species:
        f.write('    <rc><c>%-2s</c><c>%4d</c></rc>\n' % (s, types.index(s) + 1))
    f.write('   </set>\n  </array>\n  <array name="atomtypes" >\n   <set>\n')
    for t in types:
        f.write('    <rc><c>%4d</c><c>%-2s</c><c>1.0</c><c>1.0</c><c>PAW_PBE %s</c></rc>\n'
                % (species.count(t), t, t))
    f.write('   </set>\n  </array>\n </atominfo>\n <calculation>\n')
    for k in range(nsc):
        f.write('  <scstep>\n   <energy>\n    <i name="e_fr_energy">%16.8f</i>\n   </energy>\n'
                '  </scstep>\n' % (energy + 10.0 ** (-k)))
    f.write('  <structure>\n   <crystal>\n    <varray name="basis" >\n')
    for row in cell:
        f.write('     <v>%16.8f%16.8f%16.8f </v>\n' % tuple(row))
    f.write('    </varray>\n   </crystal>\n   <varray name="positions" >\n')
    for p in pos:
        frac = [sum(p[a] * inv[a][b] for a in range(3)) for b in range(3)]
        f.write('    <v>%16.8f%16.8f%16.8f </v>\n' % tuple(frac))
    f.write('   </varray>\n  </structure>\n  <varray name="forces" >\n')
    for fo in forces:
        f.write('   <v>%16.8f%16.8f%16.8f </v>\n' % tuple(fo))
    f.write('  </varray>\n  <varray name="stress" >\n')
    for row in virial:  # VASP prints kB, positive under compression (the virial's sign)
        f.write('   <v>%16.8f%16.8f%16.8f </v>\n' % tuple(x / vol * EV_A3_TO_KBAR for x in row))
    f.write('  </varray>\n  <energy>\n   <i name="e_fr_energy">%16.8f</i>\n'
            '   <i name="e_0_energy">%16.8f</i>\n  </energy>\n </calculation>\n</modeling>\n'
            % (energy, energy))
    f.close()


def write_xyz(path, cell, species, pos, energy, forces, virial, vol):
    stress = [-virial[a][b] / vol for a in range(3) for b in range(3)]  # ASE sign
    with open(path, "w") as f:
        f.write("%d\n" % len(pos))
        f.write('Lattice="%s" Properties=species:S:1:pos:R:3:forces:R:3 energy=%r stress="%s" '
                'pbc="T T T"\n' % (" ".join(repr(x) for r in cell for x in r), energy,
                                   " ".join(repr(x) for x in stress)))
        for s, p, fo in zip(species, pos, forces):
            f.write("%s %r %r %r %r %r %r\n" % ((s,) + tuple(p) + tuple(fo)))


def write_cp2k(species, pos, energy, forces, virial, vol):
    title = " i =        0, E = %20.10f\n" % (energy / HARTREE)
    with open("run-pos-1.xyz", "w") as f:
        f.write("%8d\n" % len(pos) + title)
        for s, p in zip(species, pos):
            f.write("  %-2s %20.10f%20.10f%20.10f\n" % ((s,) + tuple(p)))
    with open("run-frc-1.xyz", "w") as f:
        f.write("%8d\n" % len(pos) + title)
        for s, fo in zip(species, forces):
            f.write("  %-2s %20.10f%20.10f%20.10f\n" % ((s,) + tuple(x * BOHR / HARTREE for x in fo)))
    with open("run-1.stress", "w") as f:
        f.write("#   Step   Time [fs]   xx   xy   xz   yx   yy   yz   zx   zy   zz [bar]\n")
        f.write("%8d %12.3f" % (0, 0.0) + "".join(
            " %20.10f" % (virial[a][b] / vol * EV_A3_TO_BAR) for a in range(3) for b in range(3))
            + "\n")


def main():
    params = json.load(open(sys.argv[1]))
    fmt = sys.argv[2]
    args = sys.argv[3:]
    opt = {"--input": "POSCAR", "--mode": "ok"}
    for k in range(0, len(args), 2):
        opt[args[k]] = args[k + 1]
    mode = opt["--mode"]
    if mode == "fail":
        sys.stderr.write("fake_dft: ERROR: ZBRENT: fatal error in bracketing\n")
        sys.exit(2)
    if mode == "nooutput":
        return
    inp = opt["--input"]
    cell, species, pos = read_xyz(inp) if inp.endswith(".xyz") else read_poscar(inp)
    energy, forces, virial, vol = buckingham(params, cell, species, pos)
    if mode == "reorder":
        species, pos, forces = species[::-1], pos[::-1], forces[::-1]
    print("fake_dft: %d atoms, E = %.8f eV" % (len(pos), energy))
    if fmt == "cp2k":
        if mode == "unconverged":
            print(" *** SCF run NOT converged ***")
        write_cp2k(species, pos, energy, forces, virial, vol)
    elif fmt == "vasprun":
        nelm = 5 if mode == "unconverged" else 60
        write_vasprun("vasprun.xml", cell, species, pos, energy, forces, virial, vol, nelm,
                      5 if mode == "unconverged" else 12)
    else:
        write_xyz("output.xyz", cell, species, pos, energy, forces, virial, vol)


main()
