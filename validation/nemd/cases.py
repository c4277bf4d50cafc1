"""The NEMD cases: materials, potential, geometry, temperatures and run lengths."""
from dataclasses import dataclass, field

from md import Potential, Schedule
from structure import Segment

MATERIALS = "inputs/materials"


@dataclass
class Case:
    name: str
    title: str
    materials: list  # (name, force-constant folder under inputs/materials)
    potential: Potential
    cross_section: tuple = (2, 2)  # conventional cells across (y, z)
    free_cells: int = 24  # per material: 13.0 nm of Si
    bath_cells: int = 4
    fixed_cells: int = 1  # one cell (5.4 Angstrom) is longer than the potentials' cutoffs
    slab_cells: int = 2  # modal analysis slab: 2 x 2 x 2 cells, 32 wavevectors
    temperature: float = 300.0
    half_difference: float = 50.0  # baths at T +- this (as the AlN/SiC paper's NEMD)
    # Where each half starts, as fractions of half_difference above / below T: the steady
    # state of a pilot run (Si side 0.75, heavy side -0.4: the heavy bath contact and the
    # interface take most of the difference); the halves relax through the interface and
    # the bath contacts over ~50 ps, so a start near the steady state saves that transient.
    start_fractions: tuple = (0.75, -0.4)
    schedule: Schedule = field(default_factory=lambda: Schedule(20, 40, 10, 16))
    # The finest q-mesh of validation/nemd/bte_meshes.md (run.py --bte --bte-meshes 11 15 19),
    # where DMM has nearly stopped moving and AMM has not.
    bte_mesh: int = 19
    thermostat_free: bool = False  # Langevin on the free atoms too (equilibrium runs)

    def segments(self):
        return [Segment("fixed", 0, self.fixed_cells), Segment("hot", 0, self.bath_cells),
                Segment("free", 0, self.free_cells), Segment("free", 1, self.free_cells),
                Segment("cold", 1, self.bath_cells), Segment("fixed", 1, self.fixed_cells)]

    @property
    def start_temperatures(self):
        return tuple(self.temperature + f * self.half_difference for f in self.start_fractions)

    @property
    def baths(self):
        return self.temperature + self.half_difference, self.temperature - self.half_difference


SI_HEAVY = Case("si-heavy", "Si | heavy Si (Stillinger-Weber, right half 72.63 amu)",
                [("Si", "Si-SW"), ("heavy", "Si-SW-heavy72.63")], Potential("sw", "Si.sw", ["Si", "Si"]))

# CI: the same pipeline on a few hundred atoms in equilibrium (both baths and the free atoms at T).
SI_HEAVY_CI = Case("si-heavy-ci", "Si | heavy Si, equilibrium (CI)", SI_HEAVY.materials, SI_HEAVY.potential,
                   free_cells=4, bath_cells=2, half_difference=0.0, schedule=Schedule(2, 1, 10, 1),
                   thermostat_free=True)

CASES = {c.name: c for c in (SI_HEAVY, SI_HEAVY_CI)}
