"""Figures of the NEMD reference beside the BTE runs."""
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

NM = 1e9
GROUP_COLOURS = {"acoustic": "tab:blue", "optical": "tab:red"}
MODEL_STYLES = {"dmm": "-", "smm-background": "--", "amm": ":"}


def profiles(title, result, bte_results, out):
    """Layer temperatures of the NEMD bar and the BTE line temperatures."""
    mean, error = result.profile()
    x = result.bar.layer_centres() * NM
    mobile = np.array([r != "fixed" for r in result.bar.layer_role])
    fig, ax = plt.subplots(figsize=(7, 4.2))
    ax.errorbar(x[mobile], mean[mobile], yerr=error[mobile], fmt="o", ms=3, color="k", label="NEMD (cell layers)")
    for r in bte_results.values():
        ax.plot((r.x + result.left_end) * NM, r.temperature, MODEL_STYLES.get(r.model, "-"), label=f"BTE {r.model}")
    ax.axvline(result.interface * NM, color="grey", ls=":")
    for edge in (result.left_end, result.right_end):
        ax.axvline(edge * NM, color="grey", ls="--", lw=0.8)
    ax.set_xlabel("x [nm] (dashed: bath edges, dotted: interface)")
    ax.set_ylabel("temperature [K]")
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "temperature_profiles.png", dpi=120)
    plt.close(fig)


def modal(name, slab_x, md, bte_lines, bte_x, interface, slab_length, out):
    """Acoustic and optical temperatures of one side: NEMD slabs and BTE lines."""
    fig, ax = plt.subplots(figsize=(8.5, 4))
    for group, (mean, error) in md.items():
        ax.errorbar(slab_x * NM, mean, yerr=error, fmt="o", ms=4, color=GROUP_COLOURS[group], label=f"NEMD {group}")
    for model, rows in bte_lines.items():
        for group, t in rows.items():
            ax.plot(bte_x * NM, t, MODEL_STYLES.get(model, "-"), color=GROUP_COLOURS[group], lw=1,
                    label=f"BTE {model} {group}")
    ax.axvline(interface * NM, color="grey", ls=":")
    ax.set_xlabel(f"x [nm] (dotted: interface; NEMD: {slab_length * NM:.2f} nm slabs)")
    ax.set_ylabel("modal temperature [K]")
    ax.set_title(f"{name} side: acoustic (TA1, TA2, LA) and optical branches", fontsize=9)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    fig.savefig(out / f"modal_{name}.png", dpi=120)
    plt.close(fig)


def transmission(bte_results, names, continuum, out):
    """Interface transmission a -> b of each BTE model per frequency channel (b -> a follows
    by detailed balance) and the continuum acoustic-mismatch value at normal incidence."""
    fig, ax = plt.subplots(figsize=(6.5, 4))
    for r in bte_results.values():
        f = r.interface_spectrum["frequency"] / (2e12 * np.pi)
        ax.plot(f, r.interface_spectrum["transmission"][0], MODEL_STYLES.get(r.model, "-"), drawstyle="steps-mid",
                label=f"BTE {r.model}")
    ax.axhline(continuum, color="k", lw=0.8, ls="-.", label="continuum AMM, normal incidence")
    ax.set_xlabel("frequency [THz]")
    ax.set_ylabel(f"transmission {names[0]} -> {names[1]}")
    ax.set_ylim(0, 1.05)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "transmission.png", dpi=120)
    plt.close(fig)


def spectrum(sides, out):
    """Modal temperature by frequency bin in the slab next to the interface, each side:
    sides = [(name, centres [rad/s], NEMD mean, NEMD error, {model: BTE values})]."""
    fig, axes = plt.subplots(1, len(sides), figsize=(10, 3.8), sharey=True)
    for ax, (name, centres, mean, error, bte_values) in zip(axes, sides):
        f = centres / (2e12 * np.pi)
        ax.errorbar(f, mean, yerr=error, fmt="o", color="k", label="NEMD")
        for model, values in bte_values.items():
            ax.plot(f, values, MODEL_STYLES.get(model, "-"), marker=".", label=f"BTE {model}")
        ax.set_xlabel("frequency bin centre [THz]")
        ax.set_title(f"{name}: slab next to the interface", fontsize=9)
    axes[0].set_ylabel("modal temperature [K]")
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "modal_spectrum.png", dpi=120)
    plt.close(fig)
