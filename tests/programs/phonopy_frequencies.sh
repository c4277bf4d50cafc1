#!/usr/bin/env bash
# kapitza-modes against phonopy 2.17 (run here by /usr/bin/python3 on the same force
# constants): Si (PBEsol, non-polar) and wurtzite AlN (LDA, Born charges: the Gonze-Lee
# non-analytic correction) on small full meshes, and the potential-derived 4H-SiC. The
# comparison itself is phonopy_reference.py (frequencies, velocities, eigenvectors).
#
#   bash phonopy_frequencies.sh BUILD_DIR SOURCE_DIR [MPIRUN]      (ctest passes all three)

set -u
BUILD_DIR=$(cd "${1:?usage: phonopy_frequencies.sh BUILD_DIR SOURCE_DIR [MPIRUN]}" && pwd)
SOURCE_DIR=$(cd "${2:?usage: phonopy_frequencies.sh BUILD_DIR SOURCE_DIR [MPIRUN]}" && pwd)
NAME=phonopy-frequencies
source "$(dirname "${BASH_SOURCE[0]}")/setup.bash"
MODES=$BUILD_DIR/kapitza-modes
[ -x "$MODES" ] || fail "$MODES is not built"
"$PYTHON" -c "import phonopy, yaml" 2>/dev/null || fail "$PYTHON cannot import phonopy (and yaml)"
MATERIALS=$SOURCE_DIR/inputs/materials

compare() { # compare FOLDER N1 N2 N3
  local folder=$1 out=$1.h5
  shift
  "$MODES" --fc "$MATERIALS/$folder" --mesh "$@" --temperature 300 --statistics bose \
    --collision none --out "$out" >"$folder.log" 2>&1 || fail "kapitza-modes $folder: $(cat "$folder.log")"
  cat "$folder.log"
  "$PYTHON" "$SOURCE_DIR/tests/programs/phonopy_reference.py" "$out" "$MATERIALS/$folder" ||
    fail "$folder differs from phonopy"
}

compare Si-PBEsol 4 4 4
compare AlN-LDA 4 4 3
compare SiC-4H-vashishta 3 3 2

# A bad folder stops the program with one line naming the file.
"$MODES" --fc "$WORK/nowhere" --mesh 2 2 2 --out bad.h5 >bad.log 2>&1 && fail "accepted a missing folder"
[ "$(wc -l <bad.log)" -eq 1 ] && grep -q "nowhere: no force constants: neither CONTROL (ShengBTE) nor phono3py_params.yaml" bad.log ||
  fail "unclear error: $(cat bad.log)"
[ -e bad.h5 ] && fail "wrote a file for a failed run"

# --help prints the usage (every option) and succeeds; no arguments print it and fail.
"$MODES" --help >help.log 2>&1 || fail "--help failed: $(cat help.log)"
for option in --fc --mesh --out --temperature --statistics --collision --smearing --isotopes \
  --transport-axis --material --cache --eels-born --import-phono3py-kappa --kappa; do
  grep -q -- "$option" help.log || fail "--help does not list $option"
done
"$MODES" >none.log 2>&1 && fail "no arguments: exit status 0"
grep -q -- "--mesh N1 N2 N3" none.log || fail "no arguments: no usage: $(cat none.log)"
echo "PASS"
