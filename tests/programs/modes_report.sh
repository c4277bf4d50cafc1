#!/usr/bin/env bash
# What kapitza-modes prints while it runs: the memory estimate (checked against the peak it
# measures, also of full matrices at several temperatures), the three-phonon progress (a line per tenth of this rank's q-points, with an
# ETA until the last), rank 0 alone under mpirun, the wall times of the steps after a
# successful run, and with a collision matrix the relaxation-time kappa of its diagonal
# under its own label (it is not the --collision rta kappa).
#
#   bash modes_report.sh BUILD_DIR SOURCE_DIR [MPIRUN]      (ctest passes all three)

set -u
BUILD_DIR=$(cd "${1:?usage: modes_report.sh BUILD_DIR SOURCE_DIR [MPIRUN]}" && pwd)
SOURCE_DIR=$(cd "${2:?usage: modes_report.sh BUILD_DIR SOURCE_DIR [MPIRUN]}" && pwd)
MPIRUN=${3:-}
NAME=modes-report
source "$(dirname "${BASH_SOURCE[0]}")/setup.bash"
MODES=$BUILD_DIR/kapitza-modes
[ -x "$MODES" ] || fail "$MODES is not built"
SI=$SOURCE_DIR/inputs/materials/Si-PBEsol
export OPENBLAS_NUM_THREADS=1

# modes LOG MESH COLLISION [OPTIONS...]: Si-PBEsol on an N x N x N mesh.
modes() {
  "$MODES" --fc "$SI" --mesh "$2" "$2" "$2" --collision "$3" --out "$1-{T}.h5" "${@:4}" >"$1.log" 2>&1 ||
    fail "$1: $(cat "$1.log")"
}
modes baseline 2 none
modes rta 8 rta
modes full 6 full
modes full-temperatures 6 full --temperature 300 400 500 600

# Progress: 10 % steps of the 29 irreducible q-points of 8^3 (one rank has them all), each
# with the elapsed time and, until the last, the time left.
"$PYTHON" - rta.log <<'EOF' || fail "progress lines of rta.log"
import re, sys
lines = [l for l in open(sys.argv[1]) if l.startswith("three-phonon:")]
pattern = r"three-phonon: +(\d+)% of q-points of this rank \((\d+) of (\d+)\), [0-9.]+ s(, ETA \d+ s)?\n"
matches = [re.fullmatch(pattern, l) for l in lines]
assert all(matches), lines
done = [int(m.group(2)) for m in matches]
total = {int(m.group(3)) for m in matches}
assert total == {29}, total
assert 5 <= len(lines) <= 10 and done == sorted(set(done)) and done[-1] == 29, done
assert all(m.group(4) for m in matches[:-1]) and not matches[-1].group(4), "ETA on all but the last"
print(f"progress: {len(lines)} lines, done {done}")
EOF

# The wall times of the steps, printed after the run.
for section in "force constants" "harmonic phonons" "three-phonon relaxation rates" "write databases"; do
  grep -q "^| $section  *|" rta.log || fail "rta.log: no timer section '$section'"
done
for section in "three-phonon collision matrix" "LBTE solve"; do
  grep -q "^| $section  *|" full.log || fail "full.log: no timer section '$section'"
done

# The diagonal's kappa of a full database has its own label and says why.
grep -q "^matrix-diagonal RTA kappa point-group average (48 operations) xx yy zz = " full.log ||
  fail "full.log: no matrix-diagonal kappa"
grep -q "^matrix-diagonal RTA: tau = 1 / the collision matrix's diagonal, .*mean of its three modes' views" full.log ||
  fail "full.log: the matrix-diagonal kappa is not explained"
grep -q "^RTA kappa" full.log && fail "full.log: the diagonal's kappa is labelled as the --collision rta one"

# The estimate against the measured peak, both above the program's own start-up (the
# 2x2x2 harmonic run): what the estimate models must be within a third of what was used.
"$PYTHON" - baseline.log rta.log full.log full-temperatures.log <<'EOF' || fail "memory estimate"
import re, sys
def numbers(log):
    text = open(log).read()
    estimate = re.search(r"memory estimate of rank 0: ([0-9.]+) GB \(program ([0-9.]+) GB", text)
    peak = re.search(r"peak memory of the largest rank ([0-9.]+) MB", text)
    return float(estimate.group(1)) - float(estimate.group(2)), float(peak.group(1)) * 2**20 / 1e9
_, start = numbers(sys.argv[1])
for log in sys.argv[2:]:
    modelled, peak = numbers(log)
    used = peak - start
    print(f"{log}: estimate {modelled:.4f} GB above the program, measured {used:.4f} GB")
    assert 0.75 <= modelled / used <= 1.33, (log, modelled, used)
EOF

# Under mpirun only rank 0 prints: one progress report, one estimate, one timer table.
if [ -n "$MPIRUN" ]; then
  "$MPIRUN" -np 2 --allow-run-as-root "$MODES" --fc "$SI" --mesh 4 4 4 --collision rta --out mpi.h5 \
    >mpi.log 2>&1 || fail "mpirun: $(cat mpi.log)"
  [ "$(grep -c "^three-phonon: 100% of q-points of this rank (4 of 4)" mpi.log)" -eq 1 ] ||
    fail "mpi.log: not one progress report of rank 0's 4 of 8 q-points: $(grep three-phonon: mpi.log)"
  [ "$(grep -c "^memory estimate of rank 0" mpi.log)" -eq 1 ] && [ "$(grep -c "^| Section" mpi.log)" -eq 1 ] ||
    fail "mpi.log: estimate or timer table not printed once"
  # The ranks of a node share the third-atom sums (each tabulates a share): the lifetimes
  # of two ranks are those of one to round-off.
  modes one-rank 4 rta
  "$PYTHON" - one-rank-300.h5 mpi.h5 <<'EOF' || fail "two ranks' lifetimes differ from one rank's"
import sys, h5py, numpy as np
one, two = (h5py.File(name, "r")["tau"][()] for name in sys.argv[1:])
scattered = np.isfinite(one) & (one > 0)
difference = np.max(np.abs(two[scattered] / one[scattered] - 1))
print(f"lifetimes, 2 ranks against 1: largest relative difference {difference:.1e}")
assert np.array_equal(scattered, np.isfinite(two) & (two > 0)) and difference < 1e-12
EOF
fi
echo "modes_report: OK"
