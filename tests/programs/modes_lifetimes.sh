#!/usr/bin/env bash
# kapitza-modes --lifetimes-from COARSE.h5: a dense set's three-phonon rates interpolated
# from a coarser rta database of the same force constants. Checked:
#   - on the coarse mesh itself the rates are the coarse ones (to round-off);
#   - on a mesh twice as fine, every mode at a coarse point keeps its coarse lifetime, and
#     every other mode's omega^2 tau lies between the smallest and largest of its band on
#     the coarse mesh (trilinear weights are a convex combination);
#   - the provenance names the coarse file and carries its smearing and isotopes;
#   - {T} gives each temperature its own coarse database;
#   - mismatches are refused in one line before the dense mesh: another temperature,
#     another crystal, other force constants of the same cell, a harmonic or full-matrix
#     database, --isotopes or --collision full, a missing file;
#   - --partner-mesh (rates at the dense q, partner sums on a sub-mesh) gives the same
#     lifetimes on two ranks as on one (under mpirun), is recorded in the
#     provenance and refused with --collision full, --lifetimes-from, a non-dividing size or
#     one without the crystal's symmetry.
#
#   bash modes_lifetimes.sh BUILD_DIR SOURCE_DIR [MPIRUN]      (ctest passes all three)
set -u
NAME=modes_lifetimes
source "$(dirname "$0")/modes_setup.bash"
MPIRUN=${3:-}
SI=$SOURCE_DIR/inputs/materials/Si-PBEsol

# modes LOG OPTIONS...: a Si-PBEsol database.
modes() {
  local log=$1
  shift
  "$MODES" --fc "$SI" "$@" >"$log" 2>&1 || fail "$log: $(cat "$log")"
}
# refused WHAT OPTIONS...: exits non-zero with one line and writes no refused.h5.
refused() {
  local what=$1
  shift
  "$MODES" "$@" --out refused.h5 >refused.log 2>&1 && fail "accepted $what"
  [ "$(wc -l <refused.log)" -eq 1 ] || fail "$what: not one line: $(cat refused.log)"
  [ -e refused.h5 ] && fail "$what: wrote a file"
  grep -q "Traceback\|terminate\|HDF5-DIAG" refused.log && fail "$what: raw library text"
  echo "refused $what: $(cat refused.log)"
}

modes coarse.log --mesh 3 3 3 --collision rta --temperature 300 500 --out 'coarse-{T}.h5'
modes self.log --mesh 3 3 3 --collision rta --temperature 300 500 --lifetimes-from 'coarse-{T}.h5' --out 'self-{T}.h5'
modes dense.log --mesh 6 6 6 --collision rta --temperature 500 --lifetimes-from 'coarse-{T}.h5' --out dense.h5

"$PYTHON" - <<'PYEOF' || fail "interpolated rates"
import h5py
import numpy as np

def load(name):
    with h5py.File(name, "r") as f:
        prov = {k: (v.decode() if isinstance(v, bytes) else str(v)) for k, v in f["provenance"].attrs.items()}
        cell, q = f["cell"][()], f["wavevector"][()]
        # Position in steps of the mesh: x_i = q . a_i n_i / (2 pi).
        x = q @ cell.T * np.array([int(n) for n in prov["q_mesh"].split()]) / (2 * np.pi)
        return dict(omega=f["omega"][()], tau=f["tau"][()], branch=f["branch"][()], x=x, prov=prov,
                    T=float(f.attrs["temperature"]))

for T in (300, 500):
    a, b = load(f"coarse-{T}.h5"), load(f"self-{T}.h5")
    assert np.array_equal(a["branch"], b["branch"]) and np.allclose(a["x"], b["x"], atol=1e-9)
    err = np.max(np.abs(b["tau"] / a["tau"] - 1))
    assert err <= 1e-13, f"{T} K: own mesh differs by {err}"
    print(f"own mesh at {T} K: tau equal to {err:.1e}")

coarse, dense = load("coarse-500.h5"), load("dense.h5")
assert dense["T"] == 500
scaled_c = coarse["tau"] * coarse["omega"] ** 2
scaled_d = dense["tau"] * dense["omega"] ** 2
key = {(tuple(np.rint(x).astype(int) % 3), s): mu for mu, (x, s) in enumerate(zip(coarse["x"], coarse["branch"]))}
on_coarse = 0
for mu, (x, s) in enumerate(zip(dense["x"], dense["branch"])):
    address = np.rint(x).astype(int) % 6
    if np.all(address % 2 == 0) and (tuple(address // 2), s) in key:
        nu = key[(tuple(address // 2), s)]
        assert abs(dense["tau"][mu] / coarse["tau"][nu] - 1) <= 1e-12, (mu, nu)
        on_coarse += 1
    band = scaled_c[coarse["branch"] == s]
    assert band.min() * (1 - 1e-12) <= scaled_d[mu] <= band.max() * (1 + 1e-12), (mu, s)
assert on_coarse == 27 * 6 - 3, on_coarse
print(f"6^3 from 3^3: {on_coarse} modes on coarse points keep their lifetimes; all within their band's range")
assert "interpolated from coarse-500.h5 (q_mesh 3 3 3)" in dense["prov"]["lifetimes"], dense["prov"]
assert dense["prov"]["smearing"] == coarse["prov"]["smearing"] and dense["prov"]["isotopes"] == "off"
assert dense["prov"]["q_mesh"] == "6 6 6" and dense["prov"]["collision"] == "rta"
PYEOF
echo "interpolation: exact on coarse points, convex elsewhere, provenance recorded"

modes harmonic.log --mesh 3 3 3 --collision none --out harmonic.h5
modes full.log --mesh 3 3 3 --collision full --out full.h5
refused "another temperature" --fc "$SI" --mesh 6 6 6 --collision rta --temperature 400 --lifetimes-from coarse-500.h5
refused "another crystal" --fc "$SOURCE_DIR/inputs/materials/Si-SW" --mesh 6 6 6 --collision rta \
  --temperature 500 --lifetimes-from coarse-500.h5
# The same cell and masses, force constants 1 % stiffer: only the frequencies tell.
mkdir stiff && cp "$SI"/* stiff/
"$PYTHON" -c "import h5py; f = h5py.File('stiff/fc2.hdf5', 'r+'); f['force_constants'][...] *= 1.01" ||
  fail "could not write stiff/fc2.hdf5"
refused "other force constants" --fc stiff --mesh 6 6 6 --collision rta --temperature 500 --lifetimes-from coarse-500.h5
refused "a harmonic database" --fc "$SI" --mesh 6 6 6 --collision rta --lifetimes-from harmonic.h5
refused "a full-matrix database" --fc "$SI" --mesh 6 6 6 --collision rta --lifetimes-from full.h5
refused "--isotopes" --fc "$SI" --mesh 6 6 6 --collision rta --isotopes --temperature 500 --lifetimes-from coarse-500.h5
refused "--collision full" --fc "$SI" --mesh 6 6 6 --collision full --temperature 500 --lifetimes-from coarse-500.h5
refused "a missing file" --fc "$SI" --mesh 6 6 6 --collision rta --lifetimes-from missing.h5
# --partner-mesh: rates at every dense q with the partner sums on a sub-mesh; the
# provenance says so, and misuse is refused in one line before any work.
modes partners.log --mesh 6 6 6 --collision rta --temperature 500 --partner-mesh 3 3 3 --out partners.h5
"$PYTHON" -c "
import h5py
p = h5py.File('partners.h5', 'r')['provenance'].attrs
assert p['partner_mesh'] == '3 3 3' and p['q_mesh'] == '6 6 6', dict(p)" || fail "partner mesh provenance"
# Each rank tabulates the cosets of its block of rows: two ranks give one rank's lifetimes.
if [ -n "$MPIRUN" ]; then
  "$MPIRUN" -np 2 --allow-run-as-root "$MODES" --fc "$SI" --mesh 6 6 6 --collision rta --temperature 500 \
    --partner-mesh 3 3 3 --out partners-mpi.h5 >partners-mpi.log 2>&1 || fail "mpirun: $(cat partners-mpi.log)"
  "$PYTHON" - partners.h5 partners-mpi.h5 <<'PYEOF' || fail "two ranks' partner lifetimes differ from one rank's"
import sys, h5py, numpy as np
one, two = (h5py.File(name, "r")["tau"][()] for name in sys.argv[1:])
difference = np.max(np.abs(two / one - 1))
print(f"partner sub-mesh lifetimes, 2 ranks against 1: largest relative difference {difference:.1e}")
assert difference < 1e-12
PYEOF
fi
refused "--partner-mesh 4 3 3 on a 6^3 mesh" --fc "$SI" --mesh 6 6 6 --collision rta --partner-mesh 4 3 3
refused "--partner-mesh 3 3 6 (not cubic) on a 6^3 mesh" --fc "$SI" --mesh 6 6 6 --collision rta --partner-mesh 3 3 6
refused "--partner-mesh with --collision full" --fc "$SI" --mesh 6 6 6 --collision full --partner-mesh 3 3 3
refused "--partner-mesh with --lifetimes-from" --fc "$SI" --mesh 6 6 6 --collision rta --partner-mesh 3 3 3 \
  --temperature 500 --lifetimes-from coarse-500.h5
echo "modes_lifetimes: OK"
