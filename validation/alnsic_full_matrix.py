#!/usr/bin/python3
"""RTA lifetimes against the full three-phonon collision matrix in the AlN/SiC flagship:
validation/alnsic.py with --collision-matrix rta and full on each mesh pair at one T0, and
OUT/README.md written from the runs.

Usage:
    validation/alnsic_full_matrix.py [--build build] [--out runs/alnsic_full_matrix]
        [--temperature 620] [--models dmm] [--meshes 8x8x5:6x6x2 10x10x6:8x8x3 14x14x9:12x12x4]
        [--mpirun "mpirun -np 2"] [--convergence validation/alnsic_convergence_spectral/convergence.json]

Each pair runs in OUT/<AlN>_<SiC>/rta and OUT/<AlN>_<SiC>/full (read, not rerun, when its
results are there; --rerun runs them again). The report lists per pair and collision
operator the interface numbers of validation/alnsic_convergence.py (forward run; window
ratios forward/reverse), bulk kappa along c of both databases (kapitza-modes --kappa: the
RTA kappa of the rta set, the matrix-diagonal RTA and the LBTE kappa of the full set), then
full / RTA - 1 per number beside the q-mesh uncertainty of the RTA convergence estimate
(--convergence): the collision operator's effect is resolved where it exceeds that
uncertainty. Last, the cost: kapitza-modes wall time and peak memory per material, the
forward solve's GMRES iterations, solve time, seconds per iteration and peak memory per rank
against the solver's estimate. The full matrix is applied per DoF as a dense product, so a
solve's cost grows as the modes squared (the table gives the time per iteration divided by
the sum of modes^2 of the two sides, which says what a larger pair would cost); every rank
holds the two matrices (8 bytes x modes^2 each), which bounds the pair that fits.
"""
import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path

from alnsic import REPO
from alnsic_convergence import QUANTITIES, label, measure, mesh_pair, modes_of, run_alnsic, shown_path
from benchmark_ab_initio import tensor

COLLISIONS = ("rta", "full")
SOLVE = [re.compile(r"^converged after (?P<iterations>\d+) iterations", re.M),
         re.compile(r"^wall time [0-9.]+ s \(setup [0-9.]+ s, solve (?P<solve>[0-9.]+) s\)", re.M),
         re.compile(r"^peak memory per rank (?P<peak>[0-9.]+) GB \(largest over the ranks; "
                    r"estimate (?P<estimate>[0-9.]+) GB\)", re.M)]
MODES_COST = re.compile(r"wall time (?P<wall>[0-9.]+) s, peak memory of the largest rank (?P<peak>[0-9.]+) MB")

def run_pair(args, aln, sic, collision):
    folder = Path(args.out) / f"{label(aln)}_{label(sic)}" / collision
    return run_alnsic(args, folder, aln, sic, ["--collision-matrix", collision], folder.parent / f"{collision}.log",
                      "alnsic_full_matrix.py")


def bulk_kappa(args, database, collision):
    """kappa along c (xx: the c axis lies along x) of a database, from kapitza-modes --kappa."""
    text = subprocess.run([str(Path(args.build) / "kapitza-modes"), "--kappa", str(database)],
                          capture_output=True, text=True, check=True).stdout
    # tensor() reads a full set's "matrix-diagonal RTA" line as its RTA kappa
    names = {"rta": "RTA"} if collision == "rta" else {"diagonal": "RTA", "lbte": "full (LBTE)"}
    found = {kind: tensor(text, name, averaged=False) for kind, name in names.items()}
    if not all(found.values()):
        sys.exit(f"alnsic_full_matrix.py: error: no kappa in kapitza-modes --kappa {database}")
    kappa = {kind: values[0] for kind, values in found.items()}
    assembly = re.search(r"^assembly = (\S+)", text, re.M)  # the provenance of a full set
    kappa["assembly"] = assembly[1] if assembly else None
    return kappa


def costs(folder, model, t0):
    """The forward solve's statistics and each material's kapitza-modes cost (None when the
    database came from the cache, whose log has no cost)."""
    work = folder / "work"
    text = (work / f"{model}-forward-{t0:g}K.log").read_text()
    statistics = [pattern.search(text) for pattern in SOLVE]
    if not all(statistics):
        sys.exit(f"alnsic_full_matrix.py: error: no solve statistics in {work}/{model}-forward-{t0:g}K.log")
    modes = {}
    for name in ("AlN", "SiC"):
        found = MODES_COST.search((work / f"{name}-{t0:g}K-modes.log").read_text())
        modes[name] = (float(found["wall"]), float(found["peak"]) / 1e3) if found else None
    solve = {key: value for match in statistics for key, value in match.groupdict().items()}
    return {"iterations": int(solve["iterations"]), "solve": float(solve["solve"]),
            "peak": float(solve["peak"]), "estimate": float(solve["estimate"]), "modes": modes}


def pair_rows(args, pairs, model):
    rows = []
    for aln, sic in pairs:
        for collision in COLLISIONS:
            folder = run_pair(args, aln, sic, collision)
            work = folder / "work"
            rows.append({"aln": label(aln), "sic": label(sic), "collision": collision,
                         "values": measure(folder, model, args.temperature),
                         "kappa": {name: bulk_kappa(args, work / f"{name}-{args.temperature:g}K.h5", collision)
                                   for name in ("AlN", "SiC")},
                         "modes": {name: modes_of(folder, name, args.temperature, mesh)
                                   for name, mesh in (("AlN", aln), ("SiC", sic))},
                         "cost": costs(folder, model, args.temperature)})
    return rows


def kappa_text(kappa, collision):
    return f"{kappa['rta']:.4g}" if collision == "rta" else f"{kappa['diagonal']:.4g} / {kappa['lbte']:.4g}"


def numbers_table(rows, keys, titles):
    lines = ["| AlN mesh | SiC mesh | collision | kappa c AlN [W/mK] | kappa c SiC [W/mK] | " + " | ".join(titles) + " |",
             "|---|---|---|---|---|" + "---|" * len(keys)]
    for r in rows:
        assembly = r["kappa"]["AlN"]["assembly"]
        collision = f"{r['collision']} ({assembly})" if assembly else r["collision"]
        lines.append(f"| {r['aln']} | {r['sic']} | {collision} | {kappa_text(r['kappa']['AlN'], r['collision'])} | "
                     f"{kappa_text(r['kappa']['SiC'], r['collision'])} | "
                     + " | ".join(f"{r['values'][k]:.4g}" for k in keys) + " |")
    return lines


def effect_table(rows, keys, titles, estimates):
    """full / RTA - 1 per pair, and the RTA estimate's relative q-mesh uncertainty."""
    lines = ["| number | " + " | ".join(f"{r['aln']}:{r['sic']}" for r in rows if r["collision"] == "rta")
             + " | q-mesh uncertainty of the RTA estimate |",
             "|---|" + "---|" * (sum(r["collision"] == "rta" for r in rows) + 1)]
    for key, title in zip(keys, titles):
        cells = []
        for rta, full in zip(rows[0::2], rows[1::2]):
            cells.append(f"{100 * (full['values'][key] / rta['values'][key] - 1):+.2f} %")
        estimate = estimates.get(key)
        uncertainty = (f"{100 * estimate['uncertainty'] / abs(estimate['value']):.1f} %" if estimate else "-")
        lines.append(f"| {title} | " + " | ".join(cells) + f" | {uncertainty} |")
    return lines


def cost_table(rows):
    lines = ["| AlN mesh | SiC mesh | collision | modes AlN / SiC | kapitza-modes AlN, SiC [s] | peak [GB] | "
             "GMRES iterations | solve [s] | s per iteration | s per iteration / (sum modes^2) [ns] | "
             "peak per rank / estimate [GB] |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        c, m = r["cost"], r["modes"]
        modes = " / ".join("cache" if c["modes"][n] is None else f"{c['modes'][n][0]:.0f}" for n in ("AlN", "SiC"))
        peak = " / ".join("-" if c["modes"][n] is None else f"{c['modes'][n][1]:.2f}" for n in ("AlN", "SiC"))
        per = c["solve"] / c["iterations"]
        # Only the dense matrix's product grows as modes^2 (rank-one RTA mixing is linear).
        dense = f"{1e9 * per / (m['AlN'] ** 2 + m['SiC'] ** 2):.3g}" if r["collision"] == "full" else "-"
        lines.append(f"| {r['aln']} | {r['sic']} | {r['collision']} | {m['AlN']} / {m['SiC']} | {modes} | {peak} | "
                     f"{c['iterations']} | {c['solve']:.1f} | {per:.3g} | {dense} | "
                     f"{c['peak']:.2f} / {c['estimate']:.2f} |")
    return lines


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default=str(REPO / "build"))
    parser.add_argument("--out", default=str(REPO / "runs" / "alnsic_full_matrix"))
    parser.add_argument("--temperature", type=float, default=620.0)
    parser.add_argument("--models", nargs="+", default=["dmm"])
    parser.add_argument("--meshes", type=mesh_pair, nargs="+",
                        default=[mesh_pair(p) for p in ("8x8x5:6x6x2", "10x10x6:8x8x3", "14x14x9:12x12x4")])
    parser.add_argument("--mpirun", default="mpirun -np 2")
    parser.add_argument("--rerun", action="store_true")
    parser.add_argument("--convergence", default=str(REPO / "validation" / "alnsic_convergence_spectral" /
                                                     "convergence.json"),
                        help="convergence.json of the RTA q-mesh sequence (validation/alnsic_convergence.py)")
    args = parser.parse_args()
    if not set(args.models) <= {"dmm", "smm"}:
        sys.exit(f"alnsic_full_matrix.py: error: --models takes dmm and smm, not {' '.join(args.models)}")
    if not Path(args.convergence).is_file():
        sys.exit(f"alnsic_full_matrix.py: error: --convergence {args.convergence} is not a file")
    if not (Path(args.build) / "kapitza-modes").is_file():
        sys.exit(f"alnsic_full_matrix.py: error: --build {args.build} holds no kapitza-modes")
    return args


def main():
    args = parse_args()
    convergence = json.loads(Path(args.convergence).read_text())
    if convergence["temperature"] != args.temperature:
        sys.exit(f"alnsic_full_matrix.py: error: --convergence is at {convergence['temperature']:g} K, "
                 f"not {args.temperature:g} K")
    Path(args.out).mkdir(parents=True, exist_ok=True)
    start = time.time()
    pairs = sorted(args.meshes, key=lambda pair: sum(n1 * n2 * n3 for n1, n2, n3 in pair))
    sections = []
    for model in args.models:
        rows = pair_rows(args, pairs, model)
        keys = [k for k, _, _ in QUANTITIES] + sorted(k for k in rows[0]["values"] if k.startswith("ratio "))
        titles = [t for _, t, _ in QUANTITIES] + [k.replace("ratio ", "fwd/rev ") for k in keys[len(QUANTITIES):]]
        estimates = convergence["estimates"].get(model, {})
        sections += [f"## {model.upper()}", ""] + numbers_table(rows, keys, titles) + [""]
        sections += [f"full / RTA - 1, beside the q-mesh uncertainty of the RTA sequence's infinite-mesh estimate "
                     f"(`{shown_path(args.convergence)}`):", ""] + effect_table(rows, keys, titles, estimates) + [""]
        sections += ["Cost (forward solve; kapitza-modes of this pair, `cache` where the database was reused):", ""]
        sections += cost_table(rows) + [""]
    lines = [f"# AlN/SiC: RTA lifetimes against the full collision matrix at T0 = {args.temperature:g} K", "",
             f"Written by `validation/alnsic_full_matrix.py` from the runs under `{shown_path(args.out)}` "
             f"({time.time() - start:.0f} s this call; `{args.mpirun}`). Both collision operators on each pair's own "
             "q-meshes (tetrahedra), DMM channel spectra from alnsic.py's default dense harmonic sets. Interface "
             "numbers from the forward run, window ratios forward / reverse. Bulk kappa along c: RTA of the rta "
             "set; matrix-diagonal RTA / LBTE of the full set (the diagonal gives every process the mean of its "
             "three modes' views, docs/results.md).", ""] + sections
    (Path(args.out) / "README.md").write_text("\n".join(lines))
    print(f"wrote {Path(args.out) / 'README.md'}")


if __name__ == "__main__":
    main()
