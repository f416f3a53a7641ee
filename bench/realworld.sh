#!/usr/bin/env bash
# Runs threadlint's own checks over the real-world projects prepared by
# ../shared/tools/realworld.sh + realworld-setup.sh (default: /work/rw), two
# processes at a time, and prints the findings and a count per project.
#   bench/realworld.sh [DEST [PROJECT...]]    (PROJECT: a directory prefix, e.g. leveldb)
# Env: CHECKS (default '-*,threadlint-*'), THREADLINT (default build/bin/threadlint),
#      JOBS (default 2). Full output per project goes to DEST/<project>/b/threadlint.log.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dest=${1:-/work/rw}
[ $# -gt 0 ] && shift
tool=${THREADLINT:-$root/build/bin/threadlint}
checks=${CHECKS:--*,threadlint-*}
jobs=${JOBS:-2}

projects=("$@")
if [ ${#projects[@]} -eq 0 ]; then
  for db in "$dest"/*/b/compile_commands.json; do
    projects+=("$(basename "$(dirname "$(dirname "$db")")")")
  done
fi

for p in "${projects[@]}"; do
  src=$(ls -d "$dest/$p"*/ 2>/dev/null | head -1)
  db=${src}b
  [ -f "$db/compile_commands.json" ] || { echo "$p: no compile_commands.json"; continue; }
  start=$(date +%s)
  python3 -c 'import json,os,sys; print("\n".join(sorted({os.path.normpath(os.path.join(e["directory"], e["file"])) for e in json.load(open(sys.argv[1]))})))' \
    "$db/compile_commands.json" |
    xargs -P "$jobs" -n 4 "$tool" -p "$db" --quiet "--checks=$checks" >"$db/threadlint.log" 2>&1
  files=$(python3 -c 'import json,sys; print(len({e["file"] for e in json.load(open(sys.argv[1]))}))' "$db/compile_commands.json")
  findings=$(grep -E ': warning: .*\[threadlint-' "$db/threadlint.log" | sort -u)
  count=$(printf '%s' "$findings" | grep -c . || true)
  # Compile errors only (spdlog's and glog's .clang-tidy have a key clang-tidy
  # 22 no longer knows: reported as an error, harmless).
  errors=$(grep ': error: ' "$db/threadlint.log" | grep -vc '\.clang-tidy:' || true)
  echo "== $p: $files files, $count findings, $errors compile errors, $(( $(date +%s) - start ))s"
  [ -n "$findings" ] && printf '%s\n' "$findings"
done
