#!/usr/bin/python3
"""SMM with class-resolved re-emission (Interfaces/Re-emission = classes): how the AlN/SiC
flagship's interface numbers depend on the |q_par| shell width of the classes, at the
transport meshes and dense sets of one finished alnsic.py run (its forward SMM case, rerun
with `Class width` set to multiples of the dense sets' in-plane q-mesh spacing, which is
also the width each dense mode's |q_par| is spread over). Writes OUT/class_width.md.

Usage:
    validation/smm_class_width.py --run runs/alnsic_convergence_classes/14x14x9_12x12x4
        [--build build] [--out runs/smm_class_width] [--fractions 0.25 0.5 1 2]
        [--mpirun "mpirun -np 2"] [--temperature 620]

The default width (0: a quarter of the spacing) is listed with the others; the table gives the
interface drop, face jump, G, the dense sets' Landauer G (the bulk-free conductance of the
classes), the groups the transport modes carry and the wall time of each run. The
default width (0.25) must equal the run's own (the code's default_width_per_spacing).
"""
import argparse
import re
import shlex
import sys
import time
from pathlib import Path

from alnsic import REPO, summarize
from giftbte_common import run_checked as run

SPACING = re.compile(r"dense in-plane spacing ([0-9.e+-]+) 1/m")
DEFAULT = 0.25  # strain_classes.cc: default_width_per_spacing
CLASSES = re.compile(r"re-emission by (\d+) groups .* Landauer G of the dense sets ([0-9.e+-]+) MW")


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--run", required=True, help="a folder alnsic.py wrote (OUT of alnsic.py)")
    parser.add_argument("--build", default=str(REPO / "build"))
    parser.add_argument("--out", default=str(REPO / "runs" / "smm_class_width"))
    parser.add_argument("--fractions", type=float, nargs="+", default=[0.125, 0.249, 0.25, 0.251, 0.5, 1, 2],
                        help="class widths in units of the dense sets' in-plane spacing (0.249 and 0.251 "
                             "move the shell edges by a fraction of a transport mesh step: what the "
                             "placement of the edges among the transport modes' |q_par| does)")
    parser.add_argument("--mpirun", default="mpirun -np 2")
    parser.add_argument("--temperature", type=float, default=620)
    return parser.parse_args()


def run_case(args, template, work, out, name, width=None):
    """The case with `Class width` set (None: the code's default), its files taken from
    `work`; returns (drop, face jump, G, dense Landauer G, groups, wall, dense spacing)."""
    text = template
    if width is not None:
        text = text.replace("set Re-emission = classes",
                            f"set Re-emission = classes\n  set Class width = {width:.17g}")
    text = re.sub(r"(set File = ).*", rf"\g<1>{name}.h5", text)
    text = re.sub(r"(set (?:Files|Spectral files) = )(.*)", lambda m: m.group(1) + ", ".join(
        str((work / f.strip()).resolve()) for f in m.group(2).split(",")), text)
    (out / f"{name}.prm").write_text(text)
    start = time.time()
    run(shlex.split(args.mpirun) + [str(Path(args.build) / "kapitza"), f"{name}.prm"], out / f"{name}.log", cwd=out)
    wall = time.time() - start
    log = (out / f"{name}.log").read_text()
    groups, dense = CLASSES.search(log).groups()
    spacing = float(SPACING.search(log).group(1))
    r = summarize(out / f"{name}.h5")
    return r["drop"], r["jump"], 1e-6 / r["R"], float(dense), int(groups), wall, spacing


def main():
    args = parse_args()
    work = Path(args.run) / "work"
    case = work / f"smm-forward-{args.temperature:g}K.prm"
    if not case.is_file():
        sys.exit(f"smm_class_width.py: error: {case} is missing (run alnsic.py with --models smm)")
    template = case.read_text()
    if "set Re-emission = classes" not in template:
        sys.exit(f"smm_class_width.py: error: {case} does not use Re-emission = classes")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    default = run_case(args, template, work, out, "default")
    spacing = default[-1]
    rows = []
    for fraction in args.fractions:
        result = run_case(args, template, work, out, f"width-{fraction:g}", fraction * spacing)
        if fraction == DEFAULT and abs(result[0] / default[0] - 1) > 1e-12:
            sys.exit("smm_class_width.py: error: Class width = DEFAULT x the spacing does not reproduce the default "
                     f"({result[0]} against {default[0]} K): DEFAULT is not the code's default")
        rows.append((fraction, fraction * spacing) + result[:-1])
    lines = [f"# SMM class width at {args.run} ({args.temperature:g} K, forward)", "",
             f"Written by `validation/smm_class_width.py` from the runs in `{out}`. Dense in-plane spacing "
             f"{spacing:.4g} 1/m (each dense mode's |q_par| is spread by a Gaussian of this width); the default "
             f"width is {DEFAULT:g} of it. Change: from the narrowest width.", "",
             "| width / spacing | width [1/nm] | drop [K] | change | face jump [K] | G [MW/m^2K] | change | "
             "Landauer G dense [MW/m^2K] | groups | wall [s] |", "|---|---|---|---|---|---|---|---|---|---|"]
    ref = min(rows)
    for f, w, drop, jump, g, dense, groups, wall in rows:
        lines.append(f"| {f:g}{' (default)' if f == DEFAULT else ''} | {w * 1e-9:.3g} | {drop:.4g} | "
                     f"{100 * (drop / ref[2] - 1):+.1f} % | {jump:.4g} | {g:.4g} | {100 * (g / ref[4] - 1):+.1f} % | "
                     f"{dense:.4g} | {groups} | {wall:.0f} |")
    (out / "class_width.md").write_text("\n".join(lines) + "\n")
    print(f"wrote {out / 'class_width.md'}")


if __name__ == "__main__":
    main()
