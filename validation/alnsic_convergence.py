#!/usr/bin/python3
"""q-mesh convergence of the AlN/SiC flagship numbers: validation/alnsic.py on a sequence of
mesh pairs at one T0, the table and an extrapolation to the infinite mesh written from the
runs into OUT/convergence.md.

Usage:
    validation/alnsic_convergence.py [--build build] [--out runs/alnsic_convergence]
        [--temperature 620] [--models dmm smm]
        [--meshes 6x6x4:4x4x2 8x8x5:6x6x2 10x10x6:8x8x3 12x12x7:10x10x3 14x14x9:12x12x4]
        [--default 14x14x9:12x12x4] [--mpirun "mpirun -np 2"] [--layer 750e-9] [--cells 100]
        [--rerun] [--spectral 24x24x15:24x24x8 | --no-spectral] [--vary transport|spectral]
        [--lifetimes AxBxC:DxExF] [--vary transport|spectral|lifetimes]
    validation/alnsic_convergence.py --self-test

Each mesh pair AlN:SiC runs in OUT/<AlN>_<SiC>/ (alnsic.py --temperatures T --models ...);
with --lifetimes every pair's three-phonon rates come from that one AlN:SiC pair of meshes,
interpolated onto the pair's transport meshes (alnsic.py --lifetimes-mesh-aln/-sic), so the
sequence refines the transport meshes at fixed lifetimes (their own mesh is measured by
validation/lifetime_interpolation.py);
a pair whose results are there is read, not rerun (--rerun runs it again). Per model the
table lists, for every pair: modes per side, the interface drop (bulk fits), the face jump,
G, the kappa R lengths, the EELS drop within +-1 nm, the AlN optical deviation length and
the forward/reverse ratios of the EELS window intensities (loss) at the interface.

Extrapolation: with h = (modes_AlN + modes_SiC)^(-1/3), proportional to the q-mesh spacing,
each number X is fitted by X(h) = X_inf + a h^p through the three finest pairs (p solved
from them; exact for that form). Its uncertainty is the change of X_inf when the three
pairs before them are used instead (with four or more pairs), never less than the
distance of the finest pair's X from X_inf when the two fits cannot be compared. Where the
three finest values admit no such fit (they oscillate, as sums over a discrete q-mesh do
when modes enter and leave frequency bins, or their steps do not shrink like a power of h
with 0 < p < 20), X_inf is the middle of their range and the uncertainty half that range
(method "range"): the limit of a sequence that oscillates about it lies between its
values. The default pair's distance from X_inf is printed beside it, and a number is
marked converged only if that distance and the uncertainty are both within CONVERGED
(3 %). --self-test checks the extrapolation on exact power laws and oscillating values
and exits.
"""
import argparse
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import h5py
import numpy as np
from scipy.optimize import brentq

from alnsic import REPO, summarize

CONVERGED = 0.03  # relative: the "within 3 %" of the extrapolated value
QUANTITIES = [  # key, column title, how to get it from alnsic.summarize of the forward run
    ("drop", "drop [K]", lambda f, r: f["drop"]),
    ("jump", "face jump [K]", lambda f, r: f["jump"]),
    ("G", "G [MW/m^2K]", lambda f, r: 1e-6 / f["R"]),
    ("length_a", "kappa R AlN [nm]", lambda f, r: 1e9 * f["length_a"]),
    ("length_b", "kappa R SiC [nm]", lambda f, r: 1e9 * f["length_b"]),
    ("eels_width", "EELS drop +-1 nm [K]", lambda f, r: f["eels_width"]),
    ("optical", "AlN optical deviation [nm]", lambda f, r: 1e9 * f["optical"]),
]


def power_law_limit(h, x):
    """X_inf of X = X_inf + a h^p through three points (h decreasing), or None if the
    values do not change monotonically (no such fit with p > 0)."""
    (h1, h2, h3), (x1, x2, x3) = h, x
    d1, d2 = x1 - x2, x2 - x3
    if d2 == 0:
        return x3
    if d1 * d2 <= 0:
        return None
    # d1 / d2 = (h1^p - h2^p) / (h2^p - h3^p): monotone in p > 0.
    def mismatch(p):
        return (h1 ** p - h2 ** p) - d1 / d2 * (h2 ** p - h3 ** p)
    lo, hi = 1e-3, 20.0
    if mismatch(lo) * mismatch(hi) > 0:
        return None
    p = brentq(mismatch, lo, hi, xtol=1e-14)
    a = d2 / (h2 ** p - h3 ** p)
    return x3 - a * h3 ** p


def extrapolate(h, x):
    """(X_inf, uncertainty, method) from the finest three points and the three before them
    ("power law"), or the middle and half range of the finest three where no power law
    passes through them ("range")."""
    finest = power_law_limit(h[-3:], x[-3:])
    if finest is None:
        low, high = min(x[-3:]), max(x[-3:])
        return 0.5 * (low + high), 0.5 * (high - low), "range"
    earlier = power_law_limit(h[-4:-1], x[-4:-1]) if len(h) >= 4 else None
    spread = abs(x[-1] - finest)
    return finest, max(spread, abs(finest - earlier)) if earlier is not None else spread, "power law"


def self_test():
    h = np.array([0.1, 0.08, 0.06, 0.05, 0.04])
    for p, limit, a in ((1.0, 5.0, 3.0), (2.0, -2.0, 40.0), (0.7, 100.0, -9.0)):
        value, error, method = extrapolate(h, limit + a * h ** p)
        assert method == "power law" and abs(value - limit) < 1e-9 * max(1, abs(limit)), (p, value, limit)
        assert error < abs(a) * h[-1] ** p * (1 + 1e-9), (p, error)
    # Damped oscillation about 1.6: the finest three are 1.5, 1.7, 1.62.
    value, error, method = extrapolate(h, np.array([1.0, 2.0, 1.5, 1.7, 1.62]))
    assert method == "range" and abs(value - 1.6) < 1e-12 and abs(error - 0.1) < 1e-12, (value, error)
    print("ok: power laws X_inf + a h^p (p = 1, 2, 0.7) extrapolate to X_inf within 1e-9; "
          "oscillating values give the middle and half range of the finest three")


def mesh_pair(text):
    try:
        aln, sic = text.split(":")
        meshes = [tuple(int(n) for n in side.split("x")) for side in (aln, sic)]
    except ValueError:
        raise argparse.ArgumentTypeError(f"a mesh pair is AxBxC:DxExF, not '{text}'")
    if any(len(m) != 3 or min(m) < 1 for m in meshes):
        raise argparse.ArgumentTypeError(f"a mesh pair is AxBxC:DxExF (positive), not '{text}'")
    return meshes[0], meshes[1]


def shown_path(path):
    """A path inside the repository relative to it (reports name no machine's folders)."""
    resolved = Path(path).resolve()
    return str(resolved.relative_to(REPO)) if resolved.is_relative_to(REPO) else str(path)


def label(mesh):
    return "x".join(map(str, mesh))


def run_pair(args, aln, sic):
    """The pair's folder, running alnsic.py there unless its results exist. With --vary
    spectral (lifetimes) the pair is the dense spectral pair (the three-phonon pair) and the
    transport pair is --default."""
    spectral = (aln, sic) if args.vary == "spectral" else args.spectral
    lifetimes = (aln, sic) if args.vary == "lifetimes" else args.lifetimes
    if args.vary in ("spectral", "lifetimes"):
        folder = Path(args.out) / f"{args.vary}-{label(aln)}_{label(sic)}"
        aln, sic = args.default
    else:
        folder = Path(args.out) / f"{label(aln)}_{label(sic)}"
    extra = ["--layer", f"{args.layer:g}", "--cells", str(args.cells)]
    if lifetimes:
        extra += ["--lifetimes-mesh-aln", *map(str, lifetimes[0]), "--lifetimes-mesh-sic", *map(str, lifetimes[1])]
    if args.no_spectral:
        extra += ["--no-spectral"]
    else:
        extra += ["--spectral-mesh-aln", *map(str, spectral[0]), "--spectral-mesh-sic", *map(str, spectral[1])]
    return run_alnsic(args, folder, aln, sic, extra, Path(args.out) / f"{folder.name}.log", "alnsic_convergence.py")


def run_alnsic(args, folder, aln, sic, extra, log, script):
    """Runs alnsic.py into `folder` at args.temperature for args.models, forward and reverse,
    with the convergence cache (dense spectral sets and databases once for all pairs) and the
    options `extra`, unless its results exist (or --rerun); its output goes to `log`."""
    wanted = [folder / "work" / f"{m}-{d}-{args.temperature:g}K.h5"
              for m in args.models for d in ("forward", "reverse")]
    if args.rerun or not all(p.is_file() for p in wanted):
        command = [sys.executable, str(REPO / "validation" / "alnsic.py"), "--build", args.build,
                   "--out", str(folder), "--temperatures", f"{args.temperature:g}",
                   "--models", *args.models, "--mesh-aln", *map(str, aln), "--mesh-sic", *map(str, sic),
                   "--mpirun", args.mpirun, "--cache", str(Path(args.out) / "cache"), *extra]
        start = time.time()
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "w") as out:
            if subprocess.run(command, stdout=out, stderr=subprocess.STDOUT).returncode != 0:
                sys.exit(f"{script}: error: {folder} failed, see {log}")
        print(f"{folder} ran in {time.time() - start:.0f} s", flush=True)
    return folder


def modes_of(folder, name, t0, varied=None, vary="transport"):
    """Modes of the transport set, or of the varied dense spectral or three-phonon set."""
    file = {"transport": f"{name}-{t0:g}K.h5", "spectral": f"{name}-spectral-{label(varied)}.h5",
            "lifetimes": f"{name}-lifetimes-{label(varied)}-{t0:g}K.h5"}[vary]
    with h5py.File(folder / "work" / file) as f:
        return f["omega"].shape[0]


def measure(folder, model, t0):
    forward = summarize(folder / "work" / f"{model}-forward-{t0:g}K.h5")
    reverse = summarize(folder / "work" / f"{model}-reverse-{t0:g}K.h5")
    values = {key: get(forward, reverse) for key, _, get in QUANTITIES}
    for name, (loss, _) in forward["windows"].items():
        values[f"ratio {name}"] = loss / reverse["windows"][name][0]
    return values


SMM_SUMMARY = re.compile(r"interface \S+ \(smm\):.*Landauer G (?P<landauer>[0-9.e+-]+).*events per crossing "
                         r"(?P<events>[0-9.e+-]+).*strain field (?P<strain>[0-9.e+-]+) \(golden rule 1 - exp\(-P\): "
                         r"(?P<golden>[0-9.e+-]+)\).*momentum resolution (?P<sigma>[0-9.e+-]+) 1/m")


SMM_CLASSES = re.compile(r"re-emission by (?P<groups>\d+) groups .*\|q_par\| shell of (?P<width>[0-9.e+-]+) 1/m")


def smm_diagnostics(folders, t0):
    """The SMM summary line of each pair's forward run beside the first misfit harmonic
    2 pi / D (D from the run's lattice constants): the Gaussian that stands for the
    momentum delta is as wide as the in-plane q-mesh spacing, and the golden-rule sum
    resolves momentum transfers of order 2 pi / D only where that width is below it. With
    class-resolved re-emission (Re-emission = classes) sigma is the dense sets' and the last
    column gives the groups of classes the transport modes carry and the shell width."""
    lines = ["| AlN mesh | SiC mesh | momentum resolution sigma [1/nm] | sigma / (2 pi / D) | golden-rule events "
             "per crossing | strain flux fraction | golden rule 1 - exp(-P) | Landauer G [MW/m^2K] | "
             "re-emission groups (shell width [1/nm]) |",
             "|---|---|---|---|---|---|---|---|---|"]
    for aln, sic, folder in folders:
        work = folder / "work"
        text = (work / f"smm-forward-{t0:g}K.log").read_text()
        found, classes = SMM_SUMMARY.search(text), SMM_CLASSES.search(text)
        constants = re.search(r"set Lattice constants = ([0-9.e+-]+), ([0-9.e+-]+)",
                              (work / f"smm-forward-{t0:g}K.prm").read_text())
        if not found or not constants:
            sys.exit(f"alnsic_convergence.py: error: no SMM summary or lattice constants in {work}")
        a, b = float(constants[1]), float(constants[2])
        harmonic = 2 * np.pi * abs(a - b) / (a * b)
        sigma = float(found["sigma"])
        lines.append(f"| {label(aln)} | {label(sic)} | {sigma * 1e-9:.3g} | {sigma / harmonic:.3g} | "
                     f"{float(found['events']):.3g} | {float(found['strain']):.3g} | {float(found['golden']):.3g} | "
                     f"{float(found['landauer']):.4g} | " +
                     (f"{classes['groups']} ({float(classes['width']) * 1e-9:.3g}) |" if classes else "modes |"))
    return lines


def table(rows, keys, titles):
    lines = ["| AlN mesh | SiC mesh | modes AlN / SiC | " + " | ".join(titles) + " |",
             "|---|---|---|" + "---|" * len(keys)]
    for row in rows:
        lines.append(f"| {row['aln']} | {row['sic']} | {row['modes'][0]} / {row['modes'][1]} | " +
                     " | ".join(f"{row['values'][k]:.4g}" for k in keys) + " |")
    return lines


def limits(rows, keys, titles, default, estimates):
    """The table of extrapolations; `estimates` gets each key's value, uncertainty and method."""
    h = np.array([sum(r["modes"]) ** (-1 / 3) for r in rows])
    lines = ["| number | method | extrapolated | uncertainty | default pair | default - extrapolated | converged |",
             "|---|---|---|---|---|---|---|"]
    base = next((r for r in rows if (r["aln"], r["sic"]) == default), None)
    for key, title in zip(keys, titles):
        x = np.array([r["values"][key] for r in rows])
        value, error, method = extrapolate(h, x)
        estimates[key] = {"value": float(value), "uncertainty": float(error), "method": method}
        shown = base["values"][key] if base else float("nan")
        offset = (shown - value) / abs(value) if value != 0 else float("inf")
        converged = base is not None and abs(offset) <= CONVERGED and error <= CONVERGED * abs(value)
        lines.append(f"| {title} | {method} | {value:.4g} | {error:.2g} ({100 * error / abs(value):.1f} %) | "
                     f"{shown:.4g} | {100 * offset:+.1f} % | {'yes' if converged else 'no'} |")
    return lines


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--self-test", action="store_true")
    parser.add_argument("--build", default=str(REPO / "build"))
    parser.add_argument("--out", default=str(REPO / "runs" / "alnsic_convergence"))
    parser.add_argument("--temperature", type=float, default=620.0)
    parser.add_argument("--models", nargs="+", default=["dmm", "smm"])
    parser.add_argument("--meshes", type=mesh_pair, nargs="+",
                        default=[mesh_pair(p) for p in ("6x6x4:4x4x2", "8x8x5:6x6x2", "10x10x6:8x8x3",
                                                        "12x12x7:10x10x3", "14x14x9:12x12x4")])
    parser.add_argument("--default", type=mesh_pair, default=mesh_pair("14x14x9:12x12x4"),
                        help="the main job's pair, compared with the extrapolation")
    parser.add_argument("--mpirun", default="mpirun -np 2")
    parser.add_argument("--layer", type=float, default=750e-9)
    parser.add_argument("--cells", type=int, default=100)
    parser.add_argument("--rerun", action="store_true")
    parser.add_argument("--spectral", type=mesh_pair, default=mesh_pair("24x24x15:24x24x8"),
                        help="AlN:SiC dense harmonic q-meshes whose spectra DMM's channels use "
                             "(alnsic.py --spectral-mesh-aln/-sic; the same for every pair)")
    parser.add_argument("--vary", choices=["transport", "spectral", "lifetimes"], default="transport",
                        help="which meshes --meshes lists: the transport pairs (spectra fixed by "
                             "--spectral), the dense spectral pairs (transport fixed at --default; "
                             "compared with --spectral), or the three-phonon pairs whose lifetimes are "
                             "interpolated onto the transport pair --default")
    parser.add_argument("--lifetimes", type=mesh_pair,
                        help="AlN:SiC q-meshes of the three-phonon rates of every pair, interpolated "
                             "onto its transport meshes (default: computed on each pair's meshes)")
    parser.add_argument("--no-spectral", action="store_true",
                        help="DMM capacities from the transport modes (alnsic.py --no-spectral)")
    args = parser.parse_args()
    if not args.self_test and len(args.meshes) < 3:
        sys.exit("alnsic_convergence.py: error: --meshes needs at least 3 pairs to extrapolate")
    if args.vary == "lifetimes" and args.lifetimes:
        sys.exit("alnsic_convergence.py: error: --vary lifetimes lists the three-phonon pairs in --meshes "
                 "(no --lifetimes)")
    if args.vary == "spectral" and args.no_spectral:
        sys.exit("alnsic_convergence.py: error: --vary spectral refines the dense sets (DMM's spectra, SMM's "
                 "classes): not with --no-spectral")
    if not args.self_test and not set(args.models) <= {"dmm", "smm"}:
        sys.exit(f"alnsic_convergence.py: error: --models takes dmm and smm, not {' '.join(args.models)}")
    return args


def main():
    args = parse_args()
    if args.self_test:
        self_test()
        return
    Path(args.out).mkdir(parents=True, exist_ok=True)
    start = time.time()
    pairs = sorted(args.meshes, key=lambda pair: np.prod(pair[0]) + np.prod(pair[1]))
    folders = [(aln, sic, run_pair(args, aln, sic)) for aln, sic in pairs]
    reference = args.spectral if args.vary == "spectral" else args.default
    default = (label(reference[0]), label(reference[1]))
    default_transport = f"{label(args.default[0])}:{label(args.default[1])}"
    lines = [f"# AlN/SiC: q-mesh convergence at T0 = {args.temperature:g} K (forward; window ratios "
             "forward/reverse)", "",
             f"Written by `validation/alnsic_convergence.py` from the runs under `{shown_path(args.out)}` "
             f"({time.time() - start:.0f} s this call). Extrapolation (method power law): X = X_inf + a h^p "
             "through the three finest pairs, h = (modes AlN + modes SiC)^(-1/3); uncertainty: the change of "
             "X_inf with the three pairs before them; where no such law passes through the three finest "
             "values (they oscillate, or their steps do not shrink like a power of h), method range: the "
             "middle of their range, uncertainty half the range (see the script's docstring). "
             f"Converged: default pair and uncertainty within {100 * CONVERGED:g} % of X_inf. "
             + ("" if args.no_spectral else "SMM: the interface computed on the same dense sets by class "
                "(Re-emission = classes). ") + "DMM channel "
             + ("capacities from the transport modes (--no-spectral)." if args.no_spectral else
                "spectra from the dense harmonic q-meshes of each row (--vary spectral; modes are those of "
                f"the dense sets), transport q-meshes {default_transport} for every row." if args.vary == "spectral" else
                f"spectra from dense harmonic q-meshes {label(args.spectral[0])} (AlN) and "
                f"{label(args.spectral[1])} (SiC), the same for every pair.")
             + (f" Three-phonon rates computed on {label(args.lifetimes[0])} (AlN) and "
                f"{label(args.lifetimes[1])} (SiC) for every pair, interpolated onto its transport meshes "
                "(kapitza-modes --lifetimes-from)." if args.lifetimes else
                " Three-phonon rates computed on each row's meshes (--vary lifetimes; modes are those of the "
                f"three-phonon sets) and interpolated onto the transport q-meshes {default_transport} of every row "
                "(kapitza-modes --lifetimes-from)." if args.vary == "lifetimes" else
                " Three-phonon rates computed on each pair's own meshes."), ""]
    measured, estimates = {}, {}
    for model in args.models:
        rows = [{"aln": label(aln), "sic": label(sic),
                 "modes": (modes_of(folder, "AlN", args.temperature, aln, args.vary),
                           modes_of(folder, "SiC", args.temperature, sic, args.vary)),
                 "values": measure(folder, model, args.temperature)} for aln, sic, folder in folders]
        keys = [k for k, _, _ in QUANTITIES] + sorted(k for k in rows[0]["values"] if k.startswith("ratio "))
        titles = [t for _, t, _ in QUANTITIES] + [k.replace("ratio ", "fwd/rev ") for k in keys[len(QUANTITIES):]]
        measured[model] = [{"aln": r["aln"], "sic": r["sic"], "modes": list(r["modes"]),
                            "values": {k: float(v) for k, v in r["values"].items()}} for r in rows]
        lines += [f"## {model.upper()}", ""] + table(rows, keys, titles) + [""]
        estimates[model] = {}
        lines += limits(rows, keys, titles, default, estimates[model]) + [""]
        if model == "smm":
            lines += ["SMM's interface model along the sequence (the summary line of each forward run):", ""]
            lines += smm_diagnostics(folders, args.temperature) + [""]
    (Path(args.out) / "convergence.md").write_text("\n".join(lines))
    # The same per-pair numbers for validation/alnsic_report.py, which labels a report's
    # mesh with them.
    (Path(args.out) / "convergence.json").write_text(json.dumps(
        {"temperature": args.temperature, "models": measured, "estimates": estimates, "converged": CONVERGED,
         "spectral": None if args.no_spectral or args.vary == "spectral" else [label(m) for m in args.spectral],
         "vary": args.vary, "transport": None if args.vary == "transport" else [label(m) for m in args.default],
         "lifetimes": [label(m) for m in args.lifetimes] if args.lifetimes else None},
        indent=1))
    print(f"wrote {Path(args.out) / 'convergence.md'}")


if __name__ == "__main__":
    main()
