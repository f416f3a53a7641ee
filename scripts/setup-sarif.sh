#!/usr/bin/env bash
# Installs Microsoft's SARIF validator (@microsoft/sarif-multitool) once into
# ${THREADLINT_CACHE:-~/.cache/threadlint}/sarif, outside git, and prints the
# path of its binary. The SARIF tests use it and fail when it is missing.
set -euo pipefail
cache=${THREADLINT_CACHE:-$HOME/.cache/threadlint}/sarif
bin=$cache/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
if [ ! -f "$bin" ]; then
  command -v npm >/dev/null || {
    echo "setup-sarif: npm is needed (apt-get install npm, or run scripts/test.sh, which installs it)" >&2
    exit 1
  }
  mkdir -p "$cache"
  log=$(mktemp)
  if ! (cd "$cache" && npm install --no-audit --no-fund @microsoft/sarif-multitool) >"$log" 2>&1; then
    echo "setup-sarif: failed: npm install @microsoft/sarif-multitool (in $cache)" >&2
    cat "$log" >&2
    rm -f "$log"
    exit 1
  fi
  rm -f "$log"
fi
# npm does not run the package's postinstall (chmod) by default.
chmod u+x "$bin"
echo "$bin"
