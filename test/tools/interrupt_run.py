#!/usr/bin/env python3
"""Starts a whole-project threadlint run, waits until a worker analyses
FILE, sends SIGTERM to the run (as a cancelled CI job would), and checks
that the run exits with 2 and leaves no worker running.

Usage: interrupt_run.py FILE COMMAND [ARGS...]
"""
import os
import signal
import subprocess
import sys
import time


def workers(path):
    """The worker processes analysing path (not this script)."""
    out = subprocess.run(["pgrep", "-f", "--", "--worker-file=" + path],
                         stdout=subprocess.PIPE, text=True).stdout
    return [int(p) for p in out.split() if int(p) != os.getpid()]


def main():
    marker, command = sys.argv[1], sys.argv[2:]
    run = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while not workers(marker):
        if run.poll() is not None or time.time() > deadline:
            run.kill()
            sys.exit("no worker for %r started" % marker)
        time.sleep(0.05)
    run.send_signal(signal.SIGTERM)
    try:
        _, err = run.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        run.kill()
        sys.exit("the run did not stop after SIGTERM")
    sys.stderr.write(err)
    time.sleep(0.5)
    left = workers(marker)
    if left:
        for pid in left:
            subprocess.run(["kill", "-9", str(pid)])
        sys.exit("workers left running: %s" % left)
    if run.returncode != 2:
        sys.exit("expected exit code 2, got %d" % run.returncode)


if __name__ == "__main__":
    main()
