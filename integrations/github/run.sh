#!/usr/bin/env bash
# Run step of the threadlint GitHub Action (also usable in any CI):
#   run.sh BUILD_DIR SARIF_OUT [BASELINE]
# Writes a SARIF report of all findings to SARIF_OUT (for code scanning), then
# exits 1 if there are findings not in BASELINE (all findings without one),
# 2 on a tool error. $THREADLINT names the binary (default: threadlint).
set -uo pipefail
build=$1 sarif=$2 baseline=${3:-}
threadlint=${THREADLINT:-threadlint}
"$threadlint" -p "$build" --quiet --format sarif --output "$sarif"
status=$?
if [ "$status" -eq 2 ] || [ -z "$baseline" ]; then
  exit "$status"
fi
# The gate: only findings missing from the baseline fail.
"$threadlint" -p "$build" --quiet --baseline "$baseline"
