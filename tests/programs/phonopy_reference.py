"""Compares a kapitza-modes harmonic mode file with phonopy 2.17 run on the same force
constants (used by phonopy_frequencies.sh).

    phonopy_reference.py MODES.h5 FC_FOLDER

phonopy gets kapitza's SI constants (CODATA 2018: its own frequency factor and NAC factor
use older values, which alone would differ by ~5e-7 relative) and the same Born charges.
Checks, mode by mode (the wavevector of each mode gives its q; within a set of bands closer
than 1e-4 THz, kapitza's frequencies are Rayleigh quotients of the rotated eigenvectors,
which may differ from phonopy's eigenvalues by up to the set's width, added to the
frequency tolerance, and velocities are matched within the set):
- frequencies within 1e-6 THz (non-polar: the same sum; polar: kapitza symmetrizes points
  whose -q is stored as -q + G, which moves them by half phonopy's own mismatch between q
  and -q + G, a truncation effect of the Gonze-Lee sum, added to the tolerance);
- group velocities (phonopy's GroupVelocity without symmetrization, the same degenerate-
  subspace rule) within 1e-9 of the largest (analytic derivatives on both sides) or, for
  polar crystals, 1e-6 (phonopy takes central differences with dq = 1e-5 1/Angstrom) plus
  half phonopy's own q / -q + G mismatch;
- eigenvectors: h5py reads them as complex and D_phonopy(q) e = omega^2 e (1e-10 of the
  largest eigenvalue; 1e-6 for polar crystals, whose symmetrized D differs slightly).
Prints the measured maxima and exits non-zero on a failure.
"""
import os
import sys
from math import pi, sqrt

import h5py
import numpy as np
import yaml
from phonopy import Phonopy
from phonopy.file_IO import parse_BORN
from phonopy.phonon.group_velocity import GroupVelocity
from phonopy.structure.atoms import PhonopyAtoms

EV, AMU, ANGSTROM = 1.602176634e-19, 1.66053906660e-27, 1e-10
CHARGE, EPS0 = 1.602176634e-19, 8.8541878128e-12
FACTOR = sqrt(EV / AMU) / ANGSTROM / (2 * pi) / 1e12  # THz
THZ = 2 * pi * 1e12  # rad/s per THz


def phonopy_object(folder):
    params = yaml.safe_load(open(os.path.join(folder, "phono3py_params.yaml")))
    unit = params["unit_cell"]
    cell = PhonopyAtoms(symbols=[a["symbol"] for a in unit["points"]], cell=unit["lattice"],
                        scaled_positions=[a["coordinates"] for a in unit["points"]],
                        masses=[a["mass"] for a in unit["points"]])
    phonon = Phonopy(cell, supercell_matrix=params.get("phonon_supercell_matrix",
                                                       params["supercell_matrix"]),
                     primitive_matrix=params.get("primitive_matrix"), factor=FACTOR)
    with h5py.File(os.path.join(folder, "fc2.hdf5"), "r") as f:
        phonon.force_constants = f["force_constants"][:]
    polar = os.path.exists(os.path.join(folder, "BORN"))
    if polar:
        nac = parse_BORN(phonon.primitive, filename=os.path.join(folder, "BORN"))
        nac["factor"] = CHARGE / (4 * pi * EPS0 * ANGSTROM)  # eV Angstrom
        phonon.nac_params = nac
    return phonon, polar


def wrap(q):
    q = q - np.rint(q)
    q[np.isclose(q, -0.5)] = 0.5
    return q


def main(modes_path, folder):
    phonon, polar = phonopy_object(folder)
    with h5py.File(modes_path, "r") as f:
        omega, velocity = f["omega"][:], f["velocity"][:]
        branch, wavevector, cell = f["branch"][:], f["wavevector"][:], f["cell"][:]
        eigenvector = f["eigenvector"][:]
    assert np.iscomplexobj(eigenvector), "h5py does not read 'eigenvector' as complex"
    n_branch = 3 * len(phonon.primitive)
    q_modes = np.array([wrap(q) for q in wavevector @ cell.T / (2 * pi)])  # q_i = a_i . k
    _, first, q_of_mode = np.unique(np.round(q_modes, 9), axis=0, return_index=True,
                                    return_inverse=True)
    q_of_mode = q_of_mode.reshape(-1)
    q_points = q_modes[first]  # full precision: rounding q would move the frequencies
    partners = np.array([wrap(-q) for q in q_points])  # -q as the mesh stores it
    if len(omega) != len(q_points) * n_branch - 3:
        sys.exit(f"FAIL: {len(omega)} modes, expected all but 3 of {len(q_points)} x {n_branch}")

    def reference(points):
        phonon.run_qpoints(points, with_dynamical_matrices=True)
        result = phonon.get_qpoints_dict()
        gv = GroupVelocity(phonon.dynamical_matrix, symmetry=None, frequency_factor_to_THz=FACTOR)
        gv.run(points)
        return result["frequencies"], gv.group_velocities * 100, result["dynamical_matrices"]

    f_ref, v_ref, d_ref = reference(q_points)
    f_partner, v_partner, _ = reference(partners)
    # phonopy's own mismatch between its values at q and the time-reversed ones at the
    # stored -q (= -q + G): zero without the dipole sum or where -q needs no G. kapitza
    # uses the average of the two, so half of it is each mode's tolerance share. Each
    # mode is matched within its degenerate set (1e-4 THz), whose order is arbitrary.
    f_mismatch = np.zeros(f_ref.shape)
    v_mismatch = np.zeros(f_ref.shape)
    for q in range(len(q_points)):
        for s in range(n_branch):
            near = np.abs(f_partner[q] - f_ref[q, s]) < 1e-4
            f_mismatch[q, s] = np.abs(f_partner[q, near] - f_ref[q, s]).min() / 2
            v_mismatch[q, s] = np.abs(v_partner[q, near] + v_ref[q, s]).max(axis=1).min() / 2
    v_max = np.abs(v_ref).max()
    v_tolerance = (1e-6 if polar else 1e-9) * v_max
    # D e = lambda e relative to the largest eigenvalue: round-off, or for polar crystals
    # the symmetrization above (up to ~1e-7 near degeneracies).
    e_tolerance = 1e-6 if polar else 1e-10

    # Degenerate sets (phonopy's 1e-4 THz rule): kapitza gives each mode of a set the
    # Rayleigh quotient of its rotated eigenvector, within the set's width of phonopy's
    # eigenvalue, and orders the set by it; velocities are matched within the set.
    width = np.zeros(f_ref.shape)
    members = np.zeros(f_ref.shape, dtype=int)
    for q in range(len(q_points)):
        start = 0
        for s in range(1, n_branch + 1):
            if s == n_branch or f_ref[q, s] - f_ref[q, s - 1] >= 1e-4:
                width[q, start:s] = f_ref[q, s - 1] - f_ref[q, start]
                members[q, start:s] = start
                start = s

    f_error = v_error = e_error = 0.0
    failures = 0
    for mu in range(len(omega)):
        q, s = q_of_mode[mu], branch[mu]
        in_set = (members[q] == members[q, s])
        df = abs(omega[mu] / THZ - f_ref[q, s])
        dv = np.abs(velocity[mu] - v_ref[q, in_set]).max(axis=1).min()
        v_split = np.abs(v_ref[q, in_set]).max() * width[q, s] / max(f_ref[q, s], 1e-3)
        e = eigenvector[mu].reshape(-1)
        lam = (omega[mu] / THZ / FACTOR) ** 2
        de = np.linalg.norm(d_ref[q] @ e - lam * e) / np.abs(np.linalg.eigvalsh(d_ref[q])).max()
        f_error, v_error, e_error = max(f_error, df), max(v_error, dv), max(e_error, de)
        if (df > 1e-6 + f_mismatch[q, s] + width[q, s]
                or dv > v_tolerance + v_mismatch[q, s] + v_split or de > e_tolerance):
            failures += 1
            if failures <= 5:
                print(f"mode {mu} q {q_points[q]} branch {s}: |df| {df:.3g} THz, |dv| {dv:.3g} m/s,"
                      f" eigenvector residual {de:.3g}")
    print(f"{os.path.basename(modes_path)}: {len(omega)} modes at {len(q_points)} q; max |df| "
          f"{f_error:.3g} THz (phonopy's own q/-q+G mismatch up to {f_mismatch.max():.3g}, "
          f"widths of degenerate sets up to {width.max():.3g}), "
          f"max |dv| {v_error:.3g} m/s of {v_max:.4g} (tolerance {v_tolerance:.3g} + "
          f"mismatch up to {v_mismatch.max():.3g}), eigenvector residual {e_error:.3g}")
    if failures:
        sys.exit(f"FAIL: {failures} modes differ from phonopy")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
