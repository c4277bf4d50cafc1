#!/usr/bin/env bash
# Si/Ge (Tersoff force constants, RTA lifetimes from kapitza-modes, 8^3 q-mesh): the 1D
# bilayer with DMM and with SMM (and SMM's parts); both conductances must lie in the
# published Si/Ge range (NEMD and Green's functions, 250-500 MW/m^2K), and SMM's resistance
# must exceed DMM's (the recursive-pBTE paper's ordering).
#
#   bash si_ge_interface.sh BUILD_DIR SOURCE_DIR [MPIRUN]   (ctest passes all three)
set -eu
BUILD_DIR=$(cd "$1" && pwd)
SOURCE_DIR=$(cd "$2" && pwd)
OUT=$(mktemp -d "${TMPDIR:-/tmp}/kapitza-si-ge.XXXXXX")
trap 'rm -rf "$OUT"' EXIT
/usr/bin/python3 "$SOURCE_DIR/validation/si_ge_interface.py" --build "$BUILD_DIR" --out "$OUT" --check --expect-smm-larger --decompose
