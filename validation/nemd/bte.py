"""The BTE side: kapitza-modes databases with classical statistics from the same force
constants as the MD potential, and kapitza runs of the same bar between thermalizing walls."""
import re
import subprocess
import time
from dataclasses import dataclass

import h5py
import numpy as np

CELLS_PER_SIDE = 60  # DG p = 1 cells per material: 0.2 nm for 13 nm, finer than an MD slab
LINE_POINTS = 1000
FREQUENCY_BINS = 60  # interface channels (as validation/si_ge)
OUTPUT_FREQUENCY_BINS = 6  # modal temperatures by frequency
TOLERANCE = 1e-10


@dataclass
class Model:
    name: str
    settings: dict  # Interfaces subsection entries


def write_database(modes_program, crystal, mesh, temperature, out, log, mpirun=()):
    """RTA database of one material at T with classical statistics."""
    cmd = [*mpirun, str(modes_program), "--fc", str(crystal.folder), "--mesh", *[str(mesh)] * 3,
           "--collision", "rta", "--statistics", "classical", "--temperature", f"{temperature:g}",
           "--material", crystal.name, "--out", str(out)]
    run(cmd, log)


def run(cmd, log):
    with open(log, "w") as stream:
        if subprocess.run([str(c) for c in cmd], stdout=stream, stderr=subprocess.STDOUT).returncode != 0:
            raise SystemExit(f"nemd: {' '.join(map(str, cmd))} failed (see {log})")


def case_text(crystals, files, lengths, walls, temperature, model, out):
    settings = "".join(f"  set {k} = {v}\n" for k, v in model.settings.items())
    layers = ", ".join(f"{c.name}:{length:.6e}:{CELLS_PER_SIDE}" for c, length in zip(crystals, lengths))
    return f"""set Dimension = 1
subsection Materials
  set Names = {', '.join(c.name for c in crystals)}
  set Files = {', '.join(files)}
end
subsection Mesh
  set Layers = {layers}
end
subsection Boundaries
  set Left = thermalizing {walls[0]:g}
  set Right = thermalizing {walls[1]:g}
end
subsection Interfaces
  set Model = {model.name.split('-')[0]}
  set Frequency bins = {FREQUENCY_BINS}
{settings}end
subsection Solver
  set Reference temperature = {temperature:g}
  set Statistics = classical
  set Tolerance = {TOLERANCE:g}
end
subsection Output
  set File = {out}
  set Write vtu = false
  set Line points = {LINE_POINTS}
  set Frequency bins = {OUTPUT_FREQUENCY_BINS}
end
"""


@dataclass
class BteResult:
    model: str
    x: np.ndarray  # [m]
    temperature: np.ndarray
    modal: np.ndarray  # (groups, points)
    present: np.ndarray  # (groups, points): 1 where the group has modes
    labels: list
    interface: dict  # attributes of interfaces/0
    interface_spectrum: dict  # its datasets: frequency [rad/s], transmission (2, K), spectral_heat_flux
    wall_time: float


def solve(kapitza, workdir, crystals, files, lengths, walls, temperature, model):
    """Run one model; None and the program's last line when kapitza refuses the case."""
    prm = workdir / f"{model.name}.prm"
    prm.write_text(case_text(crystals, files, lengths, walls, temperature, model, f"{model.name}.h5"))
    log = workdir / f"{model.name}.log"
    start = time.perf_counter()
    with open(log, "w") as stream:
        status = subprocess.run([str(kapitza), str(prm)], stdout=stream, stderr=subprocess.STDOUT).returncode
    wall = time.perf_counter() - start
    if status != 0:
        lines = [s for s in log.read_text().splitlines() if s.strip()]
        return None, lines[-1] if lines else f"exit status {status}"
    with h5py.File(workdir / f"{model.name}.h5") as f:
        labels = [str(s) for s in f["line/modal_temperature"].attrs["group_labels"]]
        spectrum = {k: f[f"interfaces/0/{k}"][:] for k in ("frequency", "transmission", "spectral_heat_flux")}
        return BteResult(model.name, f["line/position"][:], f["line/temperature"][:],
                         f["line/modal_temperature"][:], f["line/modal_present"][:], labels,
                         dict(f["interfaces/0"].attrs), spectrum, wall), None


def branch_weights(database, labels):
    """Heat capacity of each branch label (classical: k_B per state, i.e. the summed densities)."""
    with h5py.File(database) as f:
        branch, density = f["branch"][:], f["density"][:]
        names = [str(s) for s in f["branch"].attrs["labels"]]
    return np.array([density[branch == names.index(s)].sum() for s in labels])


def sound_speed(database):
    """LA group velocity along x [m/s] at the database's smallest wavevector along x (a tenth
    of the way to X on a 19^3 mesh: within about a percent of the long-wave limit)."""
    with h5py.File(database) as f:
        q, velocity, branch = f["wavevector"][:], f["velocity"][:], f["branch"][:]
        names = [str(s) for s in f["branch"].attrs["labels"]]
    along = (np.abs(q[:, 1:]).max(axis=1) < 1e-9 * np.abs(q).max()) & (np.abs(q[:, 0]) > 0) \
        & (branch == names.index("LA"))
    k = np.where(along)[0][np.argmin(np.abs(q[along, 0]))]
    return abs(velocity[k, 0])


def group_temperature(result, labels, weights):
    """Heat-capacity-weighted temperature of several branch groups along the line."""
    rows = [result.labels.index(s) for s in labels]
    return (weights[:, None] * result.modal[rows]).sum(axis=0) / weights.sum()


def frequency_bins(labels):
    """Rows and edges [rad/s] of kapitza's frequency-bin groups (labels 'a-b THz')."""
    rows, edges = [], []
    for i, s in enumerate(labels):
        match = re.fullmatch(r"([0-9.e+]+)-([0-9.e+]+) THz", s)
        if match:
            rows.append(i)
            edges.append([float(match.group(1)), float(match.group(2))])
    return rows, 2e12 * np.pi * np.array(edges)
