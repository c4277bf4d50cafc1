#!/usr/bin/python3
"""Bulk-free (Landauer) DMM conductance against the spectral q-mesh (issue 13).

Usage:
    validation/landauer_dmm.py [--build build] [--a inputs/materials/Si-SiCGe.tersoff]
        [--b inputs/materials/Ge-SiCGe.tersoff] [--meshes 8 12 16 24 32]
        [--widths 0.05 0.1 0.2] [--bins 100] [--temperature 300] [--transport-mesh 4]
        [--out runs/landauer_dmm]

For each mesh N, kapitza-modes writes the harmonic modes (--collision none) of both
materials on N^3 q-points (cubic cells; the modes' density makes every mesh a sample of
the same Brillouin zone). With C_mu the mode heat capacity [J/(m^3 K)] and v_x its group
velocity along the interface normal, the channel capacity of side s is
    M_s(omega) = sum_{mu in s, v_x > 0} C_mu v_x g(omega - omega_mu)
with g a Gaussian of width sigma in omega/2pi [THz] (or, for comparison, the solver's
default: common frequency bins, Interfaces/Frequency bins), the DMM transmission
t_ab = M_b / (M_a + M_b), and the Landauer conductance of an interface between two
reservoirs at equilibrium
    G = integral M_a(omega) t_ab(omega) d omega = sum_{mu in a, v_x > 0} C_mu v_x t_ab(omega_mu)
[W/(m^2 K)] (detailed balance makes it the same seen from b). It is the interface part of
what the transport solver does with the same channels, without the bulk. The column
"adaptive (kapitza)" is the solver's own: `Interfaces/Spectral files` = the N^3 sets, each
mode spread by its adaptive width (docs/interfaces.md) over the solver's frequency bins (of
a --transport-mesh RTA set), read back as `spectral_landauer_conductance` of a 1D run.
The table shows how G moves with N and sigma; the script says which N keeps G within 1 %
of the finest.
Writes <out>/table.md and <out>/capacity.png; outputs go to an untracked folder.
"""
import argparse
import pathlib
import subprocess
import sys
import time

import h5py
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

REPO = pathlib.Path(__file__).resolve().parent.parent
HBAR, KB = 1.054571817e-34, 1.380649e-23
TWO_PI_THZ = 2 * np.pi * 1e12
CONVERGED = 0.01  # relative change that counts as converged
GRID_POINTS_PER_SIGMA = 10  # frequency grid of the smoothed capacities


def fail(message):
    sys.exit(f"landauer_dmm.py: error: {message}")


def mode_database(modes_tool, fc, mesh, temperature, path, collision="none"):
    if not path.exists():
        run = subprocess.run([str(modes_tool), "--fc", str(fc), "--mesh", *map(str, [mesh] * 3),
                              "--collision", collision, "--temperature", str(temperature),
                              "--out", str(path)], capture_output=True, text=True)
        if run.returncode != 0:
            fail(f"kapitza-modes on {fc} at {mesh}^3: {run.stderr.strip()}")


def harmonic_modes(modes_tool, fc, mesh, temperature, path):
    mode_database(modes_tool, fc, mesh, temperature, path)
    with h5py.File(path, "r") as f:
        omega, velocity, density = f["omega"][:], f["velocity"][:, 0], f["density"][:]
    x = HBAR * omega / (KB * temperature)
    capacity = density * KB * x ** 2 * np.exp(-x) / (1 - np.exp(-x)) ** 2
    forward = velocity > 0
    return omega[forward], capacity[forward] * velocity[forward]


def solver_conductance(build, transport, spectral, bins, temperature, folder):
    """The spectral Landauer G [W/(m^2 K)] kapitza sets up for dense sets `spectral` (a, b)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "case.prm").write_text(f"""set Dimension = 1
subsection Materials
  set Names = a, b
  set Files = {transport[0]}, {transport[1]}
end
subsection Mesh
  set Layers = a:1e-8:2, b:1e-8:2
end
subsection Boundaries
  set Left = thermalizing {temperature + 1:g}
  set Right = thermalizing {temperature:g}
end
subsection Interfaces
  set Model = dmm
  set Frequency bins = {bins}
  set Spectral files = {spectral[0]}, {spectral[1]}
end
subsection Solver
  set Reference temperature = {temperature:g}
  set Verbose = false
end
subsection Output
  set File = results.h5
  set Write vtu = false
end
""")
    run = subprocess.run([str(pathlib.Path(build) / "kapitza"), "case.prm"], cwd=folder,
                         capture_output=True, text=True)
    if run.returncode != 0:
        fail(f"kapitza in {folder}: {(run.stderr or run.stdout).strip()}")
    with h5py.File(folder / "results.h5", "r") as f:
        return float(f["interfaces/0"].attrs["spectral_landauer_conductance"])


def gaussian_capacity(omega, weight, grid, sigma):
    out = np.zeros_like(grid)
    chunk = max(1, 2 ** 24 // len(grid))  # keeps each block near 128 MB
    for start in range(0, len(omega), chunk):
        d = (grid[:, None] - omega[None, start:start + chunk]) / sigma
        out += (np.exp(-0.5 * d ** 2) * weight[None, start:start + chunk]).sum(axis=1)
    return out / (np.sqrt(2 * np.pi) * sigma)


def conductance(a, b, sigma=None, bins=None):
    """G [W/(m^2 K)] with Gaussian capacities (sigma [rad/s]) or common frequency bins."""
    if bins:
        lo = min(a[0].min(), b[0].min())
        hi = max(a[0].max(), b[0].max())
        edges = np.linspace(lo, hi, bins + 1)
        ma, _ = np.histogram(a[0], edges, weights=a[1])
        mb, _ = np.histogram(b[0], edges, weights=b[1])
        t = np.divide(mb, ma + mb, out=np.zeros_like(ma), where=(ma > 0) & (mb > 0))
        return float((ma * t).sum())
    # Capacities on a frequency grid much finer than sigma, interpolated at each mode.
    hi = max(a[0].max(), b[0].max()) + 5 * sigma
    grid = np.linspace(0, hi, int(np.ceil(hi / (sigma / GRID_POINTS_PER_SIGMA))) + 1)
    ma, mb = gaussian_capacity(a[0], a[1], grid, sigma), gaussian_capacity(b[0], b[1], grid, sigma)
    t = np.divide(mb, ma + mb, out=np.zeros_like(ma), where=ma + mb > 0)
    return float((a[1] * np.interp(a[0], grid, t)).sum())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=str(REPO / "build"))
    parser.add_argument("--a", default=str(REPO / "inputs/materials/Si-SiCGe.tersoff"))
    parser.add_argument("--b", default=str(REPO / "inputs/materials/Ge-SiCGe.tersoff"))
    parser.add_argument("--meshes", type=int, nargs="+", default=[8, 12, 16, 24, 32])
    parser.add_argument("--widths", type=float, nargs="+", default=[0.05, 0.1, 0.2])
    parser.add_argument("--bins", type=int, default=100)
    parser.add_argument("--temperature", type=float, default=300)
    parser.add_argument("--transport-mesh", type=int, default=4,
                        help="q-mesh of the RTA transport sets of the solver's column")
    parser.add_argument("--out", default=str(REPO / "runs" / "landauer_dmm"))
    args = parser.parse_args()
    modes_tool = pathlib.Path(args.build) / "kapitza-modes"
    if not modes_tool.is_file() or not (pathlib.Path(args.build) / "kapitza").is_file():
        fail(f"kapitza-modes and kapitza are not built in {args.build}")
    if sorted(args.meshes) != args.meshes or args.meshes[0] < 1 or min(args.widths) <= 0 or args.bins < 1 \
            or args.transport_mesh < 1:
        fail("--meshes must increase from >= 1, --widths be positive, --bins and --transport-mesh >= 1")
    out = pathlib.Path(args.out).resolve()  # the solver runs in sub-folders
    out.mkdir(parents=True, exist_ok=True)
    names = [pathlib.Path(args.a).name, pathlib.Path(args.b).name]
    transport = [out / f"{side}-transport-{args.transport_mesh}.h5" for side in "ab"]
    for fc, path in zip((args.a, args.b), transport):
        mode_database(modes_tool, fc, args.transport_mesh, args.temperature, path, "rta")
    rows, spectra = [], {}
    for n in args.meshes:
        start = time.time()
        a = harmonic_modes(modes_tool, args.a, n, args.temperature, out / f"a-{n}.h5")
        b = harmonic_modes(modes_tool, args.b, n, args.temperature, out / f"b-{n}.h5")
        g = [conductance(a, b, sigma=w * TWO_PI_THZ) for w in args.widths]
        g.append(conductance(a, b, bins=args.bins))
        g.append(solver_conductance(args.build, transport, [out / f"a-{n}.h5", out / f"b-{n}.h5"],
                                    args.bins, args.temperature, out / f"solver-{n}"))
        rows.append((n, len(a[0]) * 2, g, time.time() - start))
        spectra[n] = (a, b)
        print(f"N = {n}: G = " + ", ".join(f"{x / 1e6:.2f}" for x in g) + " MW/(m^2 K)", flush=True)
    finest = np.array(rows[-1][2])
    labels = [f"sigma {w:g} THz" for w in args.widths] + [f"{args.bins} bins",
                                                           f"adaptive (kapitza, {args.bins} bins)"]
    lines = [f"# Landauer DMM conductance vs spectral q-mesh: {names[0]} -> {names[1]}, "
             f"T = {args.temperature:g} K", "",
             "Written by `validation/landauer_dmm.py` (harmonic modes from kapitza-modes "
             "--collision none on N^3 q-points). G in MW/(m^2 K); in brackets the change "
             "relative to the finest mesh of the same column.", "",
             "| N | modes per side | " + " | ".join(labels) + " | time [s] |",
             "|---" * (len(labels) + 3) + "|"]
    for n, modes, g, seconds in rows:
        cells = [f"{x / 1e6:.2f} ({(x / f - 1) * 100:+.2f} %)" for x, f in zip(g, finest)]
        lines.append(f"| {n} | {modes // 2} | " + " | ".join(cells) + f" | {seconds:.1f} |")
    lines.append("")
    for label, column in zip(labels, range(len(labels))):
        enough = next((n for n, _, g, _ in rows[:-1]
                       if all(abs(r[2][column] / finest[column] - 1) < CONVERGED
                              for r in rows if r[0] >= n)), None)
        lines.append(f"- {label}: " + (f"N >= {enough} stays within {CONVERGED:.0%} of N = {rows[-1][0]}"
                                        if enough else f"no coarser mesh is within {CONVERGED:.0%} "
                                        f"of N = {rows[-1][0]}: not converged"))
    (out / "table.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))

    fig, ax = plt.subplots(figsize=(7, 4))
    grid = np.linspace(0, max(s[0][0].max() for s in spectra.values()) * 1.02, 600)
    sigma = args.widths[len(args.widths) // 2] * TWO_PI_THZ
    for n in (args.meshes[0], args.meshes[-1]):
        for side, (modes, name, style) in enumerate(zip(spectra[n], names, ("-", "--"))):
            ax.plot(grid / TWO_PI_THZ, gaussian_capacity(modes[0], modes[1], grid, sigma) * TWO_PI_THZ,
                    style, lw=1.5 if n == args.meshes[-1] else 0.8, label=f"{name}, N = {n}")
    ax.set_xlabel("frequency [THz]")
    ax.set_ylabel("M(f) = sum C v_x g  [W/(m^2 K THz)]")
    ax.set_title(f"channel capacities (sigma {sigma / TWO_PI_THZ:g} THz)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "capacity.png", dpi=130)


if __name__ == "__main__":
    main()
