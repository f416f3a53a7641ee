#!/usr/bin/env python3
"""Starts a whole-project threadlint run, waits until a worker analyses
FILE, prints that worker's arguments (after the program, one a line), then
stops the run (SIGTERM: it kills its workers).

Usage: worker_args.py FILE COMMAND [ARGS...]
"""
import os
import signal
import subprocess
import sys
import time


def worker(path):
    """A worker process analysing path (not this script), or None."""
    out = subprocess.run(["pgrep", "-f", "--", "--worker-file=" + path],
                         stdout=subprocess.PIPE, text=True).stdout
    pids = [int(p) for p in out.split() if int(p) != os.getpid()]
    return pids[0] if pids else None


def main():
    marker, command = sys.argv[1], sys.argv[2:]
    run = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    args = None
    while args is None:
        pid = worker(marker)
        if pid:
            try:
                with open("/proc/%d/cmdline" % pid, "rb") as f:
                    args = f.read().split(b"\0")[1:-1]
            except OSError:
                pass
        elif run.poll() is not None or time.time() > deadline:
            run.kill()
            sys.exit("no worker for %r started" % marker)
        else:
            time.sleep(0.05)
    run.send_signal(signal.SIGTERM)
    try:
        run.wait(timeout=60)
    except subprocess.TimeoutExpired:
        run.kill()
        sys.exit("the run did not stop after SIGTERM")
    for a in args:
        print(a.decode())


if __name__ == "__main__":
    main()
