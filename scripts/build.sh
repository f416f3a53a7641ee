#!/usr/bin/env bash
# Configures (once) and builds threadlint into build/ (or $THREADLINT_BUILD_DIR):
# build/lib/libthreadlint-tidy.so, build/bin/threadlint, build/bin/threadlint-clangd.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${THREADLINT_BUILD_DIR:-$root/build}
. "$root/scripts/common.sh"

"$root/scripts/setup.sh"
if [ ! -f "$build/build.ninja" ]; then
  quiet build cmake -S "$root" -B "$build" -G Ninja \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22
fi
ninja -C "$build" "$@"
