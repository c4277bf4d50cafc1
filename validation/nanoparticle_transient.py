#!/usr/bin/python3
"""The transient analogy of the recursive-pBTE paper (Fig. 2b, issue 16) on the silicon
nanoparticle: the steady state's scattering-event contributions psi^(m)(r) beside the
transient that starts from the source term as an initial population.

Usage:
    validation/nanoparticle_transient.py [--build build] [--out runs/nanoparticle_transient]
        [--qmesh 8] [--refinements 1] [--events 15] [--end-time 1.2e-10] [--outputs 140]
        [--mpirun "mpirun -np 2"] [--copy-to DIR] [--reuse-databases] [--no-run]

Runs inputs/nanoparticle/nanoparticle.prm (Si-PBEsol RTA at 300 K from kapitza-modes,
cached in OUT/cache; a 200 nm ball with a gaussian source and a black surface) with the
q-mesh Q^3 and R refinements: once steady (Method = accelerated, EVENTS resolved events)
and twice as a transient (Method = transient, Initial population = source: psi^0 = G (1 s))
to --end-time, with the time step dt from the lifetimes (a fraction STEP_FRACTION of the
heat-capacity weighted LIFETIME_QUANTILE quantile of tau) and with dt / 2. A run whose
results file comes from the same input is read again, not rerun. OUT/README.md, written
from the runs: for each event m the recorded time whose normalized radial profile is
closest (L2) to the event's normalized contribution, and the misfit, for both time steps;
the time integral of the transient against the steady state; wall time and memory.
Figure OUT/transient_events.png. --copy-to DIR also writes README.md and the figure there.
"""
import argparse
import shlex
import shutil
import sys
from pathlib import Path

import h5py
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import nanoparticle as steady  # noqa: E402
from giftbte_common import run_checked  # noqa: E402
from nanoparticle_report import radial_mean  # noqa: E402
from results_file import mode_capacities  # noqa: E402

NAME = Path(__file__).name
REPO = Path(__file__).resolve().parents[1]
LIFETIME_QUANTILE = 0.1  # of the heat-capacity weighted lifetimes: the short ones that matter
STEP_FRACTION = 0.5      # dt = this fraction of that lifetime
HOLD_TIME = 1.0          # [s] Initial population = source holds the source term this long
FIGURE = "transient_events.png"
PS = 1e12
NM = 1e9


def fail(message):
    sys.exit(f"{NAME}: error: {message}")


def time_step(db_path):
    """dt from the lifetimes of the database, and the quantiles it came from [s]."""
    with h5py.File(db_path, "r") as db:
        tau, capacity = db["tau"][()], mode_capacities(db)
    order = np.argsort(tau)
    weight = np.cumsum(capacity[order]) / capacity.sum()
    quantile = lambda q: float(tau[order][np.searchsorted(weight, q)])  # noqa: E731
    short, median = quantile(LIFETIME_QUANTILE), quantile(0.5)
    relaxation = capacity.sum() / (capacity / tau).sum()  # 1 / <1/tau>, the energy's relaxation time
    return STEP_FRACTION * short, short, median, relaxation


def transient_text(db, args, dt, steps, every):
    text = steady.case_input(steady.TEMPLATE.read_text(),
                             {"Files": f"../{db.name}", "Refinements": args.refinements, "Events": 0,
                              "Method": "transient"})
    return text + (f"subsection Transient\n  set Time step = {dt!r}\n  set Steps = {steps}\n"
                   f"  set Output every = {every}\n  set Initial population = source\nend\n")


def run_transient(args, db, dt, steps, every, label):
    folder = args.out / f"transient-{label}"
    folder.mkdir(parents=True, exist_ok=True)
    text = transient_text(db, args, dt, steps, every)
    prm, results, log = folder / "nanoparticle.prm", folder / "nanoparticle.h5", folder / "run.log"
    if not (log.is_file() and steady.same_input(prm, results, text)):
        if args.no_run:
            fail(f"{folder}: no results of this input (--no-run)")
        print(f"{NAME}: running the transient, dt {dt:.4e} s, {steps} steps, in {folder}", flush=True)
        prm.write_text(text)
        run_checked(shlex.split(args.mpirun) + [str(args.build / "kapitza"), prm.name], log, cwd=folder)
    return read_transient(results, log.read_text(), dt)


def read_transient(results, log, dt):
    memory, times = steady.PEAK_MEMORY.search(log), steady.WALL_TIME.search(log)
    if not memory or not times:
        fail(f"{results.parent / 'run.log'}: no peak memory or wall time line")
    with h5py.File(results, "r") as f:
        g = f["transient"]
        record = {"dt": dt, "time": g["time"][()], "temperature": g["temperature"][()],
                  "integral": g["time_integral"][()], "energy": g["energy"][()],
                  "left": g["energy_left"][()], "initial_energy": float(g.attrs["initial_energy"]),
                  "converged": int(f.attrs["converged"]), "iterations": int(f.attrs["iterations"]),
                  "points": f["line/points"][()], "centre": f["surface_arrivals/centre"][()],
                  "peak_memory": float(memory.group(1)), "wall": float(times.group(1))}
    record["r"] = np.linalg.norm(record["points"] - record["centre"], axis=1)
    return record


def normalized(profile):
    return profile / np.max(np.abs(profile))


def closest_times(events, snapshots):
    """For each event profile: the index of the closest normalized snapshot and the L2
    misfit ||e - s|| / ||e|| of the normalized profiles; and all misfits (events x times)."""
    misfit = np.array([[np.linalg.norm(normalized(e) - normalized(s)) / np.linalg.norm(normalized(e))
                        for s in snapshots] for e in events])
    return misfit.argmin(axis=1), misfit.min(axis=1), misfit


def radial(record, rows):
    radii = radial_mean(record["r"], rows[0])[0]
    return radii, np.array([radial_mean(record["r"], row)[1] for row in rows])


def analyse(case, coarse, fine):
    radii, events = radial(case, case["events"])
    result = {"radii": radii, "events": events}
    for key, run in (("coarse", coarse), ("fine", fine)):
        _, snapshots = radial(run, run["temperature"])
        best, misfit, all_misfits = closest_times(events, snapshots)
        result[key] = {"snapshots": snapshots, "best": best, "misfit": misfit, "all": all_misfits,
                       "best_time": run["time"][best]}
    # The two step sizes at their common recorded times.
    common = np.intersect1d(np.round(coarse["time"] * PS, 9), np.round(fine["time"] * PS, 9))
    pick = lambda run: np.isin(np.round(run["time"] * PS, 9), common)  # noqa: E731
    a, b = coarse["temperature"][pick(coarse)], fine["temperature"][pick(fine)]
    result["dt_change"] = float(np.max(np.abs(a - b).max(axis=1) / np.abs(b).max(axis=1)))
    steady_rise = case["line"] - case["t0"]
    for key, run in (("coarse", coarse), ("fine", fine)):
        result[key]["integral_error"] = float(np.max(np.abs(run["integral"] / HOLD_TIME - steady_rise)) /
                                              np.max(np.abs(steady_rise)))
        result[key]["energy_end"] = float(run["energy"][-1] / run["initial_energy"])
        result[key]["balance"] = float(np.max(np.abs(run["energy"] + run["left"] - run["initial_energy"])) /
                                       run["initial_energy"])
    return result


def neighbour_misfit(result, shift=3):
    """Mean misfit of each event against the coarse run's snapshots `shift` records before
    and after its closest one (where they exist)."""
    all_misfits, best = result["coarse"]["all"], result["coarse"]["best"]
    values = [all_misfits[m][k] for m in range(len(best)) for k in (best[m] - shift, best[m] + shift)
              if 0 <= k < all_misfits.shape[1]]
    return float(np.mean(values))


def figure(result, fine, path):
    radii, events = result["radii"], result["events"]
    fig, (left, middle, right) = plt.subplots(1, 3, figsize=(15, 4.3))
    colours = plt.cm.viridis(np.linspace(0, 1, len(events)))
    for m, (e, colour) in enumerate(zip(events, colours)):
        left.plot(radii * NM, normalized(e), color=colour, label=f"m = {m}" if m % 3 == 0 else None)
        k = result["fine"]["best"][m]
        middle.plot(radii * NM, normalized(result["fine"]["snapshots"][k]), color=colour,
                    label=f"t = {fine['time'][k] * PS:.2f} ps" if m % 3 == 0 else None)
        right.plot(fine["time"] * PS, result["fine"]["all"][m], color=colour, label=f"m = {m}" if m % 3 == 0 else None)
    left.set_title("steady state: event contributions $\\psi^{(m)}$", fontsize=10)
    middle.set_title("transient: T(r, t) at the time closest to each event", fontsize=10)
    for ax in (left, middle):
        ax.set_xlabel("distance from the centre r [nm]")
        ax.set_ylabel("(T - T$_0$) / its maximum")
        ax.set_xlim(0, radii[-1] * NM * 1.02)
    right.set_xlabel("time t [ps]")
    right.set_ylabel("L2 misfit of the normalized profiles")
    right.set_xscale("log")
    right.set_yscale("log")
    right.set_title("misfit of each event against T(r, t)", fontsize=10)
    for ax in (left, middle, right):
        ax.grid(alpha=0.3)
        ax.legend(fontsize="x-small")
    fig.suptitle("Si ball, R = 100 nm, gaussian source: scattering events of the steady state vs the transient "
                 "from the source as initial population", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=150)
    plt.close(fig)


def report(args, case, coarse, fine, result, lifetimes):
    dt, short, median, relaxation = lifetimes
    lines = [
        "# Transient analogy of the scattering events (issue 16, recursive-pBTE paper Fig. 2b)",
        "",
        f"Written by `validation/nanoparticle_transient.py` from its runs (q-mesh {args.qmesh}^3, "
        f"{len(case['cell_temperature'])} cells, Si-PBEsol RTA at 300 K, ball R = 100 nm, gaussian source at the "
        "centre, black surface at 300 K; `inputs/nanoparticle/nanoparticle.prm`).",
        "",
        "Exact relations (docs/transient.md): the steady state's event m, psi^(m) = D^-1 (K D^-1)^m G, is the "
        "time integral of the part of the transient population that has scattered exactly m times, when the "
        "transient starts from psi^0 = G (1 s); the sum over all events is int_0^inf psi dt. A snapshot psi(t) "
        "holds every order at once (those that have scattered 0, 1, 2, ... times by t), so an event profile and "
        "a snapshot are equal only approximately; the table measures how closely.",
        "",
        f"Time step: {STEP_FRACTION} x the {LIFETIME_QUANTILE:g} quantile of the heat-capacity weighted "
        f"lifetimes ({short * PS:.3f} ps; the median is {median * PS:.3f} ps): dt = {dt * PS:.4f} ps, and dt/2 "
        f"to show the result does not move. End time {coarse['time'][-1] * PS:.1f} ps.",
        "",
        "| run | steps | GMRES iterations | wall time [s] | peak memory per rank [GB] | E(t_end)/E(0) | "
        "max energy balance error | time integral vs steady |",
        "|---|---|---|---|---|---|---|---|",
        f"| steady, {args.events} events + remainder | - | {case['iterations']} | {case['wall']:.1f} | "
        f"{case['peak_memory']:.3f} | - | - | - |",
    ]
    for key, run in (("coarse", coarse), ("fine", fine)):
        lines.append(f"| transient dt = {run['dt'] * PS:.4f} ps | {round(run['time'][-1] / run['dt'])} | "
                     f"{run['iterations']} | {run['wall']:.1f} | {run['peak_memory']:.3f} | "
                     f"{result[key]['energy_end']:.2e} | {result[key]['balance']:.1e} | "
                     f"{result[key]['integral_error']:.2e} |")
    lines += [
        "",
        "Time integral vs steady: max over the line of |int T dt / (1 s) - (T_steady - T0)| / max(T_steady - T0); "
        "it is (D - K)^-1 psi(t_end) (what is still in the ball at t_end) plus the solver tolerances.",
        f"Halving dt changes T(r, t) at the common recorded times by at most {result['dt_change']:.2e} of the "
        "profile's maximum at that time (implicit Euler is first order in dt).",
        "",
        "| event m | share of the centre rise | closest t [ps] (dt) | misfit (dt) | closest t [ps] (dt/2) | "
        "misfit (dt/2) |",
        "|---|---|---|---|---|---|",
    ]
    centre = radial_mean(case["r"], case["line"] - case["t0"])[1][0]  # the steady rise at the centre
    for m in range(len(result["events"])):
        c, f = result["coarse"], result["fine"]
        lines.append(f"| {m} | {result['events'][m, 0] / centre:.3f} | {c['best_time'][m] * PS:.3f} | "
                     f"{c['misfit'][m]:.3f} | {f['best_time'][m] * PS:.3f} | {f['misfit'][m]:.3f} |")
    fine_misfit, moved = result["fine"]["misfit"], result["fine"]["best_time"] != result["coarse"]["best_time"]
    orders = np.arange(1, len(result["events"]))
    slope = np.polyfit(orders, result["fine"]["best_time"][1:], 1)[0] if len(orders) > 1 else float("nan")
    lines += [
        "",
        "Misfit: ||e_m - s(t)|| / ||e_m|| of the profiles each divided by its maximum, over the distinct radii of "
        f"the probe line; the recorded times are {(coarse['time'][1] - coarse['time'][0]) * PS:.3f} ps apart. "
        f"With dt/2 the misfits lie between {fine_misfit.min():.3f} and {fine_misfit.max():.3f} (dt: "
        f"{result['coarse']['misfit'].min():.3f} to {result['coarse']['misfit'].max():.3f}); halving dt moves the "
        f"closest time of {int(moved.sum())} of {len(moved)} events. The events' centre values sum to "
        f"{result['events'][:, 0].sum() / centre:.3f} of the steady rise (the remainder beyond event "
        f"{len(result['events']) - 1} holds the rest).",
        "",
        "Where the analogy holds and where not (numbers from the table above):",
        f"- The shapes match: every event has a snapshot within {fine_misfit.max():.3f} (L2, normalized), "
        f"while the same event against the snapshots {3 * (coarse['time'][1] - coarse['time'][0]) * PS:.2f} ps "
        f"earlier or later is {neighbour_misfit(result):.3f} off on average: on this mesh the misfit changes "
        "slowly with t, so the closest time is a weak selection.",
        f"- The closest time grows linearly with m: {slope * PS:.3f} ps per event (least squares over "
        f"m = 1..{len(result['events']) - 1}, dt/2), against the heat-capacity weighted relaxation time "
        f"1/<1/tau> = {relaxation * PS:.3f} ps; event 0 matches t = {result['fine']['best_time'][0] * PS:.2f} ps, "
        f"not t = 0 (misfit at t = 0: {result['fine']['all'][0][0]:.3f}): psi^(0) is the time integral of the "
        "unscattered population, which has already spread ballistically, not the initial population.",
        "- Only shapes compare: an event's amplitude is a time integral (K s per 1 s held), a snapshot's a "
        "temperature; the time of a match is a fit, not a relation of the BTE, and a snapshot mixes all orders.",
        f"- The ball here has {len(case['cell_temperature'])} cells: the profiles are piecewise linear in r "
        "across the cells the probe line crosses, so the misfits and closest times are those of this mesh "
        "(--refinements changes it; the reports of two refinements side by side show how far they move).",
        "",
        f"![events and snapshots]({FIGURE})",
        "",
    ]
    return "\n".join(lines)


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", type=Path, default=REPO / "build")
    parser.add_argument("--out", type=Path, default=REPO / "runs" / "nanoparticle_transient")
    parser.add_argument("--qmesh", type=int, default=8)
    parser.add_argument("--refinements", type=int, default=1)
    parser.add_argument("--events", type=int, default=15)
    parser.add_argument("--end-time", type=float, default=1.2e-10, help="[s]")
    parser.add_argument("--outputs", type=int, default=140, help="recorded times of the dt run (every step by default)")
    parser.add_argument("--mpirun", default="mpirun -np 2")
    parser.add_argument("--copy-to", type=Path)
    parser.add_argument("--reuse-databases", action="store_true",
                        help="take the database in OUT as it is (no kapitza-modes run)")
    parser.add_argument("--no-run", action="store_true", help="report from the runs in OUT only")
    args = parser.parse_args()
    for program in ("kapitza", "kapitza-modes"):
        if not (args.build / program).is_file():
            parser.error(f"{args.build / program} is not built")
    if min(args.qmesh, args.events, args.outputs) < 1 or args.refinements < 0 or not args.end_time > 0:
        parser.error("q-mesh, events and outputs must be positive, refinements not negative, end time > 0")
    args.out = args.out.resolve()
    return args


def main():
    args = arguments()
    args.out.mkdir(parents=True, exist_ok=True)
    db, _ = steady.database(args, args.qmesh)
    lifetimes = time_step(db)
    dt = lifetimes[0]
    steps = max(args.outputs, round(args.end_time / dt / args.outputs) * args.outputs)
    every = steps // args.outputs
    case = steady.run_case(args, args.qmesh, args.refinements, db)
    coarse = run_transient(args, db, dt, steps, every, "dt")
    fine = run_transient(args, db, dt / 2, 2 * steps, 2 * every, "dt-half")
    if not (coarse["converged"] and fine["converged"] and case["converged"]):
        fail("a run did not converge (see its run.log)")
    result = analyse(case, coarse, fine)
    figure(result, fine, args.out / FIGURE)
    text = report(args, case, coarse, fine, result, lifetimes)
    (args.out / "README.md").write_text(text)
    if args.copy_to:
        args.copy_to.mkdir(parents=True, exist_ok=True)
        (args.copy_to / "README.md").write_text(text)
        shutil.copy(args.out / FIGURE, args.copy_to / FIGURE)
    print(text)


if __name__ == "__main__":
    main()
