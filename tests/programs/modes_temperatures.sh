#!/usr/bin/env bash
# kapitza-modes --temperature T1 T2 ...: one run writes one database per temperature (to
# --out with {T} replaced), each with the lifetimes (or full collision matrix), frequencies
# and provenance temperature of a run at that temperature alone, and prints the time per
# extra temperature; several temperatures without {T} are refused in one line; with
# --cache every temperature is stored under the key of its single-temperature run, and
# only the missing ones are computed (rta and full).
#
#   bash modes_temperatures.sh BUILD_DIR SOURCE_DIR [MPIRUN]      (ctest passes all three)
set -u
NAME=modes_temperatures
source "$(dirname "$0")/modes_setup.bash"

# modes LOG COLLISION OPTIONS...: Si-PBEsol 3x3x3 with RTA lifetimes or the full matrix.
modes() {
  local log=$1 collision=$2
  shift 2
  "$MODES" --fc "$SOURCE_DIR/inputs/materials/Si-PBEsol" --mesh 3 3 3 --collision "$collision" "$@" \
    >"$log" 2>&1 || fail "$log: $(cat "$log")"
}
# same A B [DATASET...]: the databases hold the same modes, lifetimes, temperature and the
# DATASETs (e.g. collision). A run at several temperatures does the arithmetic of each
# single-temperature run in the same order, so the values agree to round-off: 1e-14
# relative, entry by entry.
same() {
  "$PYTHON" - "$@" <<'EOF' || fail "$1 differs from $2"
import sys
import h5py
import numpy as np
a, b = (h5py.File(name, "r") for name in sys.argv[1:3])
for key in ("omega", "tau", "velocity", "density", *sys.argv[3:]):
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

modes both.log rta --temperature 300 500 --out 'Si-{T}K.h5'
grep -q "rates at 2 temperature(s): .* s per extra temperature" both.log ||
  fail "no time per extra temperature: $(cat both.log)"
modes alone-300.log rta --temperature 300 --out alone-300.h5
modes alone-500.log rta --temperature 500 --out alone-500.h5
same Si-300K.h5 alone-300.h5
same Si-500K.h5 alone-500.h5
"$MODES" --kappa Si-500K.h5 | grep -qx "temperature = 500 K" || fail "provenance of Si-500K.h5"
echo "two temperatures in one run: the databases of single runs"

# The full matrix: every row's |V|^2 and delta weights serve the sums of both temperatures.
modes full-both.log full --temperature 300 500 --out 'F-{T}.h5'
grep -q "collision matrices at 2 temperature(s): .* s per extra temperature" full-both.log ||
  fail "no time per extra temperature of the matrices: $(cat full-both.log)"
modes full-300.log full --temperature 300 --out full-300.h5
modes full-500.log full --temperature 500 --out full-500.h5
same F-300.h5 full-300.h5 collision
same F-500.h5 full-500.h5 collision
"$MODES" --kappa F-500.h5 | grep -qx "temperature = 500 K" || fail "provenance of F-500.h5"
echo "two temperatures of the full matrix in one run: the databases of single runs"

refused "several temperatures without {T}" --collision rta --temperature 300 500 --out refused.h5

# The cache: a single-temperature request hits the entry of a multi-temperature run, and a
# multi-temperature run computes only the temperatures it lacks.
# cache_checks COLLISION WHAT ALONE_500 [DATASET...]: in cache/COLLISION; WHAT is how the
# run names what it computed per temperature, ALONE_500 the database of a 500 K run.
cache_checks() {
  local collision=$1 what=$2 alone=$3 cache=cache/$1
  shift 3
  modes cache-a.log "$collision" --cache "$cache" --temperature 300 400 --out 'a-{T}.h5'
  modes cache-b.log "$collision" --cache "$cache" --temperature 400 --out b-400.h5
  grep -q "from the cache" cache-b.log || fail "$collision: 400 K alone was not served from the cache"
  cmp -s a-400.h5 b-400.h5 || fail "$collision: the cached 400 K database differs"
  modes cache-c.log "$collision" --cache "$cache" --temperature 300 400 500 --out 'c-{T}.h5'
  [ "$(grep -c "from the cache" cache-c.log)" -eq 2 ] || fail "$collision: 300 and 400 K not from the cache"
  grep -q "$what at 1 temperature" cache-c.log || fail "$collision: computed more than 500 K: $(cat cache-c.log)"
  same c-500.h5 "$alone" "$@"
  modes cache-d.log "$collision" --cache "$cache" --temperature 300 400 500 --out 'd-{T}.h5'
  [ "$(grep -c "from the cache" cache-d.log)" -eq 3 ] && ! grep -q scattering cache-d.log ||
    fail "$collision: all cached, yet computed: $(cat cache-d.log)"
  [ "$(ls "$cache" | wc -l)" -eq 3 ] || fail "$collision: expected 3 cache entries: $(ls "$cache")"
  echo "$collision: every temperature cached under its single-temperature key"
}
cache_checks rta rates alone-500.h5
cache_checks full "collision matrices" full-500.h5 collision
echo "modes_temperatures: OK"
