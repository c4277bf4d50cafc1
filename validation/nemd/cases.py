"""The NEMD cases: materials, potential, geometry, temperatures and run lengths."""
from dataclasses import dataclass, field, replace

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
    # Materials whose slab modes the CI checks against the MD potential (run.py --ci): one per
    # distinct force-constant set (a mass change scales the modes exactly).
    harmonic_materials: tuple = (0,)
    # Report wording: what the two lattices share and how they differ ({mass_ratio} is filled
    # in), a note on MD conductivities of the potential, and what the case leaves undone.
    mismatch: str = ""
    md_kappa_note: str = ""
    mesh_study: str = ""  # the report on the BTE's q-mesh dependence, if one was made
    not_done: tuple = ()
    see_also: str = ""  # the other cases' reports, named under the title

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
                [("Si", "Si-SW"), ("heavy", "Si-SW-heavy72.63")], Potential("sw", "Si.sw", ["Si", "Si"]),
                mismatch="two lattices with the same force constants and a {mass_ratio:.2f} mass ratio",
                md_kappa_note=": classical SW Si MD conductivities of ~200-250 W/mK are typical, against the "
                              "three-phonon RTA value above",
                mesh_study="validation/nemd/bte_meshes.md (run.py --bte --bte-meshes 11 15 19)",
                see_also="Si | Ge with one consistent potential (Tersoff): validation/nemd/si_ge/README.md "
                         "(run.py --case si-ge).")

# Si | Ge with one potential (Tersoff 1989, whose Si-Ge interaction follows from its mixing
# rules; force constants of both bulks from the same file). The relaxed lattice constants
# differ by 4 %, and the periodic cross-section needs one in-plane lattice: it is the mean of
# the two (run.py: bar_lattice), so each side carries half the misfit as biaxial strain
# (Si stretched, Ge compressed), as a coherent, dislocation-free interface between layers of
# equal thickness and stiffness would. Along x each side takes its spacing at zero axial stress (a LAMMPS box
# relaxation of the strained cell, md.relax_along_x): the fixed end cells hold the bar's
# length, so any other spacing would load the bar with an axial stress. 0 K values, as for
# the force constants; the BTE side uses the unstrained bulk force constants.
SI_GE = Case("si-ge", "Si | Ge (Tersoff SiCGe.tersoff, coherent bar on a common in-plane lattice)",
             [("Si", "Si-SiCGe.tersoff"), ("Ge", "Ge-SiCGe.tersoff")],
             Potential("tersoff", "SiCGe.tersoff", ["Si(D)", "Ge"]),
             # start: the steady state of a pilot run (10 ps start at 0.5 / -0.5, 20 ps transient,
             # 20 ps sampled: Si side 0.8, Ge side -0.5)
             start_fractions=(0.8, -0.5), harmonic_materials=(0, 1),
             see_also="Si | heavy Si (Stillinger-Weber, a mass-only mismatch): validation/nemd/README.md (run.py).",
             mismatch="Si and Ge with their own force constants (one Tersoff potential) and a "
                      "{mass_ratio:.2f} mass ratio",
             mesh_study="validation/nemd/si_ge/bte_meshes.md (run.py --bte --case si-ge --bte-meshes 11 15 19)",
             not_done=("A BTE with the force constants of the strained sides (the BTE uses the unstrained "
                       "bulk ones, the MD bar strained ones) and with the lattice constants at 300 K "
                       "(0 K relaxed values here). AMM takes the bar's common in-plane lattice "
                       "(Interfaces/Pseudomorphic) but keeps the unstrained bands.",
                       "A BTE q-mesh finer than 19^3 for the models whose G still moves between 15^3 and 19^3 "
                       "(bte_meshes.md).",))


def equilibrium(case):
    """CI: the same pipeline on a few hundred atoms in equilibrium (both baths and the free atoms at T)."""
    return replace(case, name=f"{case.name}-ci", title=f"{case.title.split(' (')[0]}, equilibrium (CI)",
                   free_cells=4, bath_cells=2, half_difference=0.0, schedule=Schedule(2, 1, 10, 1),
                   thermostat_free=True)


SI_HEAVY_CI = equilibrium(SI_HEAVY)
CASES = {c.name: c for c in (SI_HEAVY, SI_GE)}
CI_CASES = {c.name: equilibrium(c) for c in CASES.values()}
