#!/usr/bin/env bash
# kapitza-modes --temperature T1 T2 ...: one run writes one database per temperature (to
# --out with {T} replaced), each with the lifetimes, frequencies and provenance temperature
# of a run at that temperature alone; several temperatures without {T}, or with the full
# collision matrix, are refused in one line; with --cache every temperature is stored
# under the key of its single-temperature run, and only the missing ones are computed.
#
#   bash modes_temperatures.sh BUILD_DIR SOURCE_DIR [MPIRUN]      (ctest passes all three)
set -u
BUILD_DIR=$(cd "${1:?usage: modes_temperatures.sh BUILD_DIR SOURCE_DIR [MPIRUN]}" && pwd)
SOURCE_DIR=$(cd "${2:?usage: modes_temperatures.sh BUILD_DIR SOURCE_DIR [MPIRUN]}" && pwd)
MODES=$BUILD_DIR/kapitza-modes
PYTHON=/usr/bin/python3 # has h5py; the python3 first on PATH may not
OUT=$(mktemp -d "${TMPDIR:-/tmp}/kapitza-modes-temperatures.XXXXXX")
trap 'rm -rf "$OUT"' EXIT
cd "$OUT" || exit 1
fail() {
  echo "FAIL: $*"
  exit 1
}
[ -x "$MODES" ] || fail "$MODES is not built"
"$PYTHON" -c "import h5py, numpy" 2>/dev/null || fail "$PYTHON lacks h5py or numpy"

# modes LOG OPTIONS...: Si-PBEsol 3x3x3 with RTA lifetimes.
modes() {
  local log=$1
  shift
  "$MODES" --fc "$SOURCE_DIR/inputs/materials/Si-PBEsol" --mesh 3 3 3 --collision rta "$@" \
    >"$log" 2>&1 || fail "$log: $(cat "$log")"
}
# same A B: the databases hold the same modes, lifetimes and temperature.
same() {
  "$PYTHON" - "$1" "$2" <<'EOF' || fail "$1 differs from $2"
import sys
import h5py
import numpy as np
a, b = (h5py.File(name, "r") for name in sys.argv[1:3])
for key in ("omega", "tau", "velocity", "density"):
    x, y = a[key][()], b[key][()]
    assert x.shape == y.shape and np.all(np.abs(x - y) <= 1e-14 * np.abs(y)), key
assert a.attrs["temperature"] == b.attrs["temperature"]
assert set(a.keys()) == set(b.keys()), (sorted(a.keys()), sorted(b.keys()))
EOF
}
# refused WHAT OPTIONS...: exits non-zero with one line, before computing or writing anything.
refused() {
  local what=$1
  shift
  "$MODES" --fc "$SOURCE_DIR/inputs/materials/Si-PBEsol" --mesh 3 3 3 "$@" >refused.log 2>&1 &&
    fail "accepted $what"
  [ "$(wc -l <refused.log)" -eq 1 ] || fail "$what: not one line: $(cat refused.log)"
  ls ./*.h5 2>/dev/null | grep -q refused && fail "$what: wrote a file"
  echo "refused $what: $(cat refused.log)"
}

modes both.log --temperature 300 500 --out 'Si-{T}K.h5'
grep -q "per extra temperature" both.log || fail "no time per extra temperature: $(cat both.log)"
modes alone-300.log --temperature 300 --out alone-300.h5
modes alone-500.log --temperature 500 --out alone-500.h5
same Si-300K.h5 alone-300.h5
same Si-500K.h5 alone-500.h5
"$MODES" --kappa Si-500K.h5 | grep -qx "temperature = 500 K" || fail "provenance of Si-500K.h5"
echo "two temperatures in one run: the databases of single runs"

refused "several temperatures without {T}" --collision rta --temperature 300 500 --out refused.h5
refused "several temperatures with the full matrix" --collision full --temperature 300 500 \
  --out 'refused-{T}.h5'

# The cache: a single-temperature request hits the entry of a multi-temperature run, and a
# multi-temperature run computes only the temperatures it lacks.
modes cache-a.log --cache cache --temperature 300 400 --out 'a-{T}.h5'
modes cache-b.log --cache cache --temperature 400 --out b-400.h5
grep -q "from the cache" cache-b.log || fail "400 K alone was not served from the cache"
cmp -s a-400.h5 b-400.h5 || fail "the cached 400 K database differs"
modes cache-c.log --cache cache --temperature 300 400 500 --out 'c-{T}.h5'
[ "$(grep -c "from the cache" cache-c.log)" -eq 2 ] || fail "300 and 400 K not from the cache"
grep -q "rates at 1 temperature" cache-c.log || fail "computed more than 500 K: $(cat cache-c.log)"
same c-500.h5 alone-500.h5
modes cache-d.log --cache cache --temperature 300 400 500 --out 'd-{T}.h5'
[ "$(grep -c "from the cache" cache-d.log)" -eq 3 ] && ! grep -q scattering cache-d.log ||
  fail "all cached, yet computed: $(cat cache-d.log)"
[ "$(ls cache | wc -l)" -eq 3 ] || fail "expected 3 cache entries: $(ls cache)"
echo "modes_temperatures: OK"
