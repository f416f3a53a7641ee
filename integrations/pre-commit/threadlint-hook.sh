#!/usr/bin/env bash
# pre-commit hook: runs threadlint on the C/C++ source files given (pre-commit
# passes the staged files) with the compilation database of
# $THREADLINT_BUILD_DIR (default: build). Headers are skipped: they are
# analysed through the sources that include them. Fails on any finding.
set -euo pipefail
build=${THREADLINT_BUILD_DIR:-build}
threadlint=${THREADLINT:-threadlint}
files=()
for f in "$@"; do
  case "$f" in
    *.c|*.cc|*.cpp|*.cxx|*.c++|*.m|*.mm) [ -f "$f" ] && files+=("$f") ;;
  esac
done
[ ${#files[@]} -eq 0 ] && exit 0
if [ ! -f "$build/compile_commands.json" ]; then
  echo "threadlint: no $build/compile_commands.json (set THREADLINT_BUILD_DIR)" >&2
  exit 2
fi
args=(-p "$build" --quiet)
# A committed baseline, if any: only new findings block the commit.
[ -n "${THREADLINT_BASELINE:-}" ] && args+=(--baseline "$THREADLINT_BASELINE")
# THREADLINT_DIFF_BASE=HEAD: only findings on the lines being changed block.
[ -n "${THREADLINT_DIFF_BASE:-}" ] && args+=(--diff-base "$THREADLINT_DIFF_BASE")
# THREADLINT_CACHE_DIR: unchanged files are not analysed again.
[ -n "${THREADLINT_CACHE_DIR:-}" ] && args+=(--cache-dir "$THREADLINT_CACHE_DIR")
# --format=json makes every finding fail the hook (exit 1); the findings are
# printed as text on stderr below from the same run.
out=$(mktemp)
trap 'rm -f "$out"' EXIT
status=0
"$threadlint" "${args[@]}" --format json --output "$out" "${files[@]}" || status=$?
if [ "$status" -ne 0 ]; then
  python3 - "$out" >&2 <<'PY' || true
import json, sys
for f in json.load(open(sys.argv[1]))["findings"]:
    loc = f["location"]
    print("%s:%d:%d: %s: %s [%s]" % (loc["path"], loc["line"], loc["column"],
                                      f["level"], f["message"], f["check"]))
PY
fi
exit "$status"
