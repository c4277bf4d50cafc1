#!/usr/bin/python3
"""Peer benchmark: Ge|Si bilayers against the GiftBTE reference profiles.

Usage:
    validation/benchmark_giftbte_bilayers.py [--kapitza build/kapitza]
        [--material-tool build/kapitza-material] [--data inputs/giftbte]
        [--out runs/giftbte_bilayers] [--check]

Defaults are relative to the repository root.
Reads <data>/{Ge_ran.dat, Si_ran.dat, interface1_xin_134.dat, Tempcell_ref_<nm>.dat,
peer_figures.json} (copied from the peer's repository or measured beside it, see its
README.md), builds the Ge and Si materials on two angular quadratures
(giftbte_common.QUADRATURES: the peer's 128 directions, 8 half-range Gauss-Legendre
cosines x 16 azimuths, and the same cosines x 2 azimuths, which in 1D is the same discrete
problem), and runs on each one 1D bilayer per total thickness 20, 50 and 220 nm inside
<out>/work: equal halves, Ge first (x from 0), 50 + 50 cells, the peer's tabulated
band-to-band transmissivities, thermalizing walls at 301 K (Ge side) and 300 K
(Si side). Writes
    <out>/table.md         max |T* - T*_ref|, iterations, solver and process wall
                           time, peak RSS, interface temperature drop and conductance,
                           the largest relative difference between the quadratures, and
                           the peer's measured case beside ours (ratios)
    <out>/profiles.png     T* = T - 300 K vs x, kapitza (peer quadrature) and reference
The tables are also printed.  Exit status: 2 if a material build or any run fails, 1
with --check if any profile diff > 2e-3, a run did not converge, or the quadratures
differ by more than giftbte_common.SAME_PROBLEM_TOLERANCE.

The peer's profiles are its "temperature", the scattering-rate weighted (pseudo)
temperature sum (C/tau) T_mu / sum C/tau: they are compared with
line/scattering_temperature at the reference cell centres (20 per case).
"""
import os
import sys

import h5py
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from giftbte_common import (QUADRATURES, build_bands, fail, parse_args, profile_diff,
                            read_peer_figures, run_kapitza, compare_quadratures, write_tables)

T_HOT, T_COLD = 301.0, 300.0
THICKNESSES_NM = (20, 50, 220)
CELLS_PER_LAYER, LINE_POINTS = 50, 400
MAX_PROFILE_DIFF = 2e-3

PRM = """set Dimension = 1
subsection Materials
  set Names = Ge, Si
  set Files = {germanium}, {silicon}
end
subsection Mesh
  set Layers = Ge:{half}:{cells}, Si:{half}:{cells}
end
subsection Boundaries
  set Left = thermalizing {hot:g}
  set Right = thermalizing {cold:g}
end
subsection Interfaces
  set Model = table {table}
end
subsection Solver
  set Reference temperature = {cold:g}
  set Tolerance = 1e-10
  set Verbose = false
end
subsection Output
  set File = {name}.h5
  set Line points = {points}
  set Write vtu = false
end
"""

def read_reference(data_dir):
    """One dict per bilayer with its reference profile (x [m], T*)."""
    cases = []
    for nm in THICKNESSES_NM:
        ref = np.loadtxt(data_dir / f"Tempcell_ref_{nm}.dat")
        cases.append({"nm": nm, "L": nm * 1e-9, "profile_ref": ref[:, [0, 3]]})
    return cases

def read_bilayer(path):
    """Iterations, converged flag, solver wall time, (x, T*) and interface 0."""
    with h5py.File(path, "r") as f:
        # The layer mesh starts at x = 0; the peer reports the scattering temperature.
        result = {"iterations": int(f.attrs["iterations"]),
                  "converged": int(f.attrs["converged"]),
                  "solver_wall": float(f["summary"].attrs["wall_time"]),
                  "x": f["line/position"][()],
                  "tstar": f["line/scattering_temperature"][()] - T_COLD}
        if "interfaces/0" in f:
            attrs = f["interfaces/0"].attrs
            result["drop"] = float(attrs["temperature_drop"])
            result["resistance"] = float(attrs["resistance"])
            result["conductance"] = float(attrs["conductance"])
        else:
            print(f"warning: {path} has no interfaces/0 group", file=sys.stderr)
        return result

def run_bilayer(case, args, work, materials, quadrature):
    """Write the input of one bilayer, run it and store its results in case."""
    name = f"bilayer_{case['nm']}_{quadrature}"
    case["quadrature"] = quadrature
    (work / f"{name}.prm").write_text(PRM.format(
        half=f"{case['nm'] / 2:g}e-9", cells=CELLS_PER_LAYER, hot=T_HOT, cold=T_COLD,
        table=(args.data / "interface1_xin_134.dat").resolve(), name=name,
        points=LINE_POINTS, germanium=materials[0], silicon=materials[1]))
    results = run_kapitza(args.kapitza, name, work, case)
    if results is None:
        return
    case.update(read_bilayer(results))
    case["dT"] = profile_diff(case["x"], case["tstar"], case["profile_ref"])
    if not case["converged"]:
        print(f"warning: {name} did not converge", file=sys.stderr)

def table(cases):
    """Markdown table of all bilayers."""
    rows = ["| L [nm] | quadrature | max abs dT* | iterations | solver wall time [s] "
            "| process wall time [s] | peak [MB] | interface drop [K] "
            "| G [MW/m^2K] | against the other quadrature |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    for c in cases:
        if not c["ok"]:
            rows.append(f"| {c['nm']} | {c['quadrature']} | FAILED | - | - | {c['wall']:.2f} "
                        f"| {c['peak_mb']:.0f} | - | - | - |")
            continue
        conv = "" if c["converged"] else " (not converged)"
        drop = f"{c['drop']:.4f}" if "drop" in c else "-"
        G = f"{c['conductance'] / 1e6:.1f}" if "conductance" in c else "-"
        same = f"{c['quadrature_difference']:.1e}" if "quadrature_difference" in c else "-"
        rows.append(f"| {c['nm']} | {c['quadrature']} | {c['dT']:.2e} | {c['iterations']}{conv} "
                    f"| {c['solver_wall']:.3f} | {c['wall']:.2f} | {c['peak_mb']:.0f} "
                    f"| {drop} | {G} | {same} |")
    return "\n".join(rows) + "\n"

def plot_profiles(cases, path):
    fig, axes = plt.subplots(1, len(cases), figsize=(4 * len(cases), 3.6), sharey=True)
    for ax, c in zip(np.atleast_1d(axes), cases):
        ref = c["profile_ref"]
        if c["ok"]:
            ax.plot(c["x"] * 1e9, c["tstar"], "-", label="kapitza")
        ax.plot(ref[:, 0] * 1e9, ref[:, 1], "o", ms=4, mfc="none", color="k",
                label="GiftBTE reference")
        ax.axvline(c["nm"] / 2, color="0.6", lw=0.8, ls=":")
        ax.set_title(f"Ge|Si, L = {c['nm']} nm")
        ax.set_xlabel("x [nm]")
        ax.grid(alpha=0.3)
    np.atleast_1d(axes)[0].set_ylabel(r"$T^* = T - 300\,\mathrm{K}$ [K]")
    np.atleast_1d(axes)[0].legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(path, dpi=150)
    plt.close(fig)

def check_failed(cases):
    """True if any finished bilayer misses the accuracy threshold or diverged."""
    bad = [c for c in cases if c["ok"] and (
        c["dT"] > MAX_PROFILE_DIFF or not c["converged"])]
    for c in bad:
        print(f"check failed: L = {c['nm']} nm", file=sys.stderr)
    return bool(bad)

def main():
    args = parse_args(__doc__, "folder with Ge_ran.dat, Si_ran.dat, interface1_xin_134.dat, "
                      "Tempcell_ref_<nm>.dat and peer_figures.json", "giftbte_bilayers",
                      "exit 1 if a profile diff > 2e-3, a run did not converge or the two "
                      "quadratures disagree")
    work = args.out / "work"
    work.mkdir(parents=True, exist_ok=True)
    args.kapitza = args.kapitza.resolve()  # runs use cwd = work
    for tool in (args.kapitza, args.material_tool):
        if not os.access(tool, os.X_OK):
            fail(f"{tool} is not an executable (build it or pass its path)")
    peer = read_peer_figures(args.data)
    runs = {}
    for quadrature in QUADRATURES:
        materials = [build_bands(args, work, f"{name}_ran.dat", name, quadrature)
                     for name in ("Ge", "Si")]
        runs[quadrature] = read_reference(args.data)
        for case in runs[quadrature]:
            run_bilayer(case, args, work, materials, quadrature)
    disagree = compare_quadratures(
        runs, "nm", lambda c: np.concatenate(([c["drop"], c["conductance"]], c["tstar"])))
    cases = [c for quadrature_cases in zip(*runs.values()) for c in quadrature_cases]
    text = table(cases)
    write_tables(args.out, "Ge|Si bilayers vs GiftBTE reference profiles", text, peer, cases,
                 lambda c: f"bilayer {c['nm']}")
    plot_profiles(runs["peer"], args.out / "profiles.png")
    if not all(c["ok"] for c in cases):
        sys.exit(2)
    for nm in disagree:
        print(f"check failed: L = {nm} nm differs between the quadratures", file=sys.stderr)
    if args.check and (check_failed(cases) or disagree):
        sys.exit(1)

if __name__ == "__main__":
    main()
