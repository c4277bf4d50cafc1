#!/usr/bin/env bash
# validation/nanoparticle_transient.py on a tiny nanoparticle (q-mesh 4^3, the 7-cell ball,
# 3 events, 12 recorded steps): the steady run and the two transients (dt and dt/2) run and
# converge, the report and its figure are written and copied, every event has a closest
# time in the table, and a second call reads the runs again instead of rerunning them.
#
#   bash nanoparticle_transient.sh BUILD_DIR SOURCE_DIR [MPIRUN]      (ctest passes all three)

set -u
BUILD_DIR=$(cd "${1:?usage: nanoparticle_transient.sh BUILD_DIR SOURCE_DIR [MPIRUN]}" && pwd)
SOURCE_DIR=$(cd "${2:?usage: nanoparticle_transient.sh BUILD_DIR SOURCE_DIR [MPIRUN]}" && pwd)
MPIRUN=${3:-mpirun}
NAME=nanoparticle-transient
source "$(dirname "${BASH_SOURCE[0]}")/setup.bash"

tiny=(--build "$BUILD_DIR" --out np --qmesh 4 --refinements 0 --events 3 --end-time 2e-11 --outputs 12
  --mpirun "$MPIRUN -np 2" --copy-to copy)
"$PYTHON" "$SOURCE_DIR/validation/nanoparticle_transient.py" "${tiny[@]}" >first.log 2>&1 ||
  fail "nanoparticle_transient.py: $(tail -3 first.log)"
[ "$(grep -c "^nanoparticle_transient.py: running the transient" first.log)" -eq 2 ] ||
  fail "expected two transient runs: $(cat first.log)"
for file in README.md transient_events.png; do
  [ -s "np/$file" ] && cmp -s "np/$file" "copy/$file" || fail "$file not written to np/ and copied"
done
[ "$(grep -cE "^\| [0-9]+ \| " np/README.md)" -eq 3 ] || fail "README.md lacks a row per event: $(cat np/README.md)"
"$PYTHON" "$SOURCE_DIR/validation/nanoparticle_transient.py" "${tiny[@]}" >second.log 2>&1 ||
  fail "nanoparticle_transient.py (again): $(tail -3 second.log)"
! grep -q "running" second.log || fail "the second call ran kapitza again"
echo "ok: nanoparticle_transient.py"
