"""Equilibrium checks of the modal pipeline (the CI version of run.py).

1. Bath temperature: in a bar whose two baths are at the same T, the steady state is
   canonical, so every slab's temperature (the mean of its modal temperatures, equal to
   its kinetic temperature) is T within its statistical error.
2. Equipartition mode by mode: each mode's <|Qdot|^2>/k_B is T within its error. Both hold
   for any complete orthonormal projection; they test the bookkeeping (masses, units,
   completeness, the baths), not that the eigenvectors are the crystal's.
3. Normal modes: in a periodic box at low temperature, where the crystal is harmonic to a
   fraction of a percent, the potential energy of each mode, omega^2 <|Q|^2>, equals its
   kinetic energy <|Qdot|^2>. A wrong eigenvector (another phase convention, modes of one
   wavevector mixed) mixes frequencies and breaks this for the modes involved: it tests that
   kapitza-modes' eigenvectors and frequencies are the normal modes of the MD potential.
Errors are standard errors over blocks; a value fails when it lies beyond the Student-t
quantile that, over all values tested, a correct pipeline exceeds with probability
FALSE_ALARM (Bonferroni), and the mean squared z over the modes must match its Student-t
expectation within MEAN_Z2_SIGMAS standard deviations (when there are at least
MEAN_Z2_VALUES values; half the modes counted as
independent: q and -q carry the same |Qdot|^2).
"""
import numpy as np
from scipy import stats

from md import LANGEVIN_DAMP_PS, SAMPLE_STEPS, Sampler
from modes import BOLTZMANN

FALSE_ALARM = 1e-3
MEAN_Z2_SIGMAS = 5
MEAN_Z2_VALUES = 20  # the mean-z^2 test needs many values to be sharp
HARMONIC_TEMPERATURE = 30.0  # K: anharmonic frequency shifts of SW Si are ~0.1 % here


def z_test(name, values, expected, errors, dof):
    """Bonferroni test of every value and the mean-z^2 test; returns (report lines, failures)."""
    z = (np.asarray(values) - expected) / np.asarray(errors)
    limit = stats.t.ppf(1 - FALSE_ALARM / (2 * z.size), dof)
    mean_t2 = dof / (dof - 2)
    var_t2 = 3 * dof ** 2 / ((dof - 2) * (dof - 4)) - mean_t2 ** 2
    band = MEAN_Z2_SIGMAS * np.sqrt(var_t2 / max(1, z.size // 2))
    mean_z2 = (z ** 2).mean()
    lines = [f"{name}: {z.size} values, max |z| = {np.abs(z).max():.2f} (limit {limit:.2f}), "
             f"mean z^2 = {mean_z2:.3f} (expected {mean_t2:.3f} +- {band:.3f})"]
    failures = []
    if z.size < MEAN_Z2_VALUES:
        lines = [lines[0].split(", mean z^2")[0]]
    elif abs(mean_z2 - mean_t2) > band:
        failures.append(f"{name}: mean z^2 = {mean_z2:.3f} outside {mean_t2:.3f} +- {band:.3f}")
    if np.abs(z).max() > limit:
        failures.append(f"{name}: |z| = {np.abs(z).max():.2f} beyond {limit:.2f}")
    return lines, failures


def equilibrium_checks(result, temperature):
    """Checks 1 and 2 on a NEMD result whose baths are both at temperature."""
    dof = result.blocks - 1
    lines, failures = [], []
    for m, modal in result.modal.items():
        slab = modal.mean(axis=2)  # (blocks, slabs)
        out = z_test(f"material {m}: slab temperatures", slab.mean(axis=0), temperature,
                     slab.std(axis=0, ddof=1) / np.sqrt(result.blocks), dof)
        lines += out[0] + ["  slab temperatures [K]: " + ", ".join(f"{t:.1f}" for t in slab.mean(axis=0))]
        failures += out[1]
        out = z_test(f"material {m}: equipartition mode by mode", modal.mean(axis=0), temperature,
                     modal.std(axis=0, ddof=1) / np.sqrt(result.blocks), dof)
        lines += out[0]
        failures += out[1]
    return lines, failures


class HarmonicSampler(Sampler):
    """Kinetic and potential energy of every mode of a periodic box (one slab)."""

    def __init__(self, bar, masses, slab_modes, sites):
        super().__init__(bar, masses, {0: slab_modes}, {0: np.array([0])}, bar.layers)
        self.sites = sites
        self.box = 1e10 * np.array([bar.layer_edges()[-1], *np.multiply(bar.cross_section, bar.in_plane)])

    def reset(self):
        super().reset()
        self.potential = np.zeros(self.slab_modes[0].count)

    def add_state(self, velocity, positions):
        self.add(velocity)
        u = positions - self.sites
        u -= self.box * np.round(u / self.box)  # minimum image
        q = self.slab_modes[0].projection @ (u.reshape(-1) * 1e-10)
        self.potential += self.slab_modes[0].omega ** 2 * np.abs(q) ** 2


def harmonic_check(simulation, slab_modes, blocks, block_ps):
    """Check 3: a Langevin bath on every atom at HARMONIC_TEMPERATURE; after one block of
    equilibration, blocks of potential and kinetic energy per mode."""
    bar = simulation.bar
    sampler = HarmonicSampler(bar, simulation.masses, slab_modes, bar.positions)
    t = HARMONIC_TEMPERATURE
    for command in (f"velocity mobile create {t} {simulation.seed} mom yes rot no dist gaussian",
                    f"fix bath mobile langevin {t} {t} {LANGEVIN_DAMP_PS} {simulation.seed + 1} zero yes",
                    f"run {simulation.steps(block_ps)}"):
        simulation.lmp.command(command)
    kinetic, potential = [], []
    for _ in range(blocks):
        sampler.reset()
        for _ in range(simulation.steps(block_ps) // SAMPLE_STEPS):
            simulation.lmp.command(f"run {SAMPLE_STEPS} pre no post no")
            sampler.add_state(simulation.velocities(), simulation.positions())
        kinetic.append(sampler.mode_q2[0][0] / (BOLTZMANN * sampler.samples))
        potential.append(sampler.potential / (BOLTZMANN * sampler.samples))
    kinetic, potential = np.array(kinetic), np.array(potential)
    moving = slab_modes.omega > 0  # the uniform translations have no potential energy
    difference = (potential - kinetic)[:, moving]
    lines, failures = z_test(f"normal modes at {HARMONIC_TEMPERATURE:g} K: potential - kinetic modal temperature",
                             difference.mean(axis=0), 0.0,
                             difference.std(axis=0, ddof=1) / np.sqrt(blocks), blocks - 1)
    ratio = potential[:, moving].mean(axis=0) / kinetic[:, moving].mean(axis=0)
    branch = slab_modes.branch[moving]
    per_branch = {slab_modes.labels[b]: ratio[branch == b].mean() for b in np.unique(branch)}
    lines.append("  potential / kinetic per branch: " + ", ".join(f"{b} {r:.3f}" for b, r in per_branch.items()))
    return lines, failures, per_branch
