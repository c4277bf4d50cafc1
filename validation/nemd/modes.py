"""Normal-mode projection of atomic velocities with kapitza-modes' own eigenvectors.

A slab of n x N_y x N_z conventional cells holds N_c = 4 n N_y N_z primitive cells; its
velocities are spanned exactly by the bulk modes whose wavevectors are commensurate with
the slab, q = 2 pi / a (h / n, k / N_y, l / N_z). kapitza-modes computes them on a
Gamma-centred mesh that contains these points (mesh 2 lcm(n, N_y, N_z)); its eigenvectors
follow phonopy's convention (atomic positions in the phase, docs/results.md), so the
normal-mode velocity of the AlN/SiC paper's equation (3),

    Qdot_lambda = N_c^(-1/2) sum_{l,b} sqrt(m_b) exp(-i q . r_lb) e*_b,lambda . v_lb,

uses the equilibrium positions r_lb of the atoms themselves. The database leaves out the
three acoustic modes at Gamma (omega = 0); here they are the uniform translations of the
slab, e_b = sqrt(m_b / M) along x, y and z, so that the set is complete: P M^-1 P^H = 1
(checked; M the atomic masses), and sum_lambda |Qdot_lambda|^2 = sum m v^2 exactly.
"""
import math
import subprocess
from dataclasses import dataclass
from pathlib import Path

import h5py
import numpy as np
import yaml

from structure import slab_local_sites

BOLTZMANN = 1.380649e-23  # J/K
ACOUSTIC = ("TA1", "TA2", "LA")
# Wavevectors are commensurate when q . L / 2 pi is an integer to this tolerance (the
# database stores them to round-off of a Cartesian conversion).
COMMENSURATE = 1e-6
UNITARITY = 1e-10  # |P P^H - I| of the projection: round-off of double precision sums


@dataclass
class SlabModes:
    """The modes of one slab: projection matrix and what each mode is."""
    projection: np.ndarray  # (modes, 3 atoms) complex: Qdot = P v (v in m/s, Qdot in sqrt(kg) m/s)
    omega: np.ndarray  # (modes,) [rad/s]
    branch: np.ndarray  # (modes,) index into labels
    labels: list
    acoustic: np.ndarray  # (modes,) bool

    @property
    def count(self):
        return len(self.omega)


def eigenvector_mesh(slab_layers, cross_section):
    """Gamma-centred mesh that contains every wavevector commensurate with the slab."""
    return 2 * math.lcm(slab_layers, *cross_section)


def write_eigenvector_database(modes_program, folder, mesh, out, log):
    """Harmonic kapitza-modes database (phonons and eigenvectors, no scattering)."""
    cmd = [str(modes_program), "--fc", str(folder), "--mesh", *[str(mesh)] * 3,
           "--collision", "none", "--statistics", "classical", "--out", str(out)]
    with open(log, "w") as stream:
        if subprocess.run(cmd, stdout=stream, stderr=subprocess.STDOUT).returncode != 0:
            raise SystemExit(f"nemd: {' '.join(cmd)} failed (see {log})")


def basis_positions(folder):
    """Cartesian positions [m] of the primitive cell's atoms and its lattice (rows) [m]."""
    params = yaml.safe_load((Path(folder) / "phono3py_params.yaml").read_text())
    lattice = np.array(params["primitive_cell"]["lattice"], dtype=float) * 1e-10
    fractions = np.array([p["coordinates"] for p in params["primitive_cell"]["points"]], dtype=float)
    return fractions @ lattice, lattice


def slab_modes(database, folder, slab_layers, cross_section, lattice_constant):
    """Projection onto the modes of one slab, from a harmonic kapitza-modes database."""
    with h5py.File(database) as f:
        q = f["wavevector"][:]
        omega = f["omega"][:]
        branch = f["branch"][:]
        labels = [str(s) for s in f["branch"].attrs["labels"]]
        vectors = f["eigenvector"][:]
        masses = f["masses"][:]
        cell = f["cell"][:]
    tau, lattice = basis_positions(folder)
    if not np.allclose(tau[1] - tau[0], lattice_constant / 4, rtol=1e-8):
        raise SystemExit(f"nemd: {folder} is not a diamond cell with its second atom at a (1/4, 1/4, 1/4)")
    if not np.allclose(cell, lattice, rtol=1e-8):
        raise SystemExit(f"nemd: {database} has another cell than {folder} (rotated transport axis?)")
    lengths = lattice_constant * np.array([slab_layers, *cross_section])
    turns = q * lengths / (2 * np.pi)
    keep = np.all(np.abs(turns - np.round(turns)) < COMMENSURATE, axis=1)
    sites, basis = slab_local_sites(slab_layers, cross_section)
    cells = len(sites) // len(masses)
    expected = 3 * len(sites) - 3  # the database has no acoustic Gamma modes
    if keep.sum() != expected:
        raise SystemExit(f"nemd: {database} holds {keep.sum()} modes commensurate with the slab, "
                         f"not {expected}: its mesh must be a multiple of "
                         f"{eigenvector_mesh(slab_layers, cross_section)}")
    positions = sites * lattice_constant - tau[0]
    q, omega, branch, vectors = q[keep], omega[keep], branch[keep], vectors[keep]
    gamma = np.zeros((3, len(masses), 3), dtype=complex)
    for axis in range(3):
        gamma[axis, :, axis] = np.sqrt(masses / masses.sum())
    q = np.vstack([np.zeros((3, 3)), q])
    omega = np.concatenate([np.zeros(3), omega])
    branch = np.concatenate([[labels.index(s) for s in ACOUSTIC], branch])
    vectors = np.concatenate([gamma, vectors])
    phase = np.exp(-1j * q @ positions.T)  # (modes, atoms)
    weight = np.sqrt(masses[basis] / cells)  # (atoms,)
    projection = (phase[:, :, None] * weight[None, :, None] * vectors[:, basis, :].conj()).reshape(len(q), -1)
    inverse_mass = np.repeat(1 / masses[basis], 3)
    error = np.abs((projection * inverse_mass) @ projection.conj().T - np.eye(len(q))).max()
    if error > UNITARITY:
        raise SystemExit(f"nemd: the slab projection of {database} is not complete and orthonormal ({error:.2e}): "
                         "eigenvectors not orthonormal or positions not those of the crystal")
    acoustic = np.isin(np.array(labels)[branch], ACOUSTIC)
    return SlabModes(projection, omega, branch, labels, acoustic)
