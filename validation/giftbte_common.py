"""Shared pieces of the GiftBTE peer benchmarks: command line, timed runs, profiles."""
import argparse
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
    """The benchmarks' common options; OUT defaults to validation/<out_name>."""
    p = argparse.ArgumentParser(description=doc.split("\n")[0],
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--kapitza", type=Path, help="solver executable",
                   default=REPO / "build/kapitza")
    p.add_argument("--material-tool", type=Path, help="material builder",
                   default=REPO / "build/kapitza-material")
    p.add_argument("--data", type=Path, default=REPO / "inputs/giftbte", help=data_help)
    p.add_argument("--out", type=Path, default=REPO / "validation" / out_name,
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
