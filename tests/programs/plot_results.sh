#!/usr/bin/env bash
# validation/plot_results.py on real results files and on files that are not results:
# - a small AlN | SiC bilayer (kapitza-modes 4x4x2 and 3x3x2, RTA at 620 K, c along x, DMM,
#   2 resolved events, synthetic EELS): exit 0, every plot written, no warning, and the
#   acoustic/optical means drawn (the heat capacities the script computes from the mode
#   databases reproduce the solver's temperature from its branch temperatures to 1e-9);
#   run from another folder, so the databases are found beside the results file;
# - the same case stopped after one GMRES iteration (kapitza exits 2, converged = 0): exit
#   0, plots written, exactly one warning line saying NOT CONVERGED;
# - a text file, a mode database, a results file without line/, a missing file: exactly
#   one line "plot_results.py: error: ..." on stderr, non-zero exit, no output folder.
#
#   bash plot_results.sh BUILD_DIR SOURCE_DIR [MPIRUN]      (ctest passes all three)

set -u
BUILD_DIR=$(cd "${1:?usage: plot_results.sh BUILD_DIR SOURCE_DIR [MPIRUN]}" && pwd)
SOURCE_DIR=$(cd "${2:?usage: plot_results.sh BUILD_DIR SOURCE_DIR [MPIRUN]}" && pwd)
NAME=plot-results
source "$(dirname "${BASH_SOURCE[0]}")/setup.bash"
PLOT=$SOURCE_DIR/validation/plot_results.py
MODES=$BUILD_DIR/kapitza-modes
MATERIALS=$SOURCE_DIR/inputs/materials
[ -x "$MODES" ] || fail "$MODES is not built"

"$MODES" --fc "$MATERIALS/AlN-LDA" --mesh 4 4 2 --temperature 620 --collision rta --transport-axis z \
  --material AlN --out AlN.h5 >modes.log 2>&1 || fail "kapitza-modes AlN: $(tail -3 modes.log)"
"$MODES" --fc "$MATERIALS/SiC-4H-vashishta" --mesh 3 3 2 --temperature 620 --collision rta \
  --transport-axis z --material SiC --out SiC.h5 >>modes.log 2>&1 || fail "kapitza-modes SiC: $(tail -3 modes.log)"

cat >case.prm <<'EOF'
set Dimension = 1
subsection Materials
  set Names = AlN, SiC
  set Files = AlN.h5, SiC.h5
end
subsection Mesh
  set Layers = AlN:2e-7:20, SiC:2e-7:20
  set Grading ratio = 10
end
subsection Boundaries
  set Left = thermalizing 640
  set Right = thermalizing 600
end
subsection Interfaces
  set Model = dmm
  set Frequency bins = 20
end
subsection Solver
  set Reference temperature = 620
  set Events = 2
  set Verbose = false
end
subsection Output
  set File = results.h5
  set Line points = 200
  set Frequency bins = 4
  set Write vtu = false
end
subsection EELS
  set Enabled = true
  set Weights = dos
end
EOF
"$KAPITZA" case.prm >case.log 2>&1 || fail "kapitza case.prm: $(tail -3 case.log)"
sed -e 's/results.h5/unconverged.h5/' -e 's/  set Verbose = false/  set Verbose = false\n  set Maximum iterations = 1/' \
  case.prm >unconverged.prm
"$KAPITZA" unconverged.prm >unconverged.log 2>&1
[ $? -eq 2 ] || fail "kapitza unconverged.prm should exit 2 (not converged): $(tail -3 unconverged.log)"
[ -f unconverged.h5 ] || fail "kapitza unconverged.prm wrote no results"

# plots NAME RESULTS: runs the script from another folder into plots-NAME; checks exit 0 and
# every plot (events.png too: the case resolves events).
plots() {
  local name=$1 results=$WORK/$2
  mkdir -p elsewhere && (cd elsewhere && "$PYTHON" "$PLOT" "$results" "$WORK/plots-$name" \
    >"$WORK/$name.stdout" 2>"$WORK/$name.stderr") || fail "$name: plot_results.py failed: $(cat "$name.stderr")"
  for png in temperature heat_flux modal_temperature events; do
    [ "$(stat -c %s "plots-$name/$png.png" 2>/dev/null || echo 0)" -gt 10000 ] || fail "$name: no $png.png"
  done
  grep -q "no acoustic/optical means" "$name.stderr" && fail "$name: $(cat "$name.stderr")"
  echo "$name: plots written; stderr: $(wc -l <"$name.stderr") line(s)"
}
plots converged results.h5
grep -q "warning" converged.stderr && fail "converged: unexpected warning: $(cat converged.stderr)"
plots unconverged unconverged.h5
[ "$(grep -c '^plot_results.py: warning: .*NOT CONVERGED: residual .* after 1 iterations' unconverged.stderr)" -eq 1 ] ||
  fail "unconverged: expected one NOT CONVERGED warning, got: $(cat unconverged.stderr)"
[ "$(grep -c warning unconverged.stderr)" -eq 1 ] || fail "unconverged: more than one warning line"

# expect_error NAME FILE: one error line, non-zero exit, no output folder.
expect_error() {
  local name=$1 file=$2
  "$PYTHON" "$PLOT" "$file" "bad-$name" >"bad-$name.stdout" 2>"bad-$name.stderr" &&
    fail "$name: plot_results.py $file succeeded"
  [ "$(wc -l <"bad-$name.stderr")" -eq 1 ] && grep -q '^plot_results.py: error: ' "bad-$name.stderr" ||
    fail "$name: expected one line 'plot_results.py: error: ...', got: $(cat "bad-$name.stderr")"
  [ ! -e "bad-$name" ] || fail "$name: the failed run created bad-$name"
  echo "$name: $(cat "bad-$name.stderr")"
}
echo "not HDF5" >text.h5
"$PYTHON" - <<'EOF' || fail "cannot write no-line.h5"
import h5py
with h5py.File("results.h5") as f, h5py.File("no-line.h5", "w") as g:
    g.attrs.update(f.attrs)
    f.copy("summary", g)
EOF
expect_error text text.h5
expect_error modes AlN.h5
expect_error no-line no-line.h5
expect_error missing missing.h5
echo "all checks passed"
