#!/usr/bin/env bash
# Installs Microsoft's SARIF validator (@microsoft/sarif-multitool) once into
# ${THREADLINT_CACHE:-~/.cache/threadlint}/sarif, outside git, and prints the
# path of its binary. The SARIF tests use it and fail when it is missing.
# A failing step prints the command and its output.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cache=${THREADLINT_CACHE:-$HOME/.cache/threadlint}/sarif
bin=$cache/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
if [ ! -f "$bin" ]; then
  command -v npm >/dev/null || {
    echo "setup-sarif: npm is needed (apt-get install npm, or run scripts/test.sh, which installs it)" >&2
    exit 1
  }
  quiet setup-sarif mkdir -p "$cache"
  (cd "$cache" && quiet setup-sarif npm install --no-audit --no-fund @microsoft/sarif-multitool)
  if [ ! -f "$bin" ]; then
    echo "setup-sarif: npm install @microsoft/sarif-multitool succeeded but $bin is missing (not a linux-x64 machine?)" >&2
    exit 1
  fi
fi
# npm does not run the package's postinstall (chmod) by default.
chmod u+x "$bin"
echo "$bin"
