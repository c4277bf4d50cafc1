#!/usr/bin/env bash
# The whole AlN/SiC flagship pipeline (validation/alnsic.py: kapitza-modes databases,
# gradient calibration, DMM and SMM, forward and reverse, synthetic EELS, report) on a
# tiny configuration: 200 nm + 200 nm, 40 cells per layer, T0 = 620 K, q-meshes 4x4x2
# (AlN) and 3x3x2 (SiC: a single q-plane along c, 3x3x1, has no velocity along c). The
# physics checks on the written files are alnsic_pipeline.py; bad options of the driver
# must stop it with one error line. The output stays in BUILD_DIR/alnsic_pipeline.
#
#   bash alnsic_pipeline.sh BUILD_DIR SOURCE_DIR [MPIRUN]      (ctest passes all three)

set -u
BUILD_DIR=$(cd "${1:?usage: alnsic_pipeline.sh BUILD_DIR SOURCE_DIR [MPIRUN]}" && pwd)
SOURCE_DIR=$(cd "${2:?usage: alnsic_pipeline.sh BUILD_DIR SOURCE_DIR [MPIRUN]}" && pwd)
MPIRUN=${3:-}
PYTHON=/usr/bin/python3
DRIVER=$SOURCE_DIR/validation/alnsic.py
OUT=$BUILD_DIR/alnsic_pipeline
T0=620
GRADIENT=180 # K/um

fail() {
  echo "FAIL: $*"
  exit 1
}

# expect_error NAME OPTIONS...: the driver exits non-zero with exactly one stderr line
# "alnsic.py: error: ..." and creates no output folder.
expect_error() {
  local name=$1
  shift
  local out=$OUT/bad-$name
  "$PYTHON" "$DRIVER" --out "$out" "$@" >"$OUT/bad-$name.stdout" 2>"$OUT/bad-$name.stderr" &&
    fail "$name: alnsic.py $* succeeded"
  [ "$(wc -l <"$OUT/bad-$name.stderr")" -eq 1 ] && grep -q '^alnsic.py: error: ' "$OUT/bad-$name.stderr" ||
    fail "$name: expected one line 'alnsic.py: error: ...', got: $(cat "$OUT/bad-$name.stderr")"
  [ ! -e "$out" ] || fail "$name: the failed run created $out"
  echo "$name: $(cat "$OUT/bad-$name.stderr")"
}

rm -rf "$OUT"
mkdir -p "$OUT" || fail "cannot create $OUT"
expect_error no-build --build "$OUT/no-such-build"
expect_error zero-gradient --build "$BUILD_DIR" --gradient 0
expect_error negative-gradient --build "$BUILD_DIR" --gradient -180
expect_error thin-layer --build "$BUILD_DIR" --layer 50e-9
expect_error model --build "$BUILD_DIR" --models dmm xmm
expect_error reference --build "$BUILD_DIR" --out "$SOURCE_DIR/validation/alnsic"
expect_error lifetimes-alone --build "$BUILD_DIR" --lifetimes-mesh-aln 4 4 2
expect_error lifetimes-full --build "$BUILD_DIR" --lifetimes-mesh-aln 4 4 2 --lifetimes-mesh-sic 3 3 2 \
  --collision-matrix full

mpirun_option=()
[ -n "$MPIRUN" ] && mpirun_option=(--mpirun "$MPIRUN -np 2")
start=$SECONDS
"$PYTHON" "$DRIVER" --build "$BUILD_DIR" --out "$OUT/run" --temperatures $T0 --models dmm smm --weights dos \
  --mesh-aln 4 4 2 --mesh-sic 3 3 2 --spectral-mesh-aln 8 8 5 --spectral-mesh-sic 8 8 3 \
  --layer 200e-9 --cells 40 --gradient $GRADIENT \
  "${mpirun_option[@]}" >"$OUT/run.log" 2>&1 || fail "alnsic.py failed: $(tail -5 "$OUT/run.log")"
echo "pipeline: $((SECONDS - start)) s"
"$PYTHON" "$SOURCE_DIR/tests/programs/alnsic_pipeline.py" "$OUT/run" $T0 $GRADIENT ||
  fail "physics checks of $OUT/run"
