"""Figures and README.md of validation/nanoparticle.py, from its run records."""
import h5py
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import plot_surface_arrivals  # noqa: E402
from results_file import mode_capacities  # noqa: E402

PANELS = ["radial_temperature.png", "event_contributions.png", "frequency_event_map.png",
          "surface_map.png", "angular_projection.png"]
FIGURES = ["profile_fourier.png", "convergence.png"] + PANELS
CURVED_FOLDER = "curved"  # the panels of the first curved-cell run
TURNED_FOLDER = "turned"  # the panels of the first run with the crystal turned against the mesh
PROFILE_RADII = [0.25, 0.5, 0.75]  # fractions of R where the report compares the profiles
NM = 1e9
# Below this fraction of its centre value the heat equation's rise is its T(R) = T0 edge,
# where a ratio to the BTE (which keeps a jump there) says nothing.
SURFACE_RATIO = 0.05


def radial_mean(r, values):
    """The distinct radii of the probe line (x and -x give the same r) and the mean there."""
    radii, index = np.unique(np.round(r, 15), return_inverse=True)
    return radii, np.bincount(index, values) / np.bincount(index)


def rises(c):
    """BTE and Fourier T - T0 on the distinct line radii of the run c."""
    radii, bte = radial_mean(c["r"], c["line"] - c["t0"])
    return radii, bte, radial_mean(c["r"], c["fourier"])[1]


def label(c):
    return f"q {c['q']}$^3$, {c['cells']} cells"


def profile_figure(c, path):
    radii, bte, fourier = rises(c)
    cell_r = np.linalg.norm(c["cell_centres"] - c["centre"], axis=1)
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    left.plot(cell_r * NM, c["cell_temperature"] - c["t0"], ".", color="0.7", ms=3, label="BTE, cell averages")
    left.plot(radii * NM, bte, "-", color="C0", label="BTE, probe line through the centre")
    left.plot(radii * NM, fourier, "--", color="C3", label=f"heat equation, kappa = {c['kappa']:.1f} W/(m K)")
    left.set_ylabel("T - T$_0$ [K]")
    right.plot(radii * NM, bte / bte[0], "-", color="C0", label="BTE")
    right.plot(radii * NM, fourier / fourier[0], "--", color="C3", label="heat equation")
    right.set_ylabel("(T - T$_0$) / its value at the centre")
    for ax in (left, right):
        ax.set_xlabel("distance from the centre r [nm]")
        ax.set_xlim(0, radii[-1] * NM * 1.02)
        ax.set_ylim(bottom=0)
        ax.grid(alpha=0.3)
        ax.legend(fontsize="small")
    fig.suptitle(f"Si ball, R = 100 nm, gaussian source: BTE ({label(c)}) vs the heat equation", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=150)
    plt.close(fig)


def convergence_figure(records, main, path):
    records = [c for c in records if c["reference"]]
    refined = [c for c in records if sum(d["q"] == c["q"] for d in records) > 1]
    at_main_mesh = [c for c in records if c["refinements"] == main["refinements"]]
    series = [(f"q-mesh series, {main['cells']} cells", at_main_mesh),
              ("refinement series", sorted(refined, key=lambda c: (c["q"], c["refinements"])))]
    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    for ax, (name, runs) in zip(axes, series):
        drawn = set()
        for k, c in enumerate(runs):
            radii, bte, fourier = rises(c)
            ax.plot(radii * NM, bte, "-", color=f"C{k}", label=f"BTE, {label(c)}")
            if c["kappa"] not in drawn:  # the heat equation depends on the q-mesh only
                drawn.add(c["kappa"])
                ax.plot(radii * NM, fourier, ":", color=f"C{k}",
                        label=f"heat equation, kappa {c['kappa']:.1f} W/(m K)")
        ax.set_title(name, fontsize=10)
        ax.set_xlabel("distance from the centre r [nm]")
        ax.set_ylim(bottom=0)
        ax.grid(alpha=0.3)
        ax.legend(fontsize="x-small")
    for ax in axes:
        ax.set_ylabel("T - T$_0$ [K]")
    fig.tight_layout()
    fig.savefig(path, dpi=150)
    plt.close(fig)


def mean_free_path_shares(db_path, lengths):
    """Share of the RTA conductivity and of the source power (emitted ~ C/tau) carried by
    modes whose mean free path |v| tau exceeds each length."""
    with h5py.File(db_path, "r") as db:
        capacity, tau = mode_capacities(db), db["tau"][()]
        speed = np.linalg.norm(db["velocity"][()], axis=1)
    path, kappa, emission = speed * tau, capacity * speed * speed * tau, capacity / tau
    return [(length, kappa[path > length].sum() / kappa.sum(), emission[path > length].sum() / emission.sum())
            for length in lengths]


def run_table(records):
    lines = ["| q-mesh | modes | collision | ranks | refinements | cells | mapping | crystal | kappa [W/(m K)] | iterations | "
             "wall [s] (setup, solve) | "
             "GMRES [s] (per iteration) | load | "
             "peak memory per rank [GB] (estimate) | power [W] | outflow / power - 1 | "
             "centre rise BTE [K] | heat eq. [K] | BTE / heat eq. |", "|" + "---|" * 19]
    for c in records:
        radii, bte, fourier = rises(c)
        lines.append(f"| {c['q']}^3 | {c['modes']} | {c['collision']} | {c['ranks']} | {c['refinements']} | "
                     f"{c['cells']} | {c['mapping']} | {'aligned' if c['orientation'] == 'aligned' else 'turned'} | "
                     f"{c['kappa']:.2f} | "
                     f"{c['iterations']} | {c['wall']:.1f} ({c['setup']:.1f}, {c['solve']:.1f}) | "
                     f"{c['gmres']:.1f} ({c['per_iteration']:.2f}) | {c['load']} | "
                     f"{c['peak_memory']:.3f} ({c['memory_estimate']:.3f}) | {c['power']:.6e} | "
                     f"{c['outflow'] / c['power'] - 1:.1e} | {bte[0]:.4f} | {fourier[0]:.4f} | "
                     f"{bte[0] / fourier[0]:.3f} |")
    return lines


def change(a, b, which):
    """Relative change of the centre rise (1: BTE, 2: heat equation) from run a to run b."""
    return f"{100 * (rises(b)[which][0] / rises(a)[which][0] - 1):+.2f} %"


def richardson(runs):
    """Richardson extrapolation of the centre rise from three runs, each refinement halving the
    cells: the observed order p = log2(d1 / d2) of the differences d and the limit
    last + d2 / (2^p - 1)."""
    rise = [rises(c)[1][0] for c in runs]
    d1, d2 = rise[1] - rise[0], rise[2] - rise[1]
    if d1 * d2 <= 0 or abs(d2) >= abs(d1):
        return "Richardson: the last three runs do not converge monotonically; no extrapolation"
    order = np.log2(d1 / d2)
    limit = rise[2] + d2 / (2 ** order - 1)
    return (f"Richardson from {runs[0]['cells']}, {runs[1]['cells']}, {runs[2]['cells']} cells: observed order "
            f"{order:.2f}, extrapolated centre rise {limit:.4f} K; the finest run is {100 * (rise[2] / limit - 1):+.2f} % "
            "from it")


def movement(records, main):
    """How the centre rise moves along each series (consecutive runs)."""
    lines, records = [], [c for c in records if c["reference"]]
    for name, key, fixed in (("q-mesh", "q", "refinements"), ("refinement", "refinements", "q")):
        found = False
        for value in sorted({c[fixed] for c in records}):
            runs = sorted((c for c in records if c[fixed] == value), key=lambda c: c[key])
            if len(runs) < 2:
                continue
            found = True
            steps = [f"{a[key]} -> {b[key]}: BTE {change(a, b, 1)}, heat equation {change(a, b, 2)}"
                     for a, b in zip(runs, runs[1:])]
            lines.append(f"- {name} series at {fixed} {value}, centre rise: " + "; ".join(steps))
            if key == "refinements" and len(runs) >= 3:
                lines.append("  - " + richardson(runs[-3:]))
        if not found:
            lines.append(f"- {name}: no two runs differ only in the {name}, so the numbers are unconverged "
                         f"in it by an unknown amount.")
    return lines


def twin(records, c):
    """The reference run (RTA, reference ranks, flat cells) with c's q-mesh and refinements
    (None if there is none)."""
    return next((d for d in records if d["reference"] and d["q"] == c["q"] and
                 d["refinements"] == c["refinements"]), None)


def collision_matrix_lines(records):
    """Full collision matrix against RTA on the same q-mesh and mesh."""
    lines = ["| q-mesh | cells | kappa RTA / LBTE [W/(m K)] | centre rise RTA / full [K] | full / RTA - 1 | "
             "heat eq. with the LBTE kappa [K] | wall RTA / full [s] | peak memory per rank RTA / full [GB] |",
             "|---|---|---|---|---|---|---|---|"]
    for c in (c for c in records if c["collision"] == "full"):
        rta = twin(records, c)
        if rta is None:
            lines.append(f"| {c['q']}^3 | {c['cells']} | - / {c['kappa']:.2f} | - / {rises(c)[1][0]:.4f} | "
                         f"(no RTA run on this mesh) | {rises(c)[2][0]:.4f} | - / {c['wall']:.1f} | "
                         f"- / {c['peak_memory']:.3f} |")
            continue
        lines.append(f"| {c['q']}^3 | {c['cells']} | {rta['kappa']:.2f} / {c['kappa']:.2f} | "
                     f"{rises(rta)[1][0]:.4f} / {rises(c)[1][0]:.4f} | {change(rta, c, 1)} | "
                     f"{rises(c)[2][0]:.4f} | {rta['wall']:.1f} / {c['wall']:.1f} | "
                     f"{rta['peak_memory']:.3f} / {c['peak_memory']:.3f} |")
    return lines


def ranks_lines(records):
    """The same case on other rank counts: memory per rank and the largest temperature difference."""
    lines = ["| q-mesh | cells | ranks | peak memory per rank [GB] (estimate) | wall [s] | "
             "max |T - T(reference ranks)| on the line [K] | centre rise [K] |", "|---|---|---|---|---|---|---|"]
    for c in (c for c in records if c["collision"] == "rta" and c["mapping"] == 1 and c["orientation"] == "aligned"
                                    and not c["reference"]):
        ref = twin(records, c)
        for run in (ref, c):
            difference = np.abs(run["line"] - ref["line"]).max()
            lines.append(f"| {run['q']}^3 | {run['cells']} | {run['ranks']} | {run['peak_memory']:.3f} "
                         f"({run['memory_estimate']:.3f}) | {run['wall']:.1f} | {difference:.1e} | "
                         f"{rises(run)[1][0]:.6f} |")
    return lines


def arrival_statistics(c):
    """Mean arrival angle [deg] of the converged state, and the spread (standard deviation
    over the surface, area-weighted) of its arrivals per area relative to their mean, on the
    position bins merged to the mesh's surface points."""
    with h5py.File(c["path"], "r") as f:
        group, left = f["surface_arrivals"], f["surface_arrivals/Left"]
        edges, directions = np.degrees(group["direction_edges"][()]), left["total_direction"][()]
        factors = plot_surface_arrivals.merged_bins(group, left["area"][()])
        area = plot_surface_arrivals.merge(left["area"][()], factors)
        arrivals = plot_surface_arrivals.merge(left["total_position"][()], factors)
    mean_angle = (0.5 * (edges[1:] + edges[:-1]) * directions).sum() / directions.sum()
    covered = area > 0
    relative = arrivals[covered] / area[covered] / (arrivals.sum() / area.sum())
    spread = np.sqrt((area[covered] * (relative - 1) ** 2).sum() / area[covered].sum())
    return mean_angle, spread, relative


def curved_lines(records, source):
    """Curved cells (Mesh/Mapping degree > 1) against the flat-faced run of the same mesh."""
    lines = ["| q-mesh | cells | mapping degree | power / gaussian power in the sphere - 1 | centre rise [K] | "
             "change | mean arrival angle [deg] | spread of the arrivals per area | wall [s] | "
             "peak memory per rank [GB] |", "|---|---|---|---|---|---|---|---|---|---|"]
    notes = []
    for c in (c for c in records if c["mapping"] > 1):
        flat = twin(records, c)
        runs = (flat, c) if flat else (c,)
        statistics = [arrival_statistics(run) for run in runs]
        if flat and statistics[0][2].shape == statistics[1][2].shape:
            notes.append(f"q-mesh {c['q']}^3, {c['cells']} cells: the converged surface maps (arrivals per "
                         f"area over their mean, per drawn bin) of flat and curved cells differ by at most "
                         f"{np.abs(statistics[1][2] - statistics[0][2]).max():.3f}, against a spread of "
                         f"{statistics[0][1]:.3f} over the surface.")
        for run, (angle, spread, _) in zip(runs, statistics):
            lines.append(f"| {run['q']}^3 | {run['cells']} | {run['mapping']} | "
                         f"{run['power'] / source['power'] - 1:+.2e} | {rises(run)[1][0]:.4f} | "
                         f"{change(flat, run, 1) if flat else '-'} | {angle:.1f} | {spread:.3f} | "
                         f"{run['wall']:.1f} | {run['peak_memory']:.3f} |")
    return lines + [""] + notes


def cubic_harmonic(n):
    """The lowest cubic harmonic that is not constant, n_x^4 + n_y^4 + n_z^4 - 3/5 (zero mean
    over the sphere): the pattern of a cubic crystal (or mesh) on a sphere, to lowest order."""
    return (n ** 4).sum(axis=-1) - 0.6


def cubic_amplitudes(c):
    """Area-weighted least-squares fit of the converged surface map (arrivals per area over
    their mean, on the position bins with area) by 1 + a_mesh K4(n) + a_crystal K4(R^T n),
    n the bin centre's direction in the mesh's axes and R^T n in the crystal's: the parts of
    the pattern that follow the mesh and the crystal (one amplitude when they coincide), and
    the weighted rms of what K4 leaves, relative to the map's spread."""
    with h5py.File(c["path"], "r") as f:
        group, left = f["surface_arrivals"], f["surface_arrivals/Left"]
        polar, azimuth = group["polar_edges"][()], group["azimuth_edges"][()]
        area, arrivals = left["area"][()], left["total_position"][()]
        # Rows: the crystal directions along x, y, z as kapitza used them; a file of a
        # kapitza older than Materials/Orientations has none, and its crystal was aligned.
        stored = f["materials/Si"].get("orientation")
        rotation = np.eye(3) if stored is None else stored[()]
    theta, phi = np.meshgrid(0.5 * (polar[1:] + polar[:-1]), 0.5 * (azimuth[1:] + azimuth[:-1]), indexing="ij")
    n = np.stack([np.sin(theta) * np.cos(phi), np.sin(theta) * np.sin(phi), np.cos(theta)], axis=-1)[area > 0]
    weight = np.sqrt(area[area > 0])
    relative = arrivals[area > 0] / area[area > 0] / (arrivals.sum() / area.sum()) - 1
    columns = [cubic_harmonic(n)] + ([] if np.array_equal(rotation, np.eye(3)) else [cubic_harmonic(n @ rotation)])
    basis = np.stack([np.ones(len(n))] + columns, axis=1)
    coefficients, *_ = np.linalg.lstsq(basis * weight[:, None], relative * weight, rcond=None)
    residual = np.sqrt((area[area > 0] * (relative - basis @ coefficients) ** 2).sum() / area.sum())
    spread = np.sqrt((area[area > 0] * (relative - relative @ area[area > 0] / area.sum()) ** 2).sum() / area.sum())
    return coefficients[1:], residual / spread


def turned_lines(records):
    """Runs with the crystal turned against the mesh beside the aligned run of the same mesh."""
    lines = ["| q-mesh | cells | Materials/Orientations | centre rise [K] | change | K4 amplitude following the "
             "mesh | following the crystal | rms not K4 / spread | spread of the arrivals per area | wall [s] |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    notes = []
    for c in (c for c in records if c["orientation"] != "aligned"):
        aligned = twin(records, c)
        (mesh_part, crystal_part), _ = cubic_amplitudes(c)
        follows = "the crystal" if abs(crystal_part) > abs(mesh_part) else "the mesh"
        notes.append(f"q-mesh {c['q']}^3, {c['cells']} cells: the surface pattern follows mostly {follows}: K4 "
                     f"amplitude {crystal_part:+.4f} in the crystal's axes against {mesh_part:+.4f} in the mesh's "
                     f"(ratio {abs(mesh_part / crystal_part):.2f})"
                     + (f"; their sum {crystal_part + mesh_part:+.4f} against the aligned run's "
                        f"{cubic_amplitudes(aligned)[0][0]:+.4f}." if aligned else "."))
        for run in (aligned, c) if aligned else (c,):
            amplitudes, rest = cubic_amplitudes(run)
            mesh, crystal = (f"{amplitudes[0]:+.4f} (both)", "") if len(amplitudes) == 1 else \
                (f"{amplitudes[0]:+.4f}", f"{amplitudes[1]:+.4f}")
            lines.append(f"| {run['q']}^3 | {run['cells']} | {run['orientation']} | {rises(run)[1][0]:.4f} | "
                         f"{change(aligned, run, 1) if aligned else '-'} | {mesh} | {crystal} | {rest:.2f} | "
                         f"{arrival_statistics(run)[1]:.3f} | {run['wall']:.1f} |")
    return lines + [""] + notes


def event_table(c):
    radii, bte, _ = rises(c)
    centre = np.isclose(c["r"], radii[0])
    per_event = c["events"][:, centre].mean(axis=1) / bte[0]
    arrivals = c["event_arrivals"] / c["arrivals"]
    lines = ["| event m | share of the centre rise | accumulated | share of the surface arrivals | accumulated |",
             "|---|---|---|---|---|"]
    for m, (rise, arrival) in enumerate(zip(per_event, arrivals)):
        lines.append(f"| {m} | {rise:.4f} | {per_event[:m + 1].sum():.4f} | {arrival:.4f} | "
                     f"{arrivals[:m + 1].sum():.4f} |")
    lines.append(f"| remainder | {1 - per_event.sum():.4f} | 1 | {1 - arrivals.sum():.4f} | 1 |")
    return lines


def profile_table(c, radius):
    radii, bte, fourier = rises(c)
    rows = [radii[0]] + [f * radius for f in PROFILE_RADII] + [radii[-1]]
    lines = ["| r [nm] | BTE rise [K] | heat eq. [K] | BTE / heat eq. |", "|---|---|---|---|"]
    for r in rows:
        b, h = np.interp(r, radii, bte), np.interp(r, radii, fourier)
        ratio = f"{b / h:.3f}" if h > SURFACE_RATIO * fourier[0] else "- (heat eq. -> 0 at R)"
        lines.append(f"| {r * NM:.1f} | {b:.4f} | {h:.4f} | {ratio} |")
    return lines


def diffusive_note(c, shares, radius):
    """What the mean free paths and the centre rise say about the heat equation, from the numbers."""
    _, beyond_radius, emitted_beyond = shares[1]
    ratio = rises(c)[1][0] / rises(c)[2][0]
    verb = "underestimates" if ratio > 1 else "overestimates"
    return [f"Modes with mean free paths beyond the radius ({radius * NM:g} nm) carry {100 * beyond_radius:.0f} % "
            f"of the bulk conductivity; they cross the ball without scattering, so the heat equation "
            f"with the bulk kappa, which assumes every mode diffuses, holds nowhere in the ball: it "
            f"{verb} the centre rise by a factor {max(ratio, 1 / ratio):.2f} (the Fourier picture "
            f"would need an effective conductivity of {c['kappa'] / ratio:.1f} W/(m K) to match the "
            f"centre). The source emits {100 * (1 - emitted_beyond):.1f} % of its power into modes with "
            "shorter mean free paths (emission ~ C/tau favours short lifetimes): that energy reaches "
            f"the long-lived modes only through scattering events: the {len(c['event_arrivals'])} resolved "
            f"events carry {100 * c['event_arrivals'].sum() / c['arrivals']:.0f} % of the surface arrivals."]


def write(args, records, main, source, main_db):
    out = args.out
    profile_figure(main, out / "profile_fourier.png")
    convergence_figure(records, main, out / "convergence.png")
    plot_surface_arrivals.plot(main["path"], out, None)
    curved = [c for c in records if c["mapping"] > 1]
    turned = [c for c in records if c["orientation"] != "aligned"]
    for runs, folder in ((curved, CURVED_FOLDER), (turned, TURNED_FOLDER)):
        if runs:  # the panels of the first such run, to set beside the main run's
            plot_surface_arrivals.plot(runs[0]["path"], out / folder, None)
    radius, width = source["radius"], source["width"]
    shares = mean_free_path_shares(main_db, [width, radius, 2 * radius])
    text = [
        "# The Si nanoparticle of the recursive-pBTE paper (issue 16)", "",
        "Written by `validation/nanoparticle.py` from its runs; do not edit. Case: "
        "`inputs/nanoparticle/nanoparticle.prm` (Si-PBEsol RTA at 300 K, ball of radius "
        f"{radius * NM:g} nm, gaussian source of peak {source['peak']:g} W/m^3 and standard deviation "
        f"{width * NM:g} nm at the centre, black surface at 300 K, {args.events} resolved events plus the "
        f"accelerated remainder), `{args.mpirun}`, varying the q-mesh (the modes are the "
        "directions: each mode moves along its own group velocity) and the global refinements of "
        "deal.II's 7-cell ball (flat faces, degree-1 DG).", "",
        "Heat equation: the closed form of `validation/heat_equation_ball.py` (k (1/r^2) (r^2 T')' = -S, "
        "T(R) = T0) with the same gaussian and kappa = the database's RTA conductivity averaged over "
        f"the point group (`kapitza-modes --kappa`). The gaussian carries {source['power']:.6e} W inside the "
        "ball; the runs deposit the DG projection of S on the mesh (`power`, slightly less on coarse "
        "meshes: the flat-faced mesh lies inside the sphere).", "",
        "## Runs", ""] + run_table(records) + [
        "", "Centre: the probe-line points nearest the centre (r = "
        f"{rises(main)[0][0] * NM:.2g} nm). Wall time and memory as the run prints them (peak over the "
        "ranks; the estimate is kapitza's, before the solve). GMRES: the solve's GMRES phase (one "
        "transport sweep of every mode per iteration); the rest of the solve forms the resolved "
        "events (one sweep each, psi streamed mode by mode) and the state. Load: the 1-minute load average of "
        "the machine when the run started (2 cores, shared with other jobs: a load above 2 "
        "stretches the wall times).", "",
        "## Convergence", ""] + movement(records, main) + [
        "", "The main run below is the one at q-mesh " f"{main['q']}^3 and {main['refinements']} refinements; "
        "the changes above are the uncertainty of its numbers (unconverged by about the last change "
        "of each series).", "",
        "## Full collision matrix", "",
        "The same case with the full linearized collision matrix (`kapitza-modes --collision full`; "
        "the mixing of every mode with every other, energy conserved exactly) on the same mesh; the "
        "heat equation of this row uses the LBTE conductivity of the matrix.", ""] + \
        collision_matrix_lines(records) + [
        "", "## Curved cells", "",
        "The same case with the cells on the sphere (`Mesh/Mapping degree = 2`: deal.II's MappingQ "
        "on the ball's spherical and transfinite manifolds) beside the flat-faced cells. Mean arrival "
        "angle: between v and the outward normal, over the converged arrivals; spread: the "
        "area-weighted standard deviation of the arrivals per area over the surface bins, relative "
        "to their mean (0 for a uniform surface), on the bins the surface map draws.", ""] + \
        curved_lines(records, source) + ([
        "", f"Its panels are in `{CURVED_FOLDER}/` (q-mesh {curved[0]['q']}^3, {curved[0]['cells']} cells): "
        f"compare `{CURVED_FOLDER}/surface_map.png` with `surface_map.png`. Flat facets tilt the normals "
        "and change the volume; both meshes share the topology of deal.II's 7-cell ball, which has the "
        "cubic symmetry of the Si crystal, so a pattern common to both maps comes from the crystal or from "
        "that topology (the crystal turned against the mesh, below, separates the two)."] if curved else []) + [
        "", "## Crystal turned against the mesh", "",
        "The same case with the Si crystal turned 45 degrees about z in the mesh (`Materials/Orientations`: "
        "[110] along x, [-110] along y): every mode's velocity turns, the mesh stays. A surface pattern "
        "of the crystal turns with it; one of the mesh (its faceted cells, the cube-like topology of the "
        "7-cell ball, the quadrature on the surface) stays. The lowest cubic harmonic K4(n) = n_x^4 + n_y^4 "
        "+ n_z^4 - 3/5 is fitted to each converged surface map (area-weighted least squares over the "
        "position bins, with a constant) in the mesh's axes and, for the turned crystal, jointly in the "
        "crystal's (K4(R^T n)); K4 is +2/5 along the cube axes and -4/15 along the body diagonals. 'rms "
        "not K4': what the fit leaves, over the map's spread.", ""] + turned_lines(records) + ([
        "", f"Its panels are in `{TURNED_FOLDER}/` (q-mesh {turned[0]['q']}^3, {turned[0]['cells']} cells): "
        f"compare `{TURNED_FOLDER}/surface_map.png` with `surface_map.png`."] if turned else []) + [
        "", "## Ranks", "",
        "The main case on one rank beside the reference rank count: the modes are distributed, the "
        "mesh is replicated, so the memory per rank falls with the ranks by the modes' share; the "
        "temperatures agree to the solver tolerance (GMRES sums in another order).", ""] + \
        ranks_lines(records) + [
        "",
        f"## Profile of the main run (q-mesh {main['q']}^3, {main['cells']} cells)", ""] + \
        profile_table(main, radius) + [
        "", "The BTE keeps a temperature jump at the black surface (phonons arriving ballistically "
        "from the hot centre); the heat equation has T = T0 there.", "",
        "## Where the heat equation does not hold", "",
        "| mean free path longer than | share of the RTA kappa | share of the source power (emitted ~ C/tau) |",
        "|---|---|---|"] + [f"| {length * NM:g} nm | {k:.3f} | {e:.3f} |" for length, k, e in shares] + [
        ""] + diffusive_note(main, shares, radius) + ["",
        "## Events of the main run", ""] + event_table(main) + [
        "", "Share of the centre rise: events/temperature at the centre over the converged rise; "
        "share of the surface arrivals: each event's energy flux arriving at the surface over the "
        "total (= the source power).", "",
        "## Figures", "",
        "- `profile_fourier.png`: BTE vs heat equation, absolute and normalized to the centre",
        "- `convergence.png`: the profiles of every run, q-mesh and refinement series",
        "- `radial_temperature.png`, `event_contributions.png`, `frequency_event_map.png`, "
        "`surface_map.png`, `angular_projection.png`: the paper's Fig. 2 panels of the main run "
        "(`validation/plot_surface_arrivals.py`)", ""]
    text = "\n".join(text)
    (out / "README.md").write_text(text)
    return text
