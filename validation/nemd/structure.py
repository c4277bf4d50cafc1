"""The NEMD geometry: a diamond-lattice bar along x made of conventional cubic cells.

The bar is a stack of segments (fixed end, bath, free material, bath, fixed end), each a
whole number of conventional cells along x and N_y x N_z cells across (periodic in y, z).
All cells share one in-plane (y, z) lattice; each material's cells have their own spacing
along x (equal to the in-plane one for an unstrained bar).
Atoms are ordered cell layer by cell layer, so that a slab of n consecutive layers is a
contiguous block of atoms whose local order is the same in every slab: one projection
matrix then serves every slab of a material (modes.py).
"""
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

AMU = 1.66053906660e-27  # kg
# The eight atoms of the conventional diamond cell (fractions of a): the fcc sites carry
# primitive basis atom 0, the sites shifted by (1/4, 1/4, 1/4) atom 1.
FCC_SITES = np.array([[0, 0, 0], [0, .5, .5], [.5, 0, .5], [.5, .5, 0]])
DIAMOND_SITES = np.vstack([FCC_SITES, FCC_SITES + 0.25])
DIAMOND_BASIS = np.array([0] * 4 + [1] * 4)
# Shift of every atom along x (fraction of a) that puts the cell boundaries midway between
# atomic planes (planes at 1/8, 3/8, 5/8, 7/8): an interface at a cell boundary is then
# the plane between the last plane of one material and the first of the next (halfway when
# their spacings along x are equal).
PLANE_OFFSET = 0.125


@dataclass
class Crystal:
    """A diamond-structure material from a phono3py force-constant folder."""
    name: str
    folder: Path
    lattice_constant: float  # [m]
    mass: float  # [kg]


def read_crystal(name, folder):
    """Lattice constant and mass of a two-atom diamond crystal (phono3py_params.yaml)."""
    params = yaml.safe_load((Path(folder) / "phono3py_params.yaml").read_text())
    lattice = np.array(params["unit_cell"]["lattice"], dtype=float)
    a = lattice[0, 0]
    if not np.allclose(lattice, a * np.eye(3), atol=1e-8) or len(params["unit_cell"]["points"]) != 8:
        raise SystemExit(f"nemd: {folder} is not a cubic 8-atom diamond cell")
    masses = {p["mass"] for p in params["primitive_cell"]["points"]}
    if len(masses) != 1:
        raise SystemExit(f"nemd: {folder} has two different masses; only one-element diamond crystals are built")
    return Crystal(name, Path(folder), a * 1e-10, masses.pop() * AMU)


@dataclass
class Segment:
    role: str  # fixed | hot | free | cold
    material: int  # index into the crystals
    cells: int


def layer_shifts(spacing):
    """x of layer i's start minus i * spacing[i], per layer, for consecutive layers of the
    given spacings: zero for a bar of one spacing (then x = (i + u) * spacing exactly)."""
    shifts = np.zeros(len(spacing))
    for i in range(1, len(spacing)):
        shifts[i] = shifts[i - 1] if spacing[i] == spacing[i - 1] else \
            i * spacing[i - 1] + shifts[i - 1] - i * spacing[i]
    return shifts


@dataclass
class Bar:
    """Atoms of the bar, in layer order, with what the analysis needs about each."""
    positions: np.ndarray  # (N, 3) [Angstrom]
    types: np.ndarray  # (N,) 1-based LAMMPS type = material + 1
    layer: np.ndarray  # (N,) conventional-cell layer index along x
    segments: list
    cross_section: tuple  # (N_y, N_z) conventional cells
    in_plane: float  # [m]: the (y, z) lattice constant, common to the whole bar
    spacing: list  # [m]: each material's cell length along x
    layer_role: list  # role of each layer
    layer_material: list  # material of each layer

    @property
    def layers(self):
        return len(self.layer_role)

    @property
    def atoms_per_layer(self):
        return 8 * self.cross_section[0] * self.cross_section[1]

    def layer_x(self, u, scale=1.0):
        """x [m, times scale] at u cells from the bar's start, u in layer floor(u) (u = layers: the end)."""
        spacing = np.array([self.spacing[m] for m in self.layer_material]) * scale
        layer = np.minimum(np.floor(u).astype(int), self.layers - 1)
        return u * spacing[layer] + layer_shifts(spacing)[layer]

    def layer_centres(self):
        """x of each layer's centre [m]."""
        return self.layer_x(np.arange(self.layers) + 0.5)

    def layer_edges(self):
        """x of each layer's start and of the bar's end [m]."""
        return self.layer_x(np.arange(self.layers + 1.0))

    def area(self):
        return self.cross_section[0] * self.cross_section[1] * self.in_plane ** 2


def build_bar(segments, cross_section, in_plane, spacing):
    """Positions of all atoms, layer after layer along x (spacing: per material)."""
    ny, nz = cross_section
    jk = np.array([[0, j, k] for j in range(ny) for k in range(nz)], dtype=float)
    one_layer = (jk[:, None, :] + DIAMOND_SITES[None, :, :]).reshape(-1, 3)
    one_layer[:, 0] += PLANE_OFFSET
    roles, materials = [], []
    for s in segments:
        roles += [s.role] * s.cells
        materials += [s.material] * s.cells
    a = in_plane * 1e10
    bar = Bar(None, None, None, segments, (ny, nz), in_plane, list(spacing), roles, materials)
    positions = []
    for i in range(len(roles)):
        cell = one_layer * [1.0, a, a]
        cell[:, 0] = bar.layer_x(one_layer[:, 0] + i, 1e10)
        positions.append(cell)
    bar.positions = np.vstack(positions)
    bar.layer = np.repeat(np.arange(len(roles)), len(one_layer))
    bar.types = np.array(materials)[bar.layer] + 1
    return bar


def slab_local_sites(slab_layers, cross_section):
    """Sites of one slab of slab_layers x N_y x N_z cells in the bar's atom order:
    positions relative to the slab's first fcc site [fractions of a] and basis atom index."""
    ny, nz = cross_section
    jk = np.array([[0, j, k] for j in range(ny) for k in range(nz)], dtype=float)
    one_layer = (jk[:, None, :] + DIAMOND_SITES[None, :, :]).reshape(-1, 3)
    basis = np.tile(DIAMOND_BASIS, ny * nz)
    sites = np.vstack([one_layer + [i, 0, 0] for i in range(slab_layers)])
    return sites, np.tile(basis, slab_layers)


def write_data_file(bar, crystals, path):
    """LAMMPS data file (atom_style atomic, metal units); x is bounded, y and z periodic."""
    a = bar.in_plane * 1e10
    lines = ["kapitza NEMD bar", "", f"{len(bar.positions)} atoms", f"{len(crystals)} atom types", "",
             f"0 {bar.layer_x(np.array(bar.layers), 1e10):.10f} xlo xhi", f"0 {bar.cross_section[0] * a:.10f} ylo yhi",
             f"0 {bar.cross_section[1] * a:.10f} zlo zhi", "", "Masses", ""]
    lines += [f"{i + 1} {c.mass / AMU:.6f}" for i, c in enumerate(crystals)]
    lines += ["", "Atoms # atomic", ""]
    lines += [f"{i + 1} {t} {x:.10f} {y:.10f} {z:.10f}"
              for i, (t, (x, y, z)) in enumerate(zip(bar.types, bar.positions))]
    Path(path).write_text("\n".join(lines) + "\n")
