#!/usr/bin/env bash
# Measures what threadlint's checks add to a clang-tidy run, against a
# baseline in the same run: clang-tidy-22 with one trivial check (parsing and
# AST building only) versus clang-tidy-22 with the plugin and threadlint-*,
# on the same files, alternating, several rounds; prints both times and the
# ratio.
#   bench/overhead.sh BUILD_DIR_WITH_COMPILE_COMMANDS [MAX_FILES] [ROUNDS]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
db=${1:?usage: overhead.sh BUILD_DIR [MAX_FILES] [ROUNDS]}
max=${2:-20}
rounds=${3:-3}
plugin=$root/build/lib/libthreadlint-tidy.so
tidy=clang-tidy-22
mapfile -t files < <(python3 -c 'import json,sys; print("\n".join(sorted({e["file"] for e in json.load(open(sys.argv[1]))})[:int(sys.argv[2])]))' \
  "$db/compile_commands.json" "$max")

run() { # prints seconds
  local start end
  start=$(date +%s.%N)
  "$tidy" -p "$db" --quiet "$@" "${files[@]}" >/dev/null 2>&1 || true
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }'
}

base_total=0; tl_total=0
for r in $(seq "$rounds"); do
  b=$(run --checks='-*,misc-definitions-in-headers')
  t=$(run --load="$plugin" --checks='-*,threadlint-*')
  echo "round $r: baseline ${b}s  threadlint ${t}s"
  base_total=$(awk -v a="$base_total" -v b="$b" 'BEGIN { printf "%.2f", a + b }'); tl_total=$(awk -v a="$tl_total" -v b="$t" 'BEGIN { printf "%.2f", a + b }')
done
echo "files: ${#files[@]}  baseline: ${base_total}s  threadlint: ${tl_total}s  ratio: $(awk -v a="$tl_total" -v b="$base_total" 'BEGIN { printf "%.3f", a / b }')"
