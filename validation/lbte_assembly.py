#!/usr/bin/python3
"""Which assembly of the full collision matrix converges faster with the q-mesh: Si-PBEsol at
300 K (tetrahedra), kapitza-modes on n x n x n meshes, OUT/README.md and OUT/lbte_assembly.png
written from the runs.

Usage:
    validation/lbte_assembly.py [--build build] [--out runs/lbte_assembly] [--mpirun "mpirun -np 1"]
        [--full-meshes 5 7 9 11 13 15 19] [--rta-meshes 5 7 9 11 13 15 16 19 21 23 25]
        [--material Si-PBEsol] [--temperature 300]

Per mesh of --full-meshes, `--collision full` with each `--assembly` (mean-of-views: every
process enters its three rows with the mean of its three modes' views, projected onto energy
conservation process by process; own-view: each row its mode's own view, phono3py's, the
symmetrized matrix projected as a whole; docs/results.md): the LBTE kappa and the RTA kappa
of 1/tau = the matrix diagonal. Per mesh of --rta-meshes, `--collision rta` (each mode's own
linewidth, phono3py's RTA; it needs only the irreducible q-points, so it reaches finer
meshes than a full matrix, which every rank holds as an N x N sum: one rank's matrix is
13.5 GB at 19^3, held once since session 20; the copies before made it about 40 GB). kappa is the
point-group average (cubic: one number). Each sequence is extrapolated in h = 1/n with
validation/alnsic_convergence.py's rule (X = X_inf + a h^p through the three finest meshes,
uncertainty from the three before; the middle and half range where no such law fits), and
the report gives, per sequence and mesh, the distance from its own limit: the assembly whose
values approach a common limit from closer at equal n converges faster. Databases are deleted
after they are read (a 16^3 matrix is 4.8 GB).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from alnsic_convergence import extrapolate, shown_path  # noqa: E402
from benchmark_ab_initio import NUMBER, tensor  # noqa: E402
from giftbte_common import REPO  # noqa: E402

PATTERNS = {"projection": r"energy projection changed the W-weighted diagonal by " + NUMBER,
            "wall": r"wall time " + NUMBER + " s", "peak": r"peak memory of the largest rank " + NUMBER + " MB",
            "rows": r"q-points of this rank \(\d+ of (\d+)\)"}
ASSEMBLIES = ("mean-of-views", "own-view")


def run_modes(args, n, collision, assembly=None):
    """kapitza-modes on n^3 (read from its log when the log is complete); the numbers it printed."""
    name = f"{args.material}-{n}-{collision}" + (f"-{assembly}" if assembly else "")
    work = Path(args.out) / "work"
    work.mkdir(parents=True, exist_ok=True)
    log = work / f"{name}.log"
    if not (log.is_file() and "wall time" in log.read_text()):
        database = work / f"{name}.h5"
        command = [*args.mpirun.split(), str(Path(args.build) / "kapitza-modes"),
                   "--fc", str(REPO / "inputs" / "materials" / args.material), "--mesh", *[str(n)] * 3,
                   "--temperature", f"{args.temperature:g}", "--collision", collision, "--out", str(database)]
        command += ["--assembly", assembly] if assembly else []
        start = time.time()
        with open(log, "w") as out:
            failed = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT,
                                    env={**os.environ, "OPENBLAS_NUM_THREADS": "1"}).returncode != 0
        database.unlink(missing_ok=True)
        if failed:
            log.rename(log.with_suffix(".failed"))
            sys.exit(f"lbte_assembly.py: error: {name} failed, see {log.with_suffix('.failed')}")
        print(f"{name}: {time.time() - start:.0f} s", flush=True)
    text = log.read_text()
    found = {key: re.search(pattern, text, re.M) for key, pattern in PATTERNS.items()}
    values = {key: float(match[1]) for key, match in found.items() if match}
    # point-group averaged (cubic: one number); tensor() reads a full set's "matrix-diagonal RTA"
    values["rta" if collision == "rta" else "diagonal"] = tensor(text, "RTA", averaged=True)[0]
    if collision == "full":
        values["lbte"] = tensor(text, "full (LBTE)", averaged=True)[0]
    # the ranks of the run that wrote the log (a log of an earlier call keeps its own)
    values["ranks"] = round(n ** 3 / values.pop("rows")) if "rows" in values else None
    return values


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default=str(REPO / "build"))
    parser.add_argument("--out", default=str(REPO / "runs" / "lbte_assembly"))
    # One rank: every rank sums into a whole N x N (13.5 GB at 19^3), so two do not fit 24 GB there.
    parser.add_argument("--mpirun", default="mpirun -np 1")
    parser.add_argument("--material", default="Si-PBEsol")
    parser.add_argument("--temperature", type=float, default=300.0)
    parser.add_argument("--full-meshes", type=int, nargs="+", default=[5, 7, 9, 11, 13, 15, 19])
    parser.add_argument("--rta-meshes", type=int, nargs="+", default=[5, 7, 9, 11, 13, 15, 16, 19, 21, 23, 25])
    args = parser.parse_args()
    for option, meshes in (("--full-meshes", args.full_meshes), ("--rta-meshes", args.rta_meshes)):
        if len(meshes) < 3 or min(meshes) < 2:
            sys.exit(f"lbte_assembly.py: error: {option} needs at least 3 meshes of 2 or more points")
    if not (REPO / "inputs" / "materials" / args.material).is_dir():
        sys.exit(f"lbte_assembly.py: error: no inputs/materials/{args.material}")
    if not (Path(args.build) / "kapitza-modes").is_file():
        sys.exit(f"lbte_assembly.py: error: --build {args.build} holds no kapitza-modes")
    return args


def main():
    args = parse_args()
    start = time.time()
    full_meshes, rta_meshes = sorted(set(args.full_meshes)), sorted(set(args.rta_meshes))
    rta = {n: run_modes(args, n, "rta") for n in rta_meshes}
    full = {(n, a): run_modes(args, n, "full", a) for n in full_meshes for a in ASSEMBLIES}
    # kappa xx of each sequence (cubic: the point-group average is isotropic)
    sequences = {"RTA, own linewidths (--collision rta)": (rta_meshes, [rta[n]["rta"] for n in rta_meshes])}
    for a in ASSEMBLIES:
        sequences[f"RTA, matrix diagonal, {a}"] = (full_meshes, [full[n, a]["diagonal"] for n in full_meshes])
    for a in ASSEMBLIES:
        sequences[f"LBTE, {a}"] = (full_meshes, [full[n, a]["lbte"] for n in full_meshes])
    # The rta sequence reaches the finest meshes; the full sequences' limits are anchored on
    # it: the RTA limit for both diagonals (the views agree for exact deltas) and the RTA
    # limit times the finest mesh's LBTE / diagonal ratio for each LBTE. Each sequence's own
    # extrapolation stands beside it.
    value, error, method = extrapolate(1.0 / np.array(rta_meshes, float), np.array(sequences[
        "RTA, own linewidths (--collision rta)"][1]))
    own = {title: extrapolate(1.0 / np.array(meshes, float), np.array(values))
           for title, (meshes, values) in sequences.items()}
    anchor = {"limit": float(value), "uncertainty": float(error), "method": method}
    finest = full_meshes[-1]
    ratio = {(n, a): full[n, a]["lbte"] / full[n, a]["diagonal"] for n in full_meshes for a in ASSEMBLIES}
    ratio_change = max(abs(ratio[finest, a] / ratio[full_meshes[-2], a] - 1) for a in ASSEMBLIES)
    limits = {title: value * (ratio[finest, title.split(", ")[-1]] if title.startswith("LBTE") else 1)
              for title in sequences}

    lines = [f"# {args.material}: the collision matrix's assembly under q-mesh refinement ({args.temperature:g} K)", "",
             f"Written by `validation/lbte_assembly.py` from the runs under `{shown_path(args.out)}` "
             f"({time.time() - start:.0f} s this call; `{args.mpirun}`, tetrahedra). kappa in W/(m K), "
             "point-group averaged. Extrapolation in h = 1/n as validation/alnsic_convergence.py "
             "(power law through the three finest meshes, uncertainty from the three before).",
             "", "## kappa per mesh", "",
             "| n | RTA (own linewidths) | RTA diagonal, mean-of-views | RTA diagonal, own-view | LBTE mean-of-views "
             "| LBTE own-view | projection mean / own | full matrix wall [s] (ranks) mean / own | peak [GB] mean / own |",
             "|---|---|---|---|---|---|---|---|---|"]
    for n in rta_meshes:
        cells = [f"{rta[n]['rta']:.2f}"]
        if n in full_meshes:
            m, o = full[n, "mean-of-views"], full[n, "own-view"]
            cells += [f"{m['diagonal']:.2f}", f"{o['diagonal']:.2f}", f"{m['lbte']:.2f}", f"{o['lbte']:.2f}",
                      f"{m['projection']:.2e} / {o['projection']:.2e}", f"{m['wall']:.0f} ({m['ranks']}) / {o['wall']:.0f} ({o['ranks']})",
                      f"{m['peak'] / 1e3:.2f} / {o['peak'] / 1e3:.2f}"]
        else:
            cells += ["-"] * 7
        lines.append(f"| {n} | " + " | ".join(cells) + " |")
    lines += ["", "## Distance from the anchored limits", "",
              f"The rta sequence extrapolates to {anchor['limit']:.2f} +- {anchor['uncertainty']:.2f} W/(m K) "
              f"({anchor['method']}, meshes {rta_meshes[-3]}-{rta_meshes[-1]}). Each full sequence is compared with "
              "a limit anchored on it (the full sequences stop at coarser meshes, and their own extrapolations, "
              "in the last columns, carry larger uncertainties): the RTA limit for the diagonals (the views agree for "
              "exact delta functions), the "
              f"RTA limit times the LBTE / diagonal ratio of n = {finest} for each LBTE (the ratio moves by "
              f"at most {100 * ratio_change:.2f} % over the finest two meshes, below). The anchored limits carry "
              "the RTA limit's uncertainty.", "",
              "| sequence | anchored limit | " + " | ".join(f"n = {n}" for n in full_meshes) +
              " | own extrapolation | its method |",
              "|---|---|" + "---|" * len(full_meshes) + "---|---|"]
    for title, (meshes, values) in sequences.items():
        distance = {n: 100 * (v / limits[title] - 1) for n, v in zip(meshes, values)}
        lines.append(f"| {title} | {limits[title]:.2f} | " +
                     " | ".join(f"{distance[n]:+.2f} %" if n in distance else "-" for n in full_meshes) +
                     f" | {own[title][0]:.2f} +- {own[title][1]:.2f} | {own[title][2]}, meshes {meshes[-3]}-{meshes[-1]} |")
    lines += ["", "## The two assemblies side by side", "",
              "own-view / mean-of-views - 1 of the LBTE and of the matrix-diagonal RTA kappa, and each assembly's "
              "LBTE / its diagonal RTA (the collective share of the flux):", "",
              "| n | LBTE own / mean - 1 | diagonal RTA own / mean - 1 | LBTE / diagonal, mean-of-views | "
              "LBTE / diagonal, own-view |", "|---|---|---|---|---|"]
    for n in full_meshes:
        m, o = full[n, "mean-of-views"], full[n, "own-view"]
        lines.append(f"| {n} | {100 * (o['lbte'] / m['lbte'] - 1):+.2f} % | {100 * (o['diagonal'] / m['diagonal'] - 1):+.2f} % | "
                     f"{m['lbte'] / m['diagonal']:.4f} | {o['lbte'] / o['diagonal']:.4f} |")
    lines.append("")
    (Path(args.out) / "README.md").write_text("\n".join(lines))
    (Path(args.out) / "lbte_assembly.json").write_text(json.dumps(
        {"material": args.material, "temperature": args.temperature, "rta_limit": anchor, "anchored_limits": limits,
         "own_extrapolations": {t: {"limit": float(v), "uncertainty": float(e), "method": m} for t, (v, e, m) in own.items()},
         "sequences": {t: {"meshes": m, "kappa": v} for t, (m, v) in sequences.items()}}, indent=1))
    figure, axis = plt.subplots(figsize=(6.4, 4.4))
    for (title, (meshes, values)), style in zip(sequences.items(), ("k.-", "C0s--", "C1o--", "C0s-", "C1o-")):
        axis.plot(1.0 / np.array(meshes), values, style, label=title)
    axis.errorbar([0], [anchor["limit"]], yerr=[anchor["uncertainty"]], fmt="k*", capsize=3,
                  label="RTA limit (power law in 1/n through the finest three)")
    axis.set_xlabel("1 / n (q-mesh n x n x n)")
    axis.set_ylabel("kappa [W/(m K)]")
    axis.set_xlim(left=-0.005)
    axis.set_title(f"{args.material}, {args.temperature:g} K: assembly of the collision matrix")
    axis.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(Path(args.out) / "lbte_assembly.png", dpi=120)
    print(f"wrote {Path(args.out) / 'README.md'}")


if __name__ == "__main__":
    main()
