"""Writes a phono3py force-constant folder as ShengBTE input files (used once to make
tests/reference/shengbte-Si from inputs/materials/Si-PBEsol; not run by ctest).

    write_shengbte.py PHONO3PY_FOLDER OUT_FOLDER [--scell N] [--cutoff ANGSTROM]

- CONTROL: the primitive cell (lfactor 0.1: lattvec in Angstrom), masses with
  autoisotopes=.false. (so that they are used as given), scell N N N.
- FORCE_CONSTANTS_2ND: phonopy's compact FORCE_CONSTANTS format on the diagonal N x N x N
  supercell of the primitive cell (phonopy's atom order). ShengBTE itself wants the full
  format; kapitza reads both. phono3py's supercell is generally not such a supercell, so
  fc2 is refolded: each minimum image r of a supercell pair (multiplicity n) carries
  fc2/n to the atom of the new supercell at r. This reproduces phono3py's dynamical matrix
  exactly when the new supercell's minimum images of those atoms are the same vectors
  (checked below with phonopy: frequencies at random q).
- FORCE_CONSTANTS_3RD: thirdorder.py's format. Each phono3py triplet (i, j, k) is split
  over all products of the minimum images of j and k seen from i, with fc3 / (n_j n_k)
  each: the explicit-R Fourier sum of these blocks is phono3py's averaged one. (thirdorder
  keeps only the image pairs that also minimize |r_j - r_k|, a different interpolation.)
  Only triplets whose three minimum-image distances i-j, i-k, j-k are all below the cutoff
  are written (thirdorder's rule), to keep the file small.
"""
import argparse
import itertools
import os

import h5py
import numpy as np
import yaml
from phonopy import Phonopy
from phonopy.structure.atoms import PhonopyAtoms

TOLERANCE = 1e-5  # Angstrom, kapitza's and phonopy's tolerance for equally short images


def cell(node):
    points = node["points"]
    return (np.array(node["lattice"], float),
            np.array([p["coordinates"] for p in points], float),
            [p["symbol"] for p in points], np.array([p["mass"] for p in points], float))


def images(lattice, frac_from, frac_to):
    """Cartesian minimum images of frac_to - frac_from over the lattice (rows)."""
    f = frac_to - frac_from
    f -= np.round(f)
    shifts = np.array(list(itertools.product(range(-2, 3), repeat=3)))
    vectors = (f + shifts) @ lattice
    lengths = np.linalg.norm(vectors, axis=1)
    return vectors[lengths < lengths.min() + TOLERANCE]


def atoms(lattice, frac, symbols, masses):
    return PhonopyAtoms(symbols=symbols, cell=lattice, scaled_positions=frac, masses=masses)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("out")
    parser.add_argument("--scell", type=int, default=4)
    parser.add_argument("--cutoff", type=float, default=5.7)
    args = parser.parse_args()
    params = yaml.safe_load(open(os.path.join(args.folder, "phono3py_params.yaml")))
    lattice, frac, symbols, masses = cell(params["primitive_cell"])
    n_prim = len(symbols)
    os.makedirs(args.out, exist_ok=True)

    elements = sorted(set(symbols), key=symbols.index)
    element_mass = [masses[symbols.index(e)] for e in elements]
    with open(os.path.join(args.out, "CONTROL"), "w") as out:
        out.write("&allocations\n  nelements=%d,\n  natoms=%d,\n  ngrid(:)=4 4 4\n&end\n"
                  % (len(elements), n_prim))
        out.write("&crystal\n  lfactor=0.1,\n")
        for d in range(3):
            out.write("  lattvec(:,%d)=%s,\n" % (d + 1, " ".join("%.15g" % x for x in lattice[d])))
        out.write("  elements=%s,\n" % " ".join('"%s"' % e for e in elements))
        out.write("  types=%s,\n" % " ".join(str(elements.index(s) + 1) for s in symbols))
        for k in range(n_prim):
            out.write("  positions(:,%d)=%s,\n" % (k + 1, " ".join("%.15g" % x for x in frac[k])))
        out.write("  masses=%s,\n" % " ".join("%.15g" % m for m in element_mass))
        out.write("  scell(:)=%d %d %d\n&end\n" % ((args.scell,) * 3))
        out.write("&parameters\n  T=300.\n&end\n&flags\n  autoisotopes=.false.\n&end\n")

    # fc2 refolded onto the N x N x N supercell (phonopy's order: atom, then x fastest).
    key = "phonon_supercell" if "phonon_supercell" in params else "supercell"
    s_lattice, s_frac, _, _ = cell(params[key])
    with h5py.File(os.path.join(args.folder, "fc2.hdf5")) as f:
        fc2, p2s2 = f["force_constants"][:], f["p2s_map"][:]
    n = args.scell
    n_cells = n ** 3
    new_fc2 = np.zeros((n_prim, n_prim * n_cells, 3, 3))
    to_prim = np.linalg.inv(lattice)

    def new_index(origin_frac, vector):
        x = (origin_frac @ lattice + vector) @ to_prim
        for b in range(n_prim):
            cell_index = x - frac[b]
            if np.allclose(cell_index, np.round(cell_index), atol=1e-6):
                c = np.round(cell_index).astype(int) % n
                return b, cell_index, b * n_cells + c[0] + n * (c[1] + n * c[2])
        raise RuntimeError("supercell atom is no lattice translation of a primitive atom")

    for p in range(n_prim):
        for j in range(len(s_frac)):
            vectors = images(s_lattice, s_frac[p2s2[p]], s_frac[j])
            for v in vectors:
                new_fc2[p, new_index(frac[p], v)[2]] += fc2[p, j] / len(vectors)
    lines = ["%4d %4d" % new_fc2.shape[:2]]
    for p in range(n_prim):
        for j in range(new_fc2.shape[1]):
            lines.append("%d %d" % (p * n_cells + 1, j + 1))
            lines += [("%22.15f" * 3) % tuple(row) for row in new_fc2[p, j]]
    open(os.path.join(args.out, "FORCE_CONSTANTS_2ND"), "w").write("\n".join(lines) + "\n")

    # The refolding must not change phonopy's frequencies.
    unit = cell(params["unit_cell"])
    matrix = params.get("phonon_supercell_matrix", params["supercell_matrix"])
    original = Phonopy(atoms(*unit), np.array(matrix),
                       primitive_matrix=np.array(params["primitive_matrix"]))
    original.force_constants = fc2
    refolded = Phonopy(atoms(lattice, frac, symbols, masses), np.diag([n] * 3))
    assert np.allclose(refolded.supercell.scaled_positions[n_cells] * n, frac[1], atol=1e-9)
    refolded.force_constants = new_fc2
    worst = 0
    for q in np.random.default_rng(1).random((20, 3)):
        a, b = original.get_frequencies(q), refolded.get_frequencies(q)
        worst = max(worst, np.abs(a - b).max() / np.abs(a).max())
    print("fc2 refolded onto %dx%dx%d: largest frequency change %.2e (relative)" % (n, n, n, worst))
    assert worst < 1e-10

    # fc3 in thirdorder's format, split over minimum-image pairs.
    t_lattice, t_frac, _, _ = cell(params["supercell"])
    with h5py.File(os.path.join(args.folder, "fc3.hdf5")) as f:
        fc3, p2s3 = f["fc3"][:], f["p2s_map"][:]
    n_super = len(t_frac)
    dmin = np.array([[np.linalg.norm(images(t_lattice, t_frac[a], t_frac[b])[0])
                      for b in range(n_super)] for a in range(n_super)])
    blocks = []
    for i in range(n_prim):
        origin = p2s3[i]
        near = [j for j in range(n_super) if dmin[origin, j] < args.cutoff]
        for j in near:
            for k in near:
                if dmin[j, k] >= args.cutoff or not np.any(fc3[i, j, k]):
                    continue
                vj = images(t_lattice, t_frac[origin], t_frac[j])
                vk = images(t_lattice, t_frac[origin], t_frac[k])
                for a in vj:
                    for b in vk:
                        bj, _, _ = new_index(frac[i], a)
                        bk, _, _ = new_index(frac[i], b)
                        r2 = frac[i] @ lattice + a - frac[bj] @ lattice
                        r3 = frac[i] @ lattice + b - frac[bk] @ lattice
                        blocks.append((r2, r3, (i + 1, bj + 1, bk + 1),
                                       fc3[i, j, k] / (len(vj) * len(vk))))
    with open(os.path.join(args.out, "FORCE_CONSTANTS_3RD"), "w") as out:
        out.write("%d\n" % len(blocks))
        for index, (r2, r3, ijk, values) in enumerate(blocks):
            out.write("\n%d\n" % (index + 1))
            out.write("%.10f %.10f %.10f\n" % tuple(r2 + 0.0))
            out.write("%.10f %.10f %.10f\n" % tuple(r3 + 0.0))
            out.write("%d %d %d\n" % ijk)
            for a, b, c in itertools.product(range(3), repeat=3):
                out.write("%d %d %d %.15e\n" % (a + 1, b + 1, c + 1, values[a, b, c]))
    print("fc3: %d blocks within %.2f Angstrom" % (len(blocks), args.cutoff))


if __name__ == "__main__":
    main()
