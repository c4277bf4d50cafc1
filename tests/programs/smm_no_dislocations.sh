#!/usr/bin/env bash
# SMM without dislocations (Interfaces/Dislocation arrays = 0) through the kapitza program:
# a dislocation entry given with it would be silently ignored, so each one is refused with
# a non-zero exit status and exactly one line "kapitza: error: ..." on stderr that names
# it, and no results file; the same input without the entry runs.
#
#   bash smm_no_dislocations.sh BUILD_DIR SOURCE_DIR [MPIRUN]      (ctest passes all three)
set -u
BUILD_DIR=$(cd "${1:?usage: smm_no_dislocations.sh BUILD_DIR SOURCE_DIR [MPIRUN]}" && pwd)
NAME=smm-no-dislocations
source "$(dirname "${BASH_SOURCE[0]}")/setup.bash"
# Two gray layers; SMM needs wavevectors, which the parse-time refusals come before.
SMM=("Materials/Names = a, b" "Materials/Files = gray.h5, gray.h5" "Mesh/Layers = a:1e-6:10, b:1e-6:10"
  "Interfaces/Model = smm" "Interfaces/Dislocation arrays = 0")
refused=0
while IFS='|' read -r entry setting; do
  entry=$(echo "$entry" | xargs) setting=$(echo "$setting" | xargs)
  write_case case.prm "${SMM[@]}" "Interfaces/$entry = $setting"
  "$KAPITZA" case.prm >out.log 2>err.log
  status=$?
  [ $status -ne 0 ] || fail "$entry with Dislocation arrays = 0 was accepted"
  [ "$(wc -l <err.log)" -eq 1 ] || fail "$entry: stderr is not one line: $(cat err.log)"
  grep -q "^kapitza: error: Interfaces/$entry .*Dislocation arrays = 0" err.log ||
    fail "$entry: the line does not name the entry: $(cat err.log)"
  [ ! -e results.h5 ] || fail "$entry: a results file was written"
  refused=$((refused + 1))
done <<'EOF'
Dislocation spacing   | 2e-9
Burgers vector        | 3e-10
Poisson ratio         | 0.3
Grueneisen parameters | 1, 1
Lattice constants     | 5.43e-10, 5.66e-10
Dislocation line      | 0, 0, 1
EOF
# Momentum resolution sets the parallel-momentum background; only the diffuse one ignores it.
write_case case.prm "${SMM[@]}" "Interfaces/Momentum resolution = 1e9" "Interfaces/Background = diffuse"
"$KAPITZA" case.prm >out.log 2>err.log && fail "Momentum resolution with the diffuse background was accepted"
grep -q "^kapitza: error: Interfaces/Momentum resolution" err.log || fail "Momentum resolution: $(cat err.log)"
# Without a dislocation entry the input passes the parse; the gray set has no wavevectors,
# which SMM needs, so the refusal comes later and names that instead.
write_case case.prm "${SMM[@]}"
"$KAPITZA" case.prm >out.log 2>err.log && fail "smm on a gray set without wavevectors was accepted"
grep -q "smm needs wavevectors" err.log || fail "without dislocation entries: $(cat err.log)"
echo "ok: $refused dislocation entries and the momentum resolution (diffuse) refused with arrays = 0, one line each"
