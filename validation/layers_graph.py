#!/usr/bin/python3
"""The dependency graph of kapitza's CMake targets, from CMake itself.

    validation/layers_graph.py [--build build] [--out runs/layers]   (docs/layers.*: the reference copy)

Runs `cmake --graphviz` on a configured build folder, keeps the project's own targets
(kapitza*), checks that the graph has no cycle (exit 1 if it has one) and writes
OUT/layers.dot and OUT/layers.md (the edges, each target's layer and its sources' folder);
with Graphviz's `dot` on the PATH also OUT/layers.png.
"""
import argparse
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile


def project_graph(build):
    with tempfile.TemporaryDirectory() as work:
        dot = pathlib.Path(work) / "all.dot"
        subprocess.run(["cmake", f"--graphviz={dot}", str(build.resolve())], cwd=work, check=True,
                       stdout=subprocess.DEVNULL)
        text = dot.read_text()
    labels = dict(re.findall(r'"(node\d+)" \[ label = "([^"]+)"', text))
    edges = set()
    for a, b in re.findall(r'"(node\d+)" -> "(node\d+)"', text):
        if labels[a].startswith("kapitza") and labels[b].startswith("kapitza") and labels[a] != labels[b]:
            edges.add((labels[a], labels[b]))
    nodes = {n for n in labels.values() if n.startswith("kapitza")}
    return nodes, edges


def layers(nodes, edges):
    """Longest path from the bottom: 0 for targets that link no project target. None on a cycle."""
    depth, remaining = {}, set(nodes)
    while remaining:
        ready = [n for n in remaining if all(b in depth for a, b in edges if a == n)]
        if not ready:
            return None
        for n in ready:
            depth[n] = max([depth[b] + 1 for a, b in edges if a == n], default=0)
            remaining.discard(n)
    return depth


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build", type=pathlib.Path)
    parser.add_argument("--out", default="runs/layers", type=pathlib.Path)  # docs/layers.*: the reference copy
    args = parser.parse_args()
    nodes, edges = project_graph(args.build)
    depth = layers(nodes, edges)
    if depth is None:
        sys.exit("error: the target graph has a cycle: " + ", ".join(f"{a} -> {b}" for a, b in sorted(edges)))
    args.out.mkdir(parents=True, exist_ok=True)
    lines = ["digraph kapitza_layers {", "  rankdir = TB;", "  node [shape = box, fontsize = 11];"]
    for level in sorted(set(depth.values())):
        same = " ".join(f'"{n}";' for n in sorted(nodes) if depth[n] == level)
        lines.append(f"  {{ rank = same; {same} }}")
    lines += [f'  "{a}" -> "{b}";' for a, b in sorted(edges)] + ["}"]
    (args.out / "layers.dot").write_text("\n".join(lines) + "\n")
    rows = ["# Layers: the CMake targets and what they link", "",
            "Written by `validation/layers_graph.py` from `cmake --graphviz` of the build; a target",
            "links only targets of lower layers (layer 0 links no project target). The graph has",
            "no cycle (the script exits 1 if it has one); `tests/programs/layers.sh` (ctest",
            "`program.layers`) checks the same order for every `#include`.", "",
            "| layer | target | links (project targets) |", "|---|---|---|"]
    for n in sorted(nodes, key=lambda n: (depth[n], n)):
        linked = ", ".join(sorted(b for a, b in edges if a == n)) or "-"
        rows.append(f"| {depth[n]} | `{n}` | {linked} |")
    if shutil.which("dot"):
        subprocess.run(["dot", "-Tpng", "-o", str(args.out / "layers.png"), str(args.out / "layers.dot")], check=True)
        rows += ["", "![target graph](layers.png)"]
    (args.out / "layers.md").write_text("\n".join(rows) + "\n")
    print(f"{len(nodes)} targets, {len(edges)} edges, {max(depth.values()) + 1} layers, no cycle")


if __name__ == "__main__":
    main()
