"""Shared pieces of the GiftBTE peer benchmarks: command line, timed runs, profiles."""
import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]


def fail(message):
    print("error: " + message, file=sys.stderr)
    sys.exit(2)


def parse_args(doc, data_help, out_name, check_help):
    """The benchmarks' common options; OUT defaults to runs/<out_name> (untracked: a run never
    rewrites the reference copy in validation/<out_name>, which is copied from such a run)."""
    p = argparse.ArgumentParser(description=doc.split("\n")[0],
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--kapitza", type=Path, help="solver executable",
                   default=REPO / "build/kapitza")
    p.add_argument("--material-tool", type=Path, help="material builder",
                   default=REPO / "build/kapitza-material")
    p.add_argument("--data", type=Path, default=REPO / "inputs/giftbte", help=data_help)
    p.add_argument("--out", type=Path, default=REPO / "runs" / out_name,
                   help="output folder (runs go to OUT/work)")
    p.add_argument("--check", action="store_true", help=check_help)
    return p.parse_args()


def run(cmd, cwd, log):
    """Run cmd in cwd with output to log; return (exit code, wall s, peak MB).

    os.wait4 returns the resource usage of this one child (and its waited-for
    descendants), so every case gets its own peak RSS instead of the running
    maximum over all children."""
    if os.geteuid() == 0:  # Open MPI refuses root unless told (CI and the lent machines run as root)
        os.environ.setdefault("OMPI_ALLOW_RUN_AS_ROOT", "1")
        os.environ.setdefault("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1")
    with open(log, "w") as out:
        start = time.perf_counter()
        proc = subprocess.Popen([str(c) for c in cmd], cwd=cwd, stdout=out,
                                stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    return os.waitstatus_to_exitcode(status), wall, usage.ru_maxrss / 1024.0  # Linux: kB


def run_checked(cmd, log, cwd=None):
    """run(), stopping the calling script with one line when the command fails."""
    if run(cmd, cwd, log)[0] != 0:
        sys.exit(f"{Path(sys.argv[0]).name}: {' '.join(map(str, cmd))} failed (see {log})")


def profile_diff(x, tstar, ref):
    """Max |T* - T*_ref| at the reference abscissae inside the probed range."""
    span = 1e-12 * (x.max() - x.min())
    inside = (ref[:, 0] >= x.min() - span) & (ref[:, 0] <= x.max() + span)
    return np.max(np.abs(np.interp(ref[inside, 0], x, tstar) - ref[inside, 1]))


def run_kapitza(kapitza, name, work, record):
    """Run `kapitza NAME.prm` in work; store wall, peak_mb and ok in record and return
    the results file, or None (with a message) when the run failed."""
    code, record["wall"], record["peak_mb"] = run([kapitza, f"{name}.prm"], work,
                                                  work / f"{name}.log")
    results = work / f"{name}.h5"
    record["ok"] = code == 0 and results.exists()
    if not record["ok"]:
        print(f"error: {name} failed (exit {code}), see {work / name}.log", file=sys.stderr)
        return None
    return results


# The angular quadratures of a band material, by azimuth count. "peer": GiftBTE's 128
# directions, 8 half-range Gauss-Legendre cosines to x times 16 azimuths. "azimuth-reduced":
# the same cosines times 2 azimuths, 16 directions. In a 1D case along x nothing depends on
# the azimuth about x, and 2 opposite azimuths keep every band's y and z flux zero as 16 do:
# both discretize the same problem, so their results differ only by the solver's stopping
# tolerance (relative residual 1e-10; the check allows 100 times that).
QUADRATURES = {"peer": 16, "azimuth-reduced": 2}
POLAR_COSINES = 8
SAME_PROBLEM_TOLERANCE = 1e-8


def build_bands(args, work, band_file, name, quadrature):
    """Build work/NAME_QUADRATURE.h5 from a GiftBTE band file at 300 K; its file name, or
    exit 2 on failure."""
    out = work / f"{name}_{quadrature}.h5"
    log = work / f"material_{name}_{quadrature}.log"
    code, wall, _ = run([args.material_tool.resolve(), "bands", "--file",
                         (args.data / band_file).resolve(), "--name", name,
                         "--polar", POLAR_COSINES, "--azimuth", QUADRATURES[quadrature],
                         "--half-range", "--temperature", 300, "--out", out.resolve()],
                        work, log)
    if code != 0:
        fail(f"material build {name} ({quadrature}) failed (exit {code}), see {log}")
    print(f"material {name} on the {quadrature} quadrature built in {wall:.2f} s")
    return out.name


def read_peer_figures(data_dir):
    """The peer's measured cases (peer_figures.json): {case: {wall_s, iterations, peak_mb}}."""
    with open(data_dir / "peer_figures.json") as f:
        return json.load(f)["cases"]


def write_tables(out, title, text, peer, cases, case_name):
    """Write out/table.md (the cases' table `text` under `title`, then the peer's measured
    cases beside ours) and print both; case_name(case) is the case's key in the peer's
    figures."""
    records = {(case_name(c), c["quadrature"]): c for c in cases if c["ok"] and case_name(c) in peer}
    beside = peer_table(peer, records)
    (out / "table.md").write_text(f"# {title}\n\n" + text +
                                  "\n## Beside the peer (one core each; peer figures from "
                                  "peer_figures.json)\n\n" + beside)
    print(text + "\n" + beside, end="")


def peer_table(peer, records):
    """Markdown rows beside the peer for the records of its cases: records maps
    (case, quadrature) to a finished run's dict (solver_wall, wall, iterations, peak_mb)."""
    rows = ["| case | quadrature | solver [s] | process [s] | peer [s] | peer / solver "
            "| peer / process | iterations (peer) | peak MB (peer) | peer / peak |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    for (case, quadrature), r in records.items():
        p = peer[case]
        rows.append(f"| {case} | {quadrature} | {r['solver_wall']:.3f} | {r['wall']:.2f} "
                    f"| {p['wall_s']:.2f} | {p['wall_s'] / r['solver_wall']:.1f} "
                    f"| {p['wall_s'] / r['wall']:.1f} | {r['iterations']} ({p['iterations']}) "
                    f"| {r['peak_mb']:.0f} ({p['peak_mb']}) | {p['peak_mb'] / r['peak_mb']:.2f} |")
    return "\n".join(rows) + "\n"


def compare_quadratures(runs, key, values):
    """Stores in each case record of the first quadrature its largest relative difference
    in `values(record)` from the other quadratures (quadrature_difference) and returns the
    case names (record[key]) beyond SAME_PROBLEM_TOLERANCE; runs maps quadrature to the
    list of case records."""
    first, *others = runs.values()
    bad = []
    for other in others:
        for a, b in zip(first, other):
            if not (a["ok"] and b["ok"]):
                continue
            va, vb = values(a), values(b)
            scale = max(np.max(np.abs(va)), np.max(np.abs(vb)))
            difference = np.max(np.abs(va - vb)) / scale
            a.setdefault("quadrature_difference", 0.0)
            a["quadrature_difference"] = max(a["quadrature_difference"], difference)
            if difference > SAME_PROBLEM_TOLERANCE:
                bad.append(str(a[key]))
    return bad
