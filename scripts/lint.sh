#!/usr/bin/env bash
# Lints threadlint's own C++ sources with clang-tidy-22 and the repository's
# .clang-tidy (needs a configured build/ for compile_commands.json).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${THREADLINT_BUILD_DIR:-$root/build}
cd "$root"
mapfile -t files < <(git ls-files 'checks/*.cpp' 'driver/*.cpp' 'test/unit/*.cpp')
exec clang-tidy-22 -p "$build" --quiet "${files[@]}"
