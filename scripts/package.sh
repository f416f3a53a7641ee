#!/usr/bin/env bash
# Builds threadlint (scripts/build.sh) and makes its Debian package with
# CPack (cmake/Packaging.cmake) in build/package/. The last line printed is
# the package's path. Install it with: sudo apt-get install ./threadlint_*.deb
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${THREADLINT_BUILD_DIR:-$root/build}
. "$root/scripts/common.sh"

# Only what the package holds (the unit tests are not in it).
"$root/scripts/build.sh" threadlint threadlint-clangd threadlint-tidy
out=$build/package
rm -rf "$out"
quiet package cpack --config "$build/CPackConfig.cmake" -B "$out"
# CPack's staging copy is as large as the package's contents.
rm -rf "$out/_CPack_Packages"
debs=("$out"/threadlint_*.deb)
[ -f "${debs[0]}" ] || { echo "package: cpack made no threadlint_*.deb in $out" >&2; exit 1; }
echo "${debs[0]}"
