#!/usr/bin/env bash
# Provenance (docs/results.md, "Mode databases"): kapitza-modes records the options of the
# run with the values given on its command line and the fc2/fc3 conventions it read
# (phono3py compact, phono3py full, ShengBTE triplets) and used, kapitza-modes --kappa
# prints them before the conductivities, kapitza-material records its model and that it
# has no force constants, and a kapitza results file copies each material's provenance and
# database path into materials/<name>.
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
  "smearing = gaussian 0.05 THz" "temperature = 300 K" "isotopes = off" \
  "fc2_convention = phono3py fc2.hdf5 compact (2,64,3,3), used as read (p2s_map of the file)"; do
  grep -qx "$line" kappa.log || fail "--kappa does not print '$line'"
done
grep -q "^fc3_convention = phono3py fc3.hdf5 compact (2,64,64,3,3,3), used as read (p2s_map of the file); in the sums: minimum-image phases" kappa.log ||
  fail "--kappa does not print the fc3 convention: $(grep fc3 kappa.log)"
# The provenance comes before the conductivities.
[ "$(grep -n -m1 '^q_mesh = ' kappa.log | cut -d: -f1)" -lt "$(grep -n -m1 'RTA kappa' kappa.log | cut -d: -f1)" ] ||
  fail "--kappa prints the provenance after the conductivities"

# The same fc3 as phono3py's full format (every supercell atom a row, made from the compact
# rows by the supercell's translations): read as full, compacted to the same rows, so the
# lifetimes are identical. A ShengBTE folder records its triplets; a harmonic run no fc3.
mkdir si-full
cp "$SI/phono3py_params.yaml" "$SI/fc2.hdf5" si-full/
"$PYTHON" - "$SI" si-full <<'PYTHON' || fail "cannot write a full fc3.hdf5"
import sys
import h5py
import numpy as np
import yaml
source, target = sys.argv[1:3]
with open(f"{source}/phono3py_params.yaml") as f:
    params = yaml.safe_load(f)
primitive = np.array(params["primitive_cell"]["lattice"])
supercell = np.array(params["supercell"]["lattice"])
x = np.array([p["coordinates"] for p in params["supercell"]["points"]]) @ supercell  # Cartesian
with h5py.File(f"{source}/fc3.hdf5") as f:
    compact, p2s = f["fc3"][()], f["p2s_map"][()]
n = len(x)
def image(position):  # the supercell atom at `position` (modulo the supercell)
    d = (x - position) @ np.linalg.inv(supercell)
    d -= np.round(d)
    return int(np.argmin(np.linalg.norm(d @ supercell, axis=1)))
full = np.zeros((n,) + compact.shape[1:])
for row in range(n):
    for p, home in enumerate(p2s):
        t = x[row] - x[home]
        if np.allclose(t @ np.linalg.inv(primitive), np.round(t @ np.linalg.inv(primitive)), atol=1e-6):
            moved = [image(x[a] - t) for a in range(n)]  # atom a seen from `row` is moved[a] from home
            full[row] = compact[p][np.ix_(moved, moved)]
            break
    else:
        sys.exit(f"supercell atom {row} is no translation of a primitive atom")
with h5py.File(f"{target}/fc3.hdf5", "w") as f:
    f["fc3"], f["p2s_map"] = full, p2s
PYTHON
"$MODES" --fc si-full --mesh 2 2 2 --collision rta --smearing gaussian 0.05 --temperature 300 \
  --out si-full.h5 >modes-full.log 2>&1 || fail "kapitza-modes (full fc3): $(cat modes-full.log)"
"$MODES" --fc "$SOURCE_DIR/tests/reference/shengbte-Si" --mesh 2 2 2 --collision rta \
  --smearing gaussian 0.05 --out si-shengbte.h5 >modes-shengbte.log 2>&1 ||
  fail "kapitza-modes (ShengBTE): $(cat modes-shengbte.log)"
"$MODES" --fc "$SI" --mesh 2 2 2 --out si-harmonic.h5 >modes-harmonic.log 2>&1 ||
  fail "kapitza-modes (harmonic): $(cat modes-harmonic.log)"

write_case case.prm "Materials/Names = gray, Si" "Materials/Files = gray.h5, si.h5" \
  "Mesh/Layers = gray:1e-7:8, Si:1e-7:8" "Solver/Events = 0"
"$KAPITZA" case.prm >case.log 2>&1 || fail "kapitza: $(cat case.log)"

# Material names are groups of the results file: a repeated name is refused before the run.
sed -e "s/  set Names = gray, Si/  set Names = Si, Si/" case.prm >twice.prm
"$KAPITZA" twice.prm >twice.log 2>&1 && fail "accepted a repeated material name"
grep -q "Names must be distinct and contain no '/' (not 'Si')" twice.log ||
  fail "unclear error for a repeated name: $(cat twice.log)"

"$PYTHON" - "$SI" "$BUILD_DIR" <<'PYTHON' || fail "provenance checks"
import os, re, sys
import h5py
import numpy as np
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
                   "polar": "8", "azimuth": "4", "half_range": "off", "temperature": "300 K",
                   "force_constants": "none (model material)"}.items():
    assert gray.get(key) == value, f"gray.h5: {key} = {gray.get(key)!r}, expected {value!r}"

# The fc3 conventions as read and as used.
used = "; in the sums: minimum-image phases averaged over equally short images"
conventions = {
    "si.h5": "phono3py fc3.hdf5 compact (2,64,64,3,3,3), used as read (p2s_map of the file)",
    "si-full.h5": "phono3py fc3.hdf5 full (64,64,64,3,3,3), compacted to the rows of the 2 "
                  "primitive atoms (p2s_map of the file)",
    "si-shengbte.h5": "ShengBTE FORCE_CONSTANTS_3RD, 1514 triplets with explicit R2, R3 (0 all zero), "
                      "folded exactly onto compact fc3 on the 3x3x3 supercell of CONTROL's cell (54 atoms)"}
for name, convention in conventions.items():
    with h5py.File(name, "r") as f:
        got = provenance(f)["fc3_convention"]
    assert got.startswith(convention + used), f"{name}: fc3_convention = {got!r}"
with h5py.File("si-shengbte.h5", "r") as f:
    got = provenance(f)["fc2_convention"]
assert got == "ShengBTE FORCE_CONSTANTS_2ND compact (2 x 128 blocks), used as read", got
with h5py.File("si-harmonic.h5", "r") as f:
    got = provenance(f)["fc3_convention"]
assert got == "not read (no three-phonon scattering computed)", got
with h5py.File("si.h5", "r") as compact, h5py.File("si-full.h5", "r") as full:
    assert np.array_equal(compact["tau"][()], full["tau"][()]), "full and compact fc3 differ"

with h5py.File("results.h5", "r") as r:
    assert sorted(r["materials"]) == ["Si", "gray"], list(r["materials"])
    for name, database, copy in (("Si", "si.h5", p), ("gray", "gray.h5", gray)):
        group = r["materials"][name]
        assert os.path.samefile(group.attrs["file"], database), group.attrs["file"]
        assert provenance(group) == copy, f"materials/{name}/provenance differs from {database}"
print("provenance: OK")
PYTHON
