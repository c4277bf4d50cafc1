#!/usr/bin/python3
"""The recursive-pBTE paper's silicon nanoparticle (inputs/nanoparticle/, issue 16) on
several q-meshes and mesh refinements, against the heat equation with the same source.

Usage:
    validation/nanoparticle.py [--build build] [--out runs/nanoparticle] [--qmesh 8 12 16]
        [--refinements 1 2] [--main 12 2] [--extra Q:R ...] [--full Q:R[:RANKS] ...]
        [--curved Q:R ...] [--turned Q:R ...] [--single-rank MPIRUN] [--events 15]
        [--mpirun "mpirun -np 2"] [--reuse-databases] [--copy-to DIR] [--check] [--no-run]

For each q-mesh N (at the main refinement), each refinement (at the main q-mesh) and each
--extra pair (q-mesh Q, R refinements): the
Si-PBEsol RTA database at 300 K (kapitza-modes, cached in OUT/cache), then
inputs/nanoparticle/nanoparticle.prm with that database, refinement and event count, run
with `MPIRUN kapitza` in OUT/q<N>-r<refinements>/ (a run whose results file
comes from the same input is read again, not rerun). Each --full pair runs the case with the
full collision matrix (`kapitza-modes --collision full`, OUT/q<Q>-r<R>-full/) beside the RTA
run of the same pair (Q:R:RANKS runs it on RANKS ranks instead of --mpirun's: a matrix too
large for two ranks runs on one, OUT/q<Q>-r<R>-full-np1/); each --curved pair runs it with curved cells (Mesh/Mapping degree 2,
OUT/q<Q>-r<R>-map2/: the sphere's volume, surface and normals); each --turned pair with the
crystal turned 45 degrees about z against the mesh (Materials/Orientations = TURNED,
OUT/q<Q>-r<R>-turned/: whether the surface pattern follows the crystal or the mesh);
--single-rank runs the main case once more with that launcher
(OUT/q<Q>-r<R>-np1/): memory per rank and rank independence. --reuse-databases takes the
databases already in OUT as they are (their provenance says how they were made) instead of
asking kapitza-modes (and its cache, keyed by the program's bytes) for them again. OUT/README.md, written from the runs:
wall time, peak memory, iterations, energy balance, the peak temperature rise against the
heat equation's (heat_equation_ball.py, kappa = the database's point-group averaged RTA
conductivity from `kapitza-modes --kappa`), how much the numbers move between meshes, the
main run's profile and each event's share of the rise and of the surface arrivals.
Figures in OUT: profile_fourier.png, convergence.png and plot_surface_arrivals.py's panels
of the main run. --copy-to DIR also writes README.md and the figures there. --check exits
1 when the source power and the wall outflow differ by more than BALANCE of the power, or
the surface arrivals (events plus remainder) differ from the outflow by more than
ARRIVALS of it, in any run. --no-run writes the report from the runs already in OUT and
stops with one error line when one is missing.
"""
import argparse
import hashlib
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np

from giftbte_common import run_checked
from heat_equation_ball import gaussian_power_in_ball, gaussian_rise
import nanoparticle_report as report

REPO = Path(__file__).resolve().parents[1]
TEMPLATE = REPO / "inputs" / "nanoparticle" / "nanoparticle.prm"
FORCE_CONSTANTS = REPO / "inputs" / "materials" / "Si-PBEsol"
CURVED_MAPPING = 2  # Mesh/Mapping degree of the --curved runs: cells on the sphere
# Materials/Orientations of the --turned runs: Si [110] along the mesh's x, [-110] along y, 45
# degrees about z, which is no symmetry of the cubic crystal (nor of the 7-cell ball).
TURNED = "1 1 0, -1 1 0"
ALIGNED = "aligned"
TEMPERATURE = 300  # K, of the database and the input's wall and reference temperature
BALANCE = 1e-10  # |outflow - power| / power (issue 16): the input's Tolerance allows ~1e-12
ARRIVALS = 1e-12  # events + remainder vs the wall outflow: the same sum, round-off only
PEAK_MEMORY = re.compile(r"peak memory per rank ([0-9.]+) GB \(largest over the ranks; estimate ([0-9.]+) GB\)")
WALL_TIME = re.compile(r"wall time ([0-9.]+) s \(setup ([0-9.]+) s, solve ([0-9.]+) s\)")
GMRES_ITERATION = re.compile(r"GMRES iteration\s+(\d+)\s+residual \S+\s+elapsed\s+([0-9.]+) s")
POINT_GROUP_KAPPA = {kind: re.compile(rf"^{label} kappa point-group average .* xx yy zz = (\S+) (\S+) (\S+) W/\(m K\)", re.M)
                     for kind, label in (("rta", "RTA"), ("full", r"full \(LBTE\)"))}
NAME = Path(__file__).name


def fail(message):
    sys.exit(f"{NAME}: error: {message}")


def database(args, q, collision="rta"):
    """The database of the q-mesh q^3 with relaxation times (rta) or the collision matrix
    (full), built or served by the cache, and its point-group averaged kappa [W/(m K)]
    (RTA, or the LBTE's of the matrix)."""
    path = args.out / (f"Si-{q}.h5" if collision == "rta" else f"Si-{q}-{collision}.h5")
    if (args.no_run or args.reuse_databases) and not path.is_file():
        fail(f"{path} does not exist (--no-run or --reuse-databases)")
    if not (args.no_run or args.reuse_databases):
        command = [str(args.build / "kapitza-modes"), "--fc", str(FORCE_CONSTANTS), "--mesh", *[str(q)] * 3,
                   "--temperature", str(TEMPERATURE), "--collision", collision, "--material", "Si",
                   "--cache", str(args.out / "cache"), "--out", str(path)]
        run_checked(shlex.split(args.mpirun) + command, args.out / f"{path.stem}.log")
    # The conductivities as `kapitza-modes --kappa` prints them, kept beside the database (an
    # LBTE solve of a large matrix takes minutes) while the database is not newer.
    kept = path.with_suffix(".kappa.txt")
    if kept.is_file() and kept.stat().st_mtime >= path.stat().st_mtime:
        printed = subprocess.CompletedProcess([], 0, kept.read_text())
    else:
        printed = subprocess.run([str(args.build / "kapitza-modes"), "--kappa", str(path), "--fc", str(FORCE_CONSTANTS)],
                                 capture_output=True, text=True)
        if printed.returncode == 0:
            kept.write_text(printed.stdout)
    match = POINT_GROUP_KAPPA[collision].search(printed.stdout)
    if printed.returncode != 0 or not match:
        fail(f"kapitza-modes --kappa {path} printed no point-group averaged {collision} kappa")
    return path, float(np.mean([float(v) for v in match.groups()]))


def case_input(template, settings):
    """The template with each `set KEY = ...` of settings replaced (each exactly once)."""
    for key, value in settings.items():
        template, found = re.subn(rf"^(\s*set {key}\s*=).*$", rf"\g<1> {value}", template, flags=re.M)
        if found != 1:
            fail(f"{TEMPLATE}: 'set {key}' appears {found} times, expected once")
    return template


def template_value(key):
    match = re.search(rf"^\s*set {key}\s*=\s*(\S+)", TEMPLATE.read_text(), re.M)
    if not match:
        fail(f"{TEMPLATE}: no 'set {key}'")
    return float(match.group(1))


def run_case(args, q, refinements, db, collision="rta", mpirun=None, mapping=1, orientation=ALIGNED):
    """Run (or read again) the case (with `mpirun`, default args.mpirun; Mesh/Mapping degree
    `mapping`; Materials/Orientations `orientation`); its record for the report."""
    mpirun = mpirun or args.mpirun
    suffix = ("" if collision == "rta" else f"-{collision}") + ("" if mpirun == args.mpirun else f"-np{ranks(mpirun)}") \
        + ("" if mapping == 1 else f"-map{mapping}") + ("" if orientation == ALIGNED else "-turned")
    folder = args.out / f"q{q}-r{refinements}{suffix}"
    folder.mkdir(parents=True, exist_ok=True)
    text = case_input(TEMPLATE.read_text(), {"Files": f"../{db.name}", "Refinements": refinements,
                                              "Events": args.events})
    if mapping != 1:  # the template keeps the default (flat faces)
        text = text.replace("  set Refinements", f"  set Mapping degree = {mapping}\n  set Refinements", 1)
    if orientation != ALIGNED:  # the template keeps the default (the database's axes)
        text = text.replace("  set Files", f"  set Orientations = {orientation}\n  set Files", 1)
    prm, results, log = folder / "nanoparticle.prm", folder / "nanoparticle.h5", folder / "run.log"
    if not (log.is_file() and same_input(prm, results, text)):
        if args.no_run:
            fail(f"{folder}: no results of this input (--no-run)")
        print(f"{NAME}: running q-mesh {q}^3, {refinements} refinements in {folder}", flush=True)
        prm.write_text(text)
        (folder / "load.txt").write_text(f"{os.getloadavg()[0]:.2f}\n")  # the machine may be shared
        run_checked(shlex.split(mpirun) + [str(args.build / "kapitza"), prm.name], log, cwd=folder)
    record = read_case(results, log.read_text(), q, refinements)
    record.update(collision=collision, ranks=ranks(mpirun), mapping=mapping, orientation=orientation,
                  reference=collision == "rta" and mpirun == args.mpirun and mapping == 1 and orientation == ALIGNED)
    load = folder / "load.txt"
    record["load"] = load.read_text().strip() if load.is_file() else "-"
    return record


def count_position(words):
    """Where the process count of an mpirun command line (its words) stands: after -np or
    -n; None without one."""
    for flag in ("-np", "-n"):
        if flag in words and words.index(flag) + 1 < len(words):
            return words.index(flag) + 1
    return None


def ranks(mpirun):
    """The process count of an mpirun command line, 1 without one."""
    words = shlex.split(mpirun)
    position = count_position(words)
    return 1 if position is None else int(words[position])


def with_ranks(mpirun, count):
    """The mpirun command line with `count` processes (its -np or -n value replaced)."""
    words = shlex.split(mpirun)
    position = count_position(words)
    if position is None:
        fail(f"--mpirun '{mpirun}' has no -np or -n to change")
    words[position] = str(count)
    return shlex.join(words)


def same_input(prm, results, text):
    """Whether results came from prm and prm has the settings of text (comments aside)."""
    if not (prm.is_file() and results.is_file()):
        return False
    ran = prm.read_text()
    with h5py.File(results, "r") as f:
        if f.attrs.get("input_sha256", "") != hashlib.sha256(ran.encode()).hexdigest():
            return False
    return settings(ran) == settings(text)


def settings(text):
    """The lines of an input without comments and blank lines."""
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [line for line in lines if line]


def read_case(results, log, q, refinements):
    memory, times, gmres = PEAK_MEMORY.search(log), WALL_TIME.search(log), GMRES_ITERATION.findall(log)
    if not memory or not times or not gmres:
        fail(f"{results.parent / 'run.log'}: no peak memory, wall time or GMRES progress lines")
    last_iteration, gmres_time = int(gmres[-1][0]), float(gmres[-1][1])
    with h5py.File(results, "r") as f:
        sources, left = f["sources"], f["surface_arrivals/Left"]
        record = {"q": q, "refinements": refinements, "path": results,
                  "cells": len(f["cells/temperature"]), "iterations": int(f.attrs["iterations"]),
                  "converged": int(f.attrs["converged"]), "residual": float(f.attrs["residual"]),
                  "power": float(sources.attrs["power"]), "outflow": float(f["sources/wall_outflow"][()].sum()),
                  "arrivals": float(left.attrs["total"]),
                  "event_arrivals": left["frequency"][()].sum(axis=1),
                  "peak_memory": float(memory.group(1)), "memory_estimate": float(memory.group(2)),
                  "wall": float(times.group(1)), "setup": float(times.group(2)), "solve": float(times.group(3)),
                  "gmres": gmres_time, "per_iteration": gmres_time / max(last_iteration, 1),
                  "t0": float(f["summary"].attrs["reference_temperature"]),
                  "points": f["line/points"][()], "centre": f["surface_arrivals/centre"][()],
                  "line": f["line/temperature"][()], "events": f["events/temperature"][()],
                  "cell_centres": f["cells/center"][()], "cell_temperature": f["cells/temperature"][()]}
        with h5py.File(results.parent / text_attr(f["materials/Si"].attrs["file"]), "r") as db:
            record["modes"] = len(db["omega"])
    record["r"] = np.linalg.norm(record["points"] - record["centre"], axis=1)
    return record


def text_attr(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def check(records):
    bad = []
    for c in records:
        balance = abs(c["outflow"] - c["power"]) / c["power"]
        arrivals = abs(c["arrivals"] - c["outflow"]) / c["outflow"]
        if not c["converged"] or balance > BALANCE or arrivals > ARRIVALS:
            bad.append(f"q{c['q']}-r{c['refinements']}: converged {c['converged']}, power vs outflow {balance:.2e} "
                       f"(limit {BALANCE:g}), arrivals vs outflow {arrivals:.2e} (limit {ARRIVALS:g})")
    if bad:
        fail("; ".join(bad))
    print(f"{NAME}: check ok: {len(records)} runs, power = outflow within {BALANCE:g}, arrivals = outflow "
          f"within {ARRIVALS:g}")


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", type=Path, default=REPO / "build")
    parser.add_argument("--out", type=Path, default=REPO / "runs" / "nanoparticle")
    parser.add_argument("--qmesh", type=int, nargs="+", default=[8, 12, 16])
    parser.add_argument("--refinements", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--main", type=int, nargs=2, default=[12, 2], metavar=("Q", "REFINEMENTS"))
    parser.add_argument("--extra", nargs="*", default=["8:1", "8:3"], metavar="Q:R",
                        help="more runs: q-mesh Q^3 with R refinements")
    parser.add_argument("--events", type=int, default=15)
    parser.add_argument("--mpirun", default="mpirun -np 2")
    parser.add_argument("--full", nargs="*", default=["8:1", "12:1", "16:1"], metavar="Q:R[:RANKS]",
                        help="full collision matrix runs: q-mesh Q^3 with R refinements (each beside the RTA "
                             "run of the same Q:R, added when missing)")
    parser.add_argument("--curved", nargs="*", default=["12:2"], metavar="Q:R",
                        help="runs with curved cells (Mesh/Mapping degree = 2) beside the flat run of the same Q:R")
    parser.add_argument("--turned", nargs="*", default=["12:2"], metavar="Q:R",
                        help="runs with the crystal turned against the mesh beside the aligned run of the same Q:R")
    parser.add_argument("--reuse-databases", action="store_true",
                        help="take the databases in OUT as they are (no kapitza-modes run)")
    parser.add_argument("--single-rank", default="mpirun -np 1", metavar="MPIRUN",
                        help="the main case once more with this launcher: memory per rank and rank independence "
                             "('' skips it)")
    parser.add_argument("--copy-to", type=Path)
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--no-run", action="store_true", help="report from the runs in OUT only")
    args = parser.parse_args()
    for program in ("kapitza", "kapitza-modes"):
        if not (args.build / program).is_file():
            parser.error(f"{args.build / program} is not built")
    for option in ("extra", "full", "curved", "turned"):
        try:
            pairs = [tuple(int(v) for v in pair.split(":")) for pair in getattr(args, option)]
        except ValueError:
            pairs = [()]
        if any(len(pair) != 2 and not (option == "full" and len(pair) == 3 and pair[2] > 0) for pair in pairs):
            parser.error(f"--{option} takes pairs Q:R (q-mesh, refinements), e.g. 8:3"
                         + (", or Q:R:RANKS" if option == "full" else ""))
        setattr(args, option, pairs)
    args.full_ranks = {pair[:2]: pair[2] for pair in args.full if len(pair) == 3}
    args.full = [pair[:2] for pair in args.full]
    pairs = args.extra + args.full + args.curved + args.turned
    qmeshes = args.qmesh + [args.main[0]] + [q for q, _ in pairs]
    refinements = args.refinements + [args.main[1]] + [r for _, r in pairs]
    if min(qmeshes + [args.events]) < 1 or min(refinements) < 0:
        parser.error("q-meshes and events must be positive, refinements not negative")
    args.out = args.out.resolve()
    return args


def main():
    args = arguments()
    args.out.mkdir(parents=True, exist_ok=True)
    main_q, main_r = args.main
    cases = sorted({(q, main_r) for q in args.qmesh} | {(main_q, r) for r in args.refinements} |
                   {(main_q, main_r)} | set(args.extra) | set(args.full) | set(args.curved) | set(args.turned))
    databases = {q: database(args, q) for q in sorted({q for q, _ in cases})}
    records = [run_case(args, q, r, databases[q][0]) for q, r in cases]
    if args.single_rank:
        records.append(run_case(args, main_q, main_r, databases[main_q][0], mpirun=args.single_rank))
    for q, r in args.curved:
        records.append(run_case(args, q, r, databases[q][0], mapping=CURVED_MAPPING))
    for q, r in args.turned:
        records.append(run_case(args, q, r, databases[q][0], orientation=TURNED))
    for q, r in args.full:
        databases[("full", q)] = database(args, q, "full")
        launcher = with_ranks(args.mpirun, args.full_ranks[(q, r)]) if (q, r) in args.full_ranks else None
        records.append(run_case(args, q, r, databases[("full", q)][0], collision="full", mpirun=launcher))
    for c in records:
        c["kappa"] = databases[c["q"] if c["collision"] == "rta" else (c["collision"], c["q"])][1]
    source = {"peak": template_value("Density"), "width": template_value("Width"), "radius": template_value("Radius")}
    for c in records:
        c["fourier"] = gaussian_rise(c["r"], source["peak"], source["width"], source["radius"], c["kappa"])
    source["power"] = gaussian_power_in_ball(source["peak"], source["width"], source["radius"])
    main_case = next(c for c in records if c["reference"] and (c["q"], c["refinements"]) == (main_q, main_r))
    text = report.write(args, records, main_case, source, databases[main_q][0])
    if args.copy_to:
        args.copy_to.mkdir(parents=True, exist_ok=True)
        (args.copy_to / "README.md").write_text(text)
        for png in report.FIGURES:
            shutil.copy(args.out / png, args.copy_to / png)
        for kind, folder in ((args.curved, report.CURVED_FOLDER), (args.turned, report.TURNED_FOLDER)):
            if kind:
                (args.copy_to / folder).mkdir(exist_ok=True)
                for png in report.PANELS:
                    shutil.copy(args.out / folder / png, args.copy_to / folder / png)
    print(text)
    if args.check:
        check(records)


if __name__ == "__main__":
    main()
