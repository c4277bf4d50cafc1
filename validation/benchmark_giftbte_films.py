#!/usr/bin/python3
"""Peer benchmark: Si cross-plane films against the GiftBTE reference data.

Usage:
    validation/benchmark_giftbte_films.py [--kapitza build/kapitza]
        [--material-tool build/kapitza-material] [--data inputs/giftbte]
        [--out runs/giftbte_films] [--check]

Defaults are relative to the repository root.
Reads <data>/{Si_15.dat, TC.dat, T<L>.dat, peer_figures.json} (copied from the peer's
repository or measured beside it, see its README.md), builds the Si_15 material on two
angular quadratures (giftbte_common.QUADRATURES: the peer's 128 directions, 8 half-range
Gauss-Legendre cosines x 16 azimuths, and the same cosines x 2 azimuths, which in 1D is the
same discrete problem), runs one 1D film (100 cells, walls at 301 K / 300 K) per thickness
in TC.dat on each inside <out>/work, and writes
    <out>/table.md         kappa_eff vs analytic, iterations, solver and process wall time,
                           peak RSS, max |T* - T*_ref| for films with a T<L>.dat profile,
                           the largest relative difference between the quadratures, and
                           the peer's measured case beside ours (ratios)
    <out>/kappa_vs_L.png   kappa_eff vs L (log x), peer quadrature
    <out>/profiles.png     T* = (T - 300 K)/1 K vs x/L, kapitza and reference
The tables are also printed.  Exit status: 2 if a material build or any run fails, 1
with --check if any kappa error > 0.5 % or profile diff > 5e-3, or if the quadratures
differ by more than giftbte_common.SAME_PROBLEM_TOLERANCE.

The peer's profiles are its "temperature", the scattering-rate weighted (pseudo)
temperature sum (C/tau) T_mu / sum C/tau: they are compared with
line/scattering_temperature. TC.dat's entry for L = 1e-8 m (8.2524) is inconsistent
with its neighbours: the band-coupled kappa must exceed the uncoupled per-band
Heaslet-Warming sum (8.2965 at 1e-8; ratios 1.0123 at 2e-8 and 1.0030 at 5e-9), and
kapitza converges to 8.3524 under angular refinement, one digit from the table value.
It is reported but excluded from --check (SUSPECT_REFERENCES).
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
CELLS, LINE_POINTS = 100, 100
MAX_KAPPA_ERROR_PERCENT, MAX_PROFILE_DIFF = 0.5, 5e-3
SUSPECT_REFERENCES = {1e-8}  # TC.dat value one digit off (see the docstring)

PRM = """set Dimension = 1
subsection Materials
  set Names = Si
  set Files = {material}
end
subsection Mesh
  set Generator = layers
  set Layers = Si:{L}:{cells}
end
subsection Boundaries
  set Left = thermalizing {hot:g}
  set Right = thermalizing {cold:g}
end
subsection Solver
  set Reference temperature = {cold:g}
  set Method = accelerated
  set Tolerance = 1e-10
end
subsection Output
  set File = {name}.h5
  set Line points = {points}
  set Write vtu = false
end
"""

def read_reference(data_dir):
    """Films from TC.dat as dicts; the thickness keeps its spelling ("1e-7")."""
    films = []
    for line in (data_dir / "TC.dat").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            token, kappa = line.split()[:2]
            films.append({"token": token, "L": float(token),
                          "kappa_ref": float(kappa)})
    profiles = {float(f.stem[1:]): np.loadtxt(f) for f in data_dir.glob("T*.dat")
                if f.stem[1:2].isdigit()}
    for film in films:
        film["profile_ref"] = next((v for k, v in profiles.items()
                                    if np.isclose(k, film["L"], rtol=1e-9, atol=0)), None)
    return films

def read_film(path, L):
    """kappa_eff, iterations, converged flag and (x/L, T*) from a results file."""
    with h5py.File(path, "r") as f:
        summary = f["summary"].attrs
        if "effective_conductivity" in summary:
            kappa = float(summary["effective_conductivity"])
        else:  # Fourier definition with the wall temperatures
            kappa = float(summary["mean_heat_flux"]) * L / (T_HOT - T_COLD)
            print(f"note: L={L:g}: no effective_conductivity, using q L / dT",
                  file=sys.stderr)
        # The layer mesh starts at x = 0; the peer reports the scattering temperature.
        xi = f["line/position"][()] / L
        tstar = (f["line/scattering_temperature"][()] - T_COLD) / (T_HOT - T_COLD)
        return (kappa, int(f.attrs["iterations"]), int(f.attrs["converged"]),
                float(summary["wall_time"]), xi, tstar)

def run_film(film, args, work, material, quadrature):
    """Write the input of one film, run it and store its results in film."""
    name = f"film_{film['token']}_{quadrature}"
    film["quadrature"] = quadrature
    (work / f"{name}.prm").write_text(PRM.format(
        L=film["token"], cells=CELLS, hot=T_HOT, cold=T_COLD, points=LINE_POINTS,
        material=material, name=name))
    results = run_kapitza(args.kapitza, name, work, film)
    if results is None:
        return
    kappa, film["iterations"], film["converged"], film["solver_wall"], xi, tstar = read_film(
        results, film["L"])
    film["kappa"], film["xi"], film["tstar"] = kappa, xi, tstar
    film["error"] = 100 * abs(kappa - film["kappa_ref"]) / film["kappa_ref"]
    if film["profile_ref"] is not None:
        film["dT"] = profile_diff(xi, tstar, film["profile_ref"])
    if not film["converged"]:
        print(f"warning: {name} did not converge", file=sys.stderr)

def table(films):
    """Markdown table of all films."""
    rows = ["| L [m] | quadrature | kappa kapitza [W/m/K] | kappa analytic [W/m/K] "
            "| rel. error [%] | iterations | solver [s] | process [s] | peak [MB] "
            "| profile max abs dT* | against the other quadrature |",
            "|---|---|---|---|---|---|---|---|---|---|---|"]
    for f in films:
        if not f["ok"]:
            rows.append(f"| {f['L']:.0e} | {f['quadrature']} | FAILED | {f['kappa_ref']:.4f} "
                        f"| - | - | - | {f['wall']:.2f} | {f['peak_mb']:.0f} | - | - |")
            continue
        dT = f"{f['dT']:.2e}" if "dT" in f else "-"
        conv = "" if f["converged"] else " (not converged)"
        same = f"{f['quadrature_difference']:.1e}" if "quadrature_difference" in f else "-"
        rows.append(f"| {f['L']:.0e} | {f['quadrature']} | {f['kappa']:.4f} | {f['kappa_ref']:.4f} "
                    f"| {f['error']:.3f} | {f['iterations']}{conv} | {f['solver_wall']:.3f} "
                    f"| {f['wall']:.2f} | {f['peak_mb']:.0f} | {dT} | {same} |")
    return "\n".join(rows) + "\n"

def plot_kappa(films, path):
    L = [f["L"] for f in films]
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(L, [f["kappa_ref"] for f in films], "k-", label="analytic (GiftBTE TC.dat)")
    ok = [f for f in films if f["ok"]]
    ax.plot([f["L"] for f in ok], [f["kappa"] for f in ok], "o", mfc="none",
            label="kapitza")
    ax.set_xscale("log")
    ax.set_xlabel("film thickness L [m]")
    ax.set_ylabel(r"$\kappa_\mathrm{eff}$ [W/(m K)]")
    ax.grid(alpha=0.3, which="both")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=150)
    plt.close(fig)

def plot_profiles(films, path):
    fig, ax = plt.subplots(figsize=(6, 4))
    for f in films:
        if f["profile_ref"] is None:
            continue
        ref = f["profile_ref"]
        line, = ax.plot(ref[:, 0], ref[:, 1], "-", label=f"L = {f['L']:.0e} m reference")
        if f["ok"]:
            ax.plot(f["xi"], f["tstar"], "o", ms=3, mfc="none",
                    color=line.get_color(), label=f"L = {f['L']:.0e} m kapitza")
    ax.set_xlabel("x / L")
    ax.set_ylabel(r"$T^* = (T - 300\,\mathrm{K}) / 1\,\mathrm{K}$")
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(path, dpi=150)
    plt.close(fig)

def check_failed(films):
    """True if any finished film misses the accuracy thresholds."""
    bad = [f for f in films if f["ok"] and f["L"] not in SUSPECT_REFERENCES and (
        f["error"] > MAX_KAPPA_ERROR_PERCENT or f.get("dT", 0) > MAX_PROFILE_DIFF
        or not f["converged"])]
    for f in bad:
        print(f"check failed: L = {f['L']:.0e} m", file=sys.stderr)
    return bool(bad)

def main():
    args = parse_args(__doc__, "folder with Si_15.dat, TC.dat, T<L>.dat and peer_figures.json",
                      "giftbte_films", "exit 1 if kappa error > 0.5 %% or profile diff > 5e-3 "
                      "on either quadrature, or the two quadratures disagree")
    work = args.out / "work"
    work.mkdir(parents=True, exist_ok=True)
    args.kapitza = args.kapitza.resolve()  # runs use cwd = work
    for tool in (args.kapitza, args.material_tool):
        if not os.access(tool, os.X_OK):
            fail(f"{tool} is not an executable (build it or pass its path)")
    peer = read_peer_figures(args.data)
    runs = {}
    for quadrature in QUADRATURES:
        material = build_bands(args, work, "Si_15.dat", "Si15", quadrature)
        runs[quadrature] = read_reference(args.data)
        for film in runs[quadrature]:
            run_film(film, args, work, material, quadrature)
    disagree = compare_quadratures(
        runs, "token", lambda f: np.concatenate(([f["kappa"]], f["tstar"])))
    films = [f for quadrature_films in zip(*runs.values()) for f in quadrature_films]
    text = table(films)
    write_tables(args.out, "Si cross-plane films vs GiftBTE analytic kappa_eff", text, peer, films,
                 lambda f: f"film {f['token']}")
    plot_kappa(runs["peer"], args.out / "kappa_vs_L.png")
    plot_profiles(runs["peer"], args.out / "profiles.png")
    if not all(f["ok"] for f in films):
        sys.exit(2)
    for token in disagree:
        print(f"check failed: L = {token} m differs between the quadratures", file=sys.stderr)
    if args.check and (check_failed(films) or disagree):
        sys.exit(1)

if __name__ == "__main__":
    main()
