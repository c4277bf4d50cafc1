#!/usr/bin/env bash
# Peer benchmark in CI: the Si cross-plane films of GiftBTE (inputs/giftbte) must match
# the analytic kappa_eff within 0.5 % and the reference profiles within 5e-3.
#
#   bash giftbte_films.sh BUILD_DIR SOURCE_DIR [MPIRUN]      (ctest passes all three)
set -eu
BUILD_DIR=$(cd "$1" && pwd)
SOURCE_DIR=$(cd "$2" && pwd)
OUT=$(mktemp -d "${TMPDIR:-/tmp}/kapitza-giftbte.XXXXXX")
trap 'rm -rf "$OUT"' EXIT
/usr/bin/python3 "$SOURCE_DIR/validation/benchmark_giftbte_films.py" --kapitza "$BUILD_DIR/kapitza" \
  --material-tool "$BUILD_DIR/kapitza-material" --data "$SOURCE_DIR/inputs/giftbte" --out "$OUT" --check
