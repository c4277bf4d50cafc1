#!/usr/bin/python3
"""SMM without dislocations on a mass-only mismatch: setup time and conductance.

Usage:
    validation/smm_background.py [--build build] [--mesh 8] [--bins 60] [--out runs/smm_background]
        [--timeout 600]

Si | heavy-Si (Stillinger-Weber force constants of inputs/materials/Si-SW and the same
crystal with mass 72.63 amu) has no misfit, so no dislocations: Interfaces/Dislocation
arrays = 0 gives the SMM background alone. Before that entry existed the only way was a
vanishing strain field, e.g. Dislocation spacing = 1e-3 m (the `workaround` run below).
The script builds classical RTA databases (kapitza-modes, mesh^3, 300 K), runs one 1D
bilayer per case and writes <out>/README.md: the setup time of each run (its "setup: ...
(t s)" lines; the operators phase holds the interface coupling), the strain-scattered
flux fraction and G = 1/R, and the relative G difference of the workaround from arrays = 0.
A run still going after --timeout seconds is stopped and reported as such.
"""
import argparse
import re
import subprocess
import time
from pathlib import Path

import h5py

from giftbte_common import run_checked as run

REPO = Path(__file__).resolve().parents[1]
MATERIALS = {"Si": "Si-SW", "heavy": "Si-SW-heavy72.63"}
TEMPERATURE = 300
LENGTH, CELLS = 1e-7, 40  # per layer
WORKAROUND_SPACING = 1e-3  # m: G_1 = 6e3 1/m, far below the momentum resolution
BURGERS = 3.84e-10  # m: a/sqrt 2 of Si, the default of a real misfit
CASES = {
    "dmm": ("dmm", {}),
    "none-diffuse": ("smm", {"Dislocation arrays": "0", "Background": "diffuse"}),
    "none": ("smm", {"Dislocation arrays": "0"}),
    "workaround": ("smm", {"Dislocation spacing": f"{WORKAROUND_SPACING:g}", "Burgers vector": f"{BURGERS:g}"}),
}
OPERATORS_PHASE = "building the drift, scattering and interface operators"


def case_text(model, bins, name, settings):
    extra = "".join(f"  set {key} = {value}\n" for key, value in settings.items())
    return f"""set Dimension = 1
subsection Materials
  set Names = Si, heavy
  set Files = Si.h5, heavy.h5
end
subsection Mesh
  set Layers = Si:{LENGTH:g}:{CELLS}, heavy:{LENGTH:g}:{CELLS}
end
subsection Boundaries
  set Left = thermalizing {TEMPERATURE + 1}
  set Right = thermalizing {TEMPERATURE}
end
subsection Interfaces
  set Model = {model}
  set Frequency bins = {bins}
{extra}end
subsection Solver
  set Reference temperature = {TEMPERATURE}
  set Statistics = classical
end
subsection Output
  set File = {name}.h5
  set Write vtu = false
end
"""


def setup_phases(log):
    """Start time [s] of each setup phase, from the "setup: what (t s)" lines."""
    return {m.group(1): float(m.group(2)) for m in re.finditer(r"^setup: (.*) \(([0-9.]+) s\)$", log, re.M)}


def solve(build, out, name, timeout):
    """Run kapitza on <name>.prm; False when it was stopped after `timeout` seconds."""
    with open(out / f"{name}.log", "w") as log:
        try:
            status = subprocess.run([str(build / "kapitza"), f"{name}.prm"], cwd=out, stdout=log,
                                    stderr=subprocess.STDOUT, timeout=timeout).returncode
        except subprocess.TimeoutExpired:
            return False
    if status != 0:
        raise SystemExit(f"smm_background: kapitza {name}.prm failed (see {out / name}.log)")
    return True


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default=str(REPO / "build"))
    parser.add_argument("--mesh", type=int, default=8)
    parser.add_argument("--bins", type=int, default=60)
    parser.add_argument("--out", default=str(REPO / "runs" / "smm_background"))
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    out, build = Path(args.out), Path(args.build)
    out.mkdir(parents=True, exist_ok=True)
    for name, folder in MATERIALS.items():
        run([str(build / "kapitza-modes"), "--fc", str(REPO / "inputs" / "materials" / folder),
             "--mesh", *[str(args.mesh)] * 3, "--temperature", str(TEMPERATURE), "--collision", "rta",
             "--statistics", "classical", "--material", name, "--out", str(out / f"{name}.h5")],
            out / f"{name}-modes.log")
    rows = {}
    for name, (model, settings) in CASES.items():
        (out / f"{name}.prm").write_text(case_text(model, args.bins, name, settings))
        start = time.perf_counter()
        if not solve(build, out, name, args.timeout):
            rows[name] = {"stopped": time.perf_counter() - start}
            continue
        phases = setup_phases((out / f"{name}.log").read_text())
        with h5py.File(out / f"{name}.h5") as f:
            rows[name] = dict(f["interfaces/0"].attrs)
        rows[name]["setup"] = phases["done"]
        rows[name]["operators"] = phases["done"] - phases[OPERATORS_PHASE]
    g = {name: 1 / r["resistance"] for name, r in rows.items() if "stopped" not in r}
    lines = ["# SMM without dislocations: Si | heavy-Si (Stillinger-Weber, mass 28.09 | 72.63 amu)", "",
             f"q-mesh {args.mesh}^3 per material, classical statistics, RTA, T0 = {TEMPERATURE} K, two layers "
             f"of {LENGTH:g} m ({CELLS} cells each), {args.bins} frequency channels. `workaround`: "
             f"Dislocation spacing = {WORKAROUND_SPACING:g} m, Burgers vector = {BURGERS:g} m (the only way "
             "to a vanishing strain field before Dislocation arrays = 0).", "",
             "| case | settings | setup [s] | operators phase [s] | strain-scattered flux | G [MW/m^2K] |",
             "|---|---|---|---|---|---|"]
    for name, r in rows.items():
        settings = "; ".join(f"{k} = {v}" for k, v in CASES[name][1].items()) or "-"
        if "stopped" in r:
            lines.append(f"| {name} | {settings} | stopped after {r['stopped']:.0f} s, still in setup | | | |")
            continue
        strain = f"{r['smm_strain_flux']:.3e}" if r["model"] == "smm" else ""
        lines.append(f"| {name} | {settings} | {r['setup']:.2f} | {r['operators']:.2f} | {strain} | "
                     f"{1e-6 * g[name]:.4f} |")
    lines += ["", f"G(none-diffuse) / G(dmm) - 1 = {g['none-diffuse'] / g['dmm'] - 1:.3e}"]
    if "workaround" in g:
        lines[-1] += (f"; G(workaround) / G(none) - 1 = {g['workaround'] / g['none'] - 1:.3e}; setup time "
                      f"workaround / none = {rows['workaround']['setup'] / rows['none']['setup']:.1f}")
    lines.append("")
    (out / "README.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
