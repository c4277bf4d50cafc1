#!/usr/bin/python3
"""Plot the line probes of a kapitza results file.

Usage:
    validation/plot_results.py RESULTS.h5 [OUTDIR]

Writes into OUTDIR (default: the folder of RESULTS.h5):
    temperature.png        T along the centre line vs x [nm], interfaces marked with their
                           drops; the EELS-fitted temperature with one standard error on top
                           when the file has eels/
    modal_temperature.png  modal temperatures minus T: acoustic and optical branches (with
                           their heat-capacity weighted means when the mode databases the run
                           read are found) and frequency bins, one column per material layer
    heat_flux.png          q_x along the centre line vs x
    events.png             T0 + cumulative sum of the event-order contributions
                           (only if the file has an `events` group)
A file that is not a results file stops the script with one error line (exit 1). The plots
of an unconverged run (root attribute converged = 0) say NOT CONVERGED in their title, and
a warning line goes to stderr.
"""
import sys
from pathlib import Path

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from results_file import ResultsError, convergence_note, interfaces, open_results  # noqa: E402
from results_plots import mark_convergence, modal_figure, temperature_profile  # noqa: E402

NAME = Path(__file__).name
USAGE = f"usage: {NAME} RESULTS.h5 [OUTDIR]"


def save(fig, f, path, title=None):
    mark_convergence(fig, f, title)
    fig.tight_layout()
    fig.savefig(path, dpi=150)
    plt.close(fig)


def temperature_plot(f, path):
    fig, ax = plt.subplots(figsize=(7, 4))
    temperature_profile(ax, f)
    for position, attrs in interfaces(f):
        ax.axvline(position * 1e9, color="gray", lw=0.8, ls=":")
        ax.annotate(f"drop {attrs['temperature_drop']:.3g} K", (position * 1e9, 0.02),
                    xycoords=("data", "axes fraction"), fontsize=7, rotation=90, ha="right", va="bottom")
    ax.set_xlabel("x [nm]")
    if "eels" in f:
        ax.legend(fontsize=7)
    save(fig, f, path)


def heat_flux_plot(f, path):
    x = f["line/position"][()] * 1e9
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(x, f["line/heat_flux"][()][:, 0], label="$q_x$ on the line")
    if "summary" in f and "mean_heat_flux" in f["summary"].attrs:
        ax.axhline(f["summary"].attrs["mean_heat_flux"], color="k", ls="--", lw=0.8, label="domain mean")
    ax.set_xlabel("x [nm]")
    ax.set_ylabel("$q_x$ [W/m$^2$]")
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small")
    save(fig, f, path)


def events_plot(f, path):
    """Cumulative temperature after each stored scattering-event order."""
    x = f["line/position"][()] * 1e9
    ev = f["events/temperature"][()]
    t0 = f["summary"].attrs.get("reference_temperature", 0.0) if "summary" in f else 0.0
    fig, ax = plt.subplots(figsize=(6, 4))
    colours = plt.cm.viridis(np.linspace(0, 1, len(ev)))
    for curve, c in zip(t0 + np.cumsum(ev, axis=0), colours):
        ax.plot(x, curve, color=c, lw=1)
    ax.plot(x, f["line/temperature"][()], "k--", lw=1, label="final T")
    mappable = plt.cm.ScalarMappable(cmap="viridis", norm=plt.Normalize(0, len(ev) - 1))
    fig.colorbar(mappable, ax=ax, label="last event order m included")
    ax.set_xlabel("x [nm]")
    ax.set_ylabel("T [K]" if t0 else "T - T0 [K]")
    ax.legend(fontsize="small")
    ax.grid(alpha=0.3)
    save(fig, f, path)


def plot(results, outdir):
    """Writes the plots; returns their names and the notes for stderr."""
    with open_results(results) as f:
        written, notes = ["temperature.png", "heat_flux.png"], []
        note = convergence_note(f)
        if note:
            notes.append(f"warning: {results}: {note}; the plots are marked")
        temperature_plot(f, outdir / written[0])
        heat_flux_plot(f, outdir / written[1])
        if "modal_temperature" in f["line"]:
            notes += [f"note: {results}: {n}" for n in modal_figure(
                f, results, outdir / "modal_temperature.png", 0.0, np.inf, ("acoustic", "optical", "bins"),
                title="modal temperatures minus the local temperature T")]
            written.append("modal_temperature.png")
        if "events/temperature" in f and f["events/temperature"].size:
            events_plot(f, outdir / "events.png")
            written.append("events.png")
    return written, notes


def main(argv):
    if len(argv) not in (2, 3):
        sys.exit(f"{NAME}: {USAGE}")
    results = Path(argv[1])
    outdir = Path(argv[2]) if len(argv) == 3 else results.parent
    try:
        open_results(results).close()  # checked before any output folder is made
        outdir.mkdir(parents=True, exist_ok=True)
        written, notes = plot(results, outdir)
    except ResultsError as error:
        sys.exit(f"{NAME}: error: {error}")
    except OSError as error:  # the output folder
        sys.exit(f"{NAME}: error: {outdir}: {error.strerror}")
    for note in notes:
        print(f"{NAME}: {note}", file=sys.stderr)
    print("wrote", ", ".join(str(outdir / w) for w in written))


if __name__ == "__main__":
    main(sys.argv)
