#!/usr/bin/env bash
# Wall time of a whole-project threadlint run, against baselines in the same
# run: -j1 cold (the baseline), -jN cold, -jN with the warm cache, and -jN
# after touching one header (only the files that include it run again).
# Every run writes SARIF; the cold and warm reports must be identical.
#   bench/whole-project.sh BUILD_DIR_WITH_COMPILE_COMMANDS [JOBS] [HEADER_TO_TOUCH]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
db=$(cd "${1:?usage: whole-project.sh BUILD_DIR [JOBS] [HEADER]}" && pwd)
jobs=${2:-$(nproc)}
header=${3:-}
threadlint=${THREADLINT:-$root/build/bin/threadlint}
work=$(mktemp -d)
trap 'rm -rf "$work"; [ -n "$header" ] && [ -f "$work.h" ] && mv "$work.h" "$header"' EXIT

run() { # NAME ARGS...: prints the wall time and the summary line
  local name=$1 start end
  shift
  start=$(date +%s.%N)
  "$threadlint" -p "$db" --progress=none --format sarif \
    --output "$work/$name.sarif" "$@" 2> "$work/$name.err" || true
  end=$(date +%s.%N)
  printf '%-10s %7.2f s   %s\n' "$name" "$(echo "$end - $start" | bc)" \
    "$(grep '^threadlint:' "$work/$name.err" || echo '(no summary)')"
}

run j1-cold -j1 --cache-dir "$work/cache1"
run "j$jobs-cold" "-j$jobs" --cache-dir "$work/cache"
run "j$jobs-warm" "-j$jobs" --cache-dir "$work/cache"
cmp -s "$work/j$jobs-cold.sarif" "$work/j$jobs-warm.sarif" ||
  { echo "error: the warm report differs from the cold one" >&2; exit 1; }
if [ -n "$header" ]; then
  cp "$header" "$work.h"
  echo "// touched by whole-project.sh" >> "$header"
  run "j$jobs-touch" "-j$jobs" --cache-dir "$work/cache"
  mv "$work.h" "$header"
fi
