#!/usr/bin/env bash
# Installs what is missing, builds everything, and runs the whole test suite
# (lit: check tests through the plugin and threadlint, editor tests, unit
# tests). Exits non-zero if any test fails.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${THREADLINT_BUILD_DIR:-$root/build}

# The tests need the SARIF validator too (npm): see scripts/setup.sh.
THREADLINT_SETUP_TESTS=1 "$root/scripts/build.sh"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
python3 /usr/lib/llvm-22/bin/lit -v "$build/test" 2>&1 | tee "$log" || status=$?
passed=$(sed -n 's/^ *Passed *: *\([0-9]*\).*/\1/p' "$log" | tail -1)
failed=$(sed -n 's/^ *Failed *: *\([0-9]*\).*/\1/p' "$log" | tail -1)
echo "${passed:-0} passed, ${failed:-0} failed"
if [ "$status" -ne 0 ] || [ "${passed:-0}" -eq 0 ]; then
  exit 1
fi
