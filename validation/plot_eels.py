#!/usr/bin/python3
"""Plots the synthetic EELS of one kapitza results file (group eels/, docs/results.md).

    validation/plot_eels.py RESULTS.h5 [OUTDIR] [--points X1,X2,...]

Writes to OUTDIR (default: the folder of RESULTS.h5):
- eels_temperature.png: the fitted EELS temperature (error bars: 3 standard errors, the
  experiment's +-3 sigma) and the true local temperature line/temperature along the line;
- eels_spectra.png: loss and gain spectra (gain at positive energy) at the line points
  nearest to X1, X2, ... [nm] (default: a quarter, half and three quarters of the line),
  with ln(loss/gain) and the fitted lines E/(k_B T) below;
- eels_windows.png: loss (EEL) and gain (EEG) intensities of each named window along the
  line, each normalized by its largest value.
"""
import argparse
import os

import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

EV, KB = 1.602176634e-19, 1.380649e-23


def plot_temperature(f, out):
    x = f["eels/position"][()] * 1e9
    fitted, error = f["eels/temperature"][()], f["eels/temperature_error"][()]
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(f["line/position"][()] * 1e9, f["line/temperature"][()], "k-", label="true (line/temperature)")
    ax.errorbar(x, fitted, yerr=3 * np.nan_to_num(error), fmt="o", ms=3, color="C3", capsize=2,
                label="EELS fit ln(I_loss/I_gain) = E/k_BT (+-3 s.e.)")
    attrs = f["eels"].attrs
    ax.set_title(f"FWHM {attrs['energy_resolution'] / EV * 1e3:g} meV, {attrs['weights']}, "
                 f"probe {attrs['probe_size'] * 1e9:g} nm", fontsize=9)
    ax.set_xlabel("x [nm]")
    ax.set_ylabel("T [K]")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "eels_temperature.png"), dpi=150)
    plt.close(fig)


def plot_spectra(f, out, points):
    x = f["eels/position"][()] * 1e9
    energy = f["eels/energy"][()] / EV * 1e3  # meV
    loss, gain = f["eels/loss"][()], f["eels/gain"][()]
    if not points:
        points = [x[0] + (x[-1] - x[0]) * s for s in (0.25, 0.5, 0.75)]
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(7, 7), sharex=True)
    scale = loss.max()
    for k, p in enumerate(points):
        i = int(np.argmin(abs(x - p)))
        top.plot(energy, loss[i] / scale, color=f"C{k}", label=f"loss, x = {x[i]:.1f} nm")
        top.plot(energy, gain[i] / scale, "--", color=f"C{k}", label=f"gain, x = {x[i]:.1f} nm")
        ratio = np.where(gain[i] > 0, loss[i] / np.where(gain[i] > 0, gain[i], 1), np.nan)
        bottom.plot(energy, np.log(ratio), color=f"C{k}")
        t = f["eels/temperature"][i]
        if np.isfinite(t):
            bottom.plot(energy, energy * 1e-3 * EV / (KB * t), ":", color=f"C{k}",
                        label=f"fit T = {t:.2f} K (true {np.interp(x[i], f['line/position'][()] * 1e9, f['line/temperature'][()]):.2f} K)")
    low = f["eels"].attrs["fit_window_low"] / EV * 1e3
    bottom.axvline(low, color="gray", lw=0.5)
    top.set_yscale("log")
    top.set_ylim(1e-6, 1.5)
    top.set_ylabel("intensity / max loss")
    top.legend(fontsize=7)
    bottom.set_ylabel("ln(I_loss / I_gain)")
    bottom.set_xlabel("energy [meV]")
    bottom.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "eels_spectra.png"), dpi=150)
    plt.close(fig)


def plot_windows(f, out):
    if "eels/window_loss" not in f:
        return
    x = f["eels/position"][()] * 1e9
    names = f["eels/window_loss"].attrs["names"]
    bounds = f["eels/window_bounds"][()] / EV * 1e3
    fig, ax = plt.subplots(figsize=(7, 4))
    for k, name in enumerate(names):
        name = name.decode() if isinstance(name, bytes) else name
        for kind, style in (("loss", "-"), ("gain", "--")):
            values = f[f"eels/window_{kind}"][k]
            if values.max() > 0:
                ax.plot(x, values / values.max(), style, color=f"C{k}",
                        label=f"{name} {bounds[k, 0]:g}-{bounds[k, 1]:g} meV, {'EEL' if kind == 'loss' else 'EEG'}")
    ax.set_xlabel("x [nm]")
    ax.set_ylabel("window intensity / its maximum")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(os.path.join(out, "eels_windows.png"), dpi=150)
    plt.close(fig)


def main():
    parser = argparse.ArgumentParser(description="plots the eels/ group of a kapitza results file")
    parser.add_argument("results")
    parser.add_argument("outdir", nargs="?")
    parser.add_argument("--points", default="", help="line positions [nm] for the spectra, comma separated")
    args = parser.parse_args()
    out = args.outdir or os.path.dirname(os.path.abspath(args.results))
    os.makedirs(out, exist_ok=True)
    with h5py.File(args.results, "r") as f:
        if "eels" not in f:
            raise SystemExit(f"{args.results}: no eels/ group (set EELS/Enabled = true)")
        plot_temperature(f, out)
        plot_spectra(f, out, [float(p) for p in args.points.split(",") if p.strip()])
        plot_windows(f, out)
    print(f"wrote eels_temperature.png, eels_spectra.png, eels_windows.png to {out}")


if __name__ == "__main__":
    main()
