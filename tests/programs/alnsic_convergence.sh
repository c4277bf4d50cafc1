#!/usr/bin/env bash
# The extrapolation of validation/alnsic_convergence.py (X = X_inf + a h^p through the three
# finest meshes) recovers X_inf of exact power laws and refuses oscillating values.
#
#   bash alnsic_convergence.sh BUILD_DIR SOURCE_DIR [MPIRUN]   (ctest passes all three)
set -eu
SOURCE_DIR=$(cd "${2:?usage: alnsic_convergence.sh BUILD_DIR SOURCE_DIR [MPIRUN]}" && pwd)
/usr/bin/python3 "$SOURCE_DIR/validation/alnsic_convergence.py" --self-test
