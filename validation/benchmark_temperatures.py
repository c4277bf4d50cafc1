#!/usr/bin/python3
"""Cost of extra temperatures in one kapitza-modes run (RTA lifetimes: |V|^2 once per mesh).

Usage:
    validation/benchmark_temperatures.py [--modes build/kapitza-modes] [--mpirun mpirun]
        [--ranks 2] [--out validation/ab_initio] [--temperatures 565 620 670 720] [--repeat 3]

Defaults are relative to the repository root. Runs AlN-LDA 8x8x5 (rta, tetrahedra,
--transport-axis z: the databases of validation/alnsic.py) with `mpirun -np RANKS`
(OPENBLAS_NUM_THREADS=1), at the first temperature and at all of them, each REPEAT times
(the fastest run counts: a run of a few seconds is easily slowed by other jobs), inside
<out>/work, and writes <out>/temperatures.md: wall time, three-phonon part, its
temperature-independent part (|V|^2, delta weights) and the rates at the temperatures,
as kapitza-modes prints them, and the time per extra temperature (from the wall times of
the two runs, and as kapitza-modes measures it). Exit status 2 if a run fails.
"""
import os
import re
import subprocess
import sys

from benchmark_ab_initio import NUMBER, PATTERNS, benchmark_parser, fmt, work_folder
from giftbte_common import REPO, run

MATERIAL, MESH = "AlN-LDA", (8, 8, 5)
TIMES = dict(PATTERNS, strengths_s=r"three-phonon strengths and delta weights: " + NUMBER + " s",
             rates_s=r"rates at \d+ temperature\(s\): " + NUMBER + " s",
             per_temperature_s=r"s, " + NUMBER + " s per extra temperature")


def run_case(temperatures, args, work):
    """The times of one run at `temperatures` (None if it fails)."""
    name = f"{len(temperatures)}T"
    cmd = [args.mpirun, "-np", str(args.ranks), "--allow-run-as-root", args.modes,
           "--fc", REPO / "inputs/materials" / MATERIAL, "--mesh", *MESH, "--collision", "rta",
           "--transport-axis", "z", "--temperature", *temperatures, "--out", work / f"{name}-{{T}}K.h5"]
    load = os.getloadavg()[0]
    code, wall, _ = run(cmd, work, work / f"{name}.log")
    if code != 0:
        print(f"error: {name} failed (exit {code}), see {work / name}.log", file=sys.stderr)
        return None
    log = (work / f"{name}.log").read_text()
    record = {key: float(m.group(1)) if (m := re.search(pattern, log)) else None
              for key, pattern in TIMES.items()}
    record.update(load=load, process_wall_s=wall, count=len(temperatures))
    for t in temperatures:
        (work / f"{name}-{t:g}K.h5").unlink()
    return record


def table(one, many, args):
    rows = ["| temperatures | ranks | load before | wall [s] | three-phonon [s] "
            "| of it: \\|V\\|^2, deltas [s] | of it: rates at the T [s] |",
            "|---|---|---|---|---|---|---|"]
    for r, temperatures in ((one, args.temperatures[:1]), (many, args.temperatures)):
        rows.append(f"| {' '.join(f'{t:g}' for t in temperatures)} | {args.ranks} | {r['load']:.1f} "
                    f"| {fmt(r['wall_s'])} | {fmt(r['scattering_s'])} | {fmt(r['strengths_s'])} "
                    f"| {fmt(r['rates_s'], 3)} |")
    extra = many["count"] - one["count"]
    rows += ["", f"Time per extra temperature: {fmt((many['wall_s'] - one['wall_s']) / extra, 2)} s "
             f"from the wall times ({fmt(many['wall_s'])} - {fmt(one['wall_s'])} s over {extra}), "
             f"{fmt(many['per_temperature_s'], 4)} s of rates as kapitza-modes measures it; "
             f"{many['count']} separate runs would take about {fmt(many['count'] * one['wall_s'])} s."]
    return "\n".join(rows)


def main():
    p = benchmark_parser(__doc__)
    p.add_argument("--temperatures", type=float, nargs="+", default=[565, 620, 670, 720])
    p.add_argument("--repeat", type=int, default=3, help="runs of each case (the fastest counts)")
    args = p.parse_args()
    if len(args.temperatures) < 2 or args.repeat < 1:
        sys.exit("benchmark_temperatures.py: error: --temperatures needs at least two, --repeat one")
    work = work_folder(args)
    records = []
    for temperatures in (args.temperatures[:1], args.temperatures):
        print(f"running {len(temperatures)} temperature(s) {args.repeat} times ...", flush=True)
        runs = [run_case(temperatures, args, work) for _ in range(args.repeat)]
        if None in runs:
            sys.exit(2)
        records.append(min(runs, key=lambda r: r["wall_s"]))
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    text = table(*records, args)
    print(text)
    (args.out / "temperatures.md").write_text(f"""# Several temperatures in one kapitza-modes run

Written by `validation/benchmark_temperatures.py` (commit {commit}, {os.cpu_count()} cores).
Each row is one `mpirun -np {args.ranks} build/kapitza-modes --fc inputs/materials/{MATERIAL}
--mesh {' '.join(map(str, MESH))} --collision rta --transport-axis z --temperature T...
--out 'F-{{T}}K.h5'` with tetrahedra (OPENBLAS_NUM_THREADS=1). The three-phonon strengths
|V|^2, the delta weights and the isotope rates do not depend on T: they are computed once
per irreducible q-point and combined with each temperature's occupations. "three-phonon"
is the scattering part of the wall time; its two parts are the largest over the ranks
(the rest of it: the irreducible q-points, the interaction tables and waiting for the
slower rank). Each row is the fastest of {args.repeat} runs.
"load before" is the 1-minute load average when the run started (values well above
{args.ranks} mean other jobs shared the machine).

{text}
""")


if __name__ == "__main__":
    main()
