"""Figures of validation/alnsic.py (written by alnsic_report.py into the output folder):

- temperature_profile.png: T(x) over the whole bilayer and within +-ZOOM of the interface,
  the EELS-fitted temperature with its standard errors on top (DMM and SMM, forward);
- modal_temperatures.png: branch temperatures minus T, acoustic and optical per side, with
  their heat-capacity weighted means (DMM forward);
- eels_spectra.png: loss (EEL) and gain (EEG) spectra 1 nm on each side of the interface,
  forward and reverse, and the forward/reverse ratio of the spectra and of the windows;
- window_ratios.png: forward/reverse ratio of the window intensities at the interface vs T0;
- interface_drop.png: the drops (fits, EELS) and G vs T0 beside the experiment.
Each shows the lowest T0 where one temperature is drawn."""
import h5py
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from results_file import text  # noqa: E402
from results_plots import annotate_interface, mark_convergence, modal_figure, temperature_profile  # noqa: E402

EV = 1.602176634e-19
ZOOM = 20e-9              # half width of the zoomed profiles [m]
MODAL_ZOOM = 40e-9        # half width of the modal panels [m]: the AlN optical tail is ~20 nm
SPECTRUM_OFFSET = 1e-9    # the spectra's distance from the interface [m]
VISIBLE = 1e-3            # spectra ratios are drawn where the loss is above this of its peak
DPI = 150


def by_key(rows):
    return {(r["T0"], r["model"], r["direction"]): r for r in rows}


def save(fig, path):
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
    plt.close(fig)


def temperature_figure(out, rows):
    """Whole bilayer (left) and the zoom around the interface (right) of each model."""
    lowest = min(r["T0"] for r in rows)
    forward = [r for r in rows if r["direction"] == "forward" and r["T0"] == lowest]
    fig, axes = plt.subplots(len(forward), 2, figsize=(10, 3.6 * len(forward)), squeeze=False,
                             gridspec_kw={"width_ratios": [1, 1.4]})
    for (whole, zoom), r in zip(axes, forward):
        with h5py.File(r["file"]) as f:
            attrs = dict(f["interfaces/0"].attrs)
            x_i = attrs["position"]
            temperature_profile(whole, f, centre=x_i)
            temperature_profile(zoom, f, centre=x_i, half_width=ZOOM)
            annotate_interface(zoom, attrs)
            mark_convergence(fig, f)
        whole.axvline(0, color="gray", lw=0.8, ls=":")
        whole.set_title(f"{r['model'].upper()}, forward (AlN hot), T0 = {r['T0']:g} K", fontsize=9)
        zoom.set_title(f"within ±{ZOOM * 1e9:g} nm of the interface", fontsize=9)
        zoom.legend(fontsize=8, loc="upper right")
    for ax in axes[-1]:
        ax.set_xlabel("x - interface [nm]   (AlN left, SiC right)")
    save(fig, out / "temperature_profile.png")


def modal_temperature_figure(out, rows):
    lowest = min(r["T0"] for r in rows)
    r = next(r for r in rows if r["direction"] == "forward" and r["T0"] == lowest)
    with h5py.File(r["file"]) as f:
        return modal_figure(f, r["file"], out / "modal_temperatures.png", f["interfaces/0"].attrs["position"],
                            MODAL_ZOOM, title=f"Branch temperatures T_g minus the local temperature T: "
                            f"{r['model'].upper()}, forward (AlN hot), T0 = {r['T0']:g} K")


def window_names(f):
    return [text(s) for s in f["eels/window_loss"].attrs["names"]]


def spectra_at(f, offset):
    """Energy [meV], loss and gain at the line point nearest interface + offset."""
    x = f["eels/position"][()]
    i = int(np.argmin(np.abs(x - f["interfaces/0"].attrs["position"] - offset)))
    return f["eels/energy"][()] / EV * 1e3, f["eels/loss"][i], f["eels/gain"][i], x[i]


def shade_windows(ax, f):
    """Shades the named windows; returns their legend handles."""
    bounds = f["eels/window_bounds"][()] / EV * 1e3
    return [ax.axvspan(*bounds[k], color=f"C{k + 2}", alpha=0.15, lw=0,
                       label=f"window {name}: {bounds[k, 0]:g}-{bounds[k, 1]:g} meV")
            for k, name in enumerate(window_names(f))]


def window_ratio(f, r, kind, offset):
    """Forward/reverse ratio - 1 of each window's intensity at interface + offset."""
    x_f, x_r = f["eels/position"][()], r["eels/position"][()]
    target = f["interfaces/0"].attrs["position"] + offset
    i, j = int(np.argmin(np.abs(x_f - target))), int(np.argmin(np.abs(x_r - target)))
    return f[f"eels/window_{kind}"][:, i] / r[f"eels/window_{kind}"][:, j] - 1


def spectra_column(top, bottom, f, r, offset, side):
    energy, loss_f, gain_f, x = spectra_at(f, offset)
    _, loss_r, gain_r, _ = spectra_at(r, offset)
    scale = loss_f.max()
    for values, style, label in ((loss_f, "C0-", "EEL forward"), (loss_r, "C0--", "EEL reverse"),
                                 (gain_f, "C3-", "EEG forward"), (gain_r, "C3--", "EEG reverse")):
        top.plot(energy, values / scale, style, lw=1, label=label)
    shade_windows(top, f)
    top.set_title(f"{side}, {offset * 1e9:+g} nm from the interface", fontsize=9)
    visible = loss_f > VISIBLE * scale
    for loss_or_gain, (fw, rv), colour in (("loss", (loss_f, loss_r), "C0"), ("gain", (gain_f, gain_r), "C3")):
        ratio = np.full(energy.size, np.nan)
        np.divide(fw, rv, out=ratio, where=visible & (rv > 0))
        bottom.plot(energy, 100 * (ratio - 1), colour, lw=1,
                    label=f"{'EEL' if loss_or_gain == 'loss' else 'EEG'} spectrum")
        bounds = f["eels/window_bounds"][()] / EV * 1e3
        for k, value in enumerate(window_ratio(f, r, loss_or_gain, offset)):
            bottom.hlines(100 * value, *bounds[k], color=colour, lw=3,
                          label=f"{'EEL' if loss_or_gain == 'loss' else 'EEG'} windows" if k == 0 else None)
    shade_windows(bottom, f)
    bottom.axhline(0, color="gray", lw=0.6)
    top.set_xlim(energy[visible][0], energy[visible][-1])


def spectra_figure(out, rows):
    """EEL and EEG 1 nm into AlN and into SiC, forward and reverse (first model, lowest T0)."""
    t0, model = min(r["T0"] for r in rows), rows[0]["model"]
    keys = by_key(rows)
    if (t0, model, "reverse") not in keys:
        return
    fig, axes = plt.subplots(2, 2, figsize=(10, 6.5), sharex="col", gridspec_kw={"height_ratios": [1.3, 1]})
    with h5py.File(keys[(t0, model, "forward")]["file"]) as f, \
            h5py.File(keys[(t0, model, "reverse")]["file"]) as r:
        for j, (offset, side) in enumerate(((-SPECTRUM_OFFSET, "AlN"), (SPECTRUM_OFFSET, "SiC"))):
            spectra_column(axes[0, j], axes[1, j], f, r, offset, side)
        resolution = f["eels"].attrs["energy_resolution"] / EV * 1e3
        weights = text(f["eels"].attrs["weights"])
        windows = len(window_names(f))
        mark_convergence(fig, f)
    axes[0, 0].set_ylabel("intensity / EEL peak")
    axes[1, 0].set_ylabel("forward / reverse - 1 [%]")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    curves = len(handles) - windows
    axes[0, 0].legend(handles[:curves], labels[:curves], fontsize=7, loc="upper left")
    axes[0, 1].legend(handles[curves:], labels[curves:], fontsize=7, loc="upper left")
    handles, labels = axes[1, 1].get_legend_handles_labels()
    axes[1, 1].legend(handles[:-windows], labels[:-windows], fontsize=7, loc="best")
    for ax in axes[1]:
        ax.set_xlabel("energy loss (EEL) or gain (EEG) [meV]")
    fig.text(0.5, 0.005, f"{model.upper()}, T0 = {t0:g} K, forward: AlN hot; {resolution:g} meV FWHM, "
             f"{weights} weights; shaded: the named windows", ha="center", fontsize=8)
    save(fig, out / "eels_spectra.png")


def window_ratio_figure(out, rows):
    """Forward/reverse - 1 of each window at the interface (the table) against T0."""
    keys = by_key(rows)
    pairs = sorted((t0, m) for (t0, m, d) in keys if d == "forward" and (t0, m, "reverse") in keys)
    if not pairs:
        return
    models = sorted({m for _, m in pairs})
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.6))
    for ax, kind, name in ((axes[0], "loss", "EEL (loss)"), (axes[1], "gain", "EEG (gain)")):
        for m, style in zip(models, ("o-", "s--", "^:")):
            temperatures = [t0 for t0, model in pairs if model == m]
            ratios = []
            for t0 in temperatures:
                with h5py.File(keys[(t0, m, "forward")]["file"]) as f, \
                        h5py.File(keys[(t0, m, "reverse")]["file"]) as r:
                    ratios.append(window_ratio(f, r, kind, 0.0))
                    names = window_names(f)
            for k, label in enumerate(names):
                ax.plot(temperatures, [100 * v[k] for v in ratios], style, color=f"C{k + 2}", ms=4,
                        label=f"{label}, {m.upper()}")
        ax.set_title(f"{name} at the interface", fontsize=9)
        ax.set_xlabel("T0 [K]")
        ax.axhline(0, color="gray", lw=0.6)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("forward / reverse - 1 [%]")
    axes[1].legend(fontsize=7, ncol=2)
    fig.text(0.5, 0.005, "intensities integrated over each window at the interface (AlN-side face)",
             ha="center", fontsize=8)
    save(fig, out / "window_ratios.png")


def drop_figure(out, rows, experiment_drop):
    """Interface drop by the bulk fits, the EELS step and the EELS drop within +-1 nm, and G,
    against T0 (forward runs), beside the experiment's drop."""
    forward = [r for r in rows if r["direction"] == "forward"]
    models = sorted({r["model"] for r in forward})
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.8), gridspec_kw={"width_ratios": [1, 0.8]})
    for m, (marker, line) in zip(models, (("o", "-"), ("s", "--"), ("^", ":"))):
        own = sorted((r for r in forward if r["model"] == m), key=lambda r: r["T0"])
        t0 = [r["T0"] for r in own]
        for key, colour, label in (("drop", "k", "drop (bulk fits)"), ("eels_step", "C3", "EELS step"),
                                   ("eels_width", "C1", "EELS drop within ±1 nm")):
            left.plot(t0, [r[key] for r in own], marker + line, color=colour, ms=4, label=f"{label}, {m.upper()}")
        right.plot(t0, [1e-6 / r["R"] for r in own], marker + line, color="k", ms=4, label=m.upper())
    temperatures = sorted(experiment_drop)
    left.plot(temperatures, [experiment_drop[t] for t in temperatures], "D:", color="C2", ms=6,
              label="experiment (Liu et al. 2025)")
    left.set_ylabel("temperature drop [K]")
    left.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.02, 0.5))
    left.set_title("temperature drop at the interface (forward runs)", fontsize=9)
    right.set_title("interface conductance G = q / drop (bulk fits)", fontsize=9)
    right.set_ylabel("G [MW/(m$^2$ K)]")
    right.legend(fontsize=7)
    for ax in (left, right):
        ax.set_xlabel("T0 [K]")
        ax.grid(alpha=0.3)
    save(fig, out / "interface_drop.png")


def write_plots(out, rows, experiment_drop):
    """All figures; returns the notes of the modal figure (missing means)."""
    temperature_figure(out, rows)
    notes = modal_temperature_figure(out, rows)
    spectra_figure(out, rows)
    window_ratio_figure(out, rows)
    drop_figure(out, rows, experiment_drop)
    return notes
