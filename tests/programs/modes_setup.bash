# Sourced by the kapitza-modes program tests: BUILD_DIR and SOURCE_DIR from the arguments,
# MODES and PYTHON checked, a scratch folder (removed on exit) as the working folder, and
# fail. Needs NAME (the scratch folder's name) set by the caller.
BUILD_DIR=$(cd "${1:?usage: $NAME.sh BUILD_DIR SOURCE_DIR [MPIRUN]}" && pwd)
SOURCE_DIR=$(cd "${2:?usage: $NAME.sh BUILD_DIR SOURCE_DIR [MPIRUN]}" && pwd)
MODES=$BUILD_DIR/kapitza-modes
PYTHON=/usr/bin/python3 # has h5py; the python3 first on PATH may not
OUT=$(mktemp -d "${TMPDIR:-/tmp}/kapitza-$NAME.XXXXXX")
trap 'rm -rf "$OUT"' EXIT
cd "$OUT" || exit 1
fail() {
  echo "FAIL: $*"
  exit 1
}
[ -x "$MODES" ] || fail "$MODES is not built"
"$PYTHON" -c "import h5py, numpy" 2>/dev/null || fail "$PYTHON lacks h5py or numpy"
