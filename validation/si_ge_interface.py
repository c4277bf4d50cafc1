#!/usr/bin/python3
"""Si/Ge interface resistance with DMM and with the strain mismatch model (SMM).

Usage:
    validation/si_ge_interface.py [--build build] [--mesh 8] [--length 5e-7]
        [--cells 100] [--bins 60] [--out runs/si_ge] [--mpirun "mpirun -np 2"]
        [--check] [--decompose] [--resolutions 3e9 1e9 ...]
    validation/si_ge_interface.py --convergence 8 12 16 [20] [--dense 24 [--refinements 1 2 4 8 16]]
        [--out runs/si_ge_convergence] ...

Builds RTA mode databases of Si and Ge from the Tersoff (SiCGe.tersoff) force constants
in inputs/materials/ with kapitza-modes (mesh^3 q-points, T0 = 300 K), runs the same
1D Si|Ge bilayer (two layers of --length each, thermalizing walls 301/300 K) with
Interfaces/Model = dmm and = smm (lattice constants 5.432 / 5.6568 Angstrom, misfit
dislocation spacing a_Si a_Ge / |a_Si - a_Ge|), and writes <out>/README.md with the
fitted temperature drop, R [m^2K/W] and G [MW/m^2K] of both models.
--decompose adds two SMM runs that separate its parts: `smm-diffuse` (Interfaces/Background
= diffuse: phonons that do not scatter off the strain field leave as in DMM) and
`smm-no-strain` (Burgers vector 1e-20 m: the momentum-conserving background alone).
--resolutions adds SMM runs with Interfaces/Momentum resolution set to each value [1/m]
(the default run uses the in-plane q-mesh spacing); the table
gives each run's golden-rule events per crossing and the fraction of the flux scattered by
the strain field (attributes of the results file's interfaces/0).
--check adds the run `smm-dmm-limit` (vanishing strain field, diffuse background: exactly
DMM in every channel) and exits 1 unless the invariants hold on these ab initio sets: that
run's R equals DMM's within DMM_LIMIT (both solved to Solver/Tolerance = SOLVER_TOLERANCE;
the couplings differ only by round-off), and every SMM run sends each arriving phonon
either through the strain field or through the background (fractions summing to 1 within
FLUX_BALANCE). Published Si/Ge conductances stand beside ours in the README, never in a test.
--convergence MESH... runs DMM, SMM with both backgrounds (`parallel momentum`, the
default, and `diffuse`) and AMM of the coherent, pseudomorphic interface (Interfaces/
Pseudomorphic: Ge strained onto Si's in-plane lattice, bands unstrained) on each q-mesh (its
own folder OUT/meshN) and writes one table, OUT/convergence.md (default momentum resolution:
the in-plane mesh spacing of each mesh).
--dense N adds a second table: the same meshes with DMM's spectra, SMM's class-resolved
re-emission (Interfaces/Re-emission = classes, both backgrounds) and AMM on the dense sets
(Spectral files with amm, default Normal refinement) from dense N^3 harmonic sets.
--refinements R... adds a third: AMM on the dense sets at the first mesh with each
Interfaces/Normal refinement R.
"""
import argparse
import shlex
import sys
import time
from pathlib import Path

import h5py

from giftbte_common import run_checked as run

REPO = Path(__file__).resolve().parents[1]
LATTICE = {"Si": 5.43201e-10, "Ge": 5.6568e-10}
FORCE_CONSTANTS = {"Si": "Si-SiCGe.tersoff", "Ge": "Ge-SiCGe.tersoff"}
SOLVER_TOLERANCE = 1e-12
# Relative: the two operators are equal to round-off, but two GMRES solves to
# SOLVER_TOLERANCE may stop an iteration apart, and the drop and flux amplify the residual
# up to ~1e3-fold (300 measured for a flux in tests/programs/mpi_ranks.sh); 8^3 gives 3e-14.
DMM_LIMIT = 1e3 * SOLVER_TOLERANCE
FLUX_BALANCE = 1e-12  # strain + background fractions: sums of the same balanced fluxes
# AMM's acoustic impedances: room-temperature mass densities of Si and Ge [kg/m^3] (CRC
# Handbook of Chemistry and Physics, 2.329 and 5.323 g/cm^3); the coherent interface AMM
# describes is the pseudomorphic one (Ge strained onto Si's in-plane lattice).
AMM = {"Mass densities": "2329, 5323", "Pseudomorphic": "true"}


def case_text(model, length, cells, bins, name, settings):
    return f"""set Dimension = 1
subsection Materials
  set Names = Si, Ge
  set Files = Si.h5, Ge.h5
end
subsection Mesh
  set Layers = Si:{length}:{cells}, Ge:{length}:{cells}
  set Grading ratio = 20
end
subsection Boundaries
  set Left = thermalizing 301
  set Right = thermalizing 300
end
subsection Interfaces
  set Model = {model}
  set Frequency bins = {bins}
  set Lattice constants = {LATTICE['Si']}, {LATTICE['Ge']}
{settings}end
subsection Solver
  set Reference temperature = 300
  set Tolerance = {SOLVER_TOLERANCE:g}
end
subsection Output
  set File = {name}.h5
  set Write vtu = false
end
"""


def databases(build, mesh, out, collision="rta", stem="{name}"):
    """Mode databases of both materials on mesh^3 at 300 K (collision "none": harmonic sets,
    Interfaces/Spectral files); their absolute paths."""
    files = {name: (out / f"{stem.format(name=name)}.h5").resolve() for name in FORCE_CONSTANTS}
    for name, folder in FORCE_CONSTANTS.items():
        run([str(build / "kapitza-modes"), "--fc", str(REPO / "inputs" / "materials" / folder),
             "--mesh", *[str(mesh)] * 3, "--temperature", "300", "--collision", collision,
             "--out", str(files[name])], out / f"{stem.format(name=name)}-modes.log")
    return files


def run_cases(cases, args, out):
    """Runs every case (name: extra Interfaces settings) in `out`; their interfaces/0 attributes."""
    rows = {}
    for name, settings in cases.items():
        model = name.split("-")[0]
        extra = "".join(f"  set {key} = {value}\n" for key, value in settings.items())
        (out / f"{name}.prm").write_text(case_text(model, args.length, args.cells, args.bins, name, extra))
        run(shlex.split(args.mpirun) + [str(Path(args.build) / "kapitza"), str(out / f"{name}.prm")],
            out / f"{name}.log")
        with h5py.File(out / f"{name}.h5") as f:
            rows[name] = dict(f["interfaces/0"].attrs)
    return rows


def conductance(r):
    """G = 1/R of a run [MW/m^2K], as the tables print it."""
    return f"{1e-6 / r['resistance']:.1f}"


def versus(r, reference):
    """R of a run over the reference run's, as the tables print it."""
    return f"{r['resistance'] / reference['resistance']:.4f}"


def emit(out, lines):
    """OUT/convergence.md rewritten with `lines`, the last printed."""
    (out / "convergence.md").write_text("\n".join(lines + [""]))
    print(lines[-1], flush=True)


def table(args, out, lines, cases, row, prepare=lambda folder, mesh: None):
    """One row per --convergence mesh: `cases` run in OUT/meshN (after prepare(folder, mesh)),
    row(rows, mesh, seconds) its text; OUT/convergence.md rewritten after each."""
    for mesh in args.convergence:
        start = time.time()
        folder = out / f"mesh{mesh}"
        folder.mkdir(parents=True, exist_ok=True)
        prepare(folder, mesh)
        lines.append(row(run_cases(cases, args, folder), mesh, time.time() - start))
        emit(out, lines)


def convergence(args, out):
    """DMM and SMM (both backgrounds) on each q-mesh: OUT/convergence.md."""
    lines = ["# Si/Ge interface: q-mesh convergence of DMM, SMM and AMM (Tersoff, RTA, 300 K)", "",
             f"Written by `validation/si_ge_interface.py --convergence`: two layers of {args.length:g} m "
             f"({args.cells} graded cells each), {args.bins} frequency channels, walls 301/300 K; SMM with "
             "the default momentum resolution (the in-plane q-mesh spacing) and both backgrounds; AMM of the "
             "coherent interface with Ge strained onto Si's in-plane lattice (Pseudomorphic = true, bands "
             "unstrained), without dense sets the exact (channel, q_par) classes of the transport modes.", "",
             "| q-mesh | momentum resolution [1/m] | G DMM [MW/m^2K] | G SMM [MW/m^2K] | R_smm / R_dmm | "
             "G SMM, diffuse background | R / R_dmm (diffuse) | events per crossing | strain-scattered flux | "
             "left diffusely | G AMM [MW/m^2K] | R_amm / R_dmm | wall time [s] |", "|" + "---|" * 13]

    def row(rows, mesh, seconds):
        dmm, smm, diffuse, amm = rows["dmm"], rows["smm"], rows["smm-diffuse"], rows["amm"]
        return (f"| {mesh}^3 | {smm['smm_momentum_resolution']:.3e} | {conductance(dmm)} | {conductance(smm)} | "
                f"{versus(smm, dmm)} | {conductance(diffuse)} | {versus(diffuse, dmm)} | "
                f"{smm['smm_events_per_crossing']:.3f} | {smm['smm_strain_flux']:.4f} | "
                f"{smm['smm_diffuse_flux']:.3e} | {conductance(amm)} | {versus(amm, dmm)} | {seconds:.0f} |")
    table(args, out, lines, {"dmm": {}, "smm": {}, "smm-diffuse": {"Background": "diffuse"}, "amm": AMM}, row,
          lambda folder, mesh: databases(Path(args.build), mesh, folder))
    if args.dense:
        dense_table(args, out, lines)


def dense_table(args, out, lines):
    """The same meshes with the interface computed on dense harmonic sets of --dense^3: DMM's
    spectra and SMM's class-resolved re-emission (Re-emission = classes), both backgrounds."""
    files = databases(Path(args.build), args.dense, out, "none", f"{{name}}-dense-{args.dense}")
    common = {"Spectral files": f"{files['Si']}, {files['Ge']}"}
    lines += ["", f"## Interfaces on dense harmonic sets ({args.dense}^3)", "",
              f"DMM's channel spectra (`Spectral files`), SMM's class-resolved re-emission (`Re-emission = "
              f"classes`) and AMM on the dense sets (`Spectral files` with amm, default `Normal refinement`): "
              f"the whole interface on dense {args.dense}^3 harmonic sets, carried by classes of transport "
              f"modes, the same for every transport q-mesh.", "",
              "| q-mesh | G DMM [MW/m^2K] | G SMM [MW/m^2K] | R_smm / R_dmm | G SMM, diffuse background | "
              "R / R_dmm (diffuse) | events per crossing | strain-scattered flux | dense Landauer G SMM "
              "[MW/m^2K] | G AMM [MW/m^2K] | R_amm / R_dmm | dense Landauer G AMM [MW/m^2K] | wall time [s] |",
              "|" + "---|" * 13]

    def row(rows, mesh, seconds):
        dmm, smm, diffuse, amm = rows["dmm-dense"], rows["smm-classes"], rows["smm-classes-diffuse"], rows["amm-dense"]
        return (f"| {mesh}^3 | {conductance(dmm)} | {conductance(smm)} | {versus(smm, dmm)} | "
                f"{conductance(diffuse)} | {versus(diffuse, dmm)} | {smm['smm_events_per_crossing']:.3f} | "
                f"{smm['smm_strain_flux']:.4f} | {1e-6 * smm['spectral_landauer_conductance']:.1f} | "
                f"{conductance(amm)} | {versus(amm, dmm)} | {1e-6 * amm['spectral_landauer_conductance']:.1f} | "
                f"{seconds:.0f} |")
    table(args, out, lines, {"dmm-dense": common, "smm-classes": {**common, "Re-emission": "classes"},
                             "smm-classes-diffuse": {**common, "Re-emission": "classes", "Background": "diffuse"},
                             "amm-dense": {**common, **AMM}},
          row)
    if args.refinements:
        refinement_table(args, out, lines, common)


def refinement_table(args, out, lines, common):
    """AMM on the dense sets at the first --convergence mesh, for each Normal refinement."""
    mesh = args.convergence[0]
    lines += ["", f"## AMM on the dense sets: refinement along the normal ({args.dense}^3, transport {mesh}^3)", "",
              "Interfaces/Normal refinement: sub-cells per dense q-mesh step along the normal "
              "(interface/normal_refinement.h).", "",
              "| Normal refinement | dense Landauer G AMM [MW/m^2K] | G AMM [MW/m^2K] | wall time [s] |",
              "|---|---|---|---|"]
    folder = out / f"mesh{mesh}"
    rows = []
    for refinement in args.refinements:
        start = time.time()
        name = f"amm-dense-r{refinement}"
        amm = run_cases({name: {**common, **AMM, "Normal refinement": str(refinement)}}, args, folder)[name]
        lines.append(f"| {refinement} | {1e-6 * amm['spectral_landauer_conductance']:.2f} | "
                     f"{conductance(amm)} | {time.time() - start:.0f} |")
        rows.append(amm)
        emit(out, lines)
    if len(rows) > 1:
        landauer = 100 * (rows[-1]["spectral_landauer_conductance"] / rows[-2]["spectral_landauer_conductance"] - 1)
        change = 100 * (rows[-2]["resistance"] / rows[-1]["resistance"] - 1)
        lines += ["", f"From Normal refinement {args.refinements[-2]} to {args.refinements[-1]} the dense Landauer G "
                      f"moves by {landauer:+.2f} % and G = 1/R by {change:+.2f} %."]
        emit(out, lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default=str(REPO / "build"))
    parser.add_argument("--mesh", type=int, default=8)
    parser.add_argument("--length", type=float, default=5e-7)
    parser.add_argument("--cells", type=int, default=100)
    parser.add_argument("--bins", type=int, default=60)
    parser.add_argument("--out", default=str(REPO / "runs" / "si_ge"))  # validation/si_ge: the reference copy
    parser.add_argument("--mpirun", default="")
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--decompose", action="store_true")
    parser.add_argument("--resolutions", type=float, nargs="*", default=[])
    parser.add_argument("--convergence", type=int, nargs="+", default=[],
                        help="q-meshes of the convergence table (OUT/convergence.md)")
    parser.add_argument("--dense", type=int, default=0,
                        help="with --convergence: a second table with the interfaces computed on dense "
                             "harmonic sets of this mesh (DMM spectra, SMM Re-emission = classes, AMM)")
    parser.add_argument("--refinements", type=int, nargs="+", default=[],
                        help="with --dense: a third table, AMM on the dense sets with each Normal refinement")
    args = parser.parse_args()
    if args.dense and not args.convergence:
        sys.exit("si_ge_interface.py: error: --dense adds a table to --convergence: give --convergence MESH...")
    if args.refinements and not args.dense:
        sys.exit("si_ge_interface.py: error: --refinements adds a table to --dense: give --dense N")
    if args.convergence and min(args.convergence) < 2:
        sys.exit(f"si_ge_interface.py: error: --convergence needs meshes of at least 2, not {args.convergence}")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.convergence:
        return convergence(args, out)
    databases(Path(args.build), args.mesh, out)
    cases = {"dmm": {}, "smm": {}}
    if args.decompose:
        cases["smm-diffuse"] = {"Background": "diffuse"}
        cases["smm-no-strain"] = {"Burgers vector": "1e-20"}
    if args.check:
        cases["smm-dmm-limit"] = {"Burgers vector": "1e-20", "Background": "diffuse"}
    for resolution in args.resolutions:
        cases[f"smm{resolution:g}"] = {"Momentum resolution": f"{resolution:g}"}
    rows = run_cases(cases, args, out)
    lines = ["# Si/Ge interface: DMM vs SMM (Tersoff force constants, RTA lifetimes)", "",
             f"q-mesh {args.mesh}^3 per material, T0 = 300 K, two layers of {args.length:g} m "
             f"({args.cells} graded cells each), {args.bins} frequency channels, walls 301/300 K.", "",
             "| model | momentum resolution [1/m] | golden-rule events per crossing | strain-scattered flux | "
             "diffusely left flux | drop [K] | heat flux [W/m^2] | R [m^2K/W] | G [MW/m^2K] | kappa R Si [nm] | "
             "kappa R Ge [nm] |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, r in rows.items():
        smm = [f"{r[key]:{form}}" if r["model"] == "smm" else "" for key, form in
               (("smm_momentum_resolution", ".3e"), ("smm_events_per_crossing", ".3e"),
                ("smm_strain_flux", ".4f"), ("smm_diffuse_flux", ".3e"))]
        lines.append(f"| {name} | {' | '.join(smm)} | {r['temperature_drop']:.5g} | "
                     f"{r['heat_flux']:.5g} | {r['resistance']:.4e} | {conductance(r)} | "
                     f"{r['length_a'] * 1e9:.1f} | {r['length_b'] * 1e9:.1f} |")
    ratio = rows["smm"]["resistance"] / rows["dmm"]["resistance"]
    lines += ["", f"R_smm / R_dmm = {ratio:.4f} (default momentum resolution). Published Si/Ge conductances "
              "(NEMD, Green's functions) lie roughly between 250 and 500 MW/m^2K.", ""]
    (out / "README.md").write_text("\n".join(lines))
    print("\n".join(lines))
    if args.check:
        check_invariants(rows)


def check_invariants(rows):
    problems = []
    limit = rows["smm-dmm-limit"]["resistance"] / rows["dmm"]["resistance"] - 1
    print(f"DMM limit: R(smm, b -> 0, diffuse background) / R(dmm) - 1 = {limit:.3e} (allowed {DMM_LIMIT:g})")
    if not abs(limit) <= DMM_LIMIT:
        problems.append(f"SMM without strain field and with the diffuse background is not DMM: {limit:.3e}")
    for name, r in rows.items():
        if r["model"] != "smm":
            continue
        balance = r["smm_strain_flux"] + r["smm_background_flux"] - 1
        print(f"{name}: strain + background flux fractions - 1 = {balance:.3e} (allowed {FLUX_BALANCE:g})")
        if not abs(balance) <= FLUX_BALANCE:
            problems.append(f"{name}: strain and background fractions sum to 1 {balance:+.3e}")
    if problems:
        sys.exit("si_ge_interface: " + "; ".join(problems))


if __name__ == "__main__":
    main()
