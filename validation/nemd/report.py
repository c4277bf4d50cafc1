"""README.md of the NEMD reference beside the BTE runs (figures: plots.py)."""
import re
import time

import numpy as np

import bte
import plots
from analysis import NemdResult, excess_extent, interface_drop
from checks import HARMONIC_TEMPERATURE
from md import LANGEVIN_DAMP_PS, SAMPLE_STEPS, TIMESTEP_PS
from modes import ACOUSTIC

NM = 1e9
GOAL = 0.15  # the agreement goal in G
# SMM's momentum-conserving background alone: the NEMD bars are coherent (no misfit
# dislocations), so the Burgers vector vanishes (the run reports the strain-scattered flux, 0).
# The spacing only has to be finite; a short one keeps the number of array
# harmonics G_m = 2 pi m / D inside the momentum resolution small (with D = 1 mm the setup
# does not finish in minutes even on a 6^3 mesh).
SMM_SPACING_CELLS = 10
NO_BURGERS_VECTOR = 1e-20
# Blocking analysis: errors from blocks of 1, 2 and 5 recorded blocks (while each seed keeps
# at least two); the quoted error is the largest, since long-lived modes (the slabs next to
# the interface hold modes correlated over tens of picoseconds) make short blocks correlated.
BLOCKINGS = (1, 2, 5)


def blocked_results(result, records):
    per_seed = result.blocks // len(records)
    return [result] + [NemdResult(records, result.bar, result.starts, result.slab_layers, result.modes, merge=m)
                       for m in BLOCKINGS[1:] if per_seed // m >= 2]


def worst(pairs):
    """(value, error) pairs of the same estimate under several blockings: the value and the
    largest error."""
    return pairs[0][0], max(p[1] for p in pairs)


def worst_observables(results, select=lambda r: r.observables()):
    observed = [select(r) for r in results]
    return {k: worst([o[k] for o in observed]) for k in observed[0]}


def models(crystals):
    """DMM, the SMM background and AMM (acoustic impedances from the mass densities; both MD
    bars put their sides on one in-plane lattice, so AMM matches q_par pseudomorphically)."""
    spacing = SMM_SPACING_CELLS * crystals[0].lattice_constant
    densities = ", ".join(f"{8 * c.mass / c.lattice_constant ** 3:.2f}" for c in crystals)
    return [bte.Model("dmm", {}),
            bte.Model("smm-background", {"Dislocation spacing": f"{spacing:.6e}",
                                         "Burgers vector": f"{NO_BURGERS_VECTOR:g}"}),
            bte.Model("amm", {"Mass densities": densities, "Pseudomorphic": "true"})]


def side_lengths(case, bar):
    """Free length of each material [m]: the BTE bar has the MD bar's."""
    return [case.free_cells * s for s in bar.spacing]


def bte_runs(case, crystals, lengths, build, work, mesh):
    """Databases and one kapitza run per model; returns results, refusals, database files
    and the RTA conductivities the databases print."""
    files, kappa = [], {}
    for c in crystals:
        out = work / f"{c.name}-rta-{mesh}.h5"
        log = work / f"{c.name}-rta-{mesh}.log"
        bte.write_database(build / "kapitza-modes", c, mesh, case.temperature, out, log)
        files.append(out.name)
        match = re.search(r"RTA kappa point-group average .* xx yy zz = ([0-9.e+]+)", log.read_text())
        kappa[c.name] = float(match.group(1)) if match else float("nan")
    results, refused = {}, {}
    for model in models(crystals):
        result, message = bte.solve(build / "kapitza", work, crystals, files, lengths, case.baths,
                                    case.temperature, model)
        if result is None:
            refused[model.name] = message
        else:
            results[model.name] = result
    return results, refused, files, kappa


def bte_modal(result, work, files, side, names, slab_edges):
    """Acoustic and optical temperature of one side along x, and slab averages."""
    optical = [s for s in names if s not in ACOUSTIC]
    rows = {}
    for group, labels in (("acoustic", list(ACOUSTIC)), ("optical", optical)):
        weights = bte.branch_weights(work / files[side], labels)
        rows[group] = bte.group_temperature(result, labels, weights)
    slabs = {g: np.array([t[(result.x >= lo) & (result.x < hi)].mean() for lo, hi in slab_edges])
             for g, t in rows.items()}
    return rows, slabs


def spectrum_section(crystals, results, bte_results, out):
    """Modal temperatures by kapitza's frequency bins in the slab next to the interface."""
    result = results[0]
    rows, edges = bte.frequency_bins(bte_results["dmm"].labels)
    centres = edges.mean(axis=1)
    sides, table = [], ["| side | bin [THz] | NEMD [K] | " + " | ".join(f"BTE {n} [K]" for n in bte_results) + " |",
                        "|---|---|---|" + "---|" * len(bte_results)]
    for side, crystal in enumerate(crystals):
        slab = np.argmin(np.abs(result.slab_x(side) - result.interface))
        modes = result.modes[side]
        # below the lowest bin lie only the slab's uniform translations (omega = 0)
        index = np.clip(np.searchsorted(edges[:, 1], modes.omega), 0, len(edges) - 1)
        present = np.array([np.any(index == b) for b in range(len(edges))])
        means, errors = [], []
        for r in results:
            per_block = np.array([[r.modal[side][k, slab, index == b].mean() for b in np.where(present)[0]]
                                  for k in range(r.blocks)])
            means.append(per_block.mean(axis=0))
            errors.append(per_block.std(axis=0, ddof=1) / np.sqrt(r.blocks))
        mean, error = means[0], np.max(errors, axis=0)
        half = result.slab_half(side)
        lo, hi = result.slab_x(side)[slab] - half - result.left_end, result.slab_x(side)[slab] + half - result.left_end
        bte_values = {}
        for name, r in bte_results.items():
            inside = (r.x >= lo) & (r.x < hi)
            values = np.array([r.modal[rows[b], inside].mean() if r.present[rows[b], inside].all() else np.nan
                               for b in np.where(present)[0]])
            bte_values[name] = values
        sides.append((crystal.name, centres[present], mean, error, bte_values))
        for j, b in enumerate(np.where(present)[0]):
            table.append(f"| {crystal.name} | {edges[b, 0] / 2e12 / np.pi:.1f}-{edges[b, 1] / 2e12 / np.pi:.1f} | "
                         f"{mean[j]:.1f} +- {error[j]:.1f} | " + " | ".join(f"{v[j]:.1f}" for v in bte_values.values())
                         + " |")
    plots.spectrum(sides, out)
    jumps = {"NEMD": (sides[0][2][0] - sides[1][2][0], np.hypot(sides[0][3][0], sides[1][3][0]))}
    for name in bte_results:
        jumps[f"BTE {name}"] = (sides[0][4][name][0] - sides[1][4][name][0], 0.0)
    return table, jumps


def md_difference(results, side):
    """NEMD T_opt - T_ac per slab of one side: mean and standard error (largest over the
    blockings)."""
    means, errors = [], []
    for r in results:
        modes = r.modes[side]
        d = r.modal[side][:, :, ~modes.acoustic].mean(axis=2) - r.modal[side][:, :, modes.acoustic].mean(axis=2)
        means.append(d.mean(axis=0))
        errors.append(d.std(axis=0, ddof=1) / np.sqrt(r.blocks))
    return means[0], np.max(errors, axis=0)


def slowest_mode(result, crystal, side):
    """The hottest mode of the slab next to the interface, with its block-to-block range:
    evidence of modes correlated over more than a block."""
    slab = np.argmin(np.abs(result.slab_x(side) - result.interface))
    t = result.modal[side][:, slab, :]
    k = np.argmax(t.mean(axis=0))
    modes = result.modes[side]
    return (f"{crystal.name}: {modes.labels[modes.branch[k]]} at {modes.omega[k] / 2e12 / np.pi:.2f} THz, "
            f"{t[:, k].mean():.0f} K (blocks {t[:, k].min():.0f} to {t[:, k].max():.0f} K)")


def md_groups(results, side):
    """NEMD acoustic and optical temperature per slab: mean, largest error over blockings."""
    out = {}
    for group in ("acoustic", "optical"):
        pairs = []
        for r in results:
            select = r.modes[side].acoustic if group == "acoustic" else ~r.modes[side].acoustic
            pairs.append(r.group_temperature(side, select))
        out[group] = (pairs[0][0], np.max([p[1] for p in pairs], axis=0))
    return out


def extent_text(fit):
    if fit is None:
        return "no fit"
    length, error = fit
    if not error < length:
        return "not resolved"
    return f"{length * NM:.2f} +- {error * NM:.2f}"


def modal_section(case, crystals, results, bte_results, work, files, out):
    """Acoustic and optical temperatures per side: plots, and T_opt - T_ac at the
    interface, in the middle of the side, and the decay length of its interface excess
    (fit B + A exp(-d / l) over the slabs from 25 % of the side to the interface)."""
    rows = ["| side | method | T_opt - T_ac at the interface [K] | in the middle of the side [K] | "
            "decay length l [nm] |", "|---|---|---|---|---|"]
    extents = {}
    result = results[0]
    for side, crystal in enumerate(crystals):
        modes = result.modes[side]
        x = result.slab_x(side)
        half = result.slab_half(side)
        md = md_groups(results, side)
        edges = [(xi - half - result.left_end, xi + half - result.left_end) for xi in x]
        lines, slabs = {}, {}
        for name, r in bte_results.items():
            lines[name], slabs[name] = bte_modal(r, work, files, side, modes.labels, edges)
        mask = (bte_results["dmm"].x + result.left_end < result.interface) == (side == 0)
        side_lines = {n: {g: t[mask] for g, t in rows_.items()} for n, rows_ in lines.items()}
        plots.modal(crystal.name, x, md, side_lines, bte_results["dmm"].x[mask] + result.left_end, result.interface,
                    2 * half, out)
        end = result.left_end if side == 0 else result.right_end
        distance = np.abs(x - result.interface)
        fitted = distance <= 0.75 * abs(result.interface - end)
        nearest, middle = np.argmin(distance), np.argmin(np.abs(distance - 0.5 * abs(result.interface - end)))
        diff, error = md_difference(results, side)
        fit = excess_extent(distance[fitted], diff[fitted], error[fitted])
        extents[(crystal.name, "NEMD")] = fit
        rows.append(f"| {crystal.name} | NEMD | {diff[nearest]:+.1f} +- {error[nearest]:.1f} | "
                    f"{diff[middle]:+.1f} +- {error[middle]:.1f} | {extent_text(fit)} |")
        for name in bte_results:
            d = slabs[name]["optical"] - slabs[name]["acoustic"]
            fit = excess_extent(distance[fitted], d[fitted])
            extents[(crystal.name, name)] = fit
            rows.append(f"| {crystal.name} | BTE {name} (slab means) | {d[nearest]:+.1f} | {d[middle]:+.1f} | "
                        f"{extent_text(fit)} |")
    rows += ["", "Hottest single mode of the slab next to the interface (mean over blocks of "
             f"{result.block_seconds * 1e12:g} ps, and its range over the blocks): "
             + "; ".join(slowest_mode(result, c, side) for side, c in enumerate(crystals))
             + ". Single slab modes next to the interface stay far from their neighbours' temperature over "
             "many blocks, so these slabs' modal averages carry slow noise that the blocking errors only "
             "partly capture."]
    return rows, extents


def blocking_table(results):
    """Errors of the main NEMD estimates against the block length."""
    rows = ["| block [ps] | blocks | drop error [K] | flux error [GW/m^2] | G error [MW/m^2K] |",
            "|---|---|---|---|---|"]
    for r in results:
        o = r.observables()
        seconds = r.block_seconds
        rows.append(f"| {seconds * 1e12:g} | {r.blocks} | {o['drop'][1]:.2f} | {o['flux'][1] * 1e-9:.2f} | "
                    f"{o['conductance'][1] * 1e-6:.0f} |")
    return rows


def resolved(value, error, form=".0f"):
    """value +- error, or 'not resolved' when the error exceeds the value (a fitted gradient
    within its noise makes flux / gradient meaningless)."""
    return f"{value:{form}} +- {error:{form}}" if abs(error) < abs(value) else "not resolved"


def observables_row(label, o):
    g, g_err = o["conductance"]
    return (f"| {label} | {o['drop'][0]:.1f} +- {o['drop'][1]:.1f} | {o['flux'][0] * 1e-9:.2f} +- "
            f"{o['flux'][1] * 1e-9:.2f} | {g * 1e-6:.0f} +- {g_err * 1e-6:.0f} | | "
            f"{resolved(*o['conductivity_a'])} | {resolved(*o['conductivity_b'])} |")


def conductance_rows(results, bte_results, refused):
    """NEMD (all blocks, per seed, halves) and BTE: drop, flux, G, apparent conductivities."""
    result = results[0]
    obs = worst_observables(results)
    g = obs["conductance"][0]
    rows = ["| method | drop [K] | heat flux [GW/m^2] | G [MW/m^2K] | G / G_NEMD - 1 | "
            "flux / gradient, side a [W/mK] | side b [W/mK] |", "|---|---|---|---|---|---|---|",
            observables_row("NEMD, all seeds", obs)]
    seeds = len(set(result.seed_of_block))
    fine = results[:2]  # per seed and per half: blockings that keep several blocks in each
    rows += [observables_row(f"NEMD seed {s + 1}", worst_observables(fine, lambda r: r.per_seed()[s]))
             for s in range(seeds)]
    rows += [observables_row(f"NEMD {half} half of each seed", worst_observables(fine, lambda r: r.halves()[i]))
             for i, half in enumerate(("first", "second"))]
    ratios = {}
    for name, r in bte_results.items():
        drop, slopes = interface_drop(r.x + result.left_end, r.temperature, result.interface, result.left_end,
                                      result.right_end)
        flux = r.interface["heat_flux"]
        ratios[name] = flux / drop / g
        rows.append(f"| BTE {name} | {drop:.1f} | {flux * 1e-9:.2f} | {flux / drop * 1e-6:.0f} | "
                    f"{ratios[name] - 1:+.0%} | {-flux / slopes[0]:.0f} | {-flux / slopes[1]:.0f} |")
    rows += [f"| BTE {name} | refused: `{message}` | | | | | |" for name, message in refused.items()]
    return rows, obs, ratios


def continuum_amm(crystals, databases):
    """Normal-incidence transmission 4 Z_a Z_b / (Z_a + Z_b)^2 with the acoustic impedances
    Z = rho v_LA of the bulk crystals (v_LA along x from their databases)."""
    z = [8 * c.mass / c.lattice_constant ** 3 * bte.sound_speed(d) for c, d in zip(crystals, databases)]
    return 4 * z[0] * z[1] / (z[0] + z[1]) ** 2


def bulk_comparison(crystals, obs, bte_results):
    """Per side: NEMD's apparent conductivity against the BTE models' (dmm first)."""
    out = []
    for side, key in ((0, "conductivity_a"), (1, "conductivity_b")):
        k, k_err = obs[key]
        bte_values = ", ".join(f"BTE {name} {r.interface[key]:.0f}" for name, r in bte_results.items())
        out.append(f"{crystals[side].name} NEMD {resolved(k, k_err)} W/mK against {bte_values}")
    return out


def verdict(ratios, g, g_err):
    """Each model's G against NEMD, in percent and in NEMD standard errors, and whether the
    statistics can decide the GOAL."""
    parts = [f"{name} {r * g * 1e-6:.0f} MW/m^2K ({r - 1:+.0%}, {(r - 1) * g / g_err:+.1f} sigma)"
             for name, r in ratios.items()]
    line = (f"- NEMD G = {g * 1e-6:.0f} +- {g_err * 1e-6:.0f} MW/m^2K ({g_err / g:.0%}); BTE: " + ", ".join(parts) + ". ")
    inside = [n for n, r in ratios.items() if abs(r - 1) <= GOAL]
    if g_err / g > GOAL:
        line += (f"The NEMD error is larger than the {GOAL:.0%} goal, so agreement within {GOAL:.0%} can be "
                 "neither shown nor excluded at this statistics; "
                 + (f"{', '.join(inside)} lies within {GOAL:.0%}." if inside else
                    f"no model lies within {GOAL:.0%} of the NEMD mean."))
    else:
        line += (f"Within the {GOAL:.0%} goal: {', '.join(inside)}." if inside else
                 f"No model is within the {GOAL:.0%} goal.")
    return line


def low_frequency_verdict(jumps):
    md, md_err = jumps["NEMD"]
    bte_jumps = [j for name, (j, _) in jumps.items() if name != "NEMD"]
    if md + 2 * md_err < min(bte_jumps):
        return "long waves cross more freely in NEMD than the diffuse models let them."
    if md - 2 * md_err > max(bte_jumps):
        return "long waves cross less freely in NEMD than in the diffuse models."
    return "within two NEMD errors of the BTE values, so it does not separate the models."


def discussion(case, crystals, result, obs, ratios, refused, bte_results, kappa, jumps, continuum):
    g, g_err = obs["conductance"]
    names = [c.name for c in crystals]
    lines = ["## Discussion (numbers from this run)", verdict(ratios, g, g_err)
             + (f" The BTE's q-mesh dependence: {case.mesh_study}." if case.mesh_study else
                " The BTE's q-mesh dependence is not studied for this case.")]
    if "dmm" in bte_results:
        t = bte_results["dmm"].interface_spectrum["transmission"]
        flux = bte_results["dmm"].interface_spectrum["spectral_heat_flux"]
        mean_t = (t[0] * np.abs(flux)).sum() / np.abs(flux).sum()
        lines.append(f"- Transmission: DMM sends a phonon across with the other side's share of the states at its "
                     f"frequency, so its transmission {names[0]} -> {names[1]} averages {mean_t:.2f} (weighted by "
                     f"the spectral heat flux; `transmission.png`), while "
                     + case.mismatch.format(mass_ratio=crystals[1].mass / crystals[0].mass)
                     + f" transmit {continuum:.2f} of long waves at normal incidence (acoustic impedances rho v_LA "
                     "of the bulk databases). The "
                     "NEMD interface is perfect and coherent: phonons keep their parallel wavevector and can cross "
                     "specularly, as AMM assumes. The SMM background keeps q_par but spreads the rest diffusely "
                     "within each (omega, q_par) class, which lowers the transmission below DMM's. In the lowest "
                     "frequency bin the temperature jump between the two slabs next to the interface is "
                     + ", ".join(f"{name} {resolved(*jump)}" if jump[1] else f"{name} {jump[0]:.0f}"
                                 for name, jump in jumps.items()) + " K (table above): " + low_frequency_verdict(jumps))
    if "amm" in refused:
        lines.append(f"- AMM, the model for this interface, refused the ab initio sets (`{refused['amm']}`).")
    elif "amm" in bte_results and "dmm" in bte_results:
        g = {name: r.interface["conductance"] for name, r in bte_results.items()}
        landauer = {name: r.interface["landauer_conductance"] for name, r in bte_results.items()}
        lines.append(f"- AMM (specular: frequency and q_par kept, flux paired by normal impedance; "
                     f"docs/interfaces.md) gives G = {g['amm'] * 1e-6:.0f} MW/m^2K by kapitza's own fit, "
                     f"{g['amm'] / g['dmm']:.2f} times DMM's {g['dmm'] * 1e-6:.0f}. The bulk-free (Landauer) "
                     "conductances of the interface alone are "
                     + ", ".join(f"{name} {value * 1e-6:.0f}" for name, value in landauer.items())
                     + " MW/m^2K, so the difference is the interface model's own. "
                     + ("" if crystals[0].lattice_constant == crystals[1].lattice_constant else
                        "The two crystals' lattices differ, so AMM runs with `Interfaces/Pseudomorphic = true`: "
                        "q_par is kept in in-plane reduced coordinates, as on the MD bar's common in-plane "
                        "lattice, while each side keeps its unstrained bands (the frequency shifts above). ")
                     + "On this "
                     f"{case.bte_mesh}^3 q-mesh a (frequency channel, q_par) class holds few modes of "
                     "each side, and AMM reflects the flux of a class that the other side cannot take (Snell's "
                     "total reflection, and also the mesh's sparseness); "
                     + (f"{case.mesh_study} shows how each model's G moves with the q-mesh." if case.mesh_study
                        else "how each model's G moves with the q-mesh is not studied for this case."))
    lines.append("- Bulk: the classical RTA conductivities of the databases are "
                 + ", ".join(f"{n} {k:.0f}" for n, k in kappa.items())
                 + " W/mK; over sides of " + side_text(crystals, result)
                 + " the flux over the fitted gradient (table) is "
                 + "; ".join(bulk_comparison(crystals, obs, bte_results))
                 + f". Differences come from MD's stronger scattering (all anharmonic orders{case.md_kappa_note}), "
                 f"from the {result.bar.area() ** 0.5 * NM:.2f} nm periodic cross-section "
                 f"({case.cross_section[0]} x {case.cross_section[1]} transverse wavevectors in MD) and from the "
                 "nearly ballistic profiles, where a fitted gradient is not a conductivity.")
    lines.append("- Baths versus walls: a Langevin bath (damping "
                 f"{LANGEVIN_DAMP_PS} ps over its cells, fixed atoms behind) absorbs and re-emits imperfectly "
                 "and has a contact resistance of its own; a thermalizing wall absorbs every phonon and emits "
                 "its equilibrium. The drops are taken from fits inside each side, which the contacts do not "
                 "enter, but the flux for a given bath difference differs.")
    return lines


def side_text(crystals, result):
    """The free length of each side, as text."""
    lengths = (result.interface - result.left_end, result.right_end - result.interface)
    return " and ".join(f"{c.name} {length * NM:.2f} nm" for c, length in zip(crystals, lengths))


def lattice_text(case, crystals, bar, strain_ratios):
    """The bar's lattice: common to both sides, or the in-plane construction, the strains and
    the frequency shifts they cause (strain_ratios: potential / kinetic energy per branch of
    the cubic crystal's modes in each strained cell, checks.harmonic_check)."""
    if all(c.lattice_constant == bar.in_plane == s for c, s in zip(crystals, bar.spacing)):
        return [f"Both materials on their common relaxed lattice, a = {bar.in_plane * 1e10:.4f} A.", ""]
    sides = [f"{c.name} (relaxed a = {c.lattice_constant * 1e10:.4f} A): in-plane strain "
             f"{bar.in_plane / c.lattice_constant - 1:+.2%}, cell length along x {s * 1e10:.4f} A "
             f"(strain {s / c.lattice_constant - 1:+.2%})" for c, s in zip(crystals, bar.spacing)]
    return [f"Lattice: relaxed lattice constants differ by "
            f"{crystals[1].lattice_constant / crystals[0].lattice_constant - 1:+.2%}; the periodic cross-section "
            f"takes their mean, {bar.in_plane * 1e10:.4f} A, in y and z, so each side carries half the misfit as "
            "biaxial strain (as a coherent interface between layers of equal thickness and stiffness would). "
            "Along x each side has its zero-axial-stress cell length on that in-plane lattice (a LAMMPS box "
            "relaxation at 0 K; the fixed end cells hold the bar's length, so any other spacing would load the "
            "bar axially). " + "; ".join(sides)
            + ". The BTE uses the unstrained bulk force constants and lattice constants of each material: the MD "
            "bar's strained sides have shifted phonon frequencies and velocities that the BTE does not have, "
            "and the modal projection maps each strained slab onto its material's cubic crystal (same "
            "eigenvectors, phases at the cubic sites).", "",
            "How far the strained sides are from the BTE's crystals: in a periodic slab of each strained cell at "
            f"{HARMONIC_TEMPERATURE:g} K, the cubic crystal's modes hold potential energy omega_cubic^2 |Q|^2 and "
            "kinetic energy |Qdot|^2, whose ratio is (omega_cubic / omega_strained)^2 for a mode that stays "
            "normal; the frequency of the strained cells relative to the cubic crystal's, (kinetic / "
            "potential)^(1/2) - 1 per branch mean, is "
            + "; ".join(f"{name}: " + ", ".join(f"{b} {r ** -0.5 - 1:+.1%}" for b, r in ratios.items())
                        for name, ratios in strain_ratios.items())
            + f" (in the cubic cells the same test holds to its noise: run.py --ci --case {case.name}).", ""]


def write_report(case, crystals, result, records, build, work, out, start, strain_ratios):
    bte_results, refused, files, kappa = bte_runs(case, crystals, side_lengths(case, result.bar), build, work,
                                                  case.bte_mesh)
    continuum = continuum_amm(crystals, [work / f for f in files])
    plots.profiles(case.title, result, bte_results, out)
    plots.transmission(bte_results, [c.name for c in crystals], continuum, out)
    results = blocked_results(result, records)
    g_rows, obs, ratios = conductance_rows(results, bte_results, refused)
    modal_rows, _ = modal_section(case, crystals, results, bte_results, work, files, out)
    blocking_rows = blocking_table(results)
    spectrum_rows, jumps = spectrum_section(crystals, results, bte_results, out)
    md_minutes = [float(r["wall_seconds"]) / 60 for r in records]
    reused = sum(bool(r.get("reused", False)) for r in records)
    bte_seconds = sum(r.wall_time for r in bte_results.values())
    s = case.schedule
    text = [f"# NEMD reference: {case.title}", "",
            "Written by `validation/nemd/run.py` (do not edit).", "",
            *([f"See also: {case.see_also}", ""] if case.see_also else []),
            "## Setup",
            f"LAMMPS (Debian python3-lammps, one process) on a bar of {len(result.bar.positions)} atoms: "
            f"{case.cross_section[0]} x {case.cross_section[1]} conventional cells across "
            f"({result.bar.area() ** 0.5 * NM:.2f} nm, periodic); along x {case.fixed_cells} fixed cell, "
            f"{case.bath_cells} bath cells, {case.free_cells} + {case.free_cells} free cells "
            f"({side_text(crystals, result)}), {case.bath_cells} bath cells, "
            f"{case.fixed_cells} fixed cell. Langevin baths at {case.baths[0]:g} K and {case.baths[1]:g} K "
            f"(damping {LANGEVIN_DAMP_PS} ps), velocity Verlet {TIMESTEP_PS * 1e3:g} fs. Per seed: "
            f"{s.equilibration_ps:g} ps start (each half thermostatted at {case.start_temperatures[0]:g} / "
            f"{case.start_temperatures[1]:g} K, near the steady state of a pilot run), {s.transient_ps:g} ps "
            f"transient, {s.blocks} blocks of "
            f"{s.block_ps:g} ps sampled every {SAMPLE_STEPS * TIMESTEP_PS * 1e3:g} fs. Heat flux: mean of "
            "what the hot bath gives and the cold bath takes. Errors: jackknife over the blocks of the "
            f"{len(records)} seeds.", "", *lattice_text(case, crystals, result.bar, strain_ratios),
            "Modal temperatures: the velocities of each 2 x 2 x 2-cell slab (64 atoms, 32 wavevectors, "
            "192 modes) projected on the eigenvectors of kapitza-modes' own harmonic databases (the AlN/SiC "
            "paper's equations 3-4, `modes.py`); their mean is the slab's kinetic temperature exactly "
            "(checked every block).", "",
            f"BTE: `kapitza-modes --statistics classical --collision rta` on {case.bte_mesh}^3 from the same "
            f"force constants, 1D bar of the same free lengths between thermalizing walls at the bath "
            f"temperatures, {bte.CELLS_PER_SIDE} DG cells per side. The drop comes from linear fits over the "
            "same windows (25-75 % of each side) in both methods.", "",
            "## Conductance",
            "Errors: the largest jackknife error over block lengths (blocking table below).", "", *g_rows, "",
            f"Heat-flux balance (hot - cold) / mean = {result.flux_imbalance():+.1%}.", "", *blocking_rows, "",
            "![temperature profiles](temperature_profiles.png)", "", "![transmission](transmission.png)", "",
            "## Modal temperatures",
            "Optical minus acoustic temperature per side; l is the decay length of its excess over the "
            "side's bulk value near the interface (fit B + A exp(-d/l) over the slabs from 25 % of the side "
            "to the interface; NEMD weighted by its errors).", "", *modal_rows, "",
            *[f"![{c.name}](modal_{c.name}.png)" for c in crystals], "",
            "By frequency (kapitza's `Output/Frequency bins`; NEMD modes binned by their harmonic "
            "frequency), in the slab next to the interface on each side:", "", *spectrum_rows, "",
            "![modal spectrum](modal_spectrum.png)", "",
            *discussion(case, crystals, result, obs, ratios, refused, bte_results, kappa, jumps, continuum), "",
            "## Not done yet", *[f"- {item}" for item in case.not_done],
            "- Two lengths and a 1/L extrapolation"
            + (f"; more seeds (with {len(records)} the NEMD G error is {obs['conductance'][1] / obs['conductance'][0]:.0%}, "
               "above the 15 % goal)." if obs["conductance"][1] > 0.15 * obs["conductance"][0] else "."),
            "- A BTE with MD's own lifetimes (from the decay of the slab-mode velocity correlations) "
            "instead of the three-phonon ones.", "",
            "## Wall time",
            "MD " + ", ".join(f"{m:.1f}" for m in md_minutes) + " min per seed (nice 10, one thread, machine "
            f"shared with other jobs), BTE runs {bte_seconds:.0f} s, this invocation "
            f"{(time.perf_counter() - start) / 60:.1f} min"
            + (f" (MD records of {reused} seeds reused with --reuse)." if reused else "."), ""]
    (out / "README.md").write_text("\n".join(text))
    print("\n".join(text))


def amm_setup_line(work):
    """The AMM run's setup summary (classes, transmitted flux, checks), if it ran."""
    log = work / "amm.log"
    lines = [s for s in log.read_text().splitlines() if "anisotropic bands" in s] if log.is_file() else []
    return lines[0].strip() if lines else ""


def transmitted_fraction(setup):
    """The AMM setup line's fraction of the arriving flux that crosses, as text."""
    match = re.search(r"flux transmitted (\S+),", setup)
    return match.group(1) if match else ""


def write_bte_report(case, crystals, bar, build, work, out, start, meshes=None):
    """--bte: the BTE runs of the case alone on each q-mesh N^3 of `meshes` (default the
    case's), G by kapitza's fit of each side and the Landauer G of the interface alone,
    OUT/bte.md."""
    meshes = meshes or [case.bte_mesh]
    lengths = side_lengths(case, bar)
    rows = ["| q-mesh | model | G = 1/R [MW/m^2K] | G / G_dmm | Landauer G [MW/m^2K] | face jump [K] | "
            "heat flux [GW/m^2] | AMM flux transmitted | run [s] |", "|---|---|---|---|---|---|---|---|---|"]
    kappas, setups = [], []
    for mesh in meshes:
        bte_results, refused, _, kappa = bte_runs(case, crystals, lengths, build, work, mesh)
        kappas.append(f"{mesh}^3: " + ", ".join(f"{n} {k:.0f}" for n, k in kappa.items()))
        g_dmm = bte_results["dmm"].interface["conductance"] if "dmm" in bte_results else float("nan")
        setup = amm_setup_line(work) if "amm" in bte_results else ""
        setups.append(f"    {mesh}^3: {setup}" if setup else "")
        for name, r in bte_results.items():
            a = r.interface
            rows.append(f"| {mesh}^3 | {name} | {a['conductance'] * 1e-6:.1f} | {a['conductance'] / g_dmm:.3f} | "
                        f"{a['landauer_conductance'] * 1e-6:.1f} | {a['face_temperature_jump']:.2f} | "
                        f"{a['heat_flux'] * 1e-9:.3f} | {transmitted_fraction(setup) if name == 'amm' else ''} | "
                        f"{r.wall_time:.0f} |")
        rows += [f"| {mesh}^3 | {name} | refused: `{message}` | | | | | | |" for name, message in refused.items()]
    text = [f"# BTE side of {case.title}", "",
            f"Written by `validation/nemd/run.py --bte` (no MD): classical RTA databases on the q-meshes "
            f"below at {case.temperature:g} K (RTA kappa [W/mK] " + "; ".join(kappas) + "), "
            + " and ".join(f"{c.name} {length * 1e9:.1f} nm" for c, length in zip(crystals, lengths))
            + " between thermalizing walls at "
            f"{case.baths[0]:g} / {case.baths[1]:g} K, {bte.FREQUENCY_BINS} interface channels. "
            "G = 1/R with R kapitza's interface resistance (linear fits inside each side); the Landauer G "
            "is the interface's alone (between two reservoirs, no bulk).", "", *rows, ""]
    if any(setups):
        text += ["AMM setup lines:", "", *[line for line in setups if line], ""]
    text += [f"Wall time {time.perf_counter() - start:.0f} s.", ""]
    out.mkdir(parents=True, exist_ok=True)
    (out / "bte.md").write_text("\n".join(text))
    print("\n".join(text))
