#!/usr/bin/env bash
# Results must not depend on the number of MPI ranks beyond round-off (DESIGN.md section 4):
# a 1D case (gray, thermalizing walls, 50 cells, 2 resolved events), a 2D layer case
# (4 lateral cells, diffuse lateral walls), a gaussian heat source in it with a dense
# collision matrix, a gaussian source in a 3D gray ball (56 cells), a transient from a gaussian
# initial population (20 implicit Euler steps), a dense collision matrix, DMM and AMM
# bilayers, a DMM bilayer with synthetic EELS, and SMM and spectral-DMM bilayers of an ab initio set run on
# 1 and on 2 ranks; every dataset of line/, cells/, events/, interfaces/, eels/, sources/, surface_arrivals/ and transient/ must
# agree to 1e-10 relative to its largest magnitude (temperatures as T - T0; NaN entries
# must sit at the same places). The mode databases kapitza-modes writes for Si-PBEsol on a
# 4x4x4 mesh (relaxation times, the full collision matrix, the full matrices of two
# temperatures from one run) must agree dataset by dataset
# to 1e-12 of the largest magnitude: the ranks' partial collision matrices are summed in
# another order than one rank sums them.
#
#   bash mpi_ranks.sh BUILD_DIR SOURCE_DIR MPIRUN      (ctest passes all three)

set -u
BUILD_DIR=$(cd "${1:?usage: mpi_ranks.sh BUILD_DIR SOURCE_DIR MPIRUN}" && pwd)
SOURCE_DIR=$(cd "${2:?usage: mpi_ranks.sh BUILD_DIR SOURCE_DIR MPIRUN}" && pwd)
MPIRUN=${3:-}
NAME=mpi-ranks
source "$(dirname "${BASH_SOURCE[0]}")/setup.bash"
[ -n "$MPIRUN" ] || fail "no mpirun given (third argument)"

# The 1D case; RESULTS is replaced per run. The 2D case: the 1D one on a layer with 4
# lateral cells between diffuse walls.
CASE_1D=("Mesh/Layers = gray:1e-6:50" "Solver/Events = 2" "Solver/Tolerance = 1e-12" "Output/File = RESULTS")
write_case case-1d.prm "${CASE_1D[@]}"
write_case case-2d.prm "${CASE_1D[@]}" "Dimension = 2" "Mesh/Layers = gray:1e-6:12" "Mesh/Lateral size = 5e-7" \
  "Mesh/Lateral cells = 4" "Boundaries/Lateral = diffuse" "Output/Line points = 100"

# on_ranks RANKS LOG PROGRAM ARGS...: runs the program under mpirun, output to LOG.
on_ranks() {
  local ranks=$1 log=$2
  shift 2
  local extra=()
  [ "$ranks" -gt 1 ] && extra=(--oversubscribe)
  "$MPIRUN" -np "$ranks" "${extra[@]}" --allow-run-as-root "$@" >"$log" 2>&1
}

# run CASE RANKS: writes CASE-RANKS.h5
run() {
  local case=$1 ranks=$2
  local input=$case-np$ranks.prm
  sed "s/RESULTS/$case-np$ranks.h5/" "$case.prm" >"$input"
  on_ranks "$ranks" "$case-np$ranks.out" "$KAPITZA" "$input" ||
    fail "$case on $ranks rank(s) failed: $(cat "$case-np$ranks.out")"
  [ -f "$case-np$ranks.h5" ] || fail "$case on $ranks rank(s) wrote no results"
}

compare() {
  "$PYTHON" - "$1" "$2" <<'EOF'
import sys
import h5py
import numpy as np

one, two = (h5py.File(path, "r") for path in sys.argv[1:3])
t0 = one["summary"].attrs["reference_temperature"]
problems, compared = [], 0
for f in (one, two):
    if f.attrs["converged"] != 1:
        problems.append(f"{f.filename} did not converge")

def walk(group, prefix):
    for name, item in group.items():
        path = prefix + "/" + name
        if isinstance(item, h5py.Group):
            yield from walk(item, path)
        else:
            yield path.lstrip("/")

for top in ("line", "cells", "events", "interfaces", "eels", "sources", "surface_arrivals", "transient"):
    if top not in one and top not in two:
        continue
    names_one = sorted(walk(one[top], top))
    names_two = sorted(walk(two[top], top))
    if names_one != names_two:
        problems.append(f"{top}/ holds different datasets: {names_one} vs {names_two}")
    for name in names_one:
        if name not in two:
            continue
        a, b = one[name][...], two[name][...]
        if a.shape != b.shape:
            problems.append(f"{name}: shape {a.shape} vs {b.shape}")
            continue
        if a.dtype.kind not in "fiub":
            continue
        a, b = a.astype(float), b.astype(float)
        # Absolute temperatures (line/, cells/) as deviations; events/ and transient/ store
        # T - T0 already.
        if name.split("/")[-1] in ("temperature", "scattering_temperature", "modal_temperature") \
                and top not in ("events", "transient"):
            a, b = a - t0, b - t0
        compared += 1
        if not np.array_equal(np.isnan(a), np.isnan(b)):
            problems.append(f"{name}: NaN at different places")
            continue
        a, b = a[~np.isnan(a)], b[~np.isnan(b)]
        scale = np.max(np.abs(a)) if a.size else 0.0
        diff = np.max(np.abs(a - b)) if a.size else 0.0
        if not np.isfinite(diff) or diff > 1e-10 * scale:
            problems.append(f"{name}: max |difference| {diff:.3e} > 1e-10 * {scale:.3e}")

# A drop is a difference of two temperatures: its round-off is that of the temperature
# deviations (compared above to 1e-10 of their largest), not of itself; R = drop / q alike.
deviation = float(np.max(np.abs(one["line/temperature"][...] - t0))) if "line/temperature" in one else 0.0
for name in one["interfaces"]:
    attrs = one["interfaces"][name].attrs
    drop = abs(attrs["temperature_drop"])
    for key in ("temperature_drop", "resistance", "landauer_conductance", "spectral_landauer_conductance"):
        if key not in attrs and key.startswith("spectral"):
            continue  # only with Interfaces/Spectral files
        r1, r2 = attrs[key], two["interfaces"][name].attrs[key]
        compared += 1
        scale = max(1.0, deviation / drop) if key in ("temperature_drop", "resistance") and drop > 0 else 1.0
        if abs(r1 - r2) > 1e-10 * abs(r1) * scale:
            problems.append(f"interfaces/{name} {key} {r1!r} vs {r2!r}")

if "sources" in one:
    p1, p2 = one["sources"].attrs["power"], two["sources"].attrs["power"]
    compared += 1
    if abs(p1 - p2) > 1e-12 * abs(p1):
        problems.append(f"sources power {p1!r} vs {p2!r}")

q1, q2 = one["summary"].attrs["mean_heat_flux"], two["summary"].attrs["mean_heat_flux"]
if abs(q1 - q2) > 1e-10 * abs(q1):
    problems.append(f"summary mean_heat_flux {q1!r} vs {q2!r}")
if compared == 0:
    problems.append("no datasets compared")
for p in problems:
    print("MISMATCH " + p)
print(f"{compared} datasets compared")
sys.exit(1 if problems else 0)
EOF
}

# A dense collision matrix exercises the gathered mixing step: the rank-one RTA of
# gray.h5 written out as Omega = diag(1/tau) - M_rta (energy conserving to round-off).
"$PYTHON" - <<'EOF' || fail "cannot write dense.h5"
import h5py, numpy as np
hbar, kB = 1.054571817e-34, 1.380649e-23
with h5py.File("gray.h5", "r") as g, h5py.File("dense.h5", "w") as d:
    for key, value in g.attrs.items():
        d.attrs[key] = value
    omega, density, tau = g["omega"][()], g["density"][()], g["tau"][()]
    t0 = g.attrs["temperature"]
    x = hbar * omega / (kB * t0)
    w = np.exp(-x) / (1 - np.exp(-x)) ** 2
    c = density * (hbar * omega) ** 2 * w / (kB * t0 ** 2)
    h, rate = hbar * omega, 1 / tau
    a = c * rate / h / np.dot(c, rate)
    d["omega"], d["velocity"], d["density"] = omega, g["velocity"][()], density
    d["collision"] = np.diag(rate) - np.outer(h * rate, a)
EOF
write_case case-dense.prm "${CASE_1D[@]}" "Materials/Files = dense.h5"
# A heat source: a gaussian off the centre of the 2D case, emitted by the dense matrix.
write_case case-source.prm "${CASE_1D[@]}" "Dimension = 2" "Mesh/Layers = gray:1e-6:12" \
  "Mesh/Lateral size = 5e-7" "Mesh/Lateral cells = 4" "Boundaries/Lateral = diffuse" \
  "Output/Line points = 100" "Materials/Files = dense.h5" "Sources/Profile = gaussian" \
  "Sources/Density = 1e15" "Sources/Centre = 3e-7, 2e-7, 0" "Sources/Width = 1e-7"
# In 3D: a gaussian off the centre of a gray ball with a black surface.
write_case case-ball.prm "${CASE_1D[@]}" "Dimension = 3" "Mesh/Generator = ball" "!Mesh/Layers" \
  "Mesh/Radius = 2e-7" "Mesh/Refinements = 1" "Boundaries/Left = thermalizing 300" \
  "Output/Line points = 40" "Sources/Profile = gaussian" "Sources/Density = 1e15" \
  "Sources/Centre = 3e-8, 2e-8, -1e-8" "Sources/Width = 5e-8"

# A transient (implicit Euler) from an off-centre gaussian as the initial population.
write_case case-transient.prm "${CASE_1D[@]}" "Solver/Events = 0" "Solver/Method = transient" \
  "Transient/Time step = 2e-11" "Transient/Steps = 20" "Transient/Output every = 5" "Sources/Profile = gaussian" \
  "Sources/Density = 1e15" "Sources/Centre = 3e-7, 0, 0" "Sources/Width = 1e-7"

# Interfaces: a bilayer with a second gray material, by DMM and by AMM.
"$MATERIAL" gray --name b --out b.h5 --mfp 3e-7 --speed 3000 --heat-capacity 2e6 --polar 8 \
  --azimuth 4 >>material.log 2>&1 || fail "kapitza-material gray b: $(cat material.log)"
for model in dmm amm; do
  write_case case-$model.prm "${CASE_1D[@]}" "Materials/Names = gray, b" "Materials/Files = gray.h5, b.h5" \
    "Mesh/Layers = gray:5e-7:25, b:5e-7:25" "Interfaces/Model = $model" "Interfaces/Mass densities = 3000, 5000"
done

# Synthetic EELS: a gray | spectral bilayer (modes 5-110 meV, the gray at 6.6 meV), a
# 50 nm probe that spans several cells and the interface, windows in both materials.
# Its heat flux amplifies the solve's error about 300-fold (1e-12 left 1 and 2 ranks
# 2e-10 apart, each within its tolerance), so it is solved to 1e-14: the comparison at
# 1e-10 then sees round-off, not two different stopping points of GMRES.
"$PYTHON" - <<'EOF' || fail "cannot write spectral.h5"
import h5py, numpy as np
hbar, eV = 1.054571817e-34, 1.602176634e-19
energy = np.repeat(np.linspace(0.005, 0.110, 300) * eV, 2)
with h5py.File("spectral.h5", "w") as f:
    for key, value in dict(format="kapitza-modes", version=1, material="spectral",
                           temperature=300.0, statistics="bose").items():
        f.attrs[key] = value
    f["omega"] = energy / hbar
    velocity = np.zeros((energy.size, 3))
    velocity[:, 0] = np.tile([2000.0, -2000.0], energy.size // 2)
    f["velocity"], f["density"] = velocity, 1e27 * (energy / energy.max()) ** 2
    f["tau"] = np.full(energy.size, 2e-11)
EOF
write_case case-eels.prm "${CASE_1D[@]}" "Materials/Names = gray, spectral" \
  "Materials/Files = gray.h5, spectral.h5" "Mesh/Layers = gray:5e-7:25, spectral:5e-7:25" \
  "Solver/Tolerance = 1e-14" "EELS/Enabled = true" "EELS/Energy resolution = 0.005" "EELS/Probe size = 5e-8" \
  "EELS/Fit window = 0.02, top" "EELS/Windows = gray:0.004:0.009, optical:0.08:0.1"

for case in case-1d case-2d case-source case-ball case-transient case-dense case-dmm case-amm case-eels; do
  run "$case" 1
  run "$case" 2
  report=$(compare "$case-np1.h5" "$case-np2.h5") ||
    fail "$case: 1 and 2 ranks differ:
$report"
  echo "ok: $case gives the same results on 1 and 2 ranks ($(echo "$report" | tail -1))"
done

# Mode databases from force constants: the q-points (rta: the irreducible ones) are shared
# among the ranks and the collision matrix is summed over them.
compare_databases() {
  "$PYTHON" - "$1" "$2" <<'EOF'
import sys
import h5py
import numpy as np

one, two = (h5py.File(path, "r") for path in sys.argv[1:3])
problems = []
if sorted(one) != sorted(two):
    problems.append(f"different datasets: {sorted(one)} vs {sorted(two)}")
for name in sorted(set(one) & set(two)):
    if isinstance(one[name], h5py.Group):  # provenance: the same inputs, only the date differs
        a, b = (dict(f[name].attrs) for f in (one, two))
        for attrs in (a, b):
            attrs.pop("date", None)
        if a != b:
            problems.append(f"{name}: {a} vs {b}")
        continue
    a, b = one[name][()], two[name][()]
    if a.shape != b.shape:
        problems.append(f"{name}: shape {a.shape} vs {b.shape}")
        continue
    scale, diff = np.max(np.abs(a)), np.max(np.abs(a - b))
    if not np.isfinite(diff) or diff > 1e-12 * scale:
        problems.append(f"{name}: max |difference| {diff:.3e} > 1e-12 * {scale:.3e}")
for name in sys.argv[3:]:
    if name not in one:
        problems.append(f"no {name} dataset")
for p in problems:
    print("MISMATCH " + p)
print(f"{len(one)} datasets compared")
sys.exit(1 if problems else 0)
EOF
}

MODES=$BUILD_DIR/kapitza-modes
[ -x "$MODES" ] || fail "$MODES is not built"
# modes_on_ranks NAME TEMPERATURES OPTIONS...: kapitza-modes for Si-PBEsol 4x4x4 at the
# TEMPERATURES (one word, or several quoted) on 1 and 2 ranks, writing NAME-T-npR.h5; the
# databases of each temperature must agree.
modes_on_ranks() {
  local name=$1 temperatures=$2 required=(tau)
  shift 2
  [[ " $* " == *" full "* ]] && required+=(collision)
  for ranks in 1 2; do
    # shellcheck disable=SC2086 # the temperatures are words
    on_ranks "$ranks" "$name-np$ranks.out" "$MODES" --fc "$SOURCE_DIR/inputs/materials/Si-PBEsol" \
      --mesh 4 4 4 --temperature $temperatures --out "$name-{T}-np$ranks.h5" "$@" ||
      fail "kapitza-modes $* on $ranks rank(s) failed: $(cat "$name-np$ranks.out")"
  done
  for t in $temperatures; do
    report=$(compare_databases "$name-$t-np1.h5" "$name-$t-np2.h5" "${required[@]}") ||
      fail "kapitza-modes --temperature $temperatures $*: 1 and 2 ranks differ at $t K:
$report"
    echo "ok: kapitza-modes --temperature $temperatures $*: the same $t K database on 1 and 2 ranks" \
      "($(echo "$report" | tail -1))"
  done
}
modes_on_ranks si-rta 300 --collision rta
modes_on_ranks si-full 300 --collision full
# Several temperatures: every rank sums one matrix per temperature, each reduced on its own.
modes_on_ranks si-full-temperatures "300 500" --collision full

# The strain mismatch model on an ab initio set (it needs wavevectors): a Si | Si bilayer of
# the 4x4x4 relaxation-time database with a given dislocation array.
write_case case-smm.prm "${CASE_1D[@]}" "Materials/Names = Si, Si2" \
  "Materials/Files = si-rta-300-np1.h5, si-rta-300-np1.h5" "Mesh/Layers = Si:5e-7:25, Si2:5e-7:25" \
  "Interfaces/Model = smm" "Interfaces/Frequency bins = 20" "Interfaces/Dislocation spacing = 5e-9" \
  "Interfaces/Burgers vector = 3.84e-10"
# DMM with converged spectra: the same bilayer with the channel capacities of a dense 8x8x8
# harmonic set (Interfaces/Spectral files; the 4x4x4 wavevectors lie on its mesh).
"$MODES" --fc "$SOURCE_DIR/inputs/materials/Si-PBEsol" --mesh 8 8 8 --collision none --out si-dense.h5 \
  >si-dense.out 2>&1 || fail "kapitza-modes --collision none on 8x8x8 failed: $(cat si-dense.out)"
write_case case-spectral.prm "${CASE_1D[@]}" "Materials/Names = Si, Si2" \
  "Materials/Files = si-rta-300-np1.h5, si-rta-300-np1.h5" "Mesh/Layers = Si:5e-7:25, Si2:5e-7:25" \
  "Interfaces/Model = dmm" "Interfaces/Spectral files = si-dense.h5, si-dense.h5"
# SMM computed on the dense sets, carried by the transport modes' groups (Re-emission = classes).
write_case case-smm-classes.prm "${CASE_1D[@]}" "Materials/Names = Si, Si2" \
  "Materials/Files = si-rta-300-np1.h5, si-rta-300-np1.h5" "Mesh/Layers = Si:5e-7:25, Si2:5e-7:25" \
  "Interfaces/Model = smm" "Interfaces/Frequency bins = 20" "Interfaces/Dislocation spacing = 5e-9" \
  "Interfaces/Burgers vector = 3.84e-10" "Interfaces/Re-emission = classes" \
  "Interfaces/Spectral files = si-dense.h5, si-dense.h5"
# AMM computed on the dense sets refined along the normal (amm with Spectral files).
write_case case-amm-dense.prm "${CASE_1D[@]}" "Materials/Names = Si, Si2" \
  "Materials/Files = si-rta-300-np1.h5, si-rta-300-np1.h5" "Mesh/Layers = Si:5e-7:25, Si2:5e-7:25" \
  "Interfaces/Model = amm" "Interfaces/Frequency bins = 20" "Interfaces/Mass densities = 2329, 2329" \
  "Interfaces/Spectral files = si-dense.h5, si-dense.h5" "Interfaces/Normal refinement = 4"
for case in case-smm case-spectral case-smm-classes case-amm-dense; do
  run "$case" 1
  run "$case" 2
  report=$(compare "$case-np1.h5" "$case-np2.h5") || fail "$case: 1 and 2 ranks differ:
$report"
  echo "ok: $case gives the same results on 1 and 2 ranks ($(echo "$report" | tail -1))"
done
"$PYTHON" -c "import h5py, sys
sys.exit(0 if all('spectral_landauer_conductance' in g.attrs for g in h5py.File('case-spectral-np1.h5')['interfaces'].values()) else 1)" ||
  fail "case-spectral wrote no spectral Landauer conductance: its spectral files were not used"
