#!/usr/bin/python3
"""Writes pore.msh (Gmsh 2.2 ASCII): a square Si cell of side L with a centred square pore.

A structured N x N grid of quadrilaterals with the middle block of P x P cells removed.
Physical surface tag 0 (material index 0, Si); physical line tags are kapitza's boundary
ids: 0 Left (x = 0), 1 Right (x = L), 2 the top, bottom and pore walls (Lateral).
Usage: make_mesh.py [--side L] [--cells N] [--pore P] [--out pore.msh]
"""
import argparse
import sys


def build(side, cells, pore):
    h = side / cells
    first = (cells - pore) // 2
    in_pore = lambda i, j: first <= i < first + pore and first <= j < first + pore
    node = lambda i, j: j * (cells + 1) + i + 1
    nodes = [(node(i, j), i * h, j * h) for j in range(cells + 1) for i in range(cells + 1)]
    quads = [(node(i, j), node(i + 1, j), node(i + 1, j + 1), node(i, j + 1))
             for j in range(cells) for i in range(cells) if not in_pore(i, j)]
    solid = lambda i, j: 0 <= i < cells and 0 <= j < cells and not in_pore(i, j)
    lines = []  # (tag, a, b): every edge with a solid cell on one side only
    for j in range(cells):
        for i in range(cells + 1):  # vertical edges between cells (i-1, j) and (i, j)
            if solid(i - 1, j) != solid(i, j):
                tag = 0 if i == 0 else 1 if i == cells else 2
                lines.append((tag, node(i, j), node(i, j + 1)))
    for j in range(cells + 1):
        for i in range(cells):  # horizontal edges between cells (i, j-1) and (i, j)
            if solid(i, j - 1) != solid(i, j):
                lines.append((2, node(i, j), node(i + 1, j)))
    return nodes, quads, lines


def write(path, nodes, quads, lines):
    with open(path, "w") as out:
        out.write("$MeshFormat\n2.2 0 8\n$EndMeshFormat\n$Nodes\n%d\n" % len(nodes))
        for n, x, y in nodes:
            out.write("%d %.10g %.10g 0\n" % (n, x, y))
        out.write("$EndNodes\n$Elements\n%d\n" % (len(lines) + len(quads)))
        k = 0
        for tag, a, b in lines:
            k += 1
            out.write("%d 1 2 %d %d %d %d\n" % (k, tag, tag + 1, a, b))
        for q in quads:
            k += 1
            out.write("%d 3 2 0 10 %d %d %d %d\n" % ((k,) + q))
        out.write("$EndElements\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--side", type=float, default=1e-7, help="cell side L [m]")
    parser.add_argument("--cells", type=int, default=20, help="cells per side N")
    parser.add_argument("--pore", type=int, default=8, help="pore side in cells P")
    parser.add_argument("--out", default="pore.msh")
    args = parser.parse_args()
    if not (args.side > 0 and args.cells > 0 and 0 <= args.pore <= args.cells - 2
            and (args.cells - args.pore) % 2 == 0):
        sys.exit("make_mesh.py: error: need L > 0, N > 0, 0 <= P <= N - 2 and N - P even")
    write(args.out, *build(args.side, args.cells, args.pore))


if __name__ == "__main__":
    main()
