#!/usr/bin/python3
"""Timing benchmark of the ab initio mode databases (kapitza-modes under mpirun).

Usage:
    validation/benchmark_ab_initio.py [--modes build/kapitza-modes] [--mpirun mpirun]
        [--ranks 2] [--out runs/ab_initio] [--cases si_rta si_full aln_rta aln_full]

Defaults are relative to the repository root. Runs, each with `mpirun -np RANKS`
(OPENBLAS_NUM_THREADS=1: the ranks already fill the cores),
    si_rta    Si-PBEsol 11x11x11, relaxation times (tetrahedra, 300 K, as all cases)
    si_full   Si-PBEsol 11x11x11, full collision matrix
    aln_rta   AlN-LDA 13x13x9, relaxation times
    aln_full  AlN-LDA 10x10x7, full collision matrix (the 13x13x9 matrix, 18252 modes,
              is 2.7 GB per copy: about 11 GB over two ranks with the LBTE solve)
inside <out>/work and writes <out>/README.md: wall time, the scattering part of it, peak
memory of the largest rank (as kapitza-modes prints them), kappa in RTA and LBTE
(point-group averaged and as computed) and, for the rta cases, phono3py's RTA references
of the same force constants on the same meshes (Si 109.0; AlN 235.8 xx, 222.2 zz). The
RTA kappa of a full case uses 1/tau = the matrix diagonal (with the default own-view
assembly each mode's own linewidth, energy-projected with the whole matrix), not exactly
phono3py's linewidths. The load average before
each run is recorded: timings taken while other jobs ran are slower than on an idle
machine. Exit status 2 if a run fails.
"""
import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

from giftbte_common import REPO, run

CASES = {
    "si_rta": dict(material="Si-PBEsol", mesh=(11, 11, 11), collision="rta",
                   reference=(109.0, 109.0)),
    "si_full": dict(material="Si-PBEsol", mesh=(11, 11, 11), collision="full", reference=None),
    "aln_rta": dict(material="AlN-LDA", mesh=(13, 13, 9), collision="rta",
                    reference=(235.8, 222.2)),
    "aln_full": dict(material="AlN-LDA", mesh=(10, 10, 7), collision="full", reference=None),
}

NUMBER = r"([-+0-9.eE]+)"
PATTERNS = {
    "scattering_s": r"(?:full|rta) scattering \([^)]*\): " + NUMBER + " s",
    "wall_s": r"wall time " + NUMBER + " s",
    "peak_mb": r"peak memory of the largest rank " + NUMBER + " MB",
    "lbte_solve_s": r"LBTE solve: " + NUMBER + " s",
}


def tensor(log, name, averaged):
    """The (xx, yy, zz) line of `name` (RTA or full (LBTE)), or None."""
    label = re.escape(name) + r" kappa" + (r" point-group average \(\d+ operations\)" if averaged else "")
    # A full case labels its RTA line "matrix-diagonal RTA kappa" (1/tau from the diagonal).
    match = re.search("^(?:matrix-diagonal )?" + label + r" xx yy zz = " + " ".join([NUMBER] * 3), log, re.M)
    return tuple(float(x) for x in match.groups()) if match else None


def parse(log):
    record = {}
    for key, pattern in PATTERNS.items():
        match = re.search(pattern, log)
        record[key] = float(match.group(1)) if match else None
    for name, key in (("RTA", "rta"), ("full (LBTE)", "lbte")):
        record[key] = tensor(log, name, True)
        record[key + "_raw"] = tensor(log, name, False)
    return record


def run_case(name, case, args, work):
    material = REPO / "inputs/materials" / case["material"]
    out = work / f"{name}.h5"
    cmd = [args.mpirun, "-np", str(args.ranks), "--allow-run-as-root", args.modes, "--fc", material,
           "--mesh", *case["mesh"], "--collision", case["collision"], "--out", out]
    load = os.getloadavg()[0]
    code, wall, _ = run(cmd, work, work / f"{name}.log")
    log = (work / f"{name}.log").read_text()
    if code != 0:
        print(f"error: {name} failed (exit {code}), see {work / name}.log", file=sys.stderr)
        return None
    record = parse(log)
    record.update(load=load, process_wall_s=wall)
    out.unlink()  # hundreds of MB; the table is the result
    return record


def fmt(value, digits=1):
    return "-" if value is None else f"{value:.{digits}f}"


def kappa_text(k, material):
    """xx and zz of a tensor (equal for cubic Si: one number)."""
    if k is None:
        return "-"
    return fmt(k[0]) if material.startswith("Si") else f"{fmt(k[0])} / {fmt(k[2])}"


def table(records, args):
    rows = ["| case | mesh | scattering | ranks | load before | scattering [s] | wall [s] "
            "| peak memory, largest rank [MB] | kappa RTA [W/(m K)] | kappa LBTE [W/(m K)] "
            "| phono3py RTA [W/(m K)] | RTA / phono3py - 1 |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, r in records.items():
        case = CASES[name]
        ref = case["reference"]
        ref_text = "-" if ref is None else kappa_text((ref[0], ref[0], ref[1]), case["material"])
        deviation = "-"
        if ref is not None and r["rta"] is not None:
            dev = [r["rta"][0] / ref[0] - 1, r["rta"][2] / ref[1] - 1]
            deviation = (f"{100 * dev[0]:+.2f} %" if case["material"].startswith("Si")
                         else f"{100 * dev[0]:+.2f} % / {100 * dev[1]:+.2f} %")
        rows.append(f"| {case['material']} | {'x'.join(map(str, case['mesh']))} "
                    f"| {case['collision']} | {args.ranks} | {r['load']:.1f} "
                    f"| {fmt(r['scattering_s'])} | {fmt(r['wall_s'])} | {fmt(r['peak_mb'], 0)} "
                    f"| {kappa_text(r['rta'], case['material'])} "
                    f"| {kappa_text(r['lbte'], case['material'])} | {ref_text} | {deviation} |")
    rows += ["", "As computed, before the point-group average (xx yy zz):", "",
             "| case | mesh | kappa RTA [W/(m K)] | kappa LBTE [W/(m K)] |", "|---|---|---|---|"]
    for name, r in records.items():
        case = CASES[name]
        raw = [" ".join(fmt(x, 2) for x in r[k]) if r[k] else "-" for k in ("rta_raw", "lbte_raw")]
        rows.append(f"| {case['material']} | {'x'.join(map(str, case['mesh']))} | {raw[0]} | {raw[1]} |")
    return "\n".join(rows)


def benchmark_parser(doc):
    """The options of every kapitza-modes benchmark (described by its docstring `doc`)."""
    p = argparse.ArgumentParser(description=doc.split("\n")[0],
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--modes", type=Path, default=REPO / "build/kapitza-modes")
    p.add_argument("--mpirun", default="mpirun")
    p.add_argument("--ranks", type=int, default=2)
    p.add_argument("--out", type=Path, default=REPO / "runs" / "ab_initio")  # validation/ab_initio: the reference copy
    return p


def work_folder(args):
    """<out>/work, created; one OpenBLAS thread per rank (the ranks already fill the cores)."""
    work = args.out / "work"
    work.mkdir(parents=True, exist_ok=True)
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    return work


def main():
    p = benchmark_parser(__doc__)
    p.add_argument("--cases", nargs="+", choices=list(CASES), default=list(CASES))
    args = p.parse_args()
    work = work_folder(args)
    records = {}
    for name in args.cases:
        print(f"running {name} ...", flush=True)
        record = run_case(name, CASES[name], args, work)
        if record is None:
            sys.exit(2)
        records[name] = record
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    text = table(records, args)
    print(text)
    (args.out / "README.md").write_text(f"""# Ab initio mode databases: timing and conductivity

Written by `validation/benchmark_ab_initio.py` (commit {commit}, {os.cpu_count()} cores).
Each case is one `mpirun -np {args.ranks} build/kapitza-modes --fc inputs/materials/MATERIAL
--mesh N1 N2 N3 --collision rta|full` at 300 K with tetrahedra (OPENBLAS_NUM_THREADS=1).
"scattering" is the three-phonon part of the wall time (relaxation rates or the full
collision matrix); the rest is harmonic phonons, writing the database and the LBTE
solve. The RTA kappa of a full case comes from 1/tau = the diagonal of the matrix (the
assembly in its log's provenance; with the default own view each mode's linewidth,
energy-projected with the whole matrix), not exactly from phono3py's linewidths: only the
rta cases compare with phono3py's RTA.
"load before" is the machine's 1-minute load average when the case started; it
includes the decaying load of the previous case (up to about {args.ranks}), and values
well above that mean other jobs shared the machine and the timings are slower than on an
idle one. kappa is averaged over the crystal's point group; the values as
computed follow below. The phono3py references are RTA results of the same force
constants and meshes (`inputs/materials/*/phono3py-kappa-*.hdf5`); LBTE has none.

{text}
""")


if __name__ == "__main__":
    main()
