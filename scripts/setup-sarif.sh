#!/usr/bin/env bash
# Installs Microsoft's SARIF validator (@microsoft/sarif-multitool) once into
# ${THREADLINT_CACHE:-~/.cache/threadlint}/sarif, outside git, and prints the
# path of its binary. The SARIF tests use it and fail when it is missing.
set -euo pipefail
cache=${THREADLINT_CACHE:-$HOME/.cache/threadlint}/sarif
bin=$cache/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
if [ ! -f "$bin" ]; then
  command -v npm >/dev/null || { echo "setup-sarif: npm is needed" >&2; exit 1; }
  mkdir -p "$cache"
  (cd "$cache" && npm install --no-audit --no-fund --silent @microsoft/sarif-multitool >&2)
fi
# npm does not run the package's postinstall (chmod) by default.
chmod u+x "$bin"
echo "$bin"
