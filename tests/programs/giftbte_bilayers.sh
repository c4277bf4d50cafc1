#!/usr/bin/env bash
# Peer benchmark in CI: the Ge|Si bilayers of GiftBTE (inputs/giftbte, 20/50/220 nm) must
# converge and match the reference profiles within 2e-3.
#
#   bash giftbte_bilayers.sh BUILD_DIR SOURCE_DIR [MPIRUN]   (ctest passes all three)
set -eu
BUILD_DIR=$(cd "$1" && pwd)
SOURCE_DIR=$(cd "$2" && pwd)
OUT=$(mktemp -d "${TMPDIR:-/tmp}/kapitza-giftbte-bilayers.XXXXXX")
trap 'rm -rf "$OUT"' EXIT
/usr/bin/python3 "$SOURCE_DIR/validation/benchmark_giftbte_bilayers.py" --kapitza "$BUILD_DIR/kapitza" \
  --material-tool "$BUILD_DIR/kapitza-material" --data "$SOURCE_DIR/inputs/giftbte" --out "$OUT" --check
