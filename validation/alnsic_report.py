"""Report of validation/alnsic.py: OUT/README.md (table beside the experiment) and plots."""
import json
from pathlib import Path

from alnsic_plots import write_plots


DEFINITIONS = [
    "- drop (fits), G, kappa R: linear fits of the probe-line temperature over 25-75 % of each layer, "
    "extrapolated to the interface: drop = T_AlN - T_SiC there, R = drop / q, G = 1/R, kappa = q / |slope| "
    "per side; bulk gradient: the mean |slope| of both sides. Face jump: T_AlN - T_SiC of the DG traces "
    "at the interface.",
    "- EELS step: the same extrapolation of the EELS-fitted temperature (fits 30 nm - 0.4 layers from "
    "the interface; it includes the side-dependent resolution bias of the EELS thermometer). EELS drop "
    "within +-1 nm: T_EELS(-1 nm) - T_EELS(+1 nm).",
    "- AlN optical deviation: for each AlN optical branch group g, the excess e_g(d) = |(T_g - T)(d) - "
    "its linear fit 30 nm - 0.4 layers from the interface| at the distance d from the interface (AlN "
    "side); e(d) = max_g e_g(d). The length is the largest d at which e falls to 10 % of e(0), its value "
    "at the AlN-side face (the probe line's middle zoom point), interpolated linearly in log e between "
    "the two probe points around the crossing (exact for an exponential tail). It does not depend on "
    "the probe spacing (convergence.md: 22.05-22.11 nm for 100-1600 line and 201-1601 zoom points at "
    "620 K); the earlier definition (the last probe point above 10 % of the largest sampled excess) "
    "moved in steps of the 3.75 nm line spacing beyond the +-20 nm zoom and with the 0.1 nm zoom "
    "spacing.",
]


PLOTS = [
    ("temperature_profile.png", "T(x) over the bilayer and within +-20 nm of the interface, the EELS-fitted "
     "temperature with its standard errors on top (lowest T0, forward, each model)."),
    ("modal_temperatures.png", "branch temperatures minus T within +-40 nm, acoustic and optical per side, "
     "with their heat-capacity weighted means (lowest T0, first model, forward)."),
    ("eels_spectra.png", "loss (EEL) and gain (EEG) spectra 1 nm into AlN and into SiC, forward and reverse, "
     "and the forward/reverse ratio of the spectra and of the named windows (lowest T0, first model)."),
    ("window_ratios.png", "forward/reverse ratio of the window intensities at the interface against T0 "
     "(the table above)."),
    ("interface_drop.png", "drop (bulk fits), EELS step, EELS drop within +-1 nm and G against T0 (forward), "
     "beside the experiment's drop."),
]


def table(rows, experiment):
    lines = ["| T0 [K] | model | flow | walls dT [K] | bulk gradient [K/um] | drop (fits) [K] | face jump [K] "
             "| G [MW/m^2K] | kappa R AlN [nm] | kappa R SiC [nm] | EELS step [K] | EELS drop within +-1 nm [K] "
             "| AlN optical deviation [nm] |", "|" + "---|" * 13]
    for r in rows:
        lines.append(
            f"| {r['T0']:g} | {r['model']} | {r['direction']} | {r['walls']:.1f} | {r['gradient'] * 1e-6:.1f} | "
            f"{r['drop']:.2f} | {r['jump']:.2f} | {1e-6 / r['R']:.0f} | {r['length_a'] * 1e9:.1f} | "
            f"{r['length_b'] * 1e9:.1f} | {r['eels_step']:.2f} | {r['eels_width']:.2f} | "
            f"{r['optical'] * 1e9:.2f} |")
    lines += ["| 565 -> 720 | experiment | | | ~180 | " + experiment["drop"] + " | | | " +
              experiment["length_AlN"] + " | " + experiment["length_SiC"] + " | " + experiment["drop"] +
              " | " + experiment["width"] + " | " + experiment["optical"] + " |"]
    return lines


def window_table(rows):
    """Forward/reverse difference of the window intensities at the interface."""
    lines = ["| T0 [K] | model | window | (loss_fwd - loss_rev)/loss_rev | (gain_fwd - gain_rev)/gain_rev |",
             "|---|---|---|---|---|"]
    by_key = {(r["T0"], r["model"], r["direction"]): r for r in rows}
    for (t0, model, direction), r in by_key.items():
        if direction != "forward" or (t0, model, "reverse") not in by_key:
            continue
        rev = by_key[(t0, model, "reverse")]["windows"]
        for name, (loss, gain) in r["windows"].items():
            lines.append(f"| {t0:g} | {model} | {name} | {loss / rev[name][0] - 1:+.3e} | "
                         f"{gain / rev[name][1] - 1:+.3e} |")
    return lines


# Reference copies of validation/alnsic_convergence.py runs: with DMM spectra from dense
# harmonic sets (alnsic.py's default) and with capacities from the transport modes alone.
CONVERGENCE = {True: Path(__file__).resolve().parent / "alnsic_convergence_spectral" / "convergence.json",
               False: Path(__file__).resolve().parent / "alnsic_convergence" / "convergence.json"}


# Refinements of the dense sets at one transport pair (alnsic_convergence.py --vary spectral):
# DMM's spectra, and SMM's classes.
SPECTRAL_MESH = {"dmm": Path(__file__).resolve().parent / "alnsic_spectral_mesh" / "convergence.json",
                 "smm": Path(__file__).resolve().parent / "alnsic_spectral_mesh_smm" / "convergence.json"}


def mesh_changes(data, mesh, what):
    """Per model of a validation/alnsic_convergence.py sequence, how the drop, G and kappa R
    AlN change from the row of `mesh` to the finest row (`what` names the rows' meshes)."""
    parts = []
    for model, pairs in data["models"].items():
        this = next((p for p in pairs if (p["aln"], p["sic"]) == mesh), None)
        finest = pairs[-1]
        if this is None or this is finest:
            continue
        change = [f"{name} {this['values'][key]:.4g} -> {finest['values'][key]:.4g}"
                  f" ({100 * (finest['values'][key] / this['values'][key] - 1):+.0f} %)"
                  for key, name in (("drop", "drop [K]"), ("G", "G [MW/m^2K]"), ("length_a", "kappa R AlN [nm]"))]
        parts.append(f"{model.upper()} at {data['temperature']:g} K from this {what} to "
                     f"{finest['aln']}:{finest['sic']}: " + ", ".join(change))
    return parts


def spectral_mesh_label(args):
    """How the DMM and SMM numbers move when the dense spectral meshes are refined
    (validation/alnsic_spectral_mesh/ and alnsic_spectral_mesh_smm/, alnsic_convergence.py
    --vary spectral)."""
    if not args.spectral_mesh_aln:
        return ""
    spectral = ("x".join(map(str, args.spectral_mesh_aln)), "x".join(map(str, args.spectral_mesh_sic)))
    mesh = ["x".join(map(str, args.mesh_aln)), "x".join(map(str, args.mesh_sic))]
    parts = []
    for path in SPECTRAL_MESH.values():
        if not path.is_file():
            continue
        data = json.loads(path.read_text())
        where = ("this run's transport pair" if data.get("transport") == mesh else
                 "the transport pair named there, not this run's: read the relative changes")
        parts += [f"{part} ({path.parent.name}/convergence.md, at {where})"
                  for part in mesh_changes(data, spectral, "spectral pair")]
    return " **Spectral meshes:** " + "; ".join(parts) + "." if parts else ""


def estimate_label(data, mesh, where, args):
    """This pair's drop, G and kappa R lengths beside the sequence's estimates of their
    infinite-mesh values, and whether each sits within the sequence's tolerance."""
    parts, converged = [], True
    for model, pairs in data["models"].items():
        this = next((p for p in pairs if (p["aln"], p["sic"]) == mesh), None)
        if this is None:
            return (f"q-mesh convergence: this pair ({mesh[0]}:{mesh[1]}) is not in {where}; "
                    "the numbers are NOT known to be converged.")
        numbers = []
        for key, name in (("drop", "drop [K]"), ("G", "G [MW/m^2K]"), ("length_a", "kappa R AlN [nm]"),
                          ("length_b", "kappa R SiC [nm]"), ("eels_width", "EELS drop +-1 nm [K]")):
            e = data["estimates"][model][key]
            offset = this["values"][key] / e["value"] - 1
            ok = abs(offset) <= data["converged"] and e["uncertainty"] <= data["converged"] * abs(e["value"])
            converged &= ok
            numbers.append(f"{name} {this['values'][key]:.4g} vs {e['value']:.4g} +- {e['uncertainty']:.2g} "
                           f"({100 * offset:+.1f} %{'' if ok else ', outside'})")
        parts.append(f"{model.upper()} at {data['temperature']:g} K: " + ", ".join(numbers))
    verdict = (f"**q-mesh: within {100 * data['converged']:g} % of the infinite-mesh estimates**"
               if converged else "**q-mesh: NOT converged** (numbers marked outside)")
    return (f"{verdict} (this pair against the estimates of {where}, extrapolated or the range of the "
            "finest pairs, with their uncertainty): " + "; ".join(parts) + ". At other T0 the same mesh is "
            "assumed to carry the same relative error (not measured)." + spectral_mesh_label(args))


def convergence_label(args):
    """How far this run's q-mesh pair is from the finest pair measured by
    validation/alnsic_convergence.py (its reference copy), or that it was not measured."""
    mesh = ("x".join(map(str, args.mesh_aln)), "x".join(map(str, args.mesh_sic)))
    spectral = bool(args.spectral_mesh_aln)
    reference = CONVERGENCE[spectral]
    where = f"validation/{reference.parent.name}/convergence.md"
    if not reference.is_file():
        return f"q-mesh convergence: not measured ({where} is missing); the numbers are NOT known to be converged."
    data = json.loads(reference.read_text())
    if spectral and data.get("spectral") != ["x".join(map(str, args.spectral_mesh_aln)),
                                             "x".join(map(str, args.spectral_mesh_sic))]:
        return (f"q-mesh convergence: {where} was measured with other spectral meshes; the numbers are "
                "NOT known to be converged.")
    if "estimates" in data:
        return estimate_label(data, mesh, where, args)
    parts = mesh_changes(data, mesh, "pair")
    missing = [m.upper() for m in ("dmm", "smm") if m not in data["models"]]
    if missing and parts:
        parts.append(f"{', '.join(missing)} not in that sequence (NOT known to be converged)")
    if not parts:
        return (f"q-mesh convergence: this pair ({mesh[0]}:{mesh[1]}) is not in {where}; "
                "the numbers are NOT known to be converged.")
    return ("**q-mesh: NOT converged.** The interface numbers below still move with the mesh ("
            + "; ".join(parts) + f"; {where}). Read them as this mesh's values, not AlN/SiC's."
            + spectral_mesh_label(args))


def smm_table(smm):
    """The SMM parameters of each T0 and where they come from."""
    lines = ["| T0 [K] | gamma AlN | gamma SiC | nu AlN | nu SiC | nu used (mean) | Burgers vector [m] | arrays |",
             "|---|---|---|---|---|---|---|---|"]
    for t0, p in smm.items():
        lines.append(f"| {t0:g} | {p['gruneisen']['AlN']:.4f} | {p['gruneisen']['SiC']:.4f} | "
                     f"{p['poisson']['AlN']:.4f} | {p['poisson']['SiC']:.4f} | {p['nu']:.4f} | "
                     f"{p['burgers']:.4g} (a of {p['burgers_material']}) | {p['arrays']} |")
    first = next(iter(smm.values()))
    lines += ["", "Sources: gamma is each material's thermodynamic Grueneisen parameter, the heat-capacity-"
              "weighted mean at T0 of the mode Grueneisen parameters from fc3 (isotropic strain with internal "
              "relaxation, scattering/ab_initio/gruneisen.h), from the databases' provenance key "
              "`thermodynamic_gruneisen`; nu is the Voigt-Reuss-Hill Poisson ratio of the elastic constants "
              "from the long-wave acoustic phonons of fc2 (scattering/ab_initio/elastic_constants.h; key "
              "`poisson_ratio`), the interface's the mean of the two materials; b = a/3<11-20> of a basal "
              "(0001) interface, |b| = a, three dislocation arrays at 120 degrees (the hexagonal misfit "
              "network); spacing a_AlN a_SiC / |a_AlN - a_SiC| from the lattice constants."]
    lines += [f"- {name}: {text}" for name, text in first["elastic"].items()]
    return lines


def write_report(out, rows, args, experiment, seconds, smm):
    out = Path(out)
    notes = write_plots(out, rows, experiment["drop_points"])
    scattering = {"rta": "RTA three-phonon lifetimes", "full": "full three-phonon collision matrices"}
    if args.lifetimes_mesh_aln:
        scattering["rta"] = (f"RTA three-phonon lifetimes computed on {args.lifetimes_mesh_aln} (AlN) and "
                             f"{args.lifetimes_mesh_sic} (SiC) and interpolated onto the transport meshes "
                             "(`kapitza-modes --lifetimes-from`: omega^2 tau trilinear in q per band; "
                             "validation/lifetime_interpolation/)")
    lines = ["# AlN/SiC flagship case: predictions beside the experiment", "",
             "Generated by `validation/alnsic.py` (the README's main job; it writes into `runs/alnsic/`, "
             "and `validation/alnsic/` keeps a copy of a full run's report as the reference). 2H-AlN (AlN-LDA, DFT with Born "
             "charges) on 4H-SiC (SiC-4H-vashishta, potential), c axis along x, "
             f"{args.layer * 1e9:g} nm + {args.layer * 1e9:g} nm ({args.cells} cells each), q-meshes "
             f"{args.mesh_aln} (AlN) and {args.mesh_sic} (SiC), {scattering[args.collision_matrix]} at each T0, "
             + (f"DMM channel capacities and the SMM interface (class-resolved re-emission, "
                f"`Interfaces/Re-emission = classes`) from dense harmonic q-meshes {args.spectral_mesh_aln} (AlN) "
                f"and {args.spectral_mesh_sic} (SiC) (`Interfaces/Spectral files`), "
                if args.spectral_mesh_aln else "DMM channel capacities and SMM's kernel from the transport modes, ") +
             f"EELS with `{args.weights}` weights ({args.collection} collection; SiC Z* from the literature "
             "values in its PROVENANCE.txt, EELS only), 10 meV resolution, 0.3 nm probe. Experiment: Liu et al., "
             "Nature 2025. "
             f"Wall time of this run: {seconds:.0f} s.", "", convergence_label(args), ""]
    lines += table(rows, experiment)
    lines += ["", "## SMM parameters (from the force constants)", ""] + smm_table(smm)
    lines += ["", "## Definitions", ""] + DEFINITIONS
    lines += ["", "## Forward / reverse window intensities at the interface", ""] + window_table(rows)
    lines += ["", "## Plots", ""] + [f"- `{name}`: {what}" for name, what in PLOTS]
    lines += [f"- Note on `modal_temperatures.png`: {note}." for note in notes] + [""]
    (out / "README.md").write_text("\n".join(lines))
    print("\n".join(lines))
