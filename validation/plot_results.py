#!/usr/bin/python3
"""Plot the line probes of a kapitza results file.

Usage:
    validation/plot_results.py RESULTS.h5 [OUTDIR]

Writes into OUTDIR (default: the folder of RESULTS.h5):
    temperature.png        T along the centre line vs x [nm]
    modal_temperature.png  temperature of each mode group vs x, with legend
    heat_flux.png          q_x along the centre line vs x
    events.png             T0 + cumulative sum of the event-order contributions
                           (only if the file has an `events` group)
"""
import sys
from pathlib import Path

import h5py
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np


def as_str(label):
    """HDF5 strings may come back as bytes or str."""
    return label.decode() if isinstance(label, bytes) else str(label)


def read_results(path):
    """Return a dict with the line data, events and summary attributes."""
    with h5py.File(path, "r") as f:
        line = f["line"]
        data = {
            "x_nm": line["position"][()] * 1e9,
            "T": line["temperature"][()],
            "qx": line["heat_flux"][()][:, 0],
            "summary": dict(f["summary"].attrs) if "summary" in f else {},
            "events": None,
        }
        if "modal_temperature" in line:
            modal = line["modal_temperature"]
            labels = modal.attrs.get("group_labels", [])
            data["modal"] = modal[()]
            labels = [as_str(s) for s in np.atleast_1d(labels)]
            if len(labels) != len(data["modal"]):
                labels = [f"group {g}" for g in range(len(data["modal"]))]
            data["labels"] = labels
        if "events" in f and "temperature" in f["events"]:
            ev = f["events/temperature"][()]
            data["events"] = ev if ev.size else None
    return data


def line_plot(x, ys, ylabel, path, labels=None, hline=None):
    """Plot one or several curves against x [nm] and save to path."""
    fig, ax = plt.subplots(figsize=(6, 4))
    for i, y in enumerate(ys):
        ax.plot(x, y, label=labels[i] if labels else None)
    if hline is not None:
        ax.axhline(hline[0], color="k", ls="--", lw=0.8, label=hline[1])
    ax.set_xlabel("x [nm]")
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    if labels or hline is not None:
        ax.legend(fontsize="small", ncol=1 + len(ys) // 12)
    fig.tight_layout()
    fig.savefig(path, dpi=150)
    plt.close(fig)


def events_plot(data, path):
    """Cumulative temperature after each stored scattering-event order."""
    ev = data["events"]
    t0 = data["summary"].get("reference_temperature", 0.0)
    cumulative = t0 + np.cumsum(ev, axis=0)
    fig, ax = plt.subplots(figsize=(6, 4))
    colours = plt.cm.viridis(np.linspace(0, 1, len(ev)))
    for curve, c in zip(cumulative, colours):
        ax.plot(data["x_nm"], curve, color=c, lw=1)
    ax.plot(data["x_nm"], data["T"], "k--", lw=1, label="final T")
    mappable = plt.cm.ScalarMappable(cmap="viridis",
                                     norm=plt.Normalize(0, len(ev) - 1))
    fig.colorbar(mappable, ax=ax, label="last event order m included")
    ax.set_xlabel("x [nm]")
    ax.set_ylabel("T [K]" if t0 else "T - T0 [K]")
    ax.legend(fontsize="small")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=150)
    plt.close(fig)


def main(argv):
    if len(argv) not in (2, 3):
        sys.exit(__doc__)
    results = Path(argv[1])
    outdir = Path(argv[2]) if len(argv) == 3 else results.parent
    outdir.mkdir(parents=True, exist_ok=True)
    data = read_results(results)
    x = data["x_nm"]
    written = ["temperature.png", "heat_flux.png"]
    line_plot(x, [data["T"]], "T [K]", outdir / written[0])
    mean_q = data["summary"].get("mean_heat_flux")
    line_plot(x, [data["qx"]], "q_x [W/m$^2$]", outdir / written[1],
              hline=None if mean_q is None else (mean_q, "domain mean"))
    if "modal" in data:
        line_plot(x, data["modal"], "T [K]", outdir / "modal_temperature.png",
                  labels=data["labels"])
        written.append("modal_temperature.png")
    if data["events"] is not None:
        events_plot(data, outdir / "events.png")
        written.append("events.png")
    print("wrote", ", ".join(str(outdir / w) for w in written))


if __name__ == "__main__":
    main(sys.argv)
