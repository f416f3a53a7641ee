# Sourced by the scripts: helpers shared by setup, build, demo and package.

# quiet NAME COMMAND...: runs COMMAND with its output kept in a temporary
# file; on failure prints "NAME: failed (exit N) in DIR: COMMAND", the
# output, and exits with the command's status.
quiet() {
  local name=$1 log status=0
  shift
  log=$(mktemp)
  "$@" >"$log" 2>&1 || status=$?
  if [ "$status" -ne 0 ]; then
    echo "$name: failed (exit $status) in $PWD: $*" >&2
    cat "$log" >&2
    rm -f "$log"
    exit "$status"
  fi
  rm -f "$log"
}
