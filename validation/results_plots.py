"""Figures of one kapitza results file, shared by plot_results.py and the AlN/SiC report:
the temperature around an interface with the EELS-fitted temperature on top, and the
modal temperatures as deviations from the local temperature, acoustic and optical
branches per side."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from results_file import checked_capacities, convergence_note, family, group_labels, layers  # noqa: E402

MARGIN = 0.06         # of the data range, above and below, on temperature axes
EELS_MARKERS = 41     # at most this many EELS points get error bars in a plotted range
NAMED_CURVES = 4      # a family with at most this many groups gets one legend entry each
FAMILY_COLOURS = {"acoustic": plt.cm.Blues, "optical": plt.cm.Oranges, "bins": plt.cm.Greens}


def mark_convergence(fig, f, title=None):
    """The figure's title; over a figure of an unconverged run NOT CONVERGED in red."""
    note = convergence_note(f)
    if note:
        fig.suptitle(note + ("\n" + title if title else ""), color="red", fontweight="bold", fontsize=10)
    elif title:
        fig.suptitle(title, fontsize=10)


def fit_limits(ax, *curves):
    """y range of the given (lower, upper) arrays, with a margin."""
    lo = min(np.nanmin(c[0]) for c in curves if c[0].size)
    hi = max(np.nanmax(c[1]) for c in curves if c[1].size)
    pad = MARGIN * max(hi - lo, 1e-3 * max(abs(hi), 1))
    ax.set_ylim(lo - pad, hi + pad)


def evenly_spaced(x, count):
    """Indices of the sorted points x nearest to `count` evenly spaced positions."""
    if x.size <= count:
        return np.arange(x.size)
    targets = np.linspace(x[0], x[-1], count)
    return np.unique(np.clip(np.searchsorted(x, targets), 0, x.size - 1))


def eels_points(f, keep):
    """EELS temperature and its standard error on the line points `keep` (NaN left out)."""
    t, error = f["eels/temperature"][()][keep], f["eels/temperature_error"][()][keep]
    finite = np.isfinite(t) & np.isfinite(error)
    return np.nonzero(keep)[0][finite], t[finite], error[finite]


def temperature_profile(ax, f, centre=0.0, half_width=None, eels_label="EELS fit"):
    """T(x) [K] against x - centre [nm] over +-half_width [m] (None: the whole line),
    the EELS-fitted temperature with one standard error on top when the file has one; the
    y range fits the data shown."""
    x, t = f["line/position"][()], f["line/temperature"][()]
    keep = np.ones(x.size, bool) if half_width is None else np.abs(x - centre) <= half_width
    ax.plot((x[keep] - centre) * 1e9, t[keep], "k-", lw=1.2, label="BTE temperature T")
    curves = [(t[keep], t[keep])]
    if "eels" in f:
        index, t_eels, error = eels_points(f, keep)
        marked = evenly_spaced(x[index], EELS_MARKERS)
        ax.plot((x[index] - centre) * 1e9, t_eels, "-", color="C3", lw=0.6, alpha=0.6,
                label=f"{eels_label}, every point")
        ax.errorbar((x[index[marked]] - centre) * 1e9, t_eels[marked], yerr=error[marked],
                    fmt="o", ms=3, color="C3", capsize=2, lw=0.8,
                    label=f"{eels_label} ± 1 s.e." + (" (evenly spaced)" if marked.size < index.size else ""))
        curves.append((t_eels - error, t_eels + error))
    fit_limits(ax, *curves)
    ax.set_ylabel("T [K]")
    ax.grid(alpha=0.3)


def annotate_interface(ax, attrs):
    """The interface plane and its drop (linear fits) and face jump as the file has them."""
    ax.axvline(0, color="gray", lw=0.8, ls=":")
    ax.text(0.02, 0.04, f"drop (bulk fits) {attrs['temperature_drop']:.2f} K\n"
            f"face jump {attrs['face_temperature_jump']:.2f} K", transform=ax.transAxes,
            fontsize=8, va="bottom")


def family_curves(f, inside, capacity):
    """{family: ([(group, label, T_g - T)], capacity-weighted mean deviation or None)} on
    the line points `inside` one layer, for the groups with modes there."""
    local = f["line/temperature"][()][inside]
    modal, present = f["line/modal_temperature"][()][:, inside], f["line/modal_present"][()][:, inside]
    result = {}
    for g, label in enumerate(group_labels(f)):
        if present[g].all():
            result.setdefault(family(label), ([], None))[0].append((g, label, modal[g] - local))
    for name, (curves, _) in result.items():
        if capacity is not None and name != "bins":
            groups = [g for g, _, _ in curves]
            weights = capacity[groups] / capacity[groups].sum()
            mean = sum(w * d for w, (_, _, d) in zip(weights, curves))
            result[name] = (curves, mean)
    return result


def modal_panel(ax, xs, curves, mean, name, material, caveat=""):
    """Thin lines T_g - T of one family (shaded by band order), the weighted mean bold."""
    colours = FAMILY_COLOURS[name](np.linspace(0.35, 0.95, len(curves)))
    named = len(curves) <= NAMED_CURVES
    for (_, label, d), colour in zip(curves, colours):
        ax.plot(xs, d, color=colour, lw=0.8 if not named else 1.2, label=label if named else None)
    if not named:
        ax.plot([], [], color=colours[-1], lw=0.8,
                label=f"{len(curves)} groups: {curves[0][1]} … {curves[-1][1]} (light to dark)")
    if mean is not None:
        ax.plot(xs, mean, "k-", lw=2, label=f"{name} mean (heat-capacity weighted)")
    ax.axhline(0, color="gray", lw=0.6)
    ax.set_title(f"{material}: {name}{caveat}" if name != "bins" else f"{material}: frequency bins", fontsize=9)
    ax.legend(fontsize=7, loc="best")
    ax.grid(alpha=0.3)


def modal_figure(f, results_path, path, centre, half_width, families=("acoustic", "optical"), title=None):
    """Modal temperature deviations T_g - T [K] within +-half_width of `centre`, one column
    per material layer, one row per family, under `title`. Returns the notes (why means
    are missing)."""
    x = f["line/position"][()]
    found = layers(f)
    if found is None:
        found = [("all materials", x.min(), x.max())]
    found = [(m, lo, hi) for m, lo, hi in found if hi > centre - half_width and lo < centre + half_width]
    columns, notes = [], []
    for material, lo, hi in found:
        inside = (x >= lo) & (x <= hi) if not columns else (x > lo) & (x <= hi)
        capacity, found_notes = checked_capacities(f, results_path, material, inside) \
            if any(family(label) != "bins" for label in group_labels(f)) else (None, [])
        notes += [n if capacity is not None else f"no acoustic/optical means: {n}" for n in found_notes]
        window = inside & (np.abs(x - centre) <= half_width)
        caveat = " (labels split ±q pairs: see notes)" if capacity is not None and found_notes else ""
        columns.append((material, window, caveat, family_curves(f, window, capacity)))
    rows = [name for name in families if any(name in c for *_, c in columns)]
    fig, axes = plt.subplots(len(rows), len(columns), figsize=(4.2 * len(columns), 3.0 * len(rows)),
                             sharex="col", squeeze=False)
    for j, (material, window, caveat, by_family) in enumerate(columns):
        for i, name in enumerate(rows):
            ax = axes[i, j]
            if name in by_family:
                curves, mean = by_family[name]
                modal_panel(ax, (x[window] - centre) * 1e9, curves, mean, name, material, caveat)
            else:
                ax.set_axis_off()
        axes[-1, j].set_xlabel("x - interface [nm]" if centre else "x [nm]")
    for i in range(len(rows)):
        axes[i, 0].set_ylabel("$T_g - T$ [K]")
    mark_convergence(fig, f, title)
    fig.tight_layout()
    fig.savefig(path, dpi=150)
    plt.close(fig)
    return notes
