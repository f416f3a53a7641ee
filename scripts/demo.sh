#!/usr/bin/env bash
# Installs what is missing, builds threadlint, and runs it on the bundled
# examples/ project (a CMake project that contains every catalogued pitfall).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${THREADLINT_BUILD_DIR:-$root/build}
. "$root/scripts/common.sh"

"$root/scripts/build.sh"
# The compilation database of the examples (configured only; nothing to build).
quiet demo cmake -S "$root/examples" -B "$build/examples" -G Ninja \
  -DCMAKE_CXX_COMPILER=clang++-22
echo "== threadlint -p $build/examples (every file of examples/)" >&2
# Findings are the point of the demo: they do not make it fail.
"$build/bin/threadlint" -p "$build/examples" || true
