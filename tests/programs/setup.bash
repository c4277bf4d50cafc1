# Sourced by the program tests: tools, a scratch folder (removed on exit) as the working
# folder, and a gray material gray.h5 in it. Needs BUILD_DIR and NAME set by the caller.
KAPITZA=$BUILD_DIR/kapitza
MATERIAL=$BUILD_DIR/kapitza-material
PYTHON=/usr/bin/python3 # has h5py; the python3 first on PATH may not

fail() {
  echo "FAIL: $*"
  exit 1
}

for program in "$KAPITZA" "$MATERIAL"; do
  [ -x "$program" ] || fail "$program is not built"
done
"$PYTHON" -c "import h5py, numpy" 2>/dev/null || fail "$PYTHON lacks h5py or numpy"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/kapitza-$NAME.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK" || fail "cannot enter $WORK"

"$MATERIAL" gray --out gray.h5 --mfp 1e-7 --polar 8 --azimuth 4 >material.log 2>&1 ||
  fail "kapitza-material gray: $(cat material.log)"
