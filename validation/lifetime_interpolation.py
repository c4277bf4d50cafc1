#!/usr/bin/python3
"""Bulk kappa of dense mode sets whose lifetimes are interpolated from a coarser three-phonon
mesh (kapitza-modes --lifetimes-from), or computed at every dense q with the partner sums on
a sub-mesh (kapitza-modes --partner-mesh), against kappa computed directly on the same dense
mesh (issue 13: "dense transport mode sets").

Usage:
    validation/lifetime_interpolation.py [--build build] [--out runs/lifetime_interpolation]
        [--materials Si AlN SiC] [--mpirun "mpirun -np 2"] [--cache DIR]

For each material (the flagship's settings: RTA, tetrahedron delta functions, Bose
occupations, AlN and 4H-SiC at the flagship's 620 K with the c axis on x; Si-PBEsol at
300 K) kapitza-modes computes the three-phonon RTA set directly on the dense mesh, and on
each coarse mesh; then the dense mesh's harmonic phonons with the lifetimes of each coarse
set interpolated (omega^2 tau trilinear in q per band). The table gives every set's RTA
kappa (point-group average, kapitza-modes --kappa), its difference from the direct dense
value, and the wall times: what the interpolation costs against the direct computation
(a database already in OUT/work with the log of its computation is reused with its time).
The target: the interpolated set within 1 % of the direct one (CLOSE_ENOUGH).
A second table interpolates other quantities (the rate, its logarithm, the lifetime, each
times omega^-p or omega^p for p = 0, 2) from the same coarse files onto the direct dense
set's modes, here in numpy (kappa_xx as computed, not averaged): why kapitza-modes
interpolates omega^2 tau. Its omega^2 tau lifetimes must equal kapitza-modes' own mode by
mode to 1e-9 (an independent implementation; the script stops otherwise).
A third table gives the dense sets whose rates are computed at their own q with the sums over
partner q-points on each sub-mesh of PARTNERS (the sub-mesh's delta weights): their kappa, its
difference from the direct set, and the wall time against the direct one's.
Writes OUT/README.md; databases and logs in OUT/work (untracked).
"""
import argparse
import re
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import h5py
import numpy as np

REPO = Path(__file__).resolve().parent.parent
CLOSE_ENOUGH = 0.01  # the target: interpolated kappa within 1 % of the direct one
SAME_IMPLEMENTATION = 1e-9  # numpy's omega^2 tau lifetimes against kapitza-modes' (round-off)
HBAR, KB = 1.054571817e-34, 1.380649e-23
# Interpolated quantities of the scheme table: name, forward map of (rate, omega), inverse.
SCHEMES = [
    ("rate", lambda r, w: r, lambda y, w: y),
    ("rate / omega^2", lambda r, w: r / w ** 2, lambda y, w: y * w ** 2),
    ("log(rate / omega^2)", lambda r, w: np.log(r / w ** 2), lambda y, w: np.exp(y) * w ** 2),
    ("tau", lambda r, w: 1 / r, lambda y, w: 1 / y),
    ("omega^2 tau (kapitza)", lambda r, w: w ** 2 / r, lambda y, w: w ** 2 / y),
]


@dataclass
class Case:
    name: str
    folder: str
    temperature: float
    axis: str
    dense: tuple
    coarse: list
    partners: list  # sub-meshes of `dense` for --partner-mesh


CASES = {
    "Si": Case("Si", "Si-PBEsol", 300, "x", (24, 24, 24), [(8, 8, 8), (12, 12, 12), (16, 16, 16)],
               [(8, 8, 8), (12, 12, 12)]),
    "AlN": Case("AlN", "AlN-LDA", 620, "z", (18, 18, 12), [(6, 6, 4), (9, 9, 6), (12, 12, 8)],
                [(6, 6, 4), (9, 9, 6), (9, 9, 12), (18, 18, 4)]),
    "SiC": Case("SiC", "SiC-4H-vashishta", 620, "z", (18, 18, 6), [(6, 6, 2), (9, 9, 3), (12, 12, 4)],
                [(6, 6, 2), (9, 9, 3), (9, 9, 6), (18, 18, 3)]),
}
KAPPA_LINE = re.compile(r"^RTA kappa point-group average \(\d+ operations\) xx yy zz = (\S+) (\S+) (\S+) W/\(m K\)$")
WALL_LINE = re.compile(r"^wall time (\S+) s")


def fail(message):
    sys.exit(f"lifetime_interpolation.py: error: {message}")


def mesh_text(mesh):
    return "x".join(map(str, mesh))


def run(command, log):
    """Runs a command into its log; the log's text, or a one-line failure."""
    with open(log, "w") as f:
        done = subprocess.run(command, stdout=f, stderr=subprocess.STDOUT, text=True)
    text = Path(log).read_text()
    if done.returncode != 0:
        fail(f"{' '.join(command[:6])} ... failed (see {log}): {text.strip().splitlines()[-1:]}")
    return text


def wall_seconds(text):
    """kapitza-modes' own wall time [s], or None (the database came from the cache)."""
    for line in text.splitlines():
        match = WALL_LINE.match(line)
        if match:
            return float(match.group(1))
    return None


def seconds_text(seconds):
    return "cached" if seconds is None else f"{seconds:.0f}"


def database(args, case, mesh, work, coarse=None, partners=None):
    """Writes one database (direct, interpolated from `coarse`, or with its partner sums on the
    sub-mesh `partners`) unless OUT/work holds it with the log of its computation; returns
    (file, wall seconds or None when cached)."""
    tag = (f"{case.name}-{mesh_text(mesh)}" + (f"-from-{mesh_text(coarse[0])}" if coarse else "") +
           (f"-partners-{mesh_text(partners)}" if partners else ""))
    out, log = work / f"{tag}.h5", work / f"{tag}.log"
    if out.is_file() and log.is_file() and wall_seconds(log.read_text()) is not None:
        return out, wall_seconds(log.read_text())
    command = shlex.split(args.mpirun) + [
        str(args.build / "kapitza-modes"), "--fc", str(REPO / "inputs" / "materials" / case.folder),
        "--mesh", *map(str, mesh), "--temperature", f"{case.temperature:g}", "--collision", "rta",
        "--transport-axis", case.axis, "--material", case.name, "--out", str(out)]
    command += ["--cache", str(args.cache)] if args.cache else []
    if coarse:
        command += ["--lifetimes-from", str(coarse[1])]
    if partners:
        command += ["--partner-mesh", *map(str, partners)]
    return out, wall_seconds(run(command, log))


def kappa(args, case, path):
    """(xx, yy, zz) of the point-group averaged RTA kappa [W/mK]."""
    text = run([str(args.build / "kapitza-modes"), "--kappa", str(path), "--fc",
                str(REPO / "inputs" / "materials" / case.folder)], path.with_suffix(".kappa.txt"))
    for line in text.splitlines():
        match = KAPPA_LINE.match(line)
        if match:
            return tuple(float(v) for v in match.groups())
    fail(f"{path}: kapitza-modes --kappa printed no point-group averaged RTA kappa")


def mode_data(path):
    """What kappa_xx needs of a database, and each mode's place on its mesh."""
    with h5py.File(path, "r") as f:
        mesh = np.array([int(n) for n in f["provenance"].attrs["q_mesh"].split()])
        x = f["wavevector"][()] @ f["cell"][()].T * mesh / (2 * np.pi)  # in mesh steps
        return {"omega": f["omega"][()], "tau": f["tau"][()], "branch": f["branch"][()], "mesh": mesh,
                "x": x, "address": np.rint(x).astype(int) % mesh, "vx": f["velocity"][:, 0],
                "density": f["density"][()], "T": float(f.attrs["temperature"])}


def kappa_xx(modes, tau):
    """RTA kappa_xx as computed [W/mK]: sum C v_x^2 tau (Bose heat capacity)."""
    x = HBAR * modes["omega"] / (KB * modes["T"])
    capacity = KB * x ** 2 * np.exp(x) / np.expm1(x) ** 2 * modes["density"]
    return float(np.sum(capacity * modes["vx"] ** 2 * tau))


def interpolated_tau(coarse, dense, forward, inverse):
    """Trilinear interpolation per band of forward(rate, omega) from the coarse mesh onto the
    dense modes (the acoustic Gamma corner left out, weights renormalized); their tau."""
    mesh, n_branch = coarse["mesh"], coarse["branch"].max() + 1
    table = np.full((*mesh, n_branch), np.nan)
    a = coarse["address"]
    table[a[:, 0], a[:, 1], a[:, 2], coarse["branch"]] = forward(1 / coarse["tau"], coarse["omega"])
    position = dense["x"] / dense["mesh"] * mesh  # dense q in coarse mesh steps
    corner = np.floor(position + 1e-9).astype(int)
    fraction = np.clip(position - corner, 0, None)
    total, weights = np.zeros(len(dense["omega"])), np.zeros(len(dense["omega"]))
    for c in range(8):
        step = np.array([(c >> i) & 1 for i in range(3)])
        weight = np.prod(np.where(step, fraction, 1 - fraction), axis=1)
        at = (corner + step) % mesh
        value = table[at[:, 0], at[:, 1], at[:, 2], dense["branch"]]
        use = (weight > 1e-12) & ~np.isnan(value)
        total[use] += weight[use] * value[use]
        weights[use] += weight[use]
    return 1 / inverse(total / weights, dense["omega"])


def scheme_row(coarse_path, dense_path, interpolated_path):
    """kappa_xx of every interpolated quantity relative to the direct dense set, minus 1;
    numpy's omega^2 tau must give kapitza-modes' interpolated lifetimes, mode by mode."""
    coarse, dense, ours = mode_data(coarse_path), mode_data(dense_path), mode_data(interpolated_path)
    reference = kappa_xx(dense, dense["tau"])
    taus = [interpolated_tau(coarse, dense, f, g) for _, f, g in SCHEMES]
    same_modes = np.array_equal(ours["omega"], dense["omega"]) and np.array_equal(ours["branch"], dense["branch"])
    if not same_modes or np.max(np.abs(taus[-1] / ours["tau"] - 1)) > SAME_IMPLEMENTATION:
        fail(f"{interpolated_path.name}: numpy's omega^2 tau interpolation does not give kapitza-modes' lifetimes")
    return [kappa_xx(dense, tau) / reference - 1 for tau in taus]


def material_rows(args, case, work):
    """The table rows of one material and whether every interpolation is close enough."""
    direct, direct_seconds = database(args, case, case.dense, work)
    reference = kappa(args, case, direct)
    # The transport axis (xx) and one across it (yy); with the c axis on x, xx is kappa_c.
    rows = [f"| {mesh_text(case.dense)} direct | | | {reference[0]:.2f} | {reference[1]:.2f} | | | "
            f"{seconds_text(direct_seconds)} |"]
    worst, schemes, finest = 0.0, [], None
    for mesh in case.coarse:
        coarse, coarse_seconds = database(args, case, mesh, work)
        own = kappa(args, case, coarse)
        dense, dense_seconds = database(args, case, case.dense, work, (mesh, coarse))
        value = kappa(args, case, dense)
        error = [value[i] / reference[i] - 1 for i in (0, 1)]
        worst, finest = max(worst, *map(abs, error)), (mesh, error)
        rows.append(f"| {mesh_text(case.dense)} from {mesh_text(mesh)} | {own[0]:.2f} / {own[1]:.2f} | "
                    f"{own[0] / reference[0] - 1:+.2%} / {own[1] / reference[1] - 1:+.2%} | "
                    f"{value[0]:.2f} | {value[1]:.2f} | {error[0]:+.2%} | {error[1]:+.2%} | "
                    f"{seconds_text(coarse_seconds)} + {seconds_text(dense_seconds)} |")
        schemes.append(scheme_row(coarse, direct, dense))
    mesh, error = finest
    verdict = "within" if max(map(abs, error)) <= CLOSE_ENOUGH else "outside"
    summary = (f"- {case.name}, interpolated: from the finest coarse mesh {mesh_text(mesh)}, xx {error[0]:+.2%} "
               f"and yy {error[1]:+.2%} ({verdict} {CLOSE_ENOUGH:.0%}); over all coarse meshes up to {worst:.2%}")
    return rows, schemes, summary, (reference, direct_seconds)


def partner_rows(args, case, work, reference, direct_seconds):
    """The rows of the partner sub-mesh table and the summary line of one material: per axis,
    the sub-meshes within CLOSE_ENOUGH (with their time against the direct set's)."""
    rows, within = [], {0: [], 1: []}
    for mesh in case.partners:
        path, seconds = database(args, case, case.dense, work, partners=mesh)
        value = kappa(args, case, path)
        error = [value[i] / reference[i] - 1 for i in (0, 1)]
        ratio = "" if seconds is None or direct_seconds is None else f"{seconds / direct_seconds:.2f} of direct"
        rows.append(f"| {mesh_text(case.dense)}, partners on {mesh_text(mesh)} | {value[0]:.2f} | {value[1]:.2f} | "
                    f"{error[0]:+.2%} | {error[1]:+.2%} | {seconds_text(seconds)}" + (f" ({ratio})" if ratio else "")
                    + " |")
        for axis in (0, 1):
            if abs(error[axis]) <= CLOSE_ENOUGH:
                within[axis].append(f"{mesh_text(mesh)} ({error[axis]:+.2%}" + (f", {ratio})" if ratio else ")"))
    axes = [f"{name} within {CLOSE_ENOUGH:.0%} from " + (", ".join(within[axis]) if within[axis] else "none")
            for axis, name in ((0, "xx"), (1, "yy"))]
    return rows, f"- {case.name}, partner sub-mesh: " + "; ".join(axes)


def scheme_lines(case, schemes):
    """The scheme table and which quantity comes closest from the finest coarse mesh."""
    lines = ["| coarse mesh | " + " | ".join(name for name, _, _ in SCHEMES) + " |",
             "|---|" + "---|" * len(SCHEMES)]
    lines += [f"| {mesh_text(mesh)} | " + " | ".join(f"{e:+.2%}" for e in errors) + " |"
              for mesh, errors in zip(case.coarse, schemes)]
    finest = schemes[-1]
    best = min(range(len(SCHEMES)), key=lambda i: abs(finest[i]))
    return lines + ["", f"From {mesh_text(case.coarse[-1])} the closest is {SCHEMES[best][0]} "
                        f"({finest[best]:+.2%}); kapitza-modes' omega^2 tau gives {finest[-1]:+.2%}."]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--build", type=Path, default=REPO / "build")
    parser.add_argument("--out", type=Path, default=REPO / "runs" / "lifetime_interpolation")
    parser.add_argument("--materials", nargs="+", default=list(CASES), choices=list(CASES))
    parser.add_argument("--mpirun", default="mpirun -np 2")
    parser.add_argument("--cache", type=Path, help="kapitza-modes' database cache (default: none; "
                                                   "databases in OUT/work with their logs are reused)")
    args = parser.parse_args()
    if not (args.build / "kapitza-modes").is_file():
        fail(f"{args.build / 'kapitza-modes'} not found (build kapitza first, or give --build)")
    work = args.out / "work"
    work.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    text = ["# Interpolated lifetimes against direct three-phonon lifetimes on the same dense mesh", "",
            "Written by `validation/lifetime_interpolation.py` (do not edit).", "",
            "Each dense set has the harmonic phonons of its mesh and the RTA lifetimes of a coarse set, "
            "interpolated per band as omega^2 tau, trilinear in q (`kapitza-modes --lifetimes-from`, "
            "docs/results.md). kappa: RTA, point-group average, W/(m K); xx is the transport "
            "axis (the c axis for AlN and 4H-SiC). The difference is from the direct dense set; the "
            f"target is {CLOSE_ENOUGH:.0%}. Times: kapitza-modes wall time on 2 ranks [s] of the coarse "
            "three-phonon set + the interpolated dense set, as logged when computed (machine shared with "
            "other runs). The last table of each material computes the rates at every dense q instead, with "
            "the sums over partner q-points on a sub-mesh and its own delta weights (`kapitza-modes "
            "--partner-mesh`, docs/results.md).", ""]
    verdicts = []
    for name in args.materials:
        case = CASES[name]
        rows, schemes, summary, (reference, direct_seconds) = material_rows(args, case, work)
        partner_table, partner_summary = partner_rows(args, case, work, reference, direct_seconds)
        text += [f"## {name} ({case.folder}, {case.temperature:g} K)", "",
                  "| set | coarse set's own kappa xx / yy | its difference xx / yy | kappa xx | kappa yy | "
                  "xx difference | yy difference | time [s] |", "|---|---|---|---|---|---|---|---|", *rows, "",
                  f"Interpolated quantity against the direct {mesh_text(case.dense)} set: kappa_xx difference "
                  "(numpy, as computed; trilinear per band from each coarse mesh):", "",
                  *scheme_lines(case, schemes), "",
                  f"Rates computed at every {mesh_text(case.dense)} q-point, the sums over partner q-points on a "
                  "sub-mesh (`kapitza-modes --partner-mesh`):", "",
                  "| set | kappa xx | kappa yy | xx difference | yy difference | time [s] |",
                  "|---|---|---|---|---|---|", *partner_table, ""]
        verdicts += [summary, partner_summary]
    text += ["## Summary", "", *verdicts, "",
             f"This invocation: {(time.perf_counter() - start) / 60:.1f} min (databases already in OUT/work are "
             "reused; the table's times are those of their computation).", ""]
    (args.out / "README.md").write_text("\n".join(text))
    print("\n".join(text))


if __name__ == "__main__":
    main()
