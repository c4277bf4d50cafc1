#!/usr/bin/python3
"""The AlN/SiC flagship case: 2H-AlN on 4H-SiC, heat flow along c, quasi-1D as in the
in situ EELS experiment (Liu et al., Nature 2025), forward (AlN hot) and reverse (SiC
hot), DMM and SMM interfaces, at several mean temperatures.

Usage:
    validation/alnsic.py [--build build] [--out runs/alnsic]
        [--temperatures 565 620 670 720] [--models dmm smm]
        [--mesh-aln 14 14 9] [--mesh-sic 12 12 4] [--gradient 180] [--layer 750e-9] [--cells 100]
        [--line-points 400] [--zoom-points 401] [--mpirun "mpirun -np 2"]
        [--spectral-mesh-aln 24 24 15] [--spectral-mesh-sic 24 24 8] [--no-spectral] [--cache DIR]
        [--lifetimes-mesh-aln N1 N2 N3 --lifetimes-mesh-sic N1 N2 N3]

For each mean temperature T0 the mode databases of AlN (AlN-LDA, DFT with Born charges)
and 4H-SiC (SiC-4H-vashishta, potential) come from kapitza-modes (RTA three-phonon
lifetimes at T0, tetrahedron method, c axis rotated onto x; cached under OUT/cache); one
kapitza-modes call per material gives the RTA databases of all T0. With
--lifetimes-mesh-aln/-sic the three-phonon rates are computed on those (coarser) meshes and
interpolated onto the transport meshes (kapitza-modes --lifetimes-from, docs/results.md);
the SMM Grueneisen parameters then come from the three-phonon sets. The default transport
q-meshes, AlN 14x14x9 and SiC 12x12x4, are the coarsest pair of the refinement in
validation/alnsic_convergence_spectral/ whose DMM drop and G lie within 3 % of that
sequence's infinite-mesh estimates at 620 K (the report says which numbers do not). The
case (inputs/alnsic/alnsic.prm.in is its template) is LAYER AlN | LAYER SiC (750 nm each),
CELLS cells per layer (100) graded to 1/1000 of the mean cell at the interface, a probe
line of LINE_POINTS (400) points refined by ZOOM_POINTS (401: 0.1 nm) over +-20 nm. The
solver is linear in the wall temperatures, so one DMM forward run at walls T0 +- 135 K
calibrates the wall difference that gives the requested bulk gradient (mean of both
sides); every case then runs with it. OUT/README.md gets the
table of predicted numbers beside the experiment's, OUT/*.png the plots (alnsic_plots.py).
OUT (default runs/alnsic, untracked) may not be validation/alnsic: that folder holds the
committed reference report, refreshed by copying a run's README.md and PNGs into it.
tests/programs/alnsic_pipeline.sh runs the whole pipeline on a tiny configuration.
"""
import argparse
import os
import shlex
import sys
import time
from pathlib import Path

import h5py
import numpy as np

from alnsic_report import write_report
from giftbte_common import run_checked as run

REPO = Path(__file__).resolve().parents[1]
REFERENCE = REPO / "validation" / "alnsic"  # the committed report of a full run
NEAR, FAR = 30e-9, 0.4  # bulk windows: from 30 nm to 0.4 layers (300 nm) from the interface
LATTICE = {"AlN": 3.111e-10, "SiC": 3.0741e-10}  # in-plane a of the two force-constant cells
FOLDERS = {"AlN": "AlN-LDA", "SiC": "SiC-4H-vashishta"}
# Dense harmonic q-meshes of DMM's channel spectra (Interfaces/Spectral files): about 1e5
# modes per side, equal q spacing along a and c (a = 3.11 / 3.07 A, c = 4.98 / 10.05 A);
# harmonic phonons only, ~30 s each (validation/alnsic_convergence_spectral/ refines the
# transport meshes under these spectra; their own refinement is not yet measured).
SPECTRAL_MESHES = {"AlN": [24, 24, 15], "SiC": [24, 24, 8]}
# SMM misfit network of a basal (0001) wurtzite/4H interface: three arrays of edge
# dislocations at 120 degrees with b = a/3<11-20>, |b| = a of the AlN film (the epilayer on
# the SiC substrate carries the misfit dislocations; a_SiC is 1.2 % smaller).
BURGERS_MATERIAL, DISLOCATION_ARRAYS = "AlN", 3
# AlN-LDA has DFT Born charges (BORN: non-analytic correction and EELS); the SiC potential
# has none, so its EELS dipole weights use the literature Z* of PROVENANCE.txt (EELS only).
EELS_BORN = {"SiC": ["--eels-born", str(REPO / "inputs" / "materials" / "SiC-4H-vashishta" / "BORN-eels")]}
EXPERIMENT_DROP = {565.0: 17.8, 720.0: 12.7}  # Liu et al. 2025 (papers/): [K] at the ends of 565-720 K
EXPERIMENT = {
    "drop": " -> ".join(f"{EXPERIMENT_DROP[t]:g}" for t in sorted(EXPERIMENT_DROP)) + " K",
    "drop_points": EXPERIMENT_DROP, "width": "10-20 K", "length_AlN": "135 -> 71 nm",
    "length_SiC": "107 -> 71 nm", "optical": "~3 nm (also NEMD)"}


def databases(args, work):
    """The database files of every material at every T0 ({T0: {name: file}}), and the
    three-phonon sets the SMM parameters come from (the same files unless the lifetimes are
    interpolated from coarser meshes). RTA lifetimes of all T0 come from one kapitza-modes
    call per material (|V|^2 once); the full collision matrix is one T0 per call."""
    temperatures = args.temperatures
    groups = [temperatures] if args.collision_matrix == "rta" else [[t0] for t0 in temperatures]
    files = {t0: {} for t0 in temperatures}
    three_phonon = {t0: {} for t0 in temperatures}
    for name, folder in FOLDERS.items():
        mesh = args.mesh_aln if name == "AlN" else args.mesh_sic
        coarse = args.lifetimes_mesh_aln if name == "AlN" else args.lifetimes_mesh_sic
        for group in groups:
            log = f"{name}-{group[0]:g}K-modes.log" if len(group) == 1 else f"{name}-modes.log"
            lifetimes = []
            if coarse:
                stem = f"{name}-lifetimes-{'x'.join(map(str, coarse))}"
                modes(args, folder, name, coarse, group, work / f"{stem}-{{T}}K.h5", work / f"{stem}.log")
                lifetimes = ["--lifetimes-from", str(work / f"{stem}-{{T}}K.h5")]
            for t0 in group:
                files[t0][name] = work / f"{name}-{t0:g}K.h5"
                three_phonon[t0][name] = work / f"{stem}-{t0:g}K.h5" if coarse else files[t0][name]
            modes(args, folder, name, mesh, group, work / f"{name}-{{T}}K.h5", work / log,
                  lifetimes + EELS_BORN.get(name, []))
    return files, three_phonon


def modes(args, folder, name, mesh, temperatures, out, log, extra=()):
    """One kapitza-modes call: the databases of `temperatures` on `mesh` (out has {T})."""
    run(shlex.split(args.mpirun) + [
        str(Path(args.build) / "kapitza-modes"), "--fc", str(REPO / "inputs" / "materials" / folder),
        "--mesh", *map(str, mesh), "--temperature", *map(str, temperatures),
        "--collision", args.collision_matrix, "--transport-axis", "z", "--material", name,
        "--cache", str(args.cache), "--out", str(out), *extra], log)


def smm_parameters(files):
    """SMM parameters of one T0 from the databases' provenance (kapitza-modes): each
    material's thermodynamic Grueneisen parameter (heat-capacity-weighted mean of the fc3
    mode values at T0) and Voigt-Reuss-Hill Poisson ratio (elastic constants of fc2); nu of
    the interface is the mean of the two. Burgers vector: the basal a of BURGERS_MATERIAL."""
    found = {}
    for name, path in files.items():
        with h5py.File(path) as f:
            keys = f["provenance"].attrs if "provenance" in f else {}
            for key in ("thermodynamic_gruneisen", "poisson_ratio", "elastic_constants"):
                if key not in keys:
                    sys.exit(f"alnsic.py: error: {path} has no provenance key {key} (kapitza-modes with "
                             "--collision rta|full writes it)")
                value = keys[key]
                found.setdefault(key, {})[name] = value.decode() if isinstance(value, bytes) else str(value)
    gruneisen = {name: float(v) for name, v in found["thermodynamic_gruneisen"].items()}
    poisson = {name: float(v) for name, v in found["poisson_ratio"].items()}
    return {"gruneisen": gruneisen, "poisson": poisson, "nu": float(np.mean(list(poisson.values()))),
            "elastic": found["elastic_constants"], "burgers": LATTICE[BURGERS_MATERIAL],
            "burgers_material": BURGERS_MATERIAL, "arrays": DISLOCATION_ARRAYS}


def spectral_databases(args, work):
    """Dense harmonic sets ({name: file}) whose spectra DMM's channels use (Interfaces/
    Spectral files), or None without --spectral-mesh-aln/-sic."""
    meshes = {"AlN": args.spectral_mesh_aln, "SiC": args.spectral_mesh_sic}
    if args.no_spectral:
        return None
    files = {}
    for name, folder in FOLDERS.items():
        files[name] = work / f"{name}-spectral-{'x'.join(map(str, meshes[name]))}.h5"
        run(shlex.split(args.mpirun) + [
            str(Path(args.build) / "kapitza-modes"), "--fc", str(REPO / "inputs" / "materials" / folder),
            "--mesh", *map(str, meshes[name]), "--temperature", f"{args.temperatures[0]:g}",
            "--collision", "none", "--transport-axis", "z", "--material", name,
            "--cache", str(args.cache), "--out", str(files[name]),
            *EELS_BORN.get(name, [])], work / f"{name}-spectral-modes.log")
    return files


def case_text(template, args, files, smm, model, t0, hot, cold, output, spectra=None):
    values = {"AlN_FILE": files["AlN"].name, "SIC_FILE": files["SiC"].name, "MODEL": model,
              "GRUNEISEN": f"{smm['gruneisen']['AlN']:.6g}, {smm['gruneisen']['SiC']:.6g}",
              "POISSON": f"{smm['nu']:.6g}", "BURGERS": f"{smm['burgers']:g}", "ARRAYS": str(smm["arrays"]),
              "T0": f"{t0:g}", "LEFT": f"{hot:.6f}", "RIGHT": f"{cold:.6f}", "OUTPUT": output,
              "A_ALN": f"{LATTICE['AlN']:g}", "A_SIC": f"{LATTICE['SiC']:g}",
              "LAYER": f"{args.layer:g}", "CELLS": str(args.cells),
              "ZOOM_CENTRE": f"{args.layer * (1 - 1e-10):.17g}", "ZOOM_POINTS": str(args.zoom_points),
              "LINE_POINTS": str(args.line_points), "WEIGHTS": args.weights,
              "COLLECTION": args.collection,
              "SPECTRAL_FILES": f"{spectra['AlN'].name}, {spectra['SiC'].name}" if spectra else "",
              "RE_EMISSION": "classes" if spectra and model == "smm" else "modes"}
    for key, value in values.items():
        template = template.replace("@" + key + "@", value)
    return template


def fit_line(x, y, lo, hi):
    keep = (x >= lo) & (x <= hi) & np.isfinite(y)
    return np.polyfit(x[keep], y[keep], 1)


def bulk_windows(f):
    """x of the interface and the bulk fit windows (lo, hi) of the AlN and the SiC side:
    NEAR to FAR layers from the interface (both layers are as thick as the AlN one)."""
    x_i = f["interfaces/0"].attrs["position"]
    return x_i, (x_i - FAR * x_i, x_i - NEAR), (x_i + NEAR, x_i + FAR * x_i)


def eels_step(f):
    """Apparent drop of the EELS-fitted temperature (bulk lines of each side, 30 nm - 0.4
    layers from the interface, extrapolated to it; includes the side-dependent resolution
    bias) and the part of it that happens within 2 nm: T_EELS(-1 nm) - T_EELS(+1 nm), the
    experiment's "10-20 K within ~2 nm"."""
    x, t = f["eels/position"][()], f["eels/temperature"][()]
    x_i, window_a, window_b = bulk_windows(f)
    la, lb = fit_line(x, t, *window_a), fit_line(x, t, *window_b)
    step = np.polyval(la, x_i) - np.polyval(lb, x_i)
    sharp = np.interp(x_i - 1e-9, x, t) - np.interp(x_i + 1e-9, x, t)
    return step, sharp


def optical_excess(f):
    """Distance d from the interface into AlN (ascending, d = 0: the AlN-side face) and the
    excess of the AlN optical modal temperatures there: for each optical branch group the
    deviation T_g - T minus its linear fit NEAR - FAR layers from the interface, the
    largest magnitude over the groups."""
    x, t = f["line/position"][()], f["line/temperature"][()]
    modal, present = f["line/modal_temperature"][()], f["line/modal_present"][()]
    labels = [str(s, "utf-8") if isinstance(s, bytes) else str(s)
              for s in f["line/modal_temperature"].attrs["group_labels"]]
    x_i, window_a, _ = bulk_windows(f)
    face = np.nonzero(np.abs(x - x_i) <= 1e-9 * x_i)[0]
    inner = np.nonzero(x < x_i - 1e-9 * x_i)[0]
    # The face sample is on the AlN side when it has the groups of AlN (SiC has more branches).
    if len(face) != 1 or not np.array_equal(present[:, face[0]], present[:, inner[-1]]):
        sys.exit(f"alnsic.py: error: {f.filename}: the probe line has no AlN-side sample at the "
                 f"interface x = {x_i:g} m (Output/Line zoom: centre just left of it, odd number of points)")
    side = np.append(inner[x[inner] >= window_a[0]], face[0])
    excess = np.zeros(len(side))
    for g, label in enumerate(labels):
        if label.startswith("O") and present[g, side].all():
            d = modal[g, side] - t[side]
            bulk = fit_line(x[side], d, *window_a)
            excess = np.maximum(excess, np.abs(d - np.polyval(bulk, x[side])))
    return (x_i - x[side])[::-1], excess[::-1]


def optical_distance(f, fraction=0.1):
    """AlN optical modal deviation length: the largest distance at which the excess of
    optical_excess() falls to `fraction` of its value at the face, interpolated between the
    two probe points around the crossing linearly in log(excess) (exact for an exponential
    tail), so that it does not depend on the probe spacing. Returns (length, face excess)."""
    d, excess = optical_excess(f)
    threshold = fraction * excess[0]
    k = np.nonzero(excess > threshold)[0].max()
    if k + 1 == len(d):
        return d[k], excess[0]
    slope = np.log(excess[k] / excess[k + 1]) / (d[k + 1] - d[k])
    return d[k] + np.log(excess[k] / threshold) / slope, excess[0]


def windows_at_interface(f):
    x = f["eels/position"][()]
    i = int(np.argmin(np.abs(x - f["interfaces/0"].attrs["position"])))
    names = [str(s, "utf-8") if isinstance(s, bytes) else str(s)
             for s in f["eels/window_loss"].attrs["names"]]
    return {n: (f["eels/window_loss"][k, i], f["eels/window_gain"][k, i]) for k, n in enumerate(names)}


def summarize(path):
    with h5py.File(path) as f:
        r = dict(f["interfaces/0"].attrs)
        step, width = eels_step(f)
        distance, peak = optical_distance(f)
        gradients = (r["heat_flux"] / r["conductivity_a"], r["heat_flux"] / r["conductivity_b"])
        return {"drop": r["temperature_drop"], "jump": r["face_temperature_jump"],
                "R": r["resistance"], "length_a": r["length_a"], "length_b": r["length_b"],
                "gradient": 0.5 * (abs(gradients[0]) + abs(gradients[1])),
                "q": r["heat_flux"], "eels_step": step, "eels_width": width,
                "optical": distance, "optical_peak": peak, "windows": windows_at_interface(f)}


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default=str(REPO / "build"))
    parser.add_argument("--out", default=str(REPO / "runs" / "alnsic"))
    parser.add_argument("--temperatures", type=float, nargs="+", default=[565, 620, 670, 720])
    parser.add_argument("--models", nargs="+", default=["dmm", "smm"])
    parser.add_argument("--mesh-aln", type=int, nargs=3, default=[14, 14, 9])
    parser.add_argument("--mesh-sic", type=int, nargs=3, default=[12, 12, 4])
    parser.add_argument("--spectral-mesh-aln", type=int, nargs=3, default=SPECTRAL_MESHES["AlN"],
                        help="dense harmonic q-mesh of AlN whose spectrum DMM's channels use")
    parser.add_argument("--spectral-mesh-sic", type=int, nargs=3, default=SPECTRAL_MESHES["SiC"],
                        help="the same for SiC")
    parser.add_argument("--no-spectral", action="store_true",
                        help="DMM channel capacities from the transport modes alone")
    parser.add_argument("--cache", default=None,
                        help="kapitza-modes' database cache (default OUT/cache; share it between runs)")
    parser.add_argument("--lifetimes-mesh-aln", type=int, nargs=3,
                        help="q-mesh of AlN's three-phonon rates, interpolated onto --mesh-aln "
                             "(default: computed on --mesh-aln). Not yet accurate for AlN and 4H-SiC: "
                             "validation/lifetime_interpolation/ finds bulk kappa along c 6-40 %% above "
                             "the direct dense sets")
    parser.add_argument("--lifetimes-mesh-sic", type=int, nargs=3, help="the same for SiC")
    parser.add_argument("--gradient", type=float, default=180.0, help="bulk gradient [K/um]")
    parser.add_argument("--layer", type=float, default=750e-9, help="thickness of each layer [m]")
    parser.add_argument("--cells", type=int, default=100, help="cells per layer")
    parser.add_argument("--line-points", type=int, default=400, help="probe points along the line")
    parser.add_argument("--zoom-points", type=int, default=401,
                        help="extra probe points over +-20 nm around the interface (odd)")
    parser.add_argument("--mpirun", default="mpirun -np 2")
    parser.add_argument("--collision-matrix", choices=["rta", "full"], default="rta",
                        help="three-phonon scattering of the databases: RTA lifetimes or the full matrix")
    parser.add_argument("--weights", choices=["dos", "dipole"], default="dipole",
                        help="EELS scattering weights (dipole: Born charges and eigenvectors)")
    parser.add_argument("--collection", default="off-axis 45",
                        help="EELS collection: on-axis or off-axis ANGLE (the experiment: 45 degrees)")
    args = parser.parse_args()
    args.cache = Path(args.cache) if args.cache else Path(args.out) / "cache"
    if args.no_spectral:
        args.spectral_mesh_aln = args.spectral_mesh_sic = None
    programs = [Path(args.build) / name for name in ("kapitza", "kapitza-modes")]
    checks = [(all(p.is_file() and os.access(p, os.X_OK) for p in programs),
               f"--build {args.build} holds no built kapitza and kapitza-modes"),
              (Path(args.out).resolve() != REFERENCE,
               f"--out {args.out} is the committed reference report; write elsewhere (default runs/alnsic)"),
              (args.gradient > 0, f"--gradient must be positive, not {args.gradient:g} K/um"),
              (args.layer >= 2 * NEAR / FAR and args.layer <= 1e-3,
               f"--layer must lie in [{2 * NEAR / FAR:g}, 1e-3] m (the bulk fit windows reach from "
               f"{NEAR:g} m to {FAR:g} layers from the interface), not {args.layer:g}"),
              (args.cells >= 1, f"--cells must be positive, not {args.cells}"),
              (args.line_points >= 2, f"--line-points must be at least 2, not {args.line_points}"),
              (args.zoom_points >= 3 and args.zoom_points % 2 == 1,
               f"--zoom-points must be odd (a point on the interface) and >= 3, not {args.zoom_points}"),
              (min(args.temperatures) > 0, "--temperatures must be positive [K]"),
              (set(args.models) <= {"dmm", "smm"}, f"--models takes dmm and smm, not {' '.join(args.models)}"),
              (min(args.mesh_aln + args.mesh_sic) >= 1, "--mesh-aln and --mesh-sic need positive integers"),
              (bool(args.lifetimes_mesh_aln) == bool(args.lifetimes_mesh_sic),
               "--lifetimes-mesh-aln and --lifetimes-mesh-sic go together"),
              (not args.lifetimes_mesh_aln or args.collision_matrix == "rta",
               "--lifetimes-mesh-aln/-sic interpolate RTA rates (not with --collision-matrix full)"),
              (min((args.lifetimes_mesh_aln or [1]) + (args.lifetimes_mesh_sic or [1])) >= 1,
               "--lifetimes-mesh-aln and --lifetimes-mesh-sic need positive integers"),
              (min(args.spectral_mesh_aln + args.spectral_mesh_sic) >= 1,
               "--spectral-mesh-aln and --spectral-mesh-sic need positive integers")]
    for ok, message in checks:
        if not ok:
            sys.exit(f"alnsic.py: error: {message}")
    return args


def main():
    args = parse_args()
    start = time.time()
    out = Path(args.out)
    work = out / "work"
    work.mkdir(parents=True, exist_ok=True)
    template = (REPO / "inputs" / "alnsic" / "alnsic.prm.in").read_text()
    kapitza = shlex.split(args.mpirun) + [str(Path(args.build) / "kapitza")]
    rows = []
    databases_at, three_phonon_at = databases(args, work)
    smm = {t0: smm_parameters(three_phonon_at[t0]) for t0 in args.temperatures}
    spectra = spectral_databases(args, work)
    for t0 in args.temperatures:
        files = databases_at[t0]
        # Calibration: the problem is linear in the wall difference.
        probe = work / f"calibrate-{t0:g}.prm"
        probe.write_text(case_text(template, args, files, smm[t0], "dmm", t0, t0 + 135, t0 - 135, probe.stem + ".h5",
                                   spectra))
        run(kapitza + [str(probe)], probe.with_suffix(".log"))
        gradient = summarize(probe.with_suffix(".h5"))["gradient"]
        half = 135 * args.gradient * 1e6 / gradient
        if half >= t0:
            sys.exit(f"alnsic.py: error: {args.gradient:g} K/um needs walls T0 +- {half:.0f} K, below 0 K")
        for model in args.models:
            for direction, (left, right) in (("forward", (t0 + half, t0 - half)),
                                             ("reverse", (t0 - half, t0 + half))):
                stem = f"{model}-{direction}-{t0:g}K"
                prm = work / f"{stem}.prm"
                prm.write_text(case_text(template, args, files, smm[t0], model, t0, left, right, stem + ".h5", spectra))
                run(kapitza + [str(prm)], work / f"{stem}.log")
                rows.append({"T0": t0, "model": model, "direction": direction, "walls": 2 * half,
                             "file": work / f"{stem}.h5", **summarize(work / f"{stem}.h5")})
                print(f"{stem}: drop {rows[-1]['drop']:.2f} K, EELS step {rows[-1]['eels_step']:.2f} K "
                      f"within 2 nm {rows[-1]['eels_width']:.2f} K, lengths "
                      f"{rows[-1]['length_a'] * 1e9:.1f}/{rows[-1]['length_b'] * 1e9:.1f} nm", flush=True)
    write_report(out, rows, args, EXPERIMENT, time.time() - start, smm)


if __name__ == "__main__":
    main()
