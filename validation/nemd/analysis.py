"""Steady-state observables of the NEMD blocks: profiles, drop, flux, conductance, modal
temperatures, with uncertainties from block averages (jackknife over the blocks of every
seed; blocks are long against the correlation times of the sampled quantities)."""
import numpy as np

# The interface drop is extrapolated from linear fits over this part of each side's free
# length (fractions from the bath side to the interface), kapitza's default
# `Interfaces/Fit window`: away from the bath contacts and from the interface region.
FIT_WINDOW = (0.25, 0.75)


def jackknife(blocks, estimator):
    """Estimate over all blocks and its jackknife standard error."""
    n = len(blocks)
    value = estimator(np.arange(n))
    partial = np.array([estimator(np.delete(np.arange(n), i)) for i in range(n)])
    error = np.sqrt((n - 1) / n * ((partial - partial.mean(axis=0)) ** 2).sum(axis=0))
    return value, error


def side_windows(x, interface, left_end, right_end, window=FIT_WINDOW):
    """Masks of the points of x inside each side's fit window."""
    lo, hi = window
    left = (x >= interface - (1 - lo) * (interface - left_end)) & (x <= interface - (1 - hi) * (interface - left_end))
    right = (x >= interface + (1 - hi) * (right_end - interface)) & (x <= interface + (1 - lo) * (right_end - interface))
    return left, right


def interface_drop(x, temperature, interface, left_end, right_end):
    """T_left(x_i) - T_right(x_i) from linear fits over the two windows, and the gradients."""
    drop, slopes = 0.0, []
    for sign, mask in zip((1, -1), side_windows(x, interface, left_end, right_end)):
        slope, intercept = np.polyfit(x[mask], temperature[mask], 1)
        drop += sign * (slope * interface + intercept)
        slopes.append(slope)
    return drop, slopes


def merge_blocks(record, merge):
    """A record whose blocks are `merge` consecutive blocks of the original (the blocking
    analysis: slow modes make short blocks correlated and their errors too small)."""
    n = len(record["bath_energy"]) // merge
    out = dict(record)
    for key, value in record.items():
        if key == "bath_energy":
            out[key] = value[:n * merge].reshape(n, merge, *value.shape[1:]).sum(axis=1)
        elif key == "layer_temperature" or key.startswith("modal_temperature_"):
            out[key] = value[:n * merge].reshape(n, merge, *value.shape[1:]).mean(axis=1)
    out["block_seconds"] = np.array(float(record["block_seconds"]) * merge)
    return out


class NemdResult:
    """All blocks of all seeds of one case, and the observables computed from them."""

    def __init__(self, records, bar, starts, slab_layers, modes, merge=1):
        self.bar, self.starts, self.slab_layers, self.modes = bar, starts, slab_layers, modes
        self.merge = merge
        records = [merge_blocks(r, merge) for r in records]
        self.layer_temperature = np.vstack([r["layer_temperature"] for r in records])
        energy = np.vstack([r["bath_energy"] for r in records])  # taken from the atoms: hot < 0, cold > 0
        self.block_seconds = float(records[0]["block_seconds"])
        seconds = np.full(len(energy), self.block_seconds)
        self.hot_flux = -energy[:, 0] / (bar.area() * seconds)
        self.cold_flux = energy[:, 1] / (bar.area() * seconds)
        self.modal = {m: np.vstack([r[f"modal_temperature_{m}"] for r in records]) for m in starts}
        self.seed_of_block = np.concatenate([np.full(len(r["bath_energy"]), i) for i, r in enumerate(records)])
        free = [i for i in range(bar.layers) if bar.layer_role[i] == "free"]
        edges = bar.layer_edges()
        self.left_end, self.right_end = edges[free[0]], edges[free[-1] + 1]
        materials = [bar.layer_material[i] for i in free]
        self.interface = edges[free[0] + materials.index(materials[-1])]
        self.free_layers = np.array(free)
        self.x = bar.layer_centres()[self.free_layers]

    @property
    def blocks(self):
        return len(self.layer_temperature)

    def flux(self, blocks):
        """Heat flux [W/m^2]: the mean of what the hot bath gives and the cold bath takes."""
        return 0.5 * (self.hot_flux[blocks] + self.cold_flux[blocks]).mean()

    def drop(self, blocks):
        return self.fit(blocks)[0]

    def fit(self, blocks):
        t = self.layer_temperature[blocks][:, self.free_layers].mean(axis=0)
        return interface_drop(self.x, t, self.interface, self.left_end, self.right_end)

    def observables(self, blocks=None):
        """Drop [K], flux [W/m^2], G [W/m^2K] with jackknife errors over the given blocks."""
        blocks = np.arange(self.blocks) if blocks is None else np.asarray(blocks)
        out = {}
        for name, f in (("drop", self.drop), ("flux", self.flux),
                        ("conductance", lambda b: self.flux(b) / self.drop(b)),
                        ("conductivity_a", lambda b: -self.flux(b) / self.fit(b)[1][0]),
                        ("conductivity_b", lambda b: -self.flux(b) / self.fit(b)[1][1])):
            out[name] = jackknife(blocks, lambda i: f(blocks[i]))
        return out

    def per_seed(self):
        return [self.observables(np.where(self.seed_of_block == s)[0]) for s in np.unique(self.seed_of_block)]

    def halves(self):
        """Observables of the first and the second half of every seed's blocks (stationarity)."""
        first, second = [], []
        for s in np.unique(self.seed_of_block):
            blocks = np.where(self.seed_of_block == s)[0]
            first += list(blocks[:len(blocks) // 2])
            second += list(blocks[len(blocks) // 2:])
        return self.observables(first), self.observables(second)

    def flux_imbalance(self):
        """(hot - cold) / mean flux: zero in a steady state (energy stays in the bar)."""
        hot, cold = self.hot_flux.mean(), self.cold_flux.mean()
        return (hot - cold) / (0.5 * (hot + cold))

    def profile(self):
        """Layer temperatures of the whole bar: mean and standard error over blocks."""
        t = self.layer_temperature
        return t.mean(axis=0), t.std(axis=0, ddof=1) / np.sqrt(self.blocks)

    def slab_x(self, material):
        return self.bar.layer_x(self.starts[material] + 0.5 * self.slab_layers)

    def slab_half(self, material):
        """Half the length of a slab of material [m]."""
        return 0.5 * self.slab_layers * self.bar.spacing[material]

    def group_temperature(self, material, select):
        """Mean modal temperature of the selected modes per slab: mean, standard error."""
        t = self.modal[material][:, :, select].mean(axis=2)
        return t.mean(axis=0), t.std(axis=0, ddof=1) / np.sqrt(self.blocks)


def excess_extent(distance, difference, error=None):
    """Decay length l of the interface excess of a modal-temperature difference:
    least-squares fit of difference = B + A exp(-distance / l) (weighted by 1 / error when
    given), l between 0 and the fitted range. Returns (l, its standard error) or None when
    the fit fails."""
    from scipy.optimize import curve_fit

    def model(d, b, a, length):
        return b + a * np.exp(-d / length)
    start = (difference[-1], difference[0] - difference[-1], 0.2 * distance.max())
    try:
        p, cov = curve_fit(model, distance, difference, p0=start, sigma=error, absolute_sigma=error is not None,
                           bounds=([-np.inf, -np.inf, 0], [np.inf, np.inf, distance.max()]), maxfev=20000)
    except (RuntimeError, ValueError):
        return None
    if not np.all(np.isfinite(cov)):
        return None
    return p[2], np.sqrt(cov[2, 2])
