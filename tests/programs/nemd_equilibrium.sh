#!/usr/bin/env bash
# The NEMD modal pipeline end to end (validation/nemd/run.py --ci, LAMMPS from Debian's
# python3-lammps): a 448-atom Si | heavy-Si bar in equilibrium at 300 K, whose slab modal
# temperatures (velocities projected on kapitza-modes' eigenvectors) must recover the bath
# temperature and equipartition mode by mode within their block errors, and a 64-atom
# periodic box at 30 K whose modes must hold equal potential and kinetic energy (the
# eigenvectors are the normal modes of the MD potential). About 10 s of CPU.
#
#   bash nemd_equilibrium.sh BUILD_DIR SOURCE_DIR [MPIRUN]   (ctest passes all three)
set -eu
BUILD_DIR=$(cd "$1" && pwd)
SOURCE_DIR=$(cd "$2" && pwd)
OUT=$(mktemp -d "${TMPDIR:-/tmp}/kapitza-nemd.XXXXXX")
trap 'rm -rf "$OUT"' EXIT
/usr/bin/python3 "$SOURCE_DIR/validation/nemd/run.py" --ci --build "$BUILD_DIR" --out "$OUT"
