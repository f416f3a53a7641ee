#!/usr/bin/env bash
# Installs what building and testing threadlint needs, from Debian's packages,
# when it is missing. Idempotent: with everything installed it only checks.
set -euo pipefail

PACKAGES=(
  clang-22 clang-tidy-22 clangd-22 libclang-22-dev llvm-22-dev llvm-22-tools
  lld-22 libclang-rt-22-dev libgrpc++-dev libprotobuf-dev
  cmake ninja-build pkg-config python3 libgtest-dev git
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed' \
    || missing+=("$p")
done
# The SARIF validator the tests use (cached outside git; needs npm).
"$(dirname "${BASH_SOURCE[0]}")/setup-sarif.sh" >/dev/null
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=()
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  SUDO=(sudo)
fi
echo "setup: installing ${missing[*]}" >&2
"${SUDO[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends \
  "${missing[@]}" >/dev/null
