#!/usr/bin/env bash
# Bad inputs stop the kapitza program cleanly: a non-zero exit status, exactly one line
# "kapitza: error: ..." on stderr that names the problem, and no results file (nor a
# *.partial) left behind. A valid case is run first to show that the setup itself works.
#
#   bash bad_inputs.sh BUILD_DIR SOURCE_DIR [MPIRUN]      (ctest passes all three)

set -u
BUILD_DIR=$(cd "${1:?usage: bad_inputs.sh BUILD_DIR SOURCE_DIR [MPIRUN]}" && pwd)
NAME=bad-inputs
source "$(dirname "${BASH_SOURCE[0]}")/setup.bash"

# write_input FILE [NAME=VALUE ...]: the valid 1D case with some settings replaced.
write_input() {
  local file=$1
  shift
  local MODES=gray.h5 NAMES=gray LAYERS=gray:1e-6:20 LEFT="thermalizing 301"
  local T0=300 RESULTS=results.h5 SOLVER_EXTRA="" TOP_EXTRA=""
  local setting
  for setting in "$@"; do
    local "$setting"
  done
  cat >"$file" <<EOF
set Dimension = 1
$TOP_EXTRA
subsection Materials
  set Names = $NAMES
  set Files = $MODES
end
subsection Mesh
  set Generator = layers
  set Layers = $LAYERS
end
subsection Boundaries
  set Left = $LEFT
  set Right = thermalizing 300
end
subsection Solver
  set Reference temperature = $T0
  set Statistics = bose
  set Events = 1
  set Verbose = false
  $SOLVER_EXTRA
end
subsection Output
  set File = $RESULTS
  set Write vtu = false
end
EOF
}

# Bad mode files, each made from the valid one.
"$PYTHON" - <<'EOF' || fail "cannot write the bad mode files"
import shutil
import h5py
import numpy as np

with open("not-hdf5.h5", "w") as f:
    f.write("omega velocity density\n1 2 3\n")

shutil.copy("gray.h5", "shapes.h5")
with h5py.File("shapes.h5", "r+") as f:
    velocity = f["velocity"][:, :2]
    del f["velocity"]
    f["velocity"] = velocity  # (N, 2) instead of (N, 3)

shutil.copy("gray.h5", "negative-tau.h5")
with h5py.File("negative-tau.h5", "r+") as f:
    tau = f["tau"][...]
    tau[3] = -tau[3]
    f["tau"][...] = tau

# The dense form of the rank-one RTA mixing (energy conserving), then one row off by 10%.
shutil.copy("gray.h5", "non-conserving.h5")
with h5py.File("non-conserving.h5", "r+") as f:
    t0 = f.attrs["temperature"]
    hbar, kb = 1.054571817e-34, 1.380649e-23
    omega, rho, tau = f["omega"][...], f["density"][...], f["tau"][...]
    x = hbar * omega / (kb * t0)
    w = np.exp(-x) / (1 - np.exp(-x)) ** 2
    h = hbar * omega
    c = rho * h * w * h / (kb * t0**2)
    emission = h / tau
    absorption = c / (tau * h) / np.sum(c / tau)
    collision = np.diag(1 / tau) - np.outer(emission, absorption)
    collision[0, :] *= 1.1
    del f["tau"]  # the diagonal of Omega is the relaxation rate
    f["collision"] = collision
EOF

# The valid case runs.
write_input valid.prm
"$KAPITZA" valid.prm >valid.out 2>valid.err ||
  fail "the valid case failed (exit $?): $(cat valid.err)"
[ -f results.h5 ] || fail "the valid case wrote no results.h5"
[ -s valid.err ] && fail "the valid case wrote to stderr: $(cat valid.err)"
echo "ok: valid case runs and writes results.h5"

# expect_error NAME PATTERN INPUT: kapitza INPUT must fail with one error line matching
# PATTERN (extended regex) and leave no results-NAME.h5 / results-NAME.h5.partial.
expect_error() {
  local name=$1 pattern=$2 input=$3
  "$KAPITZA" "$input" >"$name.out" 2>"$name.err"
  local status=$?
  [ "$status" -ne 0 ] || fail "$name: exit status 0"
  local lines
  lines=$(grep -c '' "$name.err")
  [ "$lines" -eq 1 ] || fail "$name: stderr has $lines lines, expected 1:
$(cat "$name.err")"
  grep -q '^kapitza: error: ' "$name.err" ||
    fail "$name: stderr does not start with 'kapitza: error:': $(cat "$name.err")"
  grep -Eq "$pattern" "$name.err" ||
    fail "$name: the error does not name the problem (/$pattern/): $(cat "$name.err")"
  local leftovers
  leftovers=$(ls -d "results-$name"* 2>/dev/null)
  [ -z "$leftovers" ] || fail "$name: left $leftovers"
  echo "ok: $name (exit $status): $(cat "$name.err")"
}

write_input missing-modes.prm MODES=missing.h5 RESULTS=results-missing-modes.h5
expect_error missing-modes 'missing\.h5' missing-modes.prm

write_input not-hdf5.prm MODES=not-hdf5.h5 RESULTS=results-not-hdf5.h5
expect_error not-hdf5 'not-hdf5\.h5.*HDF5' not-hdf5.prm

write_input shapes.prm MODES=shapes.h5 RESULTS=results-shapes.h5
expect_error shapes "shapes\.h5.*'velocity'.*shape" shapes.prm

write_input negative-tau.prm MODES=negative-tau.h5 RESULTS=results-negative-tau.h5
expect_error negative-tau 'negative-tau\.h5.*tau' negative-tau.prm

write_input non-conserving.prm MODES=non-conserving.h5 RESULTS=results-non-conserving.h5
expect_error non-conserving 'energy conservation' non-conserving.prm

write_input unknown-material.prm LAYERS=gray:5e-7:10,nowhere:5e-7:10 RESULTS=results-unknown-material.h5
expect_error unknown-material "'nowhere'" unknown-material.prm

write_input unknown-boundary.prm "LEFT=sticky 3" RESULTS=results-unknown-boundary.h5
expect_error unknown-boundary "Left.*'sticky'" unknown-boundary.prm

write_input zero-cells.prm LAYERS=gray:1e-6:0 RESULTS=results-zero-cells.h5
expect_error zero-cells 'gray:1e-6:0.*cell' zero-cells.prm

write_input unknown-parameter.prm "TOP_EXTRA=set Mesh size = 3" RESULTS=results-unknown-parameter.h5
expect_error unknown-parameter 'Mesh size' unknown-parameter.prm

expect_error missing-input 'no-such-input\.prm' no-such-input.prm

write_input temperature.prm T0=310 RESULTS=results-temperature.h5
expect_error temperature 'temperature.*Reference temperature' temperature.prm

write_input memory.prm "SOLVER_EXTRA=set Memory limit = 1e-6" RESULTS=results-memory.h5
expect_error memory 'GB' memory.prm

EELS_DIPOLE=$(printf 'subsection EELS\n  set Enabled = true\n  set Weights = dipole\nend')
write_input eels-dipole.prm "TOP_EXTRA=$EELS_DIPOLE" RESULTS=results-eels-dipole.h5
expect_error eels-dipole "dipole.*'gray' lacks eigenvectors, masses, Born charges" eels-dipole.prm

EELS_WINDOW=$(printf 'subsection EELS\n  set Enabled = true\n  set Windows = TO:0.085:0.081\nend')
write_input eels-window.prm "TOP_EXTRA=$EELS_WINDOW" RESULTS=results-eels-window.h5
expect_error eels-window "window 'TO:0.085:0.081'" eels-window.prm

# Outputs are checked before the run: a missing folder, a folder or a device as the
# target are refused in one line; a stale result of the same name is removed at the start,
# so a run that fails later leaves no older file that looks like its own.
write_input no-folder.prm RESULTS=results-no-folder/out.h5
expect_error no-folder "folder '.*results-no-folder' does not exist" no-folder.prm
mkdir results-dir.h5
write_input dir-target.prm RESULTS=results-dir.h5
expect_error dir-target "'.*results-dir.h5' exists and is not a regular file" dir-target.prm
[ -d results-dir.h5 ] || fail "dir-target: the folder given as output was removed"
rmdir results-dir.h5
write_input dev-target.prm RESULTS=/dev/null
expect_error dev-target "'/dev/null' exists and is not a regular file" dev-target.prm
[ -c /dev/null ] || fail "dev-target: /dev/null is no longer a device"
cp results.h5 results-stale.h5
write_input stale.prm T0=310 RESULTS=results-stale.h5
expect_error stale 'temperature.*Reference temperature' stale.prm

# The .vtu sits beside the results file, named from its file name alone.
mkdir run.v2
write_input noext.prm RESULTS=run.v2/noext
sed -i "s/Write vtu = false/Write vtu = true/" noext.prm
"$KAPITZA" noext.prm >noext.out 2>noext.err || fail "noext: $(cat noext.err)"
[ -f run.v2/noext ] && [ -f run.v2/noext.vtu ] || fail "noext: expected run.v2/noext and run.v2/noext.vtu, got $(ls run.v2)"
[ -e run.vtu ] || [ -e .vtu ] && fail "noext: a .vtu was written outside run.v2"
echo "ok: outputs checked before the run, stale result removed, .vtu beside the results file"

echo "all bad inputs rejected"
