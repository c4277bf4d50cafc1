"""Reading kapitza results files (DESIGN.md section 5, docs/results.md) for the plotting
scripts: a one-line error for a file that is not a results file, the convergence record,
the material layers along x, and the heat capacities of the branch groups (from the mode
databases the run read) that weight modal temperatures into acoustic and optical ones."""
from pathlib import Path

import h5py
import numpy as np

HBAR, KB = 1.054571817e-34, 1.380649e-23
REQUIRED = ("line/position", "line/temperature", "line/heat_flux")
ACOUSTIC = ("TA1", "TA2", "LA")  # kapitza-modes' labels of the three lowest bands
# The capacity-weighted mean of all branch groups is the local temperature (each mode is in
# exactly one branch); a larger relative misfit means the databases are not the run's.
CAPACITY_CHECK = 1e-9
# Net C v_x of a branch relative to its sum C |v_x|; time-reversal pairs cancel to round-off.
IMBALANCE = 1e-9


class ResultsError(Exception):
    """A file that cannot be plotted, with a one-line reason."""


def text(value):
    """HDF5 strings come back as bytes or str."""
    return value.decode() if isinstance(value, bytes) else str(value)


def open_results(path):
    """The open results file, or ResultsError when `path` is not one."""
    path = Path(path)
    if not path.is_file():
        raise ResultsError(f"{path}: no such file")
    if not h5py.is_hdf5(path):
        raise ResultsError(f"{path}: not an HDF5 file (expected a kapitza results file)")
    try:
        f = h5py.File(path, "r")
    except OSError as error:
        raise ResultsError(f"{path}: cannot be read ({error.__class__.__name__})") from None
    found = text(f.attrs.get("format", "none"))
    missing = [name for name in REQUIRED if name not in f] + \
        [f"attribute {a}" for a in ("converged", "iterations", "residual") if a not in f.attrs]
    if found != "kapitza-results" or missing:
        f.close()
        reason = f"format '{found}'" if found != "kapitza-results" else "no " + ", ".join(missing)
        raise ResultsError(f"{path}: not a kapitza results file ({reason})")
    return f


def convergence_note(f):
    """None for a converged run, else the text that marks its plots."""
    if int(f.attrs["converged"]):
        return None
    return (f"NOT CONVERGED: residual {float(f.attrs['residual']):.2g} after "
            f"{int(f.attrs['iterations'])} iterations")


def interfaces(f):
    """(position [m], attributes) of every interface, in +x order."""
    if "interfaces" not in f:
        return []
    found = [(float(g.attrs["position"]), dict(g.attrs)) for g in f["interfaces"].values()]
    return sorted(found, key=lambda item: item[0])


def layers(f):
    """(material, x_lo, x_hi) of each layer along the probe line, from the interfaces;
    one layer of the only material when there is no interface. None when the materials
    along x are not known (several materials without layer interfaces)."""
    x = f["line/position"][()]
    found = interfaces(f)
    if not found:
        names = list(f["materials"]) if "materials" in f else []
        return [(names[0], x.min(), x.max())] if len(names) == 1 else None
    bounds = [x.min()] + [position for position, _ in found] + [x.max()]
    names = [text(found[0][1]["materials"][0])] + [text(a["materials"][1]) for _, a in found]
    return [(name, bounds[k], bounds[k + 1]) for k, name in enumerate(names)]


def group_labels(f):
    return [text(s) for s in np.atleast_1d(f["line/modal_temperature"].attrs["group_labels"])]


def family(label):
    """'acoustic', 'optical' (kapitza-modes branch labels) or 'bins' (frequency bins)."""
    if label in ACOUSTIC:
        return "acoustic"
    if label[:1] == "O" and label[1:].isdigit():
        return "optical"
    return "bins"


def database(f, results_path, material):
    """The mode database of `material` the run read: its path as the results file records
    it (relative to the folder the run started in), else beside the results file."""
    if f"materials/{material}" not in f:
        return None
    recorded = Path(text(f[f"materials/{material}"].attrs["file"]))
    folder = Path(results_path).resolve().parent
    for candidate in (recorded, folder / recorded, folder / recorded.name):
        if candidate.is_file():
            return candidate
    return None


def mode_capacities(db):
    """Heat capacity of each mode [J/(m^3 K)] of an open database, as ModeSet::heat_capacity."""
    y = HBAR * db["omega"][()] / (KB * float(db.attrs["temperature"]))
    density = db["density"][()]
    if text(db.attrs["statistics"]) == "bose":
        return KB * density * y * y * np.exp(-y) / (1 - np.exp(-y)) ** 2
    return KB * density


def branch_capacities(path, labels):
    """Heat capacity [J/(m^3 K)] of each branch group `labels` (0 where the database has
    none) from a kapitza-modes database, as the solver weighs modal temperatures."""
    with h5py.File(path, "r") as db:
        if "branch" not in db or "labels" not in db["branch"].attrs:
            raise ResultsError(f"{path}: the mode database has no branch labels")
        names = [text(s) for s in db["branch"].attrs["labels"]]
        branch = db["branch"][()]
        capacity = mode_capacities(db)
    groups = np.zeros(len(labels))
    for b, name in enumerate(names):
        if name in labels:
            groups[labels.index(name)] = capacity[branch == b].sum()
    return groups


def current_imbalance(path):
    """Largest net heat-current weight |sum C v_x| / sum C |v_x| of one branch and of the
    acoustic or optical branches together. Zero when every mode's -q partner carries the
    same label; otherwise the group's temperature also responds to the heat flux itself."""
    with h5py.File(path, "r") as db:
        names = [text(s) for s in db["branch"].attrs["labels"]]
        branch, v, capacity = db["branch"][()], db["velocity"][:, 0], mode_capacities(db)
    net, gross = np.zeros(len(names)), np.zeros(len(names))
    np.add.at(net, branch, capacity * v)
    np.add.at(gross, branch, capacity * np.abs(v))
    kinds = np.array([family(n) for n in names])
    by_family = [abs(net[kinds == k].sum()) / gross[kinds == k].sum()
                 for k in ("acoustic", "optical") if (kinds == k).any()]
    return np.max(np.abs(net) / np.maximum(gross, 1e-300)), max(by_family)


def checked_capacities(f, results_path, material, inside):
    """branch_capacities() of `material`, checked on the line points `inside` its layer:
    the capacity-weighted mean of the branch temperatures must be the local temperature.
    Returns (capacities or None, notes: why None, or why the branch temperatures are not
    only a non-equilibrium)."""
    path = database(f, results_path, material)
    if path is None:
        return None, [f"the mode database of {material} is not found"]
    labels = group_labels(f)
    capacity = branch_capacities(path, labels)
    deviation = f["line/modal_temperature"][()][:, inside] - f["line/temperature"][()][inside]
    misfit = np.abs(capacity @ deviation).max() / capacity.sum()
    scale = max(np.abs(deviation[capacity > 0]).max(), 1e-300)
    if misfit > CAPACITY_CHECK * scale:
        return None, [f"{path} does not reproduce the temperature of {material} "
                      f"(misfit {misfit:.2g} K): not the database of this run"]
    branch, by_family = current_imbalance(path)
    if branch > IMBALANCE:
        return capacity, [f"{material}: the branch labels of {path.name} split modes from their -q "
                          f"partners (net C v_x up to {100 * branch:.0f} % of sum C |v_x| per branch, "
                          f"{100 * by_family:.0f} % per family), so its branch temperatures include a "
                          "part proportional to the heat flux, also in the bulk"]
    return capacity, []
