#!/usr/bin/python3
"""Forward/reverse check of interface resistances (thermal rectification).

Usage:
    validation/forward_reverse.py INPUT.prm [--kapitza build/kapitza]
        [--mpirun "mpirun -np 2"]

INPUT.prm is a layer case with at least one interface and thermalizing Left and
Right walls.  Beside it (relative paths in an input are relative to its folder)
the script writes
    <stem>-forward.prm   the input as is, Output/File = <stem>-forward.h5
    <stem>-reverse.prm   Left and Right wall temperatures swapped,
                         Output/File = <stem>-reverse.h5
runs kapitza on both (logs <stem>-forward.log, <stem>-reverse.log), reads every
group under interfaces/ of the two results files and prints, and writes to
<stem>-rectification.md, one row per interface: R forward/reverse [m^2K/W],
G forward/reverse [MW/m^2K], heat flux forward/reverse [W/m^2] and the
rectification ratio (R_forward - R_reverse) / min(|R|) [%].

Swapping the walls reverses the heat flux; the resistance dT/q keeps its sign.
Both are checked.  In the linearized BTE the ratio must vanish (no rectification
in linear response) up to the solver tolerance.

Exit status: 2 if a run fails, a results file lacks interfaces or the input is
not a two-thermalizing-wall case; 1 if the sign check fails; 0 otherwise.
"""
import argparse
import re
import shlex
import subprocess
import sys
from pathlib import Path

import h5py

REPO = Path(__file__).resolve().parents[1]
SET_LINE = re.compile(r"^(\s*)set\s+(.+?)\s*=\s*(.*?)\s*$")


def fail(message):
    print("error: " + message, file=sys.stderr)
    sys.exit(2)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("input", type=Path, help="layer case with thermalizing Left/Right walls")
    p.add_argument("--kapitza", type=Path, default=REPO / "build/kapitza",
                   help="solver executable")
    p.add_argument("--mpirun", default="", help='launcher prefix, e.g. "mpirun -np 2"')
    return p.parse_args()


def strip_comment(line):
    return line.split("#", 1)[0].rstrip()


def walk(lines):
    """Yield (index, section path tuple, stripped line) for every line."""
    path = []
    for i, raw in enumerate(lines):
        line = strip_comment(raw).strip()
        if line.startswith("subsection "):
            path.append(line[len("subsection "):].strip())
        elif line == "end" and path:
            path.pop()
        yield i, tuple(path), line


def find_set(lines, section, key):
    """Index and value of 'set KEY = value' directly inside SECTION (a tuple)."""
    for i, path, line in walk(lines):
        m = SET_LINE.match(line)
        if path == section and m and m.group(2) == key:
            return i, m.group(3)
    return None, None


def replace_value(lines, i, key, value):
    indent = re.match(r"^\s*", lines[i]).group(0)
    lines[i] = f"{indent}set {key} = {value}\n"


def wall_lines(lines):
    """Line indices and values of Boundaries/Left and /Right; both must be thermalizing."""
    walls = {}
    for side in ("Left", "Right"):
        i, value = find_set(lines, ("Boundaries",), side)
        if i is None or not re.fullmatch(r"thermalizing\s+\S+", value):
            fail(f"Boundaries/{side} must be 'thermalizing T' (found {value!r})")
        walls[side] = (i, value)
    return walls


def set_output_file(lines, name):
    """Set Output/File = name, adding the line (or the subsection) if missing."""
    i, _ = find_set(lines, ("Output",), "File")
    if i is not None:
        replace_value(lines, i, "File", name)
        return
    for j, path, line in walk(lines):
        if path == ("Output",) and line.startswith("subsection "):
            lines.insert(j + 1, f"  set File = {name}\n")
            return
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    lines += ["subsection Output\n", f"  set File = {name}\n", "end\n"]


def write_variants(src):
    """Write <stem>-forward.prm and <stem>-reverse.prm beside src; return the two
    (prm path, results path) pairs and the forward wall values."""
    lines = src.read_text().splitlines(keepends=True)
    walls = wall_lines(lines)
    runs = {}
    for kind in ("forward", "reverse"):
        copy = list(lines)
        if kind == "reverse":
            (i_l, left), (i_r, right) = walls["Left"], walls["Right"]
            replace_value(copy, i_l, "Left", right)
            replace_value(copy, i_r, "Right", left)
        results = src.parent / f"{src.stem}-{kind}.h5"
        set_output_file(copy, results.name)
        prm = src.parent / f"{src.stem}-{kind}.prm"
        prm.write_text("".join(copy))
        runs[kind] = (prm, results)
    return runs, (walls["Left"][1], walls["Right"][1])


def run_case(args, prm, results):
    """Run kapitza on prm (cwd = its folder); exit 2 on failure."""
    results.unlink(missing_ok=True)  # never read a stale file
    log = prm.with_suffix(".log")
    cmd = shlex.split(args.mpirun) + [str(args.kapitza), prm.name]
    print("running: " + " ".join(cmd) + f"  (log {log.name})", flush=True)
    with open(log, "w") as out:
        code = subprocess.call(cmd, cwd=prm.parent, stdout=out, stderr=subprocess.STDOUT)
    if code != 0 or not results.exists():
        fail(f"{prm.name} failed (exit {code}), see {log}")


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def read_interfaces(path):
    """List of dicts, one per group under interfaces/ (sorted by index)."""
    with h5py.File(path, "r") as f:
        if "interfaces" not in f or len(f["interfaces"]) == 0:
            fail(f"{path} has no interfaces")
        rows = []
        for name in sorted(f["interfaces"], key=int):
            a = f["interfaces"][name].attrs
            row = {k: float(a[k]) for k in ("position", "temperature_drop",
                                            "face_temperature_jump", "heat_flux",
                                            "resistance", "conductance")}
            row["name"] = name
            row["materials"] = "->".join(text(m) for m in a["materials"])
            rows.append(row)
        return rows


def compare(fwd, rev):
    """One row per interface: values, ratio [%] and the sign check."""
    if [r["materials"] for r in fwd] != [r["materials"] for r in rev]:
        fail("forward and reverse results hold different interfaces")
    rows = []
    for f, r in zip(fwd, rev):
        ratio = 100 * (f["resistance"] - r["resistance"]) / min(
            abs(f["resistance"]), abs(r["resistance"]))
        flux_flips = f["heat_flux"] * r["heat_flux"] < 0
        same_sign = f["resistance"] * r["resistance"] > 0
        rows.append({"f": f, "r": r, "ratio": ratio, "ok": flux_flips and same_sign,
                     "flux_flips": flux_flips, "same_sign": same_sign})
    return rows


def table(rows):
    out = ["| interface | position [nm] | R forward [m^2K/W] | R reverse [m^2K/W] "
           "| G forward [MW/m^2K] | G reverse [MW/m^2K] | q forward [W/m^2] "
           "| q reverse [W/m^2] | rectification [%] | q flips, R keeps sign |",
           "|---|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        f, r = row["f"], row["r"]
        check = "yes" if row["ok"] else (
            f"NO (q flips: {row['flux_flips']}, R same sign: {row['same_sign']})")
        out.append(f"| {f['name']} {f['materials']} | {f['position'] * 1e9:.3f} "
                   f"| {f['resistance']:.6e} | {r['resistance']:.6e} "
                   f"| {f['conductance'] / 1e6:.4f} | {r['conductance'] / 1e6:.4f} "
                   f"| {f['heat_flux']:.6e} | {r['heat_flux']:.6e} "
                   f"| {row['ratio']:+.3e} | {check} |")
    return "\n".join(out) + "\n"


def write_report(src, walls, runs, body):
    header = (f"# Forward/reverse interface resistance: {src.name}\n\n"
              f"forward: Left = {walls[0]}, Right = {walls[1]} "
              f"(`{runs['forward'][0].name}` -> `{runs['forward'][1].name}`)  \n"
              f"reverse: Left = {walls[1]}, Right = {walls[0]} "
              f"(`{runs['reverse'][0].name}` -> `{runs['reverse'][1].name}`)  \n"
              "rectification = (R_forward - R_reverse) / min(|R|)\n\n")
    path = src.parent / f"{src.stem}-rectification.md"
    path.write_text(header + body)
    return path


def main():
    args = parse_args()
    src = args.input.resolve()
    if not src.is_file():
        fail(f"{args.input} is not a file")
    args.kapitza = args.kapitza.resolve()  # runs use cwd = the input's folder
    (src.parent / f"{src.stem}-rectification.md").unlink(missing_ok=True)  # no stale report
    runs, walls = write_variants(src)
    for prm, results in runs.values():
        run_case(args, prm, results)
    rows = compare(read_interfaces(runs["forward"][1]), read_interfaces(runs["reverse"][1]))
    body = table(rows)
    print(body, end="")
    print(f"written: {write_report(src, walls, runs, body)}")
    if not all(row["ok"] for row in rows):
        print("check failed: the heat flux must change sign and R = dT/q keep its sign",
              file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
