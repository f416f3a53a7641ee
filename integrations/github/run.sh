#!/usr/bin/env bash
# Run step of the threadlint GitHub Action (also usable in any CI):
#   run.sh BUILD_DIR SARIF_OUT [BASELINE]
# Writes a SARIF report of all findings to SARIF_OUT (for code scanning), then
# gates: exits 1 if there are findings not in BASELINE and (with
# $THREADLINT_DIFF_BASE, a git ref) on lines changed since that ref; without
# either, any finding fails. 2 on a tool error or a file that does not
# compile. Environment: $THREADLINT names the binary (default: threadlint),
# $THREADLINT_CACHE_DIR keeps results between runs, $THREADLINT_ARGS adds
# options (word-split).
set -uo pipefail
build=$1 sarif=$2 baseline=${3:-}
threadlint=${THREADLINT:-threadlint}
args=(-p "$build")
[ -n "${THREADLINT_CACHE_DIR:-}" ] && args+=(--cache-dir "$THREADLINT_CACHE_DIR")
# shellcheck disable=SC2206
[ -n "${THREADLINT_ARGS:-}" ] && args+=($THREADLINT_ARGS)
"$threadlint" "${args[@]}" --format sarif --output "$sarif"
status=$?
if [ "$status" -eq 2 ] || { [ -z "$baseline" ] && [ -z "${THREADLINT_DIFF_BASE:-}" ]; }; then
  exit "$status"
fi
# The gate: only new findings fail. With a cache the second run analyses
# nothing again.
gate=()
[ -n "$baseline" ] && gate+=(--baseline "$baseline")
[ -n "${THREADLINT_DIFF_BASE:-}" ] && gate+=(--diff-base "$THREADLINT_DIFF_BASE")
"$threadlint" "${args[@]}" --quiet "${gate[@]}"
