#!/usr/bin/env bash
# kapitza-modes --cache: the second identical request is served from the cache (the same
# bytes); a result-changing option (temperature) or different input bytes (an --eels-born
# file) compute a new database instead.
#
#   bash modes_cache.sh BUILD_DIR SOURCE_DIR [MPIRUN]      (ctest passes all three)
set -u
BUILD_DIR=$(cd "$1" && pwd)
SOURCE_DIR=$(cd "$2" && pwd)
OUT=$(mktemp -d "${TMPDIR:-/tmp}/kapitza-modes-cache.XXXXXX")
trap 'rm -rf "$OUT"' EXIT
SIC=$SOURCE_DIR/inputs/materials/SiC-4H-vashishta
fail() {
  echo "FAIL: $*"
  exit 1
}
# modes NAME EXPECT OPTIONS...: EXPECT is "cached" or "computed".
modes() {
  local name=$1 expect=$2
  shift 2
  "$BUILD_DIR/kapitza-modes" --fc "$SIC" --mesh 3 3 2 --cache "$OUT/cache" --out "$OUT/$name.h5" "$@" \
    >"$OUT/$name.log" 2>&1 || fail "$name: $(cat "$OUT/$name.log")"
  if grep -q "from the cache" "$OUT/$name.log"; then got=cached; else got=computed; fi
  [ "$got" = "$expect" ] || fail "$name: $got, expected $expect"
  echo "$name: $got"
}
cp "$SIC/BORN-eels" "$OUT/born"
modes first computed --temperature 300 --eels-born "$OUT/born"
modes again cached --temperature 300 --eels-born "$OUT/born"
cmp -s "$OUT/first.h5" "$OUT/again.h5" || fail "the cached database differs from the computed one"
modes warmer computed --temperature 301 --eels-born "$OUT/born"
sed -i 's/2.74/2.75/g' "$OUT/born" # same name, other bytes
modes edited computed --temperature 300 --eels-born "$OUT/born"
[ "$(ls "$OUT/cache" | wc -l)" -eq 3 ] || fail "expected 3 cache entries: $(ls "$OUT/cache")"
echo "modes_cache: OK"
