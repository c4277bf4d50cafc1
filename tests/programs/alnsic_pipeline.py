"""Physics checks of the tiny AlN/SiC flagship run of alnsic_pipeline.sh, on the files
validation/alnsic.py wrote (OUT/work/*.h5, *.prm, OUT/README.md, OUT/*.png).

    alnsic_pipeline.py OUT T0 GRADIENT_K_PER_UM

- Calibration: the problem is linear in the wall temperatures, so the DMM runs (the
  calibration model) have the requested bulk gradient up to the rounding of the wall
  temperatures that alnsic.py writes with 6 decimals: relative error <= 1e-6 K / (wall
  difference), plus 1e-11 for the least-squares fits.
- Forward/reverse: the walls are T0 +- h and T0 -+ h with T0 the reference temperature,
  so the source of the linear problem changes sign and psi_reverse = -psi_forward. IEEE
  negation commutes with every rounding (and the solver's operations and reductions run
  in the same order), so T - T0 of the probe line is odd to the rounding of T0 + dT:
  |dT_f + dT_r| <= 8 eps (T0 + max |dT|). Odd: T - T0, heat flux, drop, face jump;
  even: R, G, kappa and kappa R. The interface quantities come from least-squares fits of
  values of size T0 (normal equations; x_mean/x_spread ~ 10 in the windows): relative
  1e-10; the AlN optical deviation length (from |T_g - T| minus its bulk fit) is even. The
  EELS temperature is not odd (ln(loss/gain) is not linear in psi).
- Interface: the drop (fits) and the face jump are positive along the flow (drop and q
  have the same sign), G = 1/R finite and positive; the bulk fits redone here on
  line/temperature (Interfaces/Fit window default 0.25-0.75 of each layer) give kappa_s
  = |q / slope_s|, R = drop / q and kappa_s R equal to the file's to 1e-9 (numpy's QR fit
  against kapitza's normal equations).
- EELS far from the interface (30 nm - 0.4 layers on each side): the fitted temperature
  equals the local-equilibrium prediction at the true temperature (numpy: the mode file's
  modes, populations linearized about T0 as kapitza's, dos weights, the Gaussian
  resolution, the zero-intercept fit from 55 meV to the material's top; this carries the
  resolution bias of this q-mesh) up to the non-equilibrium of the fitted modes, which
  is bounded by the largest deviation |T_bin - T| of the modal temperatures of the
  frequency bins that reach above 55 meV, over the window. The predicted bias itself is
  printed and must exceed that tolerance in AlN (the check resolves it).
- SMM parameters from the data: the smm input files set Dislocation arrays = 3, the
  Burgers vector a of AlN, each material's Grueneisen parameter equal to its database's
  provenance `thermodynamic_gruneisen` and the Poisson ratio the mean of their
  `poisson_ratio` (to the 6 digits written), and each database holds a finite per-mode
  `gruneisen` whose heat-capacity-weighted mean (numpy, the modes' populations at T0) is
  that provenance value to 1e-12.
- Report: README.md with the table rows of every run (drop and G as in the files), the
  plots, and the groups eels/ and interfaces/ in every results file.
Prints the measured numbers; exits non-zero on a failure.
"""
import re
import sys
from pathlib import Path

import h5py
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "validation"))
from alnsic import optical_distance  # noqa: E402

HBAR, KB, EV = 1.054571817e-34, 1.380649e-23, 1.602176634e-19
EPS = np.finfo(float).eps
FIT_WINDOW = (0.25, 0.75)  # Interfaces/Fit window default (the template does not set it)
NEAR, FAR = 30e-9, 0.4     # the EELS bulk windows of validation/alnsic.py
MODELS, DIRECTIONS = ("dmm", "smm"), ("forward", "reverse")
failures = []


def check(ok, message):
    print(("ok   " if ok else "FAIL ") + message)
    if not ok:
        failures.append(message)


def walls(prm):
    """(left, right) wall temperatures written into an input file."""
    text = Path(prm).read_text()
    return [float(re.search(rf"set {side} = thermalizing (\S+)", text).group(1)) for side in ("Left", "Right")]


def interface(f):
    return dict(f["interfaces/0"].attrs)


def bulk_gradient(r):
    return 0.5 * (abs(r["heat_flux"] / r["conductivity_a"]) + abs(r["heat_flux"] / r["conductivity_b"]))


def check_calibration(work, t0, gradient):
    for direction in DIRECTIONS:
        stem = f"dmm-{direction}-{t0:g}K"
        with h5py.File(work / f"{stem}.h5") as f:
            g = bulk_gradient(interface(f)) * 1e-6
        left, right = walls(work / f"{stem}.prm")
        tolerance = 1e-6 / abs(left - right) + 1e-11
        check(abs(g / gradient - 1) <= tolerance,
              f"{stem}: bulk gradient {g:.9f} K/um, relative error {g / gradient - 1:.2e} "
              f"(tolerance {tolerance:.1e}, walls {left} / {right} K)")


def check_mirror(work, t0, model):
    with h5py.File(work / f"{model}-forward-{t0:g}K.h5") as f, \
            h5py.File(work / f"{model}-reverse-{t0:g}K.h5") as r:
        dt_f, dt_r = f["line/temperature"][()] - t0, r["line/temperature"][()] - t0
        limit = 8 * EPS * (t0 + np.abs(dt_f).max())
        worst = np.abs(dt_f + dt_r).max()
        check(worst <= limit, f"{model}: line T - T0 forward + reverse: max {worst:.1e} K "
              f"(limit {limit:.1e} K, max |T - T0| {np.abs(dt_f).max():.2f} K)")
        a, b = interface(f), interface(r)
        for key, sign in (("temperature_drop", -1), ("face_temperature_jump", -1), ("heat_flux", -1),
                          ("resistance", 1), ("conductivity_a", 1), ("conductivity_b", 1),
                          ("length_a", 1), ("length_b", 1)):
            error = abs(b[key] - sign * a[key]) / abs(a[key])
            check(error <= 1e-10, f"{model}: reverse {key} = {'-' if sign < 0 else '+'}forward "
                  f"({a[key]:.6g}), relative difference {error:.1e} (tolerance 1e-10)")
        lengths = optical_distance(f)[0], optical_distance(r)[0]
        check(0 < lengths[0] < FAR * a["position"] and abs(lengths[1] / lengths[0] - 1) <= 1e-10,
              f"{model}: AlN optical deviation length {lengths[0] * 1e9:.4f} nm, reverse {lengths[1] * 1e9:.4f} nm "
              f"(|excess| is even; tolerance 1e-10)")


def fit(x, t, lo, hi):
    keep = (x >= lo) & (x <= hi)
    return np.polyfit(x[keep], t[keep], 1)


def check_interface(path):
    with h5py.File(path) as f:
        r = interface(f)
        x, t = f["line/position"][()], f["line/temperature"][()]
    q, drop, jump = r["heat_flux"], r["temperature_drop"], r["face_temperature_jump"]
    name = path.stem
    check(np.isfinite(q) and q != 0 and drop * q > 0 and jump * q > 0,
          f"{name}: drop {drop:.3f} K, face jump {jump:.3f} K positive along the flow (q = {q:.4g} W/m^2)")
    g = 1 / r["resistance"]
    check(np.isfinite(g) and g > 0 and abs(r["conductance"] / g - 1) < 1e-12,
          f"{name}: G = {g * 1e-6:.2f} MW/(m^2 K) finite, positive")
    # Bulk fits of each layer, as solver/interface_observables.cc: x_i - L + lo L ... x_i - L + hi L.
    x_i = r["position"]
    layers = (x_i, x.max() - x_i)
    fa = fit(x, t, x_i - layers[0] + FIT_WINDOW[0] * layers[0], x_i - layers[0] + FIT_WINDOW[1] * layers[0])
    fb = fit(x, t, x_i + FIT_WINDOW[0] * layers[1], x_i + FIT_WINDOW[1] * layers[1])
    resistance = (np.polyval(fa, x_i) - np.polyval(fb, x_i)) / q
    for side, line in (("a", fa), ("b", fb)):
        length = abs(q / line[0]) * resistance
        error = abs(length / r[f"length_{side}"] - 1)
        check(error <= 1e-9, f"{name}: kappa_{side} R = {length * 1e9:.3f} nm from numpy fits "
              f"(kappa_{side} = {abs(q / line[0]):.3f} W/(m K)), file {r[f'length_{side}'] * 1e9:.3f} nm, "
              f"relative difference {error:.1e} (tolerance 1e-9)")


def equilibrium_eels(modes_file, temperature, t0, energies, resolution, low):
    """Zero-intercept EELS temperatures of local equilibria at `temperature` (array),
    populations linearized about t0 as kapitza's, dos weights."""
    with h5py.File(modes_file) as m:
        omega, density = m["omega"][()], m["density"][()]
    energy = HBAR * omega
    nbar = 1 / np.expm1(energy / (KB * t0))
    sigma = resolution / (2 * np.sqrt(2 * np.log(2)))
    shape = np.exp(-0.5 * ((energies[:, None] - energy[None, :]) / sigma) ** 2) * (density / omega)[None, :]
    n = nbar[:, None] + (nbar * (nbar + 1) * energy / (KB * t0 ** 2))[:, None] * (temperature - t0)[None, :]
    gain = shape @ n
    loss = gain + shape.sum(axis=1)[:, None]
    use = (energies >= low * (1 - 1e-12)) & (energies <= energy.max() * (1 + 1e-12))
    e, y = energies[use] / EV, np.log(loss[use] / gain[use])
    return EV / KB / (e @ y / (e @ e))


def check_eels(path, work, t0):
    with h5py.File(path) as f:
        x, t, t_eels = f["line/position"][()], f["line/temperature"][()], f["eels/temperature"][()]
        check(np.array_equal(x, f["eels/position"][()]), f"{path.stem}: eels/position = line/position")
        energies = f["eels/energy"][()]
        resolution, low = f["eels"].attrs["energy_resolution"], f["eels"].attrs["fit_window_low"]
        labels = [s.decode() if isinstance(s, bytes) else str(s)
                  for s in f["line/modal_temperature"].attrs["group_labels"]]
        modal, present = f["line/modal_temperature"][()], f["line/modal_present"][()]
        x_i = interface(f)["position"]
    sides = (("AlN", (x >= x_i - FAR * x_i) & (x <= x_i - NEAR)), ("SiC", (x >= x_i + NEAR) & (x <= x_i + FAR * x_i)))
    for material, near in sides:
        predicted = equilibrium_eels(work / f"{material}-{t0:g}K.h5", t[near], t0, energies, resolution, low)
        bins = [g for g, label in enumerate(labels) if label.endswith(" THz") and present[g, near].all()
                and 2e12 * np.pi * HBAR * float(label.split("-")[-1].split()[0]) > low]
        tolerance = np.abs(modal[bins][:, near] - t[near]).max()
        bias = predicted - t[near]
        error = np.abs(t_eels[near] - predicted).max()
        check(error <= tolerance,
              f"{path.stem} {material}: EELS - true {np.min(t_eels[near] - t[near]):+.3f} .. "
              f"{np.max(t_eels[near] - t[near]):+.3f} K, predicted resolution bias {bias.min():+.3f} .. "
              f"{bias.max():+.3f} K; |EELS - prediction| <= {error:.3f} K (tolerance: modal bins "
              f"{', '.join(labels[g] for g in bins)} deviate up to {tolerance:.3f} K)")
        if material == "AlN":
            check(np.abs(bias).min() > tolerance, f"{path.stem} AlN: the bias ({np.abs(bias).min():.2f} K) "
                  f"is resolved by the tolerance ({tolerance:.3f} K)")


def check_report(out, files):
    readme = out / "README.md"
    check(readme.is_file(), f"{readme} written")
    for plot in ("temperature_profile.png", "modal_temperatures.png", "eels_spectra.png", "window_ratios.png",
                 "interface_drop.png"):
        check((out / plot).is_file() and (out / plot).stat().st_size > 1000, f"{plot} written")
    text = readme.read_text() if readme.is_file() else ""
    for path in files:
        model, direction, t0 = path.stem.split("-")
        with h5py.File(path) as f:
            groups = all(name in f for name in ("eels", "interfaces", "interfaces/0"))
            r = interface(f)
        check(groups, f"{path.name} has eels/ and interfaces/")
        row = f"| {float(t0[:-1]):g} | {model} | {direction} |"
        match = [line for line in text.splitlines() if line.startswith(row)]
        cells = match[0].split("|") if match else []
        check(len(match) == 1 and cells[6].strip() == f"{r['temperature_drop']:.2f}"
              and cells[8].strip() == f"{1e-6 / r['resistance']:.0f}",
              f"README row {row} shows drop {r['temperature_drop']:.2f} K and G {1e-6 / r['resistance']:.0f}")


def setting(text, name):
    return [float(v) for v in re.search(rf"set {name} = (.+)", text).group(1).split(",")]


def check_smm_parameters(work, t0):
    text = (work / f"smm-forward-{t0:g}K.prm").read_text()
    values = {}
    for name in ("AlN", "SiC"):
        with h5py.File(work / f"{name}-{t0:g}K.h5") as f:
            attrs = f["provenance"].attrs
            gamma, nu = float(attrs["thermodynamic_gruneisen"]), float(attrs["poisson_ratio"])
            x = HBAR * f["omega"][()] / (KB * t0)
            c = f["density"][()] * x * x * np.exp(x) / np.expm1(x) ** 2  # Bose heat capacity / k_B
            mean = np.dot(c, f["gruneisen"][()]) / c.sum()
            check(abs(mean - gamma) <= 1e-12 * abs(gamma),
                  f"{name}: heat-capacity-weighted mean of gruneisen {mean:.12g} = provenance {gamma:.12g}")
        values[name] = (gamma, nu)
    check(setting(text, "Dislocation arrays") == [3], "smm: three dislocation arrays")
    check(setting(text, "Burgers vector") == setting(text, "Lattice constants")[:1], "smm: Burgers vector = a of AlN")
    gammas = setting(text, "Grueneisen parameters")
    check(all(abs(g / values[n][0] - 1) < 1e-5 for g, n in zip(gammas, ("AlN", "SiC"))),
          f"smm: Grueneisen parameters {gammas} from the databases")
    nu = setting(text, "Poisson ratio")[0]
    check(abs(nu / np.mean([v[1] for v in values.values()]) - 1) < 1e-5, f"smm: Poisson ratio {nu} = mean of the two")


def main():
    out, t0, gradient = Path(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
    work = out / "work"
    files = [work / f"{m}-{d}-{t0:g}K.h5" for m in MODELS for d in DIRECTIONS]
    missing = [str(p) for p in files if not p.is_file()]
    if missing:
        sys.exit("missing results: " + ", ".join(missing))
    check_calibration(work, t0, gradient)
    for model in MODELS:
        check_mirror(work, t0, model)
    for path in files:
        check_interface(path)
        check_eels(path, work, t0)
    check_smm_parameters(work, t0)
    check_report(out, files)
    if failures:
        sys.exit(f"{len(failures)} check(s) failed")
    print("all checks passed")


if __name__ == "__main__":
    main()
