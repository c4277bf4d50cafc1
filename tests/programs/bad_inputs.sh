#!/usr/bin/env bash
# Bad inputs stop the kapitza program cleanly: a non-zero exit status, exactly one line
# "kapitza: error: ..." on stderr that names the problem, and no results file (nor a
# *.partial) left behind. A valid case is run first to show that the setup itself works.
# The bad command lines of kapitza-modes and kapitza-material (a table at the end) are held
# to the same: exit status 1, one line "PROGRAM: error: ..." on stderr, nothing on stdout,
# no output file; a mesh too large for the machine is refused as fast as --help runs.
#
#   bash bad_inputs.sh BUILD_DIR SOURCE_DIR [MPIRUN]      (ctest passes all three)

set -u
BUILD_DIR=$(cd "${1:?usage: bad_inputs.sh BUILD_DIR SOURCE_DIR [MPIRUN]}" && pwd)
SOURCE_DIR=$(cd "${2:?usage: bad_inputs.sh BUILD_DIR SOURCE_DIR [MPIRUN]}" && pwd)
NAME=bad-inputs
source "$(dirname "${BASH_SOURCE[0]}")/setup.bash"

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
write_case valid.prm
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

write_case missing-modes.prm "Materials/Files = missing.h5" "Output/File = results-missing-modes.h5"
expect_error missing-modes 'missing\.h5' missing-modes.prm

write_case not-hdf5.prm "Materials/Files = not-hdf5.h5" "Output/File = results-not-hdf5.h5"
expect_error not-hdf5 'not-hdf5\.h5.*HDF5' not-hdf5.prm

write_case shapes.prm "Materials/Files = shapes.h5" "Output/File = results-shapes.h5"
expect_error shapes "shapes\.h5.*'velocity'.*shape" shapes.prm

write_case negative-tau.prm "Materials/Files = negative-tau.h5" "Output/File = results-negative-tau.h5"
expect_error negative-tau 'negative-tau\.h5.*tau' negative-tau.prm

write_case non-conserving.prm "Materials/Files = non-conserving.h5" "Output/File = results-non-conserving.h5"
expect_error non-conserving 'energy conservation' non-conserving.prm

write_case unknown-material.prm "Mesh/Layers = gray:5e-7:10,nowhere:5e-7:10" "Output/File = results-unknown-material.h5"
expect_error unknown-material "'nowhere'" unknown-material.prm

write_case unknown-boundary.prm "Boundaries/Left = sticky 3" "Output/File = results-unknown-boundary.h5"
expect_error unknown-boundary "Left.*'sticky'" unknown-boundary.prm

write_case zero-cells.prm "Mesh/Layers = gray:1e-6:0" "Output/File = results-zero-cells.h5"
expect_error zero-cells 'gray:1e-6:0.*cell' zero-cells.prm

write_case unknown-parameter.prm "+set Mesh size = 3" "Output/File = results-unknown-parameter.h5"
expect_error unknown-parameter 'Mesh size' unknown-parameter.prm

expect_error missing-input 'no-such-input\.prm' no-such-input.prm

write_case temperature.prm "Solver/Reference temperature = 310" "Output/File = results-temperature.h5"
expect_error temperature 'temperature.*Reference temperature' temperature.prm

write_case memory.prm "Solver/Memory limit = 1e-6" "Output/File = results-memory.h5"
expect_error memory 'GB' memory.prm

EELS_DIPOLE=$(printf 'subsection EELS\n  set Enabled = true\n  set Weights = dipole\nend')
write_case eels-dipole.prm "+$EELS_DIPOLE" "Output/File = results-eels-dipole.h5"
expect_error eels-dipole "dipole.*'gray' lacks eigenvectors, masses, Born charges" eels-dipole.prm

EELS_WINDOW=$(printf 'subsection EELS\n  set Enabled = true\n  set Windows = TO:0.085:0.081\nend')
write_case eels-window.prm "+$EELS_WINDOW" "Output/File = results-eels-window.h5"
expect_error eels-window "window 'TO:0.085:0.081'" eels-window.prm

# Outputs are checked before the run: a missing folder, a folder or a device as the
# target are refused in one line; a stale result of the same name is removed at the start,
# so a run that fails later leaves no older file that looks like its own.
write_case no-folder.prm "Output/File = results-no-folder/out.h5"
expect_error no-folder "folder '.*results-no-folder' does not exist" no-folder.prm
mkdir results-dir.h5
write_case dir-target.prm "Output/File = results-dir.h5"
expect_error dir-target "'.*results-dir.h5' exists and is not a regular file" dir-target.prm
[ -d results-dir.h5 ] || fail "dir-target: the folder given as output was removed"
rmdir results-dir.h5
write_case dev-target.prm "Output/File = /dev/null"
expect_error dev-target "'/dev/null' exists and is not a regular file" dev-target.prm
[ -c /dev/null ] || fail "dev-target: /dev/null is no longer a device"
cp results.h5 results-stale.h5
write_case stale.prm "Solver/Reference temperature = 310" "Output/File = results-stale.h5"
expect_error stale 'temperature.*Reference temperature' stale.prm

# Boundaries: Left and Right are required; each entry is checked by its model.
for entry in "missing-left||Boundaries/Left is required" \
  "extra-value|thermalizing 300 400|needs a positive wall temperature" \
  "not-a-number|thermalizing hot|'hot' is not a finite number" \
  "negative-wall|thermalizing -5|needs a positive wall temperature" \
  "specularity|specular 1.5|specularity p in \[0,1\]" \
  "diffuse-value|diffuse 2|takes no value" \
  "one-side-periodic|periodic|both be periodic"; do
  IFS='|' read -r name left pattern <<<"$entry"
  write_case "$name.prm" "Boundaries/Left = $left" "Output/File = results-$name.h5"
  expect_error "$name" "$pattern" "$name.prm"
done

# A mesh far beyond memory is refused from the parameters, before it is built.
write_case huge-mesh.prm "Mesh/Layers = gray:1e-6:100000000" "Output/File = results-huge-mesh.h5"
expect_error huge-mesh 'GB' huge-mesh.prm
grep -q 'before the mesh' huge-mesh.out || fail "huge-mesh: not refused before the mesh: $(cat huge-mesh.out)"

# The .vtu sits beside the results file, named from its file name alone.
mkdir run.v2
write_case noext.prm "Output/File = run.v2/noext"
sed -i "s/Write vtu = false/Write vtu = true/" noext.prm
"$KAPITZA" noext.prm >noext.out 2>noext.err || fail "noext: $(cat noext.err)"
[ -f run.v2/noext ] && [ -f run.v2/noext.vtu ] || fail "noext: expected run.v2/noext and run.v2/noext.vtu, got $(ls run.v2)"
[ -e run.vtu ] || [ -e .vtu ] && fail "noext: a .vtu was written outside run.v2"
echo "ok: outputs checked before the run, stale result removed, .vtu beside the results file"

# expect_tool_error NAME PATTERN PROGRAM ARGUMENTS...: the tool must exit with status 1,
# print nothing on stdout and one line "PROGRAM: error: ..." matching PATTERN on stderr,
# and leave no out-NAME* (the output the arguments name).
expect_tool_error() {
  local name=$1 pattern=$2 program=$3
  shift 3
  "$program" "$@" >"$name.out" 2>"$name.err"
  local status=$?
  [ "$status" -eq 1 ] || fail "$name: exit status $status, expected 1"
  [ -s "$name.out" ] && fail "$name: wrote to stdout: $(cat "$name.out")"
  local lines
  lines=$(grep -c '' "$name.err")
  [ "$lines" -eq 1 ] || fail "$name: stderr has $lines lines, expected 1:
$(cat "$name.err")"
  grep -q "^$(basename "$program"): error: " "$name.err" ||
    fail "$name: stderr does not start with '$(basename "$program"): error:': $(cat "$name.err")"
  grep -Eq -- "$pattern" "$name.err" ||
    fail "$name: the error does not name the problem (/$pattern/): $(cat "$name.err")"
  local leftovers
  leftovers=$(ls -d "out-$name"* 2>/dev/null)
  [ -z "$leftovers" ] || fail "$name: left $leftovers"
  echo "ok: $name: $(cat "$name.err")"
}

MODES=$BUILD_DIR/kapitza-modes
SI=$SOURCE_DIR/inputs/materials/Si-PBEsol
for i in $(seq 100); do echo "1000 1e-10 1e4 0.5 0.5"; done >bands-100.dat
mkdir a-folder.h5
cases=0

# The table: NAME | PATTERN | PROGRAM ARGUMENTS (modes: kapitza-modes --fc Si-PBEsol ...,
# with --out out-NAME.h5 unless the row gives one; modes-alone: kapitza-modes with the
# arguments as given; material: kapitza-material ...; @OUT@ stands for out-NAME.h5, @SI@
# for the Si-PBEsol folder).
# Memory: the estimate of each mode of collision (and of several temperatures) against
# MemAvailable, before any q-mesh is built; a 300^3 mesh needs some 54 GB.
while IFS='|' read -r name pattern command; do
  name=$(echo $name) pattern=$(echo "$pattern" | sed 's/^ *//; s/ *$//')
  [ -z "$name" ] && continue
  command=${command//@OUT@/out-$name.h5}
  read -ra words <<<"${command//@SI@/$SI}"
  if [ "${words[0]}" = modes-alone ]; then
    expect_tool_error "$name" "$pattern" "$MODES" "${words[@]:1}"
  elif [ "${words[0]}" = modes ]; then
    out=(--out "out-$name.h5")
    [[ " ${words[*]} " == *" --out "* ]] && out=()
    expect_tool_error "$name" "$pattern" "$MODES" --fc "$SI" "${out[@]}" "${words[@]:1}"
  else
    expect_tool_error "$name" "$pattern" "$MATERIAL" "${words[@]:1}"
  fi
  cases=$((cases + 1))
done <<'EOF_TABLE'
modes-memory-none     | --mesh 300 300 300 .*needs an estimated [0-9.]+ GB.*available \(MemAvailable\): use a smaller --mesh | modes --mesh 300 300 300 --collision none
modes-memory-rta      | --collision rta, 3 temperature.*needs an estimated [0-9.]+ GB.*smaller --mesh | modes --mesh 150 150 150 --collision rta --temperature 200 300 400 --out out-modes-memory-rta-{T}.h5
modes-memory-full     | --collision full.*needs an estimated [0-9.]+ GB.*--collision rta | modes --mesh 40 40 40 --collision full
modes-mesh-word       | option --mesh needs an integer from 1 to 1000, not 'x' | modes --mesh 4 4 x
modes-mesh-zero       | option --mesh needs an integer .*not '0' | modes --mesh 4 0 4
modes-mesh-count      | option --mesh takes 3 values, got 2: '4 4' | modes --mesh 4 4
modes-repeated        | option --mesh is given twice | modes --mesh 2 2 2 --mesh 3 3 3
modes-extra-word      | option --collision takes 1 value, got 2: 'rta full' | modes --mesh 2 2 2 --collision rta full
modes-leading-word    | unexpected argument 'fc' \(options start with --\) | modes-alone fc @SI@ --mesh 2 2 2 --out @OUT@
modes-unknown-option  | unknown option --meshes | modes --mesh 2 2 2 --meshes 3 3 3
modes-temperature     | option --temperature needs a number, not '300K' | modes --mesh 2 2 2 --temperature 300K
modes-temperature-neg | option --temperature must be positive, not '-5' | modes --mesh 2 2 2 --temperature -5
modes-temperature-nan | option --temperature needs a finite number, not 'nan' | modes --mesh 2 2 2 --temperature nan
modes-collision       | option --collision must be none, rta or full, not 'ful' | modes --mesh 2 2 2 --collision ful
modes-statistics      | option --statistics must be bose or classical, not 'fermi' | modes --mesh 2 2 2 --statistics fermi
modes-axis            | option --transport-axis must be x, y or z, not 'w' | modes --mesh 2 2 2 --transport-axis w
modes-smearing-word   | option --smearing needs a number, not 'wide' | modes --mesh 2 2 2 --collision rta --smearing gaussian wide
modes-smearing-width  | option --smearing needs a positive width \[THz\], not '-1' | modes --mesh 2 2 2 --collision rta --smearing gaussian -1
modes-smearing-method | option --smearing must be tetrahedron, .* not 'gausian 0.1' | modes --mesh 2 2 2 --collision rta --smearing gausian 0.1
modes-flag-value      | option --isotopes takes 0 values, got 1: 'yes' | modes --mesh 2 2 2 --isotopes yes
modes-out-folder      | option --out: the folder '.*/no-such-folder' does not exist | modes --mesh 2 2 2 --out no-such-folder/out-modes-out-folder.h5
material-mfp-negative | option --mfp must be positive, not '-1e-7' | material gray --out @OUT@ --mfp -1e-7
material-mfp-zero     | option --mfp must be positive, not '0' | material gray --out @OUT@ --mfp 0
material-mfp-inf      | option --mfp needs a finite number, not 'inf' | material gray --out @OUT@ --mfp inf
material-mfp-and-tau  | options --mfp and --tau both set the lifetime | material gray --out @OUT@ --mfp 1e-7 --tau 1e-10
material-speed-zero   | option --speed must be positive, not '0' | material gray --out @OUT@ --speed 0
material-speed-neg    | option --speed must be positive, not '-300' | material gray --out @OUT@ --speed -300
material-tau-neg      | option --tau must be positive, not '-1e-10' | material gray --out @OUT@ --tau -1e-10
material-tau-word     | option --tau needs a number, not '1e-10s' | material gray --out @OUT@ --tau 1e-10s
material-heat-cap     | option --heat-capacity must be positive, not '0' | material gray --out @OUT@ --heat-capacity 0
material-omega-nan    | option --omega needs a finite number, not 'nan' | material gray --out @OUT@ --omega nan
material-omega-high   | option --omega: hbar omega / k_B T0 = .* no heat capacity | material gray --out @OUT@ --omega 1e18
material-kappa-inf    | RTA kappa_xx = inf W/\(m K\) | material gray --out @OUT@ --speed 1e200 --tau 1e200
material-temperature  | option --temperature must be positive, not '0' | material gray --out @OUT@ --temperature 0
material-polar-limit  | option --polar needs an integer from 1 to 4096, not '5000' | material gray --out @OUT@ --polar 5000
material-polar-frac   | option --polar needs an integer from 1 to 4096, not '2.5' | material gray --out @OUT@ --polar 2.5
material-half-range   | option --polar needs an even count with --half-range, not '7' | material gray --out @OUT@ --polar 7 --half-range
material-azimuth-one  | option --azimuth needs an integer from 2 to 4096, not '1' | material gray --out @OUT@ --azimuth 1
material-azimuth-big  | option --azimuth needs an integer from 2 to 4096, not '100000' | material gray --out @OUT@ --azimuth 100000
material-memory       | 1.678e\+09 modes .*needs an estimated [0-9.]+ GB.*MemAvailable.*fewer --polar or --azimuth | material bands --file bands-100.dat --out @OUT@ --polar 4096 --azimuth 4096
material-axis         | option --axis needs an integer from 0 to 2, not '3' | material gray --out @OUT@ --axis 3
material-statistics   | option --statistics must be bose or classical, not 'fermi' | material gray --out @OUT@ --statistics fermi
material-model        | the first argument must be the model, gray or bands, not 'grey' | material grey --out @OUT@
material-repeated     | option --polar is given twice | material gray --out @OUT@ --polar 8 --polar 16
material-extra-word   | option --out takes 1 value, got 2: 'out-material-extra-word.h5 x.h5' | material gray --out @OUT@ x.h5
material-unknown      | unknown option --spead | material gray --out @OUT@ --spead 3
material-wrong-model  | unknown option --file | material gray --out @OUT@ --file bands-100.dat
material-no-file      | option --file is required | material bands --out @OUT@
material-omega-max    | option --omega-max must be positive, not '-1' | material bands --file bands-100.dat --out @OUT@ --omega-max -1
material-no-out       | option --out is required | material gray --polar 8
material-out-folder   | option --out: the folder '.*/no-such-folder' does not exist | material gray --out no-such-folder/@OUT@
material-out-dir      | option --out: 'a-folder.h5' exists and is not a regular file | material gray --out a-folder.h5
EOF_TABLE
echo "ok: $cases bad command lines of kapitza-modes and kapitza-material refused"

# A mesh too large for the machine is refused before any work: as fast as --help, which
# pays the same start-up (libraries, MPI), plus a second for reading the force constants.
seconds() { "$PYTHON" -c 'import subprocess, sys, time; t = time.time(); subprocess.run(sys.argv[1:], capture_output=True); print(time.time() - t)' "$@"; }
startup=$(seconds "$MODES" --help)
refusal=$(seconds "$MODES" --fc "$SI" --out out-timed.h5 --mesh 300 300 300)
"$PYTHON" -c "import sys; sys.exit(0 if $refusal < $startup + 1 else 1)" ||
  fail "the 300^3 mesh took $refusal s to refuse (--help: $startup s)"
echo "ok: 300^3 refused in $refusal s (--help: $startup s)"

echo "all bad inputs rejected"
