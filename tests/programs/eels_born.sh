#!/usr/bin/env bash
# kapitza-modes --eels-born: Born charges stored for the EELS dipole weights only. On the
# SiC potential (no BORN of its own) the database gets the file's Z* (rotated with
# --transport-axis z: Z*_zz lands on xx), charge neutral, and exactly the same phonons as
# without the option (no non-analytic correction). On AlN-LDA, which has its own BORN,
# the option is refused with one error line and no database.
#
#   bash eels_born.sh BUILD_DIR SOURCE_DIR [MPIRUN]      (ctest passes all three)
set -u
BUILD_DIR=$(cd "$1" && pwd)
SOURCE_DIR=$(cd "$2" && pwd)
OUT=$(mktemp -d "${TMPDIR:-/tmp}/kapitza-eels-born.XXXXXX")
trap 'rm -rf "$OUT"' EXIT
MODES=$BUILD_DIR/kapitza-modes
SIC=$SOURCE_DIR/inputs/materials/SiC-4H-vashishta
fail() {
  echo "FAIL: $*"
  exit 1
}

"$MODES" --fc "$SIC" --mesh 3 3 2 --transport-axis z --out "$OUT/plain.h5" >"$OUT/plain.log" 2>&1 ||
  fail "plain run: $(cat "$OUT/plain.log")"
"$MODES" --fc "$SIC" --mesh 3 3 2 --transport-axis z --eels-born "$SIC/BORN-eels" \
  --out "$OUT/born.h5" >"$OUT/born.log" 2>&1 || fail "--eels-born run: $(cat "$OUT/born.log")"
/usr/bin/python3 - "$OUT" <<'PYTHON' || fail "database checks"
import sys
import h5py
import numpy as np
out = sys.argv[1]
with h5py.File(f"{out}/plain.h5") as plain, h5py.File(f"{out}/born.h5") as born:
    assert "born_charges" not in plain, "the plain database has Born charges"
    z = born["born_charges"][()]
    print("Z* xx per atom:", z[:, 0, 0], " zz:", z[:, 2, 2])
    assert z.shape == (8, 3, 3), z.shape
    # c (Z* 2.74) is the solver's x after --transport-axis z; in-plane 2.67.
    assert np.allclose(z[:4, 0, 0], 2.74, atol=1e-12) and np.allclose(z[4:, 0, 0], -2.74, atol=1e-12)
    assert np.allclose(z[:4, 2, 2], 2.67, atol=1e-12) and np.allclose(z[4:, 2, 2], -2.67, atol=1e-12)
    assert np.abs(z.sum(axis=0)).max() < 1e-12, "not charge neutral"
    assert np.array_equal(plain["omega"][()], born["omega"][()]), "--eels-born changed the phonons"
PYTHON
"$MODES" --fc "$SOURCE_DIR/inputs/materials/AlN-LDA" --mesh 2 2 2 --eels-born "$SIC/BORN-eels" \
  --out "$OUT/aln.h5" >"$OUT/aln.log" 2>"$OUT/aln.err" && fail "AlN with --eels-born succeeded"
[ "$(wc -l <"$OUT/aln.err")" -eq 1 ] && grep -q "has its own BORN" "$OUT/aln.err" ||
  fail "expected one error line about AlN's own BORN, got: $(cat "$OUT/aln.err")"
[ ! -e "$OUT/aln.h5" ] || fail "a database was written for the refused run"
echo "refused: $(cat "$OUT/aln.err")"
echo "eels_born: OK"
