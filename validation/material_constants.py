#!/usr/bin/python3
"""Material constants of the AlN/SiC force constants beside the literature: the elastic
constants and Voigt-Reuss-Hill Poisson ratio from the long-wave acoustic phonons of fc2, and
the thermodynamic Grueneisen parameter (heat-capacity-weighted mean of the fc3 mode
Grueneisen parameters) at each T0, as kapitza-modes records them in the databases'
provenance (scattering/ab_initio/elastic_constants.h, gruneisen.h). A sanity report, not a
test: the SMM of the AlN/SiC case uses these values (inputs/alnsic/README.md).

Usage:
    validation/material_constants.py [--build build] [--out runs/material_constants]
        [--temperatures 300 620] [--mesh-aln 8 8 5] [--mesh-sic 6 6 2] [--mpirun "mpirun -np 2"]

Writes OUT/README.md; validation/material_constants/README.md is the committed copy of a run.
"""
import argparse
import os
import re
import shlex
import sys
from pathlib import Path

import h5py

from giftbte_common import run_checked as run

REPO = Path(__file__).resolve().parents[1]
REFERENCE = REPO / "validation" / "material_constants"
FOLDERS = {"AlN": "AlN-LDA", "SiC": "SiC-4H-vashishta"}
KEYS = ("C11", "C33", "C12", "C13", "C44", "C66")
# Literature elastic constants [GPa] (hexagonal, c along z). AlN: Brillouin scattering,
# McNeil, Grimsditch, French, J. Am. Ceram. Soc. 76, 1132 (1993) (as tabulated by the
# Material Properties Open Database, entry 1000160). SiC: 6H-SiC, Brillouin scattering,
# Kamitani et al., J. Appl. Phys. 82, 3152 (1997) (values quoted from memory of the paper,
# not checked against it here; 4H differs from 6H by a few per cent).
LITERATURE_ELASTIC = {
    "AlN": ({"C11": 410, "C33": 388.5, "C12": 148.5, "C13": 98.9, "C44": 124.6, "C66": 130.75},
            "McNeil et al. 1993 (Brillouin)"),
    "SiC": ({"C11": 501, "C33": 553, "C12": 111, "C13": 52, "C44": 163, "C66": 195},
            "Kamitani et al. 1997, 6H-SiC (Brillouin; from memory)"),
}
# Thermodynamic Grueneisen parameters used in the literature's Slack-model conductivities
# (quoted from memory, not checked here): AlN 0.7 (Slack et al., J. Phys. Chem. Solids 48,
# 641 (1987)), SiC 0.75 (Slack, J. Phys. Chem. Solids 34, 321 (1973)).
LITERATURE_GRUNEISEN = {"AlN": (0.7, "Slack et al. 1987 (from memory)"),
                        "SiC": (0.75, "Slack 1973 (from memory)")}


def hexagonal_voigt(c):
    """The 6x6 Voigt matrix of hexagonal constants (c along z)."""
    m = [[0.0] * 6 for _ in range(6)]
    m[0][0] = m[1][1] = c["C11"]
    m[2][2] = c["C33"]
    m[0][1] = m[1][0] = c["C12"]
    m[0][2] = m[2][0] = m[1][2] = m[2][1] = c["C13"]
    m[3][3] = m[4][4] = c["C44"]
    m[5][5] = c["C66"]
    return m


def poisson_vrh(m):
    """Voigt-Reuss-Hill Poisson ratio of a Voigt stiffness matrix (as elastic_constants.cc)."""
    import numpy as np
    c = np.array(m, dtype=float)
    s = np.linalg.inv(c)
    trace = lambda a, k: a[k, k] + a[k + 1, k + 1] + a[k + 2, k + 2]  # noqa: E731
    off = lambda a: a[0, 1] + a[0, 2] + a[1, 2]  # noqa: E731
    bulk = 0.5 * ((trace(c, 0) + 2 * off(c)) / 9 + 1 / (trace(s, 0) + 2 * off(s)))
    shear = 0.5 * ((trace(c, 0) - off(c) + 3 * trace(c, 3)) / 15 +
                   15 / (4 * trace(s, 0) - 4 * off(s) + 3 * trace(s, 3)))
    return (3 * bulk - 2 * shear) / (2 * (3 * bulk + shear))


def parse_elastic(text):
    """C_IJ [GPa] from the `elastic_constants` provenance line."""
    groups = {}
    for names, values in re.findall(r"((?:C\d\d ?)+) = ([-\d. ]+?)(?:,| GPa)", text):
        for name, value in zip(names.split(), values.split()):
            groups[name] = float(value)
    return groups


def material_values(path):
    with h5py.File(path) as f:
        attrs = {k: (v.decode() if isinstance(v, bytes) else str(v)) for k, v in f["provenance"].attrs.items()}
    for key in ("elastic_constants", "poisson_ratio", "thermodynamic_gruneisen"):
        if key not in attrs:
            sys.exit(f"material_constants.py: error: {path} has no provenance key {key}")
    return parse_elastic(attrs["elastic_constants"]), float(attrs["poisson_ratio"]), \
        float(attrs["thermodynamic_gruneisen"]), attrs["elastic_constants"]


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default=str(REPO / "build"))
    parser.add_argument("--out", default=str(REPO / "runs" / "material_constants"))
    parser.add_argument("--temperatures", type=float, nargs="+", default=[300, 620])
    parser.add_argument("--mesh-aln", type=int, nargs=3, default=[8, 8, 5])
    parser.add_argument("--mesh-sic", type=int, nargs=3, default=[6, 6, 2])
    parser.add_argument("--mpirun", default="mpirun -np 2")
    args = parser.parse_args()
    modes = Path(args.build) / "kapitza-modes"
    checks = [(modes.is_file() and os.access(modes, os.X_OK), f"--build {args.build} holds no built kapitza-modes"),
              (Path(args.out).resolve() != REFERENCE,
               f"--out {args.out} is the committed reference; write elsewhere (default runs/material_constants)"),
              (min(args.temperatures) > 0, "--temperatures must be positive [K]"),
              (min(args.mesh_aln + args.mesh_sic) >= 1, "--mesh-aln and --mesh-sic need positive integers")]
    for ok, message in checks:
        if not ok:
            sys.exit(f"material_constants.py: error: {message}")
    return args


def main():
    args = parse_args()
    out = Path(args.out)
    work = out / "work"
    work.mkdir(parents=True, exist_ok=True)
    values = {}
    for name, folder in FOLDERS.items():
        mesh = args.mesh_aln if name == "AlN" else args.mesh_sic
        run(shlex.split(args.mpirun) + [
            str(Path(args.build) / "kapitza-modes"), "--fc", str(REPO / "inputs" / "materials" / folder),
            "--mesh", *map(str, mesh), "--temperature", *map(str, args.temperatures), "--collision", "rta",
            "--material", name, "--cache", str(out / "cache"), "--out", str(work / f"{name}-{{T}}K.h5")],
            work / f"{name}-modes.log")
        values[name] = {t: material_values(work / f"{name}-{t:g}K.h5") for t in args.temperatures}
    lines = ["# Material constants of the AlN/SiC force constants", "",
             "Generated by `validation/material_constants.py` (kapitza-modes, RTA databases on the flagship "
             f"q-meshes AlN {'x'.join(map(str, args.mesh_aln))}, SiC {'x'.join(map(str, args.mesh_sic))}). "
             "Elastic constants from the long-wave acoustic phonons of fc2 (zero macroscopic field), "
             "Voigt-Reuss-Hill Poisson ratio; thermodynamic Grueneisen parameter = heat-capacity-weighted "
             "mean of the fc3 mode Grueneisen parameters (isotropic strain, internal relaxation). "
             "A sanity report, not a test; the literature columns are the references named below.", "",
             "| material | source | " + " | ".join(f"{k} [GPa]" for k in KEYS) + " | nu (VRH) |",
             "|---|---|" + "---|" * (len(KEYS) + 1)]
    for name in FOLDERS:
        elastic, nu, _, _ = values[name][args.temperatures[0]]
        lines.append(f"| {name} | {FOLDERS[name]} (this code) | " +
                     " | ".join(f"{elastic[k]:.1f}" for k in KEYS) + f" | {nu:.4f} |")
        literature, source = LITERATURE_ELASTIC[name]
        lines.append(f"| {name} | {source} | " + " | ".join(f"{literature[k]:g}" for k in KEYS) +
                     f" | {poisson_vrh(hexagonal_voigt(literature)):.4f} |")
    lines += ["", "| material | " + " | ".join(f"gamma at {t:g} K" for t in args.temperatures) +
              " | literature gamma |", "|---|" + "---|" * (len(args.temperatures) + 1)]
    for name in FOLDERS:
        gamma, source = LITERATURE_GRUNEISEN[name]
        lines.append(f"| {name} | " + " | ".join(f"{values[name][t][2]:.4f}" for t in args.temperatures) +
                     f" | {gamma:g} ({source}) |")
    lines += ["", "Full lines as recorded in the databases (`elastic_constants`):", ""]
    lines += [f"- {name}: {values[name][args.temperatures[0]][3]}" for name in FOLDERS]
    lines += ["", "The literature values of SiC (6H, Kamitani et al.) and the literature Grueneisen "
              "parameters are quoted from memory of the cited papers and were not checked against "
              "the originals; the AlN elastic constants are McNeil et al.'s as the Material Properties "
              "Open Database tabulates them (C66 = (C11 - C12)/2).", ""]
    (out / "README.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
