#!/usr/bin/python3
"""Peak memory and wall time of one AlN/SiC flagship solve against the number of modes per
side, for both Krylov unknowns (Solver/Krylov unknown = state | scattering data).

Usage:
    validation/benchmark_memory.py [--build build] [--out runs/benchmark_memory]
        [--runs runs/alnsic_convergence] [--temperature 620] [--model dmm]
        [--unknowns state "scattering data"] [--mpirun "mpirun -np 2"]

Inputs are the flagship's own cases: every RUNS/<AlN>_<SiC>/work/ that holds the mode
databases and <model>-forward-<T>K.prm written by validation/alnsic_convergence.py (run it
first). Each case is solved again here, unchanged except for its output file and the Krylov
unknown; kapitza prints its memory estimate per rank (what was resident when it estimated,
plus what it plans to allocate) and, at the end, the peak resident memory (VmHWM) of its
largest rank. OUT/table.md and OUT/table.json list, per case and unknown: modes, GMRES
iterations, solve and wall time, peak memory, the estimate and their ratio, and G and the
drop (which the two unknowns must share); below the table, the slope of the peak memory
against the modes per rank, from a least-squares line through the sizes of each unknown.
"""
import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PATTERNS = {
    "modes": r"material\s+(\S+)\s+(\d+) modes",
    "estimate": r"memory estimate per rank: ([0-9.]+) GB",
    "iterations": r"converged after (\d+) iterations",
    "times": r"wall time ([0-9.]+) s \(setup ([0-9.]+) s, solve ([0-9.]+) s\)",
    "peak": r"peak memory per rank ([0-9.]+) GB",
    "interface": r"temperature drop ([-0-9.e+]+) K .* G = ([-0-9.e+]+) MW",
}


def fail(message):
    print(f"benchmark_memory.py: error: {message}", file=sys.stderr)
    sys.exit(1)


def parse_log(text, log):
    found = {key: re.findall(pattern, text) for key, pattern in PATTERNS.items()}
    missing = [key for key, value in found.items() if not value]
    if missing:
        fail(f"{log}: no {', '.join(missing)} line (see the log)")
    wall, setup, solve = map(float, found["times"][-1])
    drop, g = map(float, found["interface"][-1])
    return {
        "modes": {name: int(n) for name, n in found["modes"]},
        "estimate_gb": float(found["estimate"][-1]),  # the estimate after the mesh
        "iterations": int(found["iterations"][-1]),
        "wall_s": wall, "setup_s": setup, "solve_s": solve,
        "peak_gb": float(found["peak"][-1]),
        "drop_K": drop, "G": g,
    }


def case_input(work, model, temperature, unknown, output):
    """The flagship's .prm with absolute database paths (materials and DMM spectral sets),
    its own output and the unknown."""
    prm = (work / f"{model}-forward-{temperature:g}K.prm").read_text()
    prm = re.sub(r"(set (?:Files|Spectral files) = )(.*)", lambda m: m.group(1) + ", ".join(
        str(work / name.strip()) for name in m.group(2).split(",")), prm)
    prm = re.sub(r"set File = .*", f"set File = {output}", prm, count=1)
    return prm.replace("subsection Solver\n", f"subsection Solver\n  set Krylov unknown = {unknown}\n", 1)


def run_case(args, work, unknown):
    tag = f"{work.parent.name}-{unknown.replace(' ', '-')}"
    prm = args.out / f"{tag}.prm"
    prm.write_text(case_input(work, args.model, args.temperature, unknown, args.out / f"{tag}.h5"))
    log = args.out / f"{tag}.log"
    command = shlex.split(args.mpirun) + [str(args.build / "kapitza"), str(prm)]
    if os.geteuid() == 0:  # Open MPI refuses root unless told (CI and the lent machines run as root)
        os.environ.setdefault("OMPI_ALLOW_RUN_AS_ROOT", "1")
        os.environ.setdefault("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1")
    start = time.time()
    with open(log, "w") as out:
        code = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, cwd=args.out).returncode
    if code != 0:
        fail(f"{' '.join(command)} failed (exit {code}); see {log}")
    result = parse_log(log.read_text(), log)
    result.update(case=work.parent.name, unknown=unknown, process_s=time.time() - start)
    return result


def slope(rows, ranks):
    """Least-squares slope of the peak memory [bytes] per mode of a rank, and its intercept."""
    x = [sum(r["modes"].values()) / ranks for r in rows]
    y = [r["peak_gb"] * 1e9 for r in rows]
    n, mx, my = len(x), sum(x) / len(x), sum(y) / len(y)
    sxx = sum((a - mx) ** 2 for a in x)
    if n < 2 or sxx == 0:
        return None, None
    b = sum((a - mx) * (c - my) for a, c in zip(x, y)) / sxx
    return b, my - b * mx


def write_report(args, results, ranks):
    lines = ["# Memory and time of one flagship solve against modes per side",
             "", "Written by `validation/benchmark_memory.py` (do not edit).", "",
             f"AlN/SiC, {args.model.upper()}, forward, {args.temperature:g} K, `{args.mpirun}`; the cases of "
             f"`{args.runs}` (1D, the flagship's mesh, EELS on). Peak: VmHWM of the largest rank; "
             "estimate: kapitza's memory estimate per rank after the mesh (resident then + planned).", "",
             "| case | modes AlN | modes SiC | Krylov unknown | GMRES iterations | solve [s] | wall [s] "
             "| peak per rank [GB] | estimate [GB] | peak / estimate | G [MW/m^2K] | drop [K] |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        m = r["modes"]
        lines.append(f"| {r['case']} | {m.get('AlN', 0)} | {m.get('SiC', 0)} | {r['unknown']} | {r['iterations']} "
                     f"| {r['solve_s']:.2f} | {r['wall_s']:.2f} | {r['peak_gb']:.3f} | {r['estimate_gb']:.3f} "
                     f"| {r['peak_gb'] / r['estimate_gb']:.2f} | {r['G']:.6g} | {r['drop_K']:.6g} |")
    lines += ["", "| Krylov unknown | peak memory per mode of a rank [kB] | intercept [GB] | "
              "peak / estimate - 1 farthest from 0 |", "|---|---|---|---|"]
    for unknown in args.unknowns:
        rows = [r for r in results if r["unknown"] == unknown]
        b, a = slope(rows, ranks)
        worst = max((r["peak_gb"] / r["estimate_gb"] - 1 for r in rows), key=abs, default=float("nan"))
        lines.append(f"| {unknown} | {b / 1e3:.1f} | {a / 1e9:.3f} | {worst:+.0%} |" if b is not None
                     else f"| {unknown} | (one size) | | {worst:+.0%} |")
    differences = []
    for case in sorted({r["case"] for r in results}):
        pair = [r for r in results if r["case"] == case]
        if len(pair) == 2:
            differences.append(abs(pair[0]["G"] / pair[1]["G"] - 1))
    if differences:
        lines += ["", f"Largest relative difference in G between the two unknowns: {max(differences):.1e} "
                  "(printed to 6 digits)."]
    (args.out / "table.md").write_text("\n".join(lines) + "\n")
    (args.out / "table.json").write_text(json.dumps(results, indent=1) + "\n")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    p.add_argument("--build", type=Path, default=REPO / "build")
    p.add_argument("--out", type=Path, default=REPO / "runs" / "benchmark_memory")
    p.add_argument("--runs", type=Path, default=REPO / "runs" / "alnsic_convergence")
    p.add_argument("--temperature", type=float, default=620.0)
    p.add_argument("--model", default="dmm")
    p.add_argument("--unknowns", nargs="+", default=["state", "scattering data"])
    p.add_argument("--mpirun", default="mpirun -np 2")
    args = p.parse_args()
    if not (args.build / "kapitza").is_file():
        fail(f"{args.build / 'kapitza'} not found: build first (cmake --build build)")
    works = sorted((d / "work" for d in args.runs.glob("*_*") if
                    (d / "work" / f"{args.model}-forward-{args.temperature:g}K.prm").is_file()),
                   key=lambda w: sum(w.joinpath(f).stat().st_size for f in ("AlN-%gK.h5" % args.temperature,
                                                                              "SiC-%gK.h5" % args.temperature)))
    if not works:
        fail(f"no flagship cases in {args.runs}: run validation/alnsic_convergence.py first")
    args.out.mkdir(parents=True, exist_ok=True)
    ranks = int(re.search(r"-np\s+(\d+)", args.mpirun).group(1)) if "-np" in args.mpirun else 1
    results = []
    for work in works:
        for unknown in args.unknowns:
            results.append(run_case(args, work, unknown))
            r = results[-1]
            print(f"{r['case']:>18} {unknown:>16}: {r['iterations']} iterations, solve {r['solve_s']:.2f} s, "
                  f"peak {r['peak_gb']:.3f} GB (estimate {r['estimate_gb']:.3f}), G {r['G']:.6g}", flush=True)
    write_report(args, results, ranks)
    print(f"wrote {args.out / 'table.md'}")


if __name__ == "__main__":
    main()
