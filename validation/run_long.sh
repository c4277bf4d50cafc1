#!/usr/bin/env bash
# Runs the long physics cases (ctest label `long`) and the peer benchmark with its check.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --build build -j 2
(cd build && ctest -L long --output-on-failure)
/usr/bin/python3 validation/benchmark_giftbte_films.py --check
