#!/usr/bin/python3
"""Plot the event-resolved panels of the recursive-pBTE paper's nanoparticle (its Fig. 2)
from a kapitza results file with resolved events (Solver/Events > 0).

Usage:
    validation/plot_surface_arrivals.py RESULTS.h5 [OUTDIR] [--surface NAME]

Writes into OUTDIR (default: the folder of RESULTS.h5):
    radial_temperature.png   (a) T - T0 along the probe line against the distance r from
                             the domain centre, summed over the events 0..m for each m, and
                             the converged profile
    event_contributions.png  (b) each event's own contribution to T - T0 against r, and the
                             share of the surface's arrivals that each event carries
    frequency_event_map.png  (c) the arrivals at the surface by frequency bin and event,
                             each event normalized to its total
    surface_map.png          (d) the arrivals per unit area over the surface point's polar
                             and azimuth angles, accumulated over the events 0..m for a few
                             m and for the converged state, relative to the surface mean
    angular_projection.png   (e) event 0's arrivals per unit area on a Mollweide projection
                             of the sphere (latitude 90 deg - polar angle), and the arrival
                             directions (angle of v to the normal) per event
NAME is a group of surface_arrivals/ (default: the first, the wall of lowest boundary id).
A file that is not a results file, or that has no resolved events or no surface_arrivals/,
stops the script with one error line (exit 1).
"""
import sys
from pathlib import Path

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from results_file import ResultsError, open_results, text  # noqa: E402
from results_plots import mark_convergence  # noqa: E402

NAME = Path(__file__).name
USAGE = f"usage: {NAME} RESULTS.h5 [OUTDIR] [--surface NAME]"
ACCUMULATED_PANELS = 3  # surface maps after a few event orders, then the converged state
EMPTY_SOLID_ANGLE = 0.01  # share of the sphere the empty position bins may cover (pole caps)


def save(fig, f, path, title=None):
    mark_convergence(fig, f, title)
    fig.tight_layout()
    fig.savefig(path, dpi=150)
    plt.close(fig)


def event_colours(n):
    return plt.cm.viridis(np.linspace(0, 1, max(n, 1)))


def event_colourbar(fig, ax, n, label):
    mappable = plt.cm.ScalarMappable(cmap="viridis", norm=plt.Normalize(0, max(n - 1, 1)))
    fig.colorbar(mappable, ax=ax, label=label)


def radial_line(f):
    """Distance of each probe point from the domain centre [nm], sorted, and its order."""
    points = f["line/points"][()]
    centre = f["surface_arrivals/centre"][()]
    r = np.linalg.norm(points - centre, axis=1) * 1e9
    order = np.argsort(r, kind="stable")
    return r[order], order


def radial_plot(f, path):
    r, order = radial_line(f)
    events = f["events/temperature"][()][:, order]
    t0 = f["summary"].attrs["reference_temperature"]
    fig, ax = plt.subplots(figsize=(6, 4))
    for curve, colour in zip(np.cumsum(events, axis=0), event_colours(len(events))):
        ax.plot(r, curve, ".", color=colour, ms=2)
    ax.plot(r, f["line/temperature"][()][order] - t0, "k.", ms=2, label="converged")
    event_colourbar(fig, ax, len(events), "last event order m included")
    ax.set_xlabel("distance from the centre r [nm]")
    ax.set_ylabel("T - T$_0$ [K]")
    ax.legend(fontsize="small")
    ax.grid(alpha=0.3)
    save(fig, f, path, "(a) temperature after the events 0..m")


def contributions_plot(f, surface, path):
    r, order = radial_line(f)
    events = f["events/temperature"][()][:, order]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    for curve, colour in zip(events, event_colours(len(events))):
        left.plot(r, curve, ".", color=colour, ms=2)
    event_colourbar(fig, left, len(events), "event order m")
    left.set_xlabel("distance from the centre r [nm]")
    left.set_ylabel("contribution of event m to T - T$_0$ [K]")
    left.grid(alpha=0.3)
    per_event = surface["frequency"][()].sum(axis=1)
    total = float(surface.attrs["total"])
    right.bar(np.arange(len(per_event)), per_event / total, color=event_colours(len(per_event)))
    remainder = total - per_event.sum()
    right.set_xlabel("event order m")
    right.set_ylabel("share of the converged arrivals")
    right.set_title(f"remainder after {len(per_event)} events: {remainder / total:.3g}", fontsize=9)
    right.grid(alpha=0.3, axis="y")
    save(fig, f, path, "(b) event contributions")


def frequency_map_plot(f, surface, path):
    group = f["surface_arrivals"]
    edges = group["frequency_edges"][()] / (2 * np.pi * 1e12)
    arrivals = surface["frequency"][()]
    share = arrivals / arrivals.sum(axis=1, keepdims=True)
    fig, ax = plt.subplots(figsize=(6, 4))
    mesh = ax.pcolormesh(np.arange(len(arrivals) + 1) - 0.5, edges, share.T, cmap="inferno", shading="flat")
    fig.colorbar(mesh, ax=ax, label="share of the event's arrivals")
    ax.set_xlabel("event order m")
    nominal = "nominal " if "nominal" in text(group["frequency_edges"].attrs["unit"]) else ""
    ax.set_ylabel(f"{nominal}frequency [THz]")
    save(fig, f, path, "(c) arrivals by frequency and event")


def merged_bins(group, area):
    """(polar factor, azimuth factor): the smallest merging of k x k position bins (each
    factor the largest divisor of the bin count up to k) after which the empty bins cover
    less than EMPTY_SOLID_ANGLE of the sphere. Bins finer than the mesh's surface
    quadrature points stay empty and would draw the map as scattered dots."""
    polar, azimuth = group["polar_edges"][()], len(group["azimuth_edges"]) - 1
    solid_angle = np.outer(np.cos(polar[:-1]) - np.cos(polar[1:]), np.full(azimuth, 2 * np.pi / azimuth))
    for k in range(1, max(area.shape) + 1):
        factors = tuple(max(d for d in range(1, k + 1) if n % d == 0) for n in area.shape)
        empty = merge(area, factors) == 0
        if merge(solid_angle, factors)[empty].sum() < EMPTY_SOLID_ANGLE * 4 * np.pi:
            return factors
    return area.shape


def merge(values, factors):
    """Sum of the (..., P, A) position bins over blocks of factors = (p, a) bins."""
    (p, a), (n_p, n_a) = factors, values.shape[-2:]
    return values.reshape(values.shape[:-2] + (n_p // p, p, n_a // a, a)).sum(axis=(-3, -1))


def merged_note(factors):
    return "" if factors == (1, 1) else f" (bins merged {factors[0]} x {factors[1]} to the mesh's surface points)"


def density(arrivals, area):
    """Arrivals per unit area relative to the surface mean (NaN where a bin has no area)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        per_area = np.where(area > 0, arrivals / area, np.nan)
    return per_area / (arrivals.sum() / area.sum())


def surface_map_plot(f, surface, path):
    group = f["surface_arrivals"]
    factors = merged_bins(group, surface["area"][()])
    polar = np.degrees(group["polar_edges"][()])[::factors[0]]
    azimuth = np.degrees(group["azimuth_edges"][()])[::factors[1]]
    area, position = merge(surface["area"][()], factors), merge(surface["position"][()], factors)
    accumulated = np.cumsum(position, axis=0)
    orders = sorted(set(np.linspace(0, len(position) - 1, ACCUMULATED_PANELS).round().astype(int)))
    maps = [(f"events 0..{m}", density(accumulated[m], area)) for m in orders]
    maps.append(("converged", density(merge(surface["total_position"][()], factors), area)))
    fig, axes = plt.subplots(1, len(maps), figsize=(3.2 * len(maps) + 1, 3.6), squeeze=False,
                             layout="constrained")
    limit = np.nanmax([np.nanmax(np.abs(m - 1)) for _, m in maps])
    for ax, (title, values) in zip(axes[0], maps):
        mesh = ax.pcolormesh(azimuth, polar, values, cmap="coolwarm", vmin=1 - limit, vmax=1 + limit)
        ax.set_title(title, fontsize=9)
        ax.set_xlabel("azimuth [deg]")
        ax.invert_yaxis()
    axes[0][0].set_ylabel("polar angle [deg]")
    fig.colorbar(mesh, ax=axes[0].tolist(), label="arrivals per area / surface mean", fraction=0.03)
    mark_convergence(fig, f, "(d) accumulated surface distribution" + merged_note(factors))
    fig.savefig(path, dpi=150)
    plt.close(fig)


def angular_plot(f, surface, path):
    group = f["surface_arrivals"]
    factors = merged_bins(group, surface["area"][()])
    polar, azimuth = group["polar_edges"][()][::factors[0]], group["azimuth_edges"][()][::factors[1]]
    first = density(merge(surface["position"][()][0], factors), merge(surface["area"][()], factors))
    fig = plt.figure(figsize=(11, 4))
    ax = fig.add_subplot(1, 2, 1, projection="mollweide")
    mesh = ax.pcolormesh(azimuth, np.pi / 2 - polar, first, cmap="coolwarm", shading="flat")
    fig.colorbar(mesh, ax=ax, orientation="horizontal", pad=0.08, label="event 0: arrivals per area / mean")
    ax.tick_params(labelsize=7)
    directions = surface["direction"][()]
    edges = np.degrees(group["direction_edges"][()])
    right = fig.add_subplot(1, 2, 2)
    width = np.diff(edges)
    for row, colour in zip(directions, event_colours(len(directions))):
        right.stairs(row / row.sum() / width, edges, color=colour)
    event_colourbar(fig, right, len(directions), "event order m")
    right.set_xlabel("arrival angle between v and the outward normal [deg]")
    right.set_ylabel("share of the event's arrivals per degree")
    right.grid(alpha=0.3)
    save(fig, f, path, "(e) angular projection of event 0; arrival directions" + merged_note(factors))


def surface_group(f, name):
    if "surface_arrivals" not in f:
        raise ResultsError(f"{f.filename}: no surface_arrivals/ (written by kapitza since issue 16)")
    group = f["surface_arrivals"]
    names = [text(s) for s in group.attrs["surfaces"]]
    name = name or names[0]
    if name not in names:
        raise ResultsError(f"{f.filename}: no surface '{name}' in surface_arrivals/ (it has: {', '.join(names)})")
    if int(group.attrs["events"]) == 0 or "events/temperature" not in f:
        raise ResultsError(f"{f.filename}: no resolved events (run with Solver/Events > 0)")
    return group[name], name


def plot(results, outdir, name):
    with open_results(results) as f:
        surface, name = surface_group(f, name)
        outdir.mkdir(parents=True, exist_ok=True)
        radial_plot(f, outdir / "radial_temperature.png")
        contributions_plot(f, surface, outdir / "event_contributions.png")
        frequency_map_plot(f, surface, outdir / "frequency_event_map.png")
        surface_map_plot(f, surface, outdir / "surface_map.png")
        angular_plot(f, surface, outdir / "angular_projection.png")
    return ["radial_temperature.png", "event_contributions.png", "frequency_event_map.png",
            "surface_map.png", "angular_projection.png"], name


def main(argv):
    args, name = list(argv[1:]), None
    if "--surface" in args:
        k = args.index("--surface")
        if k + 1 >= len(args):
            sys.exit(f"{NAME}: {USAGE}")
        name = args[k + 1]
        del args[k:k + 2]
    if len(args) not in (1, 2):
        sys.exit(f"{NAME}: {USAGE}")
    results = Path(args[0])
    outdir = Path(args[1]) if len(args) == 2 else results.parent
    try:
        written, name = plot(results, outdir, name)
    except ResultsError as error:
        sys.exit(f"{NAME}: error: {error}")
    except OSError as error:  # the output folder
        sys.exit(f"{NAME}: error: {outdir}: {error.strerror}")
    print(f"wrote ({name}):", ", ".join(str(outdir / w) for w in written))


if __name__ == "__main__":
    main(sys.argv)
