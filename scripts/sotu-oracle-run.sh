#!/usr/bin/env bash
# The oracle-head analysis of docs/reproductions/sotu.md: SoTU at q = 0.05, 0.2, 1 with the prototype and the ran-pac head,
# scoring its oracle and frozen-θ₀ heads after every task, with SimpleCIL and RanPAC, on the MLP protocol of the table
# above it (scripts/sotu-sweep.sh: same backbone, steps and seeds).
# usage: scripts/sotu-oracle-run.sh [OUT]      then: scripts/sotu-oracle-table.py OUT
# ORACLE=last scores the analysis heads after the last task only: the same final numbers, about half the head fits.
set -euo pipefail
OUT=${1:-runs/sotu-oracle/mlp}
SOTU_EXTRA=",oracle=${ORACLE:-every}" KEEPS="0.05 0.2 1.0" RANPAC_KEEPS="0.05 0.2 1.0" BASELINES="simplecil ranpac" \
  "$(dirname "$0")/sotu-sweep.sh" mlp:100 fashion-mnist "$OUT"
