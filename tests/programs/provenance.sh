#!/usr/bin/env bash
# Provenance (docs/results.md, "Mode databases"): kapitza-modes records the options of the
# run with the values given on its command line, kapitza-modes --kappa prints them before
# the conductivities, kapitza-material records its model, and a kapitza results file
# copies each material's provenance and database path into materials/<name>.
#
#   bash provenance.sh BUILD_DIR SOURCE_DIR [MPIRUN]      (ctest passes all three)

set -u
BUILD_DIR=$(cd "${1:?usage: provenance.sh BUILD_DIR SOURCE_DIR [MPIRUN]}" && pwd)
SOURCE_DIR=$(cd "${2:?usage: provenance.sh BUILD_DIR SOURCE_DIR [MPIRUN]}" && pwd)
NAME=provenance
source "$(dirname "${BASH_SOURCE[0]}")/setup.bash" # gray.h5 by kapitza-material --mfp 1e-7
MODES=$BUILD_DIR/kapitza-modes
[ -x "$MODES" ] || fail "$MODES is not built"
SI=$SOURCE_DIR/inputs/materials/Si-PBEsol

"$MODES" --fc "$SI" --mesh 2 2 2 --collision rta --smearing gaussian 0.05 --temperature 300 \
  --out si.h5 >modes.log 2>&1 || fail "kapitza-modes: $(cat modes.log)"
"$MODES" --kappa si.h5 >kappa.log 2>&1 || fail "kapitza-modes --kappa: $(cat kappa.log)"
cat kappa.log
for line in "program = kapitza-modes" "q_mesh = 2 2 2" "collision = rta" \
  "smearing = gaussian 0.05 THz" "temperature = 300 K" "isotopes = off"; do
  grep -qx "$line" kappa.log || fail "--kappa does not print '$line'"
done
# The provenance comes before the conductivities.
[ "$(grep -n -m1 '^q_mesh = ' kappa.log | cut -d: -f1)" -lt "$(grep -n -m1 'RTA kappa' kappa.log | cut -d: -f1)" ] ||
  fail "--kappa prints the provenance after the conductivities"

cat >case.prm <<'EOF_PRM'
set Dimension = 1
subsection Materials
  set Names = gray, Si
  set Files = gray.h5, si.h5
end
subsection Mesh
  set Generator = layers
  set Layers = gray:1e-7:8, Si:1e-7:8
end
subsection Boundaries
  set Left = thermalizing 301
  set Right = thermalizing 300
end
subsection Solver
  set Reference temperature = 300
  set Verbose = false
end
subsection Output
  set File = results.h5
  set Write vtu = false
end
EOF_PRM
"$KAPITZA" case.prm >case.log 2>&1 || fail "kapitza: $(cat case.log)"

# Material names are groups of the results file: a repeated name is refused before the run.
sed -e "s/  set Names = gray, Si/  set Names = Si, Si/" case.prm >twice.prm
"$KAPITZA" twice.prm >twice.log 2>&1 && fail "accepted a repeated material name"
grep -q "Names must be distinct and contain no '/' (not 'Si')" twice.log ||
  fail "unclear error for a repeated name: $(cat twice.log)"

"$PYTHON" - "$SI" "$BUILD_DIR" <<'PYTHON' || fail "provenance checks"
import os, re, sys
import h5py
si_folder, build = sys.argv[1:3]

def provenance(group):
    return {k: (v.decode() if isinstance(v, bytes) else v) for k, v in group["provenance"].attrs.items()}

with h5py.File("si.h5", "r") as f:
    p = provenance(f)
expected = {"program": "kapitza-modes", "force_constants": si_folder,
            "force_constants_format": "phono3py", "q_mesh": "2 2 2", "collision": "rta",
            "temperature": "300 K", "statistics": "bose", "smearing": "gaussian 0.05 THz",
            "isotopes": "off", "transport_axis": "x", "eels_born": "none",
            "non_analytic_correction": "off"}
for key, value in expected.items():
    assert p.get(key) == value, f"si.h5: {key} = {p.get(key)!r}, expected {value!r}"
assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", p["date"]), p["date"]
assert p["version"], "empty version"

with h5py.File("gray.h5", "r") as f:
    gray = provenance(f)
for key, value in {"program": "kapitza-material", "model": "gray", "mfp": "1e-07 m",
                   "polar": "8", "azimuth": "4", "half_range": "off", "temperature": "300 K"}.items():
    assert gray.get(key) == value, f"gray.h5: {key} = {gray.get(key)!r}, expected {value!r}"

with h5py.File("results.h5", "r") as r:
    assert sorted(r["materials"]) == ["Si", "gray"], list(r["materials"])
    for name, database, copy in (("Si", "si.h5", p), ("gray", "gray.h5", gray)):
        group = r["materials"][name]
        assert os.path.samefile(group.attrs["file"], database), group.attrs["file"]
        assert provenance(group) == copy, f"materials/{name}/provenance differs from {database}"
print("provenance: OK")
PYTHON
