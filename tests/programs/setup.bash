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

# set_entry FILE PATH VALUE: set PATH (Entry or Section/Entry) to VALUE in FILE, replacing
# the entry if present, else adding it to its subsection (made at the end if absent).
set_entry() {
  local file=$1 path=$2 value=$3 section="" entry=$2
  [[ $path == */* ]] && section=${path%%/*} entry=${path#*/}
  awk -v section="$section" -v entry="$entry" -v value="$value" '
    function setting() { return (section == "" ? "" : "  ") "set " entry " = " value }
    BEGIN { inside = (section == ""); done = 0 }
    /^subsection / { inside = (substr($0, 12) == section) }
    inside && !done && $0 ~ "^ *set " entry " *=" { print setting(); done = 1; next }
    inside && !done && section != "" && /^end$/ { print setting(); done = 1 }
    /^end$/ { inside = (section == "") }
    { print }
    END {
      if (!done && section != "") print "subsection " section "\n" setting() "\nend"
      else if (!done) print setting()
    }' "$file" >"$file.tmp" && mv "$file.tmp" "$file"
}

# remove FILE PATH: delete an entry (Section/Entry) or a whole subsection (Section).
remove() {
  local file=$1 path=$2
  if [[ $path == */* ]]; then
    awk -v section="${path%%/*}" -v entry="${path#*/}" '
      /^subsection / { inside = (substr($0, 12) == section) }
      inside && $0 ~ "^ *set " entry " *=" { next }
      /^end$/ { inside = 0 }
      { print }' "$file" >"$file.tmp"
  else
    awk -v section="$path" '
      $0 == "subsection " section { skip = 1; next }
      skip && /^end$/ { skip = 0; next }
      !skip { print }' "$file" >"$file.tmp"
  fi
  mv "$file.tmp" "$file"
}

# write_case FILE [CHANGE ...]: the valid 1D case (one gray layer between thermalizing walls
# at 301 and 300 K), then each CHANGE: "Section/Entry = value" (or "Entry = value" at the
# top) sets an entry, "!PATH" removes an entry or a subsection, "+TEXT" appends TEXT.
write_case() {
  local file=$1 change
  shift
  cat >"$file" <<EOF
set Dimension = 1
subsection Materials
  set Names = gray
  set Files = gray.h5
end
subsection Mesh
  set Generator = layers
  set Layers = gray:1e-6:20
end
subsection Boundaries
  set Left = thermalizing 301
  set Right = thermalizing 300
end
subsection Solver
  set Reference temperature = 300
  set Statistics = bose
  set Events = 1
  set Verbose = false
end
subsection Output
  set File = results.h5
  set Write vtu = false
end
EOF
  for change in "$@"; do
    change=$(echo "$change" | sed 's/^ *//; s/ *$//')
    case $change in
    "") ;;
    !*) remove "$file" "${change#!}" ;;
    +*) echo "${change#+}" >>"$file" ;;
    *=*)
      local path value
      path=$(echo "${change%%=*}" | sed 's/ *$//')
      value=$(echo "${change#*=}" | sed 's/^ *//')
      set_entry "$file" "$path" "$value"
      ;;
    *) fail "write_case: cannot read the change '$change'" ;;
    esac
  done
}
