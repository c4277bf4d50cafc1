#!/usr/bin/env bash
# validation/plot_surface_arrivals.py on a small version of the recursive-pBTE paper's
# nanoparticle: a Si ball of radius 100 nm (kapitza-modes Si-PBEsol 4x4x4, RTA; 56 cells),
# a gaussian source at the centre, a black surface at 300 K, 6 resolved events:
# - exit 0 and the five panels written as PNGs;
# - the results file's surface arrivals add up: each event's three binnings agree, and the
#   events plus the remainder are the total, which is the surface's heat outflow
#   (sources/wall_outflow) to round-off;
# - --surface with a name the file lacks, a results file without resolved events and a
#   file that is not a results file: one line "plot_surface_arrivals.py: error: ...",
#   exit 1.
#
#   bash plot_surface_arrivals.sh BUILD_DIR SOURCE_DIR [MPIRUN]      (ctest passes all three)

set -u
BUILD_DIR=$(cd "${1:?usage: plot_surface_arrivals.sh BUILD_DIR SOURCE_DIR [MPIRUN]}" && pwd)
SOURCE_DIR=$(cd "${2:?usage: plot_surface_arrivals.sh BUILD_DIR SOURCE_DIR [MPIRUN]}" && pwd)
NAME=plot-surface-arrivals
source "$(dirname "${BASH_SOURCE[0]}")/setup.bash"
PLOT=$SOURCE_DIR/validation/plot_surface_arrivals.py
MODES=$BUILD_DIR/kapitza-modes
[ -x "$MODES" ] || fail "$MODES is not built"

"$MODES" --fc "$SOURCE_DIR/inputs/materials/Si-PBEsol" --mesh 4 4 4 --collision rta --material Si \
  --out si.h5 >modes.log 2>&1 || fail "kapitza-modes Si: $(tail -3 modes.log)"
write_case ball.prm "Dimension = 3" "Materials/Names = Si" "Materials/Files = si.h5" \
  "Mesh/Generator = ball" "!Mesh/Layers" "Mesh/Radius = 1e-7" "Mesh/Refinements = 1" \
  "Boundaries/Left = thermalizing 300" "Solver/Events = 6" "Solver/Tolerance = 1e-12" \
  "Output/File = ball.h5" "Output/Line points = 40" "Output/Frequency bins = 12" \
  "Output/Surface polar bins = 6" "Output/Surface azimuth bins = 12" \
  "Sources/Profile = gaussian" "Sources/Density = 1e17" "Sources/Width = 2e-8"
"$KAPITZA" ball.prm >ball.out 2>&1 || fail "kapitza ball.prm: $(tail -3 ball.out)"

"$PYTHON" - <<'EOF' || fail "the surface arrivals of ball.h5 do not add up"
import h5py, numpy as np
with h5py.File("ball.h5", "r") as f:
    left = f["surface_arrivals/Left"]
    by_frequency = left["frequency"][()].sum(axis=1)
    assert len(by_frequency) == 6, by_frequency
    for name in ("position", "direction"):
        other = left[name][()].reshape(6, -1).sum(axis=1)
        assert np.allclose(other, by_frequency, rtol=1e-13, atol=0), (name, other, by_frequency)
    total = left.attrs["total"]
    remainder = left["remainder_frequency"][()].sum()
    assert abs(by_frequency.sum() + remainder - total) <= 1e-13 * abs(total)
    outflow = f["sources/wall_outflow"][0]
    assert abs(total / outflow - 1) < 1e-12, (total, outflow)
    print(f"ok: arrivals {total:.10e} W = outflow {outflow:.10e} W; events {by_frequency.sum() / total:.4f} of it")
EOF

out=$("$PYTHON" "$PLOT" ball.h5 plots 2>&1) || fail "plot_surface_arrivals.py failed: $out"
for png in radial_temperature event_contributions frequency_event_map surface_map angular_projection; do
  [ -s "plots/$png.png" ] || fail "plots/$png.png was not written ($out)"
done
echo "ok: $out"

# expect_error ARGS...: exactly one line naming the script and "error:", exit 1.
expect_error() {
  local err
  err=$("$PYTHON" "$PLOT" "$@" 2>&1 >/dev/null)
  local status=$?
  [ "$status" -eq 1 ] || fail "plot_surface_arrivals.py $* exited $status, not 1"
  [ "$(echo "$err" | wc -l)" -eq 1 ] && [[ $err == "plot_surface_arrivals.py: error: "* ]] ||
    fail "plot_surface_arrivals.py $*: not one error line: $err"
  echo "ok: $*: $err"
}
expect_error ball.h5 plots-bad --surface Right
write_case no-events.prm "Solver/Events = 0"
"$KAPITZA" no-events.prm >no-events.out 2>&1 || fail "kapitza no-events.prm: $(tail -3 no-events.out)"
expect_error results.h5 plots-none
expect_error si.h5 plots-modes
[ ! -e plots-bad ] && [ ! -e plots-none ] && [ ! -e plots-modes ] || fail "an error left an output folder"
echo "ok: plot_surface_arrivals.py"
