#!/usr/bin/python3
"""NEMD reference for the interface BTE: Si | heavy-Si or Si | Ge with LAMMPS beside kapitza.

Usage:
    validation/nemd/run.py [--case si-heavy] [--seeds 2] [--jobs 1] [--build build] [--out runs/nemd]
                           [--reuse] [--report DIR]
    validation/nemd/run.py --ci [--case si-heavy] [--build build] [--out DIR]
    validation/nemd/run.py --bte [--case si-heavy] [--bte-meshes 11 15 19] [--build build] [--out runs/nemd]

Default: non-equilibrium MD of the Si | heavy-Si bar (cases.py: 2 x 2 conventional cells
across, 13 nm per side between Langevin baths at 350 K and 250 K, fixed end cells), two
seeds, one LAMMPS process each at nice 10 (--jobs of them at once); heat flux from the baths' energy tallies, layer
temperatures, interface drop and conductance G with jackknife errors over blocks; modal
temperatures per 2-cell slab from the projection of the velocities on kapitza-modes'
eigenvectors. Then kapitza on the same bar (classical RTA databases from the same force
constants, thermalizing walls at the bath temperatures) with DMM, the SMM background and
AMM, and OUT/README.md with the plots (OUT defaults to the untracked runs/nemd;
validation/nemd/README.md, validation/nemd/si_ge/README.md and their plots are the
committed reference copies of such runs).
MD records go to OUT/work (--reuse reads them back instead of rerunning MD for the seeds
found there with the same case; --report DIR writes README.md and the plots there instead).
--case si-ge: Si | Ge with one Tersoff potential on a common in-plane lattice (cases.py); the
report: run.py --case si-ge --out runs/nemd_si_ge --reuse --report validation/nemd/si_ge.
--ci: the pipeline on 448 atoms in equilibrium (both baths at 300 K) and a 64-atom
periodic box at 30 K per force-constant set; checks the bath temperature, equipartition
mode by mode and the normal modes (checks.py); exit status 1 when a check fails.
--bte: the BTE side alone (no MD): the databases and the DMM, SMM-background and AMM
runs of the case, and OUT/bte.md with their conductances.
"""
import argparse
import importlib.util
import json
import multiprocessing
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from analysis import NemdResult  # noqa: E402
from cases import CASES, CI_CASES, MATERIALS  # noqa: E402
from md import Potential, Sampler, Simulation, relax_along_x, slab_starts  # noqa: E402
from modes import eigenvector_mesh, slab_modes, write_eigenvector_database  # noqa: E402
from structure import Segment, build_bar, read_crystal  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
HARMONIC_SEED = 7


def fail(message):
    print(f"nemd: {message}", file=sys.stderr)
    sys.exit(2)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    p.add_argument("--ci", action="store_true", help="equilibrium checks on a few hundred atoms")
    p.add_argument("--case", choices=sorted(CASES), default="si-heavy")
    p.add_argument("--seeds", type=int, default=2)
    p.add_argument("--jobs", type=int, default=1, help="seeds run at once (one core each)")
    p.add_argument("--build", type=Path, default=REPO / "build")
    p.add_argument("--out", type=Path, default=REPO / "runs" / "nemd")
    p.add_argument("--reuse", action="store_true", help="reuse the MD records in OUT/work")
    p.add_argument("--report", type=Path, help="folder of README.md and the plots (default OUT)")
    p.add_argument("--bte", action="store_true", help="only the BTE runs (no MD): OUT/bte.md")
    p.add_argument("--bte-meshes", type=int, nargs="+", help="--bte: q-meshes N (N^3) to run (default: the case's)")
    args = p.parse_args()
    for program in ("kapitza", "kapitza-modes"):
        if not (args.build / program).is_file():
            fail(f"{args.build / program} not found (build kapitza first, or give --build)")
    if args.seeds < 1:
        fail("--seeds must be at least 1")
    if args.jobs < 1:
        fail("--jobs must be at least 1")
    if args.bte:
        return args
    if importlib.util.find_spec("lammps") is None:
        fail("the LAMMPS Python module is missing (Debian: python3-lammps liblammps-dev lammps-data)")
    return args


def read_crystals(case):
    return [read_crystal(name, REPO / MATERIALS / folder) for name, folder in case.materials]


def bar_lattice(case, crystals, work):
    """In-plane lattice constant of the bar (the mean of the materials' relaxed ones) and each
    material's cell length along x: its own lattice constant when that is the in-plane one,
    else its zero-axial-stress length on the in-plane lattice (cases.py, SI_GE)."""
    in_plane = np.mean([c.lattice_constant for c in crystals])
    spacing = []
    for m, c in enumerate(crystals):
        if c.lattice_constant == in_plane:
            spacing.append(c.lattice_constant)
            continue
        saved, log = work / f"{c.name}-relaxed.json", work / f"{c.name}-relaxed.lammps"

        def relax():
            saved.write_text(json.dumps(relax_along_x(c, case.potential, case.potential.elements[m], in_plane, log)))
        in_child(relax, log)
        length, pxx = json.loads(saved.read_text())
        print(f"  {c.name}: in-plane {in_plane * 1e10:.5f} A, along x {length * 1e10:.5f} A "
              f"(stress xx {pxx:.1e} bar after relaxation)")
        spacing.append(length)
    return in_plane, spacing


def case_bar(case, crystals, work):
    return build_bar(case.segments(), case.cross_section, *bar_lattice(case, crystals, work))


def prepare(case, build, work):
    """Crystals, the bar, and each material's slab projection from kapitza-modes (the
    projection maps a strained slab onto the material's own cubic crystal: the phases use
    its lattice sites)."""
    crystals = read_crystals(case)
    bar = case_bar(case, crystals, work)
    mesh = eigenvector_mesh(case.slab_cells, case.cross_section)
    modes = {}
    for m, c in enumerate(crystals):
        database = work / f"{c.name}-eigenvectors.h5"
        write_eigenvector_database(build / "kapitza-modes", c.folder, mesh, database, work / f"{c.name}-eigenvectors.log")
        modes[m] = slab_modes(database, c.folder, case.slab_cells, case.cross_section, c.lattice_constant)
    return crystals, bar, modes


def in_children(tasks, jobs):
    """Run each (function, log, args) in a child process, `jobs` at a time: LAMMPS exits the
    process on an error of its own, so the parent survives to say where the message is."""
    context = multiprocessing.get_context("fork")
    pending, running = list(tasks), []
    while pending or running:
        while pending and len(running) < jobs:
            function, log, args = pending.pop(0)
            child = context.Process(target=function, args=args)
            child.start()
            running.append((child, log))
        child, log = running.pop(0)
        child.join()
        if child.exitcode != 0:
            for other, _ in running:
                other.terminate()
            fail(f"LAMMPS stopped with status {child.exitcode} (see {log})")


def in_child(function, log, *args):
    in_children([(function, log, args)], 1)


def run_seed(case, crystals, bar, modes, work, seed):
    """One NEMD trajectory, saved to work as a per-block record."""
    starts = slab_starts(bar, case.slab_cells)
    simulation = Simulation(bar, crystals, case.potential, work, seed)
    start = time.perf_counter()
    simulation.equilibrate(case.start_temperatures, case.schedule.equilibration_ps)
    simulation.baths(*case.baths)
    if case.thermostat_free:
        simulation.thermostat_free(case.temperature)
    sampler = Sampler(bar, simulation.masses, modes, starts, case.slab_cells)
    record = simulation.run_blocks(case.schedule, sampler, lambda b, w: print(
        f"  seed {seed}: block {b + 1}/{case.schedule.blocks} ({w:.0f} s)", flush=True))
    simulation.close()
    record["wall_seconds"] = np.array(time.perf_counter() - start)
    record["case"] = np.array(json.dumps(case_key(case)))
    np.savez(work / f"{case.name}-seed{seed}.npz", **record)


def case_key(case):
    return {"name": case.name, "cells": [case.free_cells, case.bath_cells, case.fixed_cells, case.slab_cells],
            "cross": list(case.cross_section), "T": [case.temperature, case.half_difference],
            "schedule": [case.schedule.equilibration_ps, case.schedule.transient_ps,
                         case.schedule.blocks, case.schedule.block_ps]}


def md_records(case, crystals, bar, modes, work, seeds, reuse, jobs=1):
    reused, tasks = {}, []
    for seed in range(1, seeds + 1):
        saved = work / f"{case.name}-seed{seed}.npz"
        if reuse and saved.is_file():
            record = dict(np.load(saved))
            if json.loads(str(record["case"])) == case_key(case):
                print(f"  seed {seed}: reusing {saved}")
                reused[seed] = dict(record, reused=True)
                continue
        print(f"  seed {seed}: {len(bar.positions)} atoms, {case.schedule.blocks} blocks of {case.schedule.block_ps} ps",
              flush=True)
        tasks.append((run_seed, work / f"log-seed{seed}.lammps", (case, crystals, bar, modes, work, seed)))
    in_children(tasks, jobs)
    return [reused.get(seed) or dict(np.load(work / f"{case.name}-seed{seed}.npz"), reused=False)
            for seed in range(1, seeds + 1)]


def harmonic_checks(case, crystals, modes, work, lattices, schedule):
    """Check 3 of checks.py for each material m of lattices in a periodic box of one slab whose
    (in-plane, along x) lattice is lattices[m], over the schedule's blocks: report lines,
    failures, and the potential / kinetic ratio per branch of each material."""
    from checks import harmonic_check
    lines, failures, ratios = [], [], {}
    for m, (in_plane, spacing) in lattices.items():
        c = crystals[m]
        box = build_bar([Segment("free", 0, case.slab_cells)], case.cross_section, in_plane, [spacing])
        potential = Potential(case.potential.pair_style, case.potential.file, [case.potential.elements[m]])
        seed = HARMONIC_SEED + m
        saved = work / f"harmonic-{m}.json"

        def harmonic():
            simulation = Simulation(box, [c], potential, work, seed)
            saved.write_text(json.dumps(harmonic_check(simulation, modes[m], schedule.blocks, schedule.block_ps)))
            simulation.close()
        in_child(harmonic, work / f"log-seed{seed}.lammps")
        out = json.loads(saved.read_text())
        lines += [f"{c.name}: {line}" if len(lattices) > 1 else line for line in out[0]]
        failures += out[1]
        ratios[c.name] = out[2]
    return lines, failures, ratios


def run_ci(args):
    from checks import equilibrium_checks
    case = CI_CASES[args.case]
    work = args.out / "work"
    work.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    crystals, bar, modes = prepare(case, args.build, work)
    records = md_records(case, crystals, bar, modes, work, 1, False)
    result = NemdResult(records, bar, slab_starts(bar, case.slab_cells), case.slab_cells, modes)
    lines, failures = equilibrium_checks(result, case.temperature)
    # each material in a periodic box of its own cubic lattice: its force constants' crystal
    out = harmonic_checks(case, crystals, modes, work,
                          {m: (crystals[m].lattice_constant, crystals[m].lattice_constant)
                           for m in case.harmonic_materials}, case.schedule)
    lines += out[0]
    failures += out[1]
    print("\n".join(lines))
    print(f"wall time {time.perf_counter() - start:.1f} s")
    if failures:
        print("FAILED: " + "; ".join(failures), file=sys.stderr)
        sys.exit(1)


def main():
    args = parse_args()
    if args.ci:
        run_ci(args)
        return
    from report import write_bte_report, write_report
    case = CASES[args.case]
    work = args.out / "work"
    work.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    if args.bte:
        crystals = read_crystals(case)
        write_bte_report(case, crystals, case_bar(case, crystals, work), args.build, work, args.out, start,
                         args.bte_meshes)
        return
    crystals, bar, modes = prepare(case, args.build, work)
    records = md_records(case, crystals, bar, modes, work, args.seeds, args.reuse, args.jobs)
    result = NemdResult(records, bar, slab_starts(bar, case.slab_cells), case.slab_cells, modes)
    # The cubic crystals' modes in each side's strained cell, when the bar strains a side:
    # how far the MD lattice's harmonic frequencies are from the BTE's.
    strained = {m: (bar.in_plane, bar.spacing[m]) for m, c in enumerate(crystals)
                if (bar.in_plane, bar.spacing[m]) != (c.lattice_constant, c.lattice_constant)}
    strain_ratios = harmonic_checks(case, crystals, modes, work, strained, CI_CASES[case.name].schedule)[2] \
        if strained else {}
    report = args.report or args.out
    report.mkdir(parents=True, exist_ok=True)
    write_report(case, crystals, result, records, args.build, work, report, start, strain_ratios)


if __name__ == "__main__":
    main()
