#!/usr/bin/env bash
# The layers of docs/layers.md hold for #include too (the link order already refuses
# symbols that point up the stack; a header-only use would slip past it): every project
# #include of a source file names its own layer or one below it.
#
#   bash layers.sh BUILD_DIR SOURCE_DIR      (ctest passes both)

set -u
SOURCE_DIR=$(cd "${2:?usage: layers.sh BUILD_DIR SOURCE_DIR}" && pwd)
exec /usr/bin/python3 - "$SOURCE_DIR" <<'PYTHON'
import pathlib, re, sys

root = pathlib.Path(sys.argv[1])
# Each layer and the layers it may include (itself included).
below = {
    "meshes": {"meshes", "scattering"},
    "scattering": {"scattering"},
    "scattering/ab_initio": {"scattering", "scattering/ab_initio"},
    "scattering/ab_initio/io": {"scattering", "scattering/ab_initio", "scattering/ab_initio/io"},
    "interface": {"meshes", "scattering", "interface"},
    "solver": {"meshes", "scattering", "interface", "solver", "solver/eels"},
    "solver/eels": {"meshes", "scattering", "interface", "solver", "solver/eels"},
}
# The programs (kapitza, kapitza-material, kapitza-modes) sit on top of their room.
programs = {"main.cc", "material_tool.cc", "modes_tool.cc"}
bad, checked = [], 0
for layer, allowed in below.items():
    for source in sorted((root / layer).glob("*")):
        if source.suffix not in (".h", ".cc"):
            continue
        checked += 1
        for number, line in enumerate(source.read_text().splitlines(), 1):
            match = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
            if match:
                target = str(pathlib.PurePosixPath(match.group(1)).parent)
                if target not in allowed and not (source.name in programs and target.startswith(layer)):
                    bad.append(f"{source.relative_to(root)}:{number} includes {match.group(1)} (layer {target} is not below {layer})")
if checked < 50:
    sys.exit(f"FAIL: only {checked} sources found under {root}")
for line in bad:
    print("FAIL:", line)
print(f"{checked} sources checked, {len(bad)} includes point up the stack")
sys.exit(1 if bad else 0)
PYTHON
