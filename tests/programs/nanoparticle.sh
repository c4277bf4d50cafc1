#!/usr/bin/env bash
# validation/nanoparticle.py on a tiny version of the nanoparticle (q-mesh 4^3, the 7- and
# 56-cell balls, 3 events; the 7-cell ball also with the full collision matrix on one rank,
# with curved cells and with the crystal turned against the mesh, the 56-cell one also on
# one rank) and validation/heat_equation_ball.py --self-test:
# - the heat equation's radial quadrature reproduces its two closed forms (gaussian and
#   uniform source) to 1e-6;
# - nanoparticle.py --check: both runs converge, the source power equals the wall outflow
#   to 1e-10 and the surface arrivals (events plus remainder) equal the outflow to 1e-12;
#   the report and its figures are written; a second call reads the runs again instead of
#   rerunning them (same input).
#
#   bash nanoparticle.sh BUILD_DIR SOURCE_DIR [MPIRUN]      (ctest passes all three)

set -u
BUILD_DIR=$(cd "${1:?usage: nanoparticle.sh BUILD_DIR SOURCE_DIR [MPIRUN]}" && pwd)
SOURCE_DIR=$(cd "${2:?usage: nanoparticle.sh BUILD_DIR SOURCE_DIR [MPIRUN]}" && pwd)
MPIRUN=${3:-mpirun}
NAME=nanoparticle
source "$(dirname "${BASH_SOURCE[0]}")/setup.bash"

out=$("$PYTHON" "$SOURCE_DIR/validation/heat_equation_ball.py" --self-test 2>&1) ||
  fail "heat_equation_ball.py --self-test: $out"
echo "$out"

tiny=(--build "$BUILD_DIR" --out np --qmesh 4 --refinements 0 1 --main 4 1 --events 3 --extra --full 4:0:1
  --curved 4:0 --turned 4:0 --single-rank "$MPIRUN -np 1" --mpirun "$MPIRUN -np 2" --copy-to copy --check)
"$PYTHON" "$SOURCE_DIR/validation/nanoparticle.py" "${tiny[@]}" >first.log 2>&1 ||
  fail "nanoparticle.py: $(tail -3 first.log)"
grep "check ok" first.log || fail "nanoparticle.py printed no check line"
[ "$(grep -c "^nanoparticle.py: running" first.log)" -eq 6 ] || fail "expected six runs: $(cat first.log)"
for file in README.md profile_fourier.png convergence.png radial_temperature.png surface_map.png; do
  [ -s "np/$file" ] && cmp -s "np/$file" "copy/$file" || fail "$file not written to np/ and copied"
done
[ "$(grep -c "^| 4^3 | 381 | rta | 2 | [01] | [0-9]* | 1 | aligned |" np/README.md)" -eq 2 ] || fail "README.md lacks the two RTA runs"
[ "$(grep -c "^| 4^3 | 381 | full | 1 | 0 | 7 | 1 | aligned |" np/README.md)" -eq 1 ] || fail "README.md lacks the full-matrix run"
[ "$(grep -c "^| 4^3 | 381 | rta | 1 | 1 | 56 | 1 |" np/README.md)" -eq 1 ] || fail "README.md lacks the one-rank run"
[ "$(grep -c "^| 4^3 | 381 | rta | 2 | 0 | 7 | 2 |" np/README.md)" -eq 1 ] || fail "README.md lacks the curved run"
[ "$(grep -c "^| 4^3 | 381 | rta | 2 | 0 | 7 | 1 | turned |" np/README.md)" -eq 1 ] || fail "README.md lacks the turned run"
[ -s copy/curved/surface_map.png ] || fail "the curved run's surface map was not copied"
[ -s copy/turned/surface_map.png ] || fail "the turned run's surface map was not copied"
grep -q "^| 4^3 | 7 | 1 1 0, -1 1 0 | .* | [-+][0-9.]* | [-+][0-9.]* | [0-9.]* | " np/README.md ||
  fail "README.md lacks the turned run's cubic-harmonic fit"
grep -q "^| 4^3 | 7 | .* | .* | .* | .* | .* | .* |$" np/README.md || fail "README.md lacks the full-matrix comparison"
"$PYTHON" "$SOURCE_DIR/validation/nanoparticle.py" "${tiny[@]}" >second.log 2>&1 ||
  fail "nanoparticle.py (again): $(tail -3 second.log)"
! grep -q "^nanoparticle.py: running" second.log || fail "the second call ran kapitza again"
echo "ok: nanoparticle.py"
