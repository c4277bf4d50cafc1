#!/usr/bin/python3
"""Synthetic EELS of wurtzite AlN: the resolution bias of the EELS temperature versus the
fit window (validation/eels/bias_table.md) and an example line scan through a heated AlN
slab (validation/eels/*.png, drawn by plot_eels.py).

Data (validation/eels/AlN-LDA, copied from the phono3py example AlN-LDA, BSD-3-Clause):
fc2 (5x5x3 supercell), BORN (Z*, eps_inf) and phono3py's RTA result on a 13x13x9 mesh.
Frame: the c axis of AlN is x (the transport direction, normal to a (0001) interface),
a is y; the beam runs along z (DESIGN.md section 1 and solver/eels/scattering_weights.h).

Bias table: mode sets from phonopy on a 24x24x16 mesh (dos weights) are run by kapitza at
a uniform 300.1 K (both walls thermalizing, T0 = 300 K) for several resolutions and fit
windows; the bias is eels/temperature - 300.1 K. The dipole weights need eigenvectors in
the mode database, which kapitza reads once the mode-database I/O of the ab initio branch is
merged; until then the dipole columns come from this script's numpy evaluation of the same
formulas (exact Bose populations at 300.1 K), whose dos column is checked against kapitza's.

    validation/eels_aln.py [--kapitza build/kapitza] [--work DIR]
"""
import argparse
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "eels", "AlN-LDA")
OUT = os.path.join(HERE, "eels")
HBAR, KB, EV, AMU = 1.054571817e-34, 1.380649e-23, 1.602176634e-19, 1.66053906660e-27
# phonopy's Cartesian frame (c along z) -> kapitza's (c along x, a along y, beam along z)
ROTATION = np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
RESOLUTIONS = [13.0, 10.0, 5.0, 2.5, 1.25]  # meV FWHM (the experiment: 10-13 meV)
WINDOWS = [("55 meV - top", "0.055, top"), ("55 - 100 meV", "0.055, 0.100"),
           ("60 - 95 meV", "0.060, 0.095"), ("70 - 90 meV", "0.070, 0.090"),
           ("75 - 85 meV", "0.075, 0.085")]


def write_modes(path, omega, velocity, density, tau, extra=None):
    """A kapitza-modes file (DESIGN.md section 5); `extra` holds optional datasets."""
    with h5py.File(path, "w") as f:
        for key, value in dict(format="kapitza-modes", version=1, material="AlN",
                               temperature=300.0, statistics="bose").items():
            f.attrs[key] = value
        f["omega"], f["velocity"], f["density"], f["tau"] = omega, velocity, density, tau
        for key, value in (extra or {}).items():
            f[key] = value


def with_partners(*arrays, velocity):
    """Each irreducible mode and its time-reversal partner (-q: -v, conjugate eigenvector),
    each with half the density, so that no frequency carries a net current."""
    doubled = [np.concatenate([a, np.conj(a) if np.iscomplexobj(a) else a]) for a in arrays]
    return doubled, np.concatenate([velocity, -velocity])


def phonopy_modes(mesh):
    """omega [rad/s], density [1/m^3], eigenvectors (N, atoms, 3), masses [kg], Z* (rotated)."""
    import phonopy

    ph = phonopy.load(unitcell_filename=os.path.join(DATA, "POSCAR-unitcell"),
                      supercell_matrix=[5, 5, 3], primitive_matrix=np.eye(3),
                      force_constants_filename=os.path.join(DATA, "fc2.hdf5"),
                      born_filename=os.path.join(DATA, "BORN"), is_nac=True, log_level=0)
    ph.run_mesh(mesh, with_eigenvectors=True, is_mesh_symmetry=True)
    d = ph.get_mesh_dict()
    atoms = len(ph.primitive.masses)
    volume = ph.primitive.volume * 1e-30
    freq = d["frequencies"].ravel()  # THz, (q, band)
    eig = np.transpose(d["eigenvectors"], (0, 2, 1)).reshape(-1, atoms, 3)  # (q band, atom, xyz)
    weight = np.repeat(d["weights"], 3 * atoms) / (d["weights"].sum() * volume)
    keep = freq > 0.05  # the acoustic modes at Gamma carry no energy
    eig = np.einsum("ij,naj->nai", ROTATION, eig[keep])
    born = np.einsum("ij,ajk,lk->ail", ROTATION, ph.nac_params["born"], ROTATION)
    return (2 * np.pi * 1e12 * freq[keep], weight[keep], eig,
            np.array(ph.primitive.masses) * AMU, born)


def run_kapitza(kapitza, folder, settings):
    """Writes case.prm from {section: {name: value}} and runs it; returns results.h5."""
    text = ""
    for section, entries in settings.items():
        text += f"subsection {section}\n" if section else ""
        text += "".join(f"  set {k} = {v}\n" for k, v in entries.items())
        text += "end\n" if section else ""
    with open(os.path.join(folder, "case.prm"), "w") as f:
        f.write(text)
    log = subprocess.run([kapitza, "case.prm"], cwd=folder, capture_output=True, text=True)
    if log.returncode != 0:
        sys.exit(f"kapitza failed in {folder}: {log.stderr.strip()}")
    return os.path.join(folder, settings["Output"]["File"])


def uniform_case(modes_file, resolution, window):
    return {"": {"Dimension": 1},
            "Materials": {"Names": "AlN", "Files": modes_file},
            "Mesh": {"Layers": "AlN:1e-8:2"},
            "Boundaries": {"Left": "thermalizing 300.1", "Right": "thermalizing 300.1"},
            "Solver": {"Tolerance": 1e-13, "Verbose": "false"},
            "Output": {"File": "results.h5", "Line points": 3, "Write vtu": "false"},
            "EELS": {"Enabled": "true", "Energy resolution": resolution * 1e-3,
                     "Energy step": resolution * 1e-3 / 20, "Probe size": 0, "Fit window": window}}


def numpy_temperature(energy_modes, strength, t, resolution, window):
    """The same spectra and fit in numpy, with exact Bose populations at t."""
    sigma = resolution * 1e-3 * EV / (2 * np.sqrt(2 * np.log(2)))
    step = resolution * 1e-3 * EV / 20
    axis = step * np.arange(1, int(np.ceil((energy_modes.max() + 5 * sigma) / step)) + 1)
    n = 1 / np.expm1(energy_modes / (KB * t))
    g = np.exp(-0.5 * ((axis[:, None] - energy_modes[None, :]) / sigma) ** 2)
    loss, gain = g @ (strength * (n + 1)), g @ (strength * n)
    lo_text, hi_text = (v.strip() for v in window.split(","))
    lo = float(lo_text) * EV
    hi = energy_modes[strength > 1e-6 * strength.max()].max() if hi_text == "top" else float(hi_text) * EV
    use = (axis >= lo * (1 - 1e-12)) & (axis <= hi * (1 + 1e-12)) & (gain > 0)  # as kapitza
    x, y = axis[use] / EV, np.log(loss[use] / gain[use])
    return EV / KB / (np.dot(x, y) / np.dot(x, x))


def bias_table(kapitza, work):
    omega, density, eig, masses, born = phonopy_modes([24, 24, 16])
    n = omega.size
    velocity = np.zeros((n, 3))
    velocity[:, 0] = 1000.0  # placeholder: a uniform state does not depend on v or tau
    (omega2, density2), velocity2 = with_partners(omega, density / 2, velocity=velocity)
    modes_file = os.path.join(work, "AlN-mesh.h5")
    write_modes(modes_file, omega2, velocity2, density2, np.full(2 * n, 1e-11))
    # Dipole weights (solver/eels/scattering_weights.h): a = sum_k Z*_k e_k / sqrt(M_k).
    a = np.einsum("kij,nkj->ni", born, eig / np.sqrt(masses)[None, :, None])
    q45 = np.array([np.sin(np.pi / 4), np.cos(np.pi / 4), 0.0])
    weights = {"dos": np.ones(n), "dipole on-axis": 0.5 * (abs(a[:, 0]) ** 2 + abs(a[:, 1]) ** 2),
               "dipole off-axis 45": abs(a @ q45) ** 2}
    energy = HBAR * omega
    rows = []
    for resolution in RESOLUTIONS:
        for label, window in WINDOWS:
            result = run_kapitza(kapitza, work, uniform_case(modes_file, resolution, window))
            with h5py.File(result, "r") as f:
                kap = f["eels/temperature"][1] - 300.1
                points = int(f["eels/fit_points"][1])
            ours = {k: numpy_temperature(energy, density * w / omega, 300.1, resolution, window) - 300.1
                    for k, w in weights.items()}
            rows.append((resolution, label, points, kap, ours))
            print(f"{resolution:5.2f} meV  {label:14s}  kapitza dos {kap:+.4f} K  numpy dos "
                  f"{ours['dos']:+.4f} K  dipole on {ours['dipole on-axis']:+.4f} K  "
                  f"off-45 {ours['dipole off-axis 45']:+.4f} K", flush=True)
    worst = max(abs(r[3] - r[4]["dos"]) for r in rows)
    with open(os.path.join(OUT, "bias_table.md"), "w") as f:
        f.write("# Resolution bias of the EELS temperature, wurtzite AlN at 300.1 K\n\n"
                "Bias = fitted EELS temperature - true temperature [K] of noise-free spectra at a "
                "uniform 300.1 K (T0 = 300 K), zero-intercept fit of ln(I_loss/I_gain) = E/(k_B T) "
                "over the window (`top`: the highest AlN phonon, 110.6 meV; the default of "
                "`EELS/Fit window`). AlN-LDA force constants, phonopy 24x24x16 mesh, c axis = x, "
                "beam along z; energy step = FWHM/20. `dos`: kapitza runs (validation/eels_aln.py); "
                "`dipole`: the script's numpy evaluation of the same formulas (kapitza reads "
                "eigenvectors from mode files once the mode-database I/O branch is merged); "
                f"numpy and kapitza agree on `dos` to {worst:.1e} K (the populations of kapitza are "
                "linearized about T0: ~2e-5 K for a 0.1 K shift).\n\n"
                "| FWHM [meV] | window | energies | dos | dipole on-axis | dipole off-axis 45 deg |\n"
                "|---|---|---|---|---|---|\n")
        for resolution, label, points, kap, ours in rows:
            f.write(f"| {resolution:g} | {label} | {points} | {kap:+.3f} | {ours['dipole on-axis']:+.3f} "
                    f"| {ours['dipole off-axis 45']:+.3f} |\n")
        f.write("\nThe bias is O(FWHM^2) away from band edges and gaps (it follows "
                "ln(loss/gain) = E/kT + s^2 (h'/h / kT + 1/(2 (kT)^2)), s = FWHM/2.355, h(E) the "
                "weighted occupied density of states; tests/test_eels_transport.cc checks this to "
                "2 %); windows that reach the top of the spectrum, a gap or a sharp peak of the "
                "density of states (the AlN TO peak at 75-85 meV), where h'/h is large, are biased "
                "most; the sign and size depend on the weights.\n")


def example(kapitza, work, plot):
    """A 200 nm AlN slab between walls at 320 K and 280 K (phono3py RTA lifetimes)."""
    with h5py.File(os.path.join(DATA, "phono3py-kappa-m13139-RTA-300K.hdf5"), "r") as f:
        freq, gamma = f["frequency"][()].ravel(), f["gamma"][0].ravel()
        gv = f["group_velocity"][()].reshape(-1, 3) * 100.0  # THz Angstrom -> m/s
        weight = np.repeat(f["weight"][()], f["frequency"].shape[1])
        volume = abs(np.linalg.det(np.loadtxt(os.path.join(DATA, "POSCAR-unitcell"), skiprows=2,
                                              max_rows=3))) * 1e-30
        n_grid = f["weight"][()].sum()
    keep = (freq > 0.05) & (gamma > 0)
    omega = 2 * np.pi * 1e12 * freq[keep]
    tau = 1 / (4 * np.pi * 1e12 * gamma[keep])
    velocity = gv[keep] @ ROTATION.T
    density = weight[keep] / (n_grid * volume)
    (omega2, density2, tau2), velocity2 = with_partners(omega, density / 2, tau, velocity=velocity)
    write_modes(os.path.join(work, "AlN-rta.h5"), omega2, velocity2, density2, tau2)
    result = run_kapitza(kapitza, work, {
        "": {"Dimension": 1},
        "Materials": {"Names": "AlN", "Files": "AlN-rta.h5"},
        "Mesh": {"Layers": "AlN:2e-7:100"},
        "Boundaries": {"Left": "thermalizing 320", "Right": "thermalizing 280"},
        "Solver": {"Verbose": "false"},
        "Output": {"File": "aln-slab.h5", "Line points": 80, "Write vtu": "false"},
        "EELS": {"Enabled": "true"}})
    subprocess.run([sys.executable, plot, result, OUT, "--points", "10,100,190"], check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kapitza", default=os.path.join(HERE, "..", "build", "kapitza"))
    parser.add_argument("--work", default=None)
    args = parser.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="kapitza-eels-aln-")
    os.makedirs(work, exist_ok=True)
    kapitza = os.path.abspath(args.kapitza)
    bias_table(kapitza, work)
    example(kapitza, work, os.path.join(HERE, "plot_eels.py"))
    print(f"wrote {OUT}/bias_table.md and the example plots (work folder {work})")


if __name__ == "__main__":
    main()
