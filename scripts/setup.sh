#!/usr/bin/env bash
# Installs what building and testing threadlint needs, from Debian's packages,
# when it is missing. Idempotent: with everything installed it only checks.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PACKAGES=(
  clang-22 clang-tidy-22 clangd-22 libclang-22-dev llvm-22-dev llvm-22-tools
  lld-22 libclang-rt-22-dev libgrpc++-dev libprotobuf-dev
  cmake ninja-build pkg-config python3 libgtest-dev git
)

# The tests also validate SARIF with Microsoft's validator, installed with
# npm (scripts/test.sh sets THREADLINT_SETUP_TESTS=1); the demo needs neither.
# An npm already on PATH is used as it is: machines that carry Node.js from
# another source (NodeSource's nodejs bundles npm) cannot install Debian's npm
# beside it ("held broken packages").
if [ "${THREADLINT_SETUP_TESTS:-0}" = 1 ]; then
  # pgrep and kill (test/tools/interrupt_run.py): not in minimal images.
  PACKAGES+=(procps)
  command -v npm >/dev/null || PACKAGES+=(npm)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed' \
    || missing+=("$p")
done
sarif() {
  [ "${THREADLINT_SETUP_TESTS:-0}" = 1 ] || return 0
  "$(dirname "${BASH_SOURCE[0]}")/setup-sarif.sh" >/dev/null
}
if [ ${#missing[@]} -eq 0 ]; then
  sarif
  exit 0
fi

SUDO=()
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  SUDO=(sudo)
fi
echo "setup: installing ${missing[*]}" >&2
quiet setup "${SUDO[@]}" apt-get update -qq
quiet setup "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
  --no-install-recommends "${missing[@]}"
sarif
