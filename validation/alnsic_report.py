"""Report of validation/alnsic.py: OUT/README.md (table beside the experiment) and plots."""
from pathlib import Path

import h5py
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np


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


def plots(out, rows):
    forward = [r for r in rows if r["direction"] == "forward"]
    if not forward:
        return
    r = forward[0]
    with h5py.File(r["file"]) as f:
        x_i = f["interfaces/0"].attrs["position"]
        x = f["eels/position"][()]
        fig, ax = plt.subplots(figsize=(6, 4))
        ax.plot((f["line/position"][()] - x_i) * 1e9, f["line/temperature"][()], "k-", label="true (BTE)")
        ax.plot((x - x_i) * 1e9, f["eels/temperature"][()], "r.", ms=3, label="EELS fit")
        ax.set_xlim(-20, 20)
        ax.set_xlabel("x - interface [nm] (AlN left, SiC right)")
        ax.set_ylabel("T [K]")
        ax.set_title(f"{r['model']} forward, T0 = {r['T0']:g} K")
        ax.legend()
        fig.tight_layout()
        fig.savefig(out / "line_scan.png", dpi=120)
        plt.close(fig)
        labels = [str(s, "utf-8") if isinstance(s, bytes) else str(s)
                  for s in f["line/modal_temperature"].attrs["group_labels"]]
        xl = (f["line/position"][()] - x_i) * 1e9
        fig, ax = plt.subplots(figsize=(6, 4))
        for g, label in enumerate(labels):
            present = f["line/modal_present"][g] > 0
            if present.any():
                ax.plot(xl[present], f["line/modal_temperature"][g][present], lw=1, label=label)
        ax.set_xlim(-10, 10)
        ax.set_xlabel("x - interface [nm]")
        ax.set_ylabel("modal temperature [K]")
        ax.legend(fontsize=5, ncol=3)
        fig.tight_layout()
        fig.savefig(out / "modal_temperatures.png", dpi=120)
        plt.close(fig)


def write_report(out, rows, args, experiment, seconds):
    out = Path(out)
    plots(out, rows)
    scattering = {"rta": "RTA three-phonon lifetimes", "full": "full three-phonon collision matrices"}
    lines = ["# AlN/SiC flagship case: predictions beside the experiment", "",
             "Generated by `validation/alnsic.py` (the README's main job). 2H-AlN (AlN-LDA, DFT with Born "
             "charges) on 4H-SiC (SiC-4H-vashishta, potential), c axis along x, "
             f"{args.layer * 1e9:g} nm + {args.layer * 1e9:g} nm ({args.cells} cells each), q-meshes "
             f"{args.mesh_aln} (AlN) and {args.mesh_sic} (SiC), {scattering[args.collision_matrix]} at each T0, "
             f"EELS with `{args.weights}` weights ({args.collection} collection; SiC Z* from the literature "
             "values in its PROVENANCE.txt, EELS only), 10 meV resolution, 0.3 nm probe. Experiment: Liu et al., "
             "Nature 2025. "
             f"Wall time of this run: {seconds:.0f} s.", ""]
    lines += table(rows, experiment)
    lines += ["", "## Definitions", ""] + DEFINITIONS
    lines += ["", "## Forward / reverse window intensities at the interface", ""] + window_table(rows)
    lines += ["", "Plots: `line_scan.png` (EELS-fitted vs true temperature), `modal_temperatures.png`.", ""]
    (out / "README.md").write_text("\n".join(lines))
    print("\n".join(lines))
