#!/usr/bin/env python3
"""Proves a finding on a complete program: threadlint must report the check
exactly at the lines marked `// PROVE-WARN`, and ThreadSanitizer must agree
that the program has the problem the check names.

  1. runs `threadlint --checks=-*,<check>` on the program; the check must
     warn at every line that carries `// PROVE-WARN`, and nowhere else
     (notes may go anywhere);
  2. compiles the program with ThreadSanitizer (and -Wall -Wextra: it must
     compile without a warning) and runs it; what ThreadSanitizer must say
     is --expect, by default the check's:
       lock-order (threadlint-lock-order-inversion): ThreadSanitizer must
         report `lock-order-inversion (potential deadlock)` and nothing
         else, and the run must end (the programs take the two orders one
         after the other when run without arguments; the deadlock detector
         reports the cycle all the same);
       hang (threadlint-double-lock): ThreadSanitizer must report a double
         lock, or, as for a `std::mutex` a thread locks again, the program
         must hang until the timeout kills it (ThreadSanitizer's runtime
         skips its lock-order check for a mutex the locking thread owns,
         and reports "double lock of a mutex" only when a lock call returns
         while another thread owns the mutex);
       timeout (threadlint-skipped-done): no ThreadSanitizer; the program,
         built with clang++ -g -O1 -Wall -Wextra (no warning allowed), must
         not finish before --timeout when run with no argument (the error
         path is taken, the waiter hangs; it is killed), and must finish
         with exit code 0 when run with the argument `ok` (the error path
         is not taken): it is the skipped signal that hangs;
       race (threadlint-inconsistent-locking): ThreadSanitizer must report
         a `data race` and nothing else, the run must end, and one of the
         two accesses of a race must be at a PROVE-WARN line (the line
         threadlint warns at is one side of a race ThreadSanitizer saw).
       terminate (threadlint-exception-escapes-thread): no ThreadSanitizer;
         the program, built with `-g -Wall -Wextra` (no warning allowed)
         and run normally, must die by std::terminate: SIGABRT, with
         "terminate called" on stderr.

  prove_finding.py [--threadlint=BIN] --clangxx=BIN --check=NAME
                   [--expect=lock-order|hang|race|terminate|timeout]
                   [--resource-dir=DIR]
                   [--std=c++17] [--timeout=SECONDS] [--tsan-only]
                   PROGRAM WORKDIR

--tsan-only skips step 1 (for checking a program before its check exists).
The last lines printed are the summary a lit test FileChecks:
  threadlint: <check> at every PROVE-WARN line (<lines>)
  tsan: lock-order-inversion (potential deadlock) reported, a cycle of <N> mutexes, run finished
  tsan: double-lock: reported (<ThreadSanitizer's words>)
  tsan: double-lock: hung, killed after <T> s
  tsan: data race reported (<N> report[s]), at PROVE-WARN line <L>, run finished
  run: std::terminate (SIGABRT): terminate called after throwing an instance of '<type>'
  timeout: hung, killed after <T> s; with 'ok' finished
"""
import argparse
import os
import re
import signal
import subprocess
import sys

from tsan_proof import (EXIT_CODE, compile_tsan, fail, fresh_dir,
                        prove_warnings, reports, run, run_tsan,
                        timeout_output)

INVERSION = "threadlint-lock-order-inversion"
DOUBLE_LOCK = "threadlint-double-lock"
INCONSISTENT = "threadlint-inconsistent-locking"
EXCEPTION = "threadlint-exception-escapes-thread"
SKIPPED_DONE = "threadlint-skipped-done"
# What ThreadSanitizer (or, for terminate and timeout, the plain run) must
# say about each check's programs.
EXPECT = {INVERSION: "lock-order", DOUBLE_LOCK: "hang", INCONSISTENT: "race",
          EXCEPTION: "terminate", SKIPPED_DONE: "timeout"}
LOCK_ORDER = "lock-order-inversion (potential deadlock)"
# The stacks of the accesses of a race report (not where a mutex or a thread
# was created).
ACCESS = re.compile(r"^\s*(?:Previous )?(?:atomic )?(?:read|write) of size",
                    re.I)
FRAME = re.compile(r"^\s+#\d+ .*? (\S+?):(\d+)(?::\d+)? \(")


def race_lines(output, program):
    """The lines of the program in the stacks of the accesses of each data
    race report: one set per report."""
    here = os.path.realpath(program)
    found = []
    block = None
    in_access = False
    for line in output.splitlines():
        if "WARNING: ThreadSanitizer: data race" in line:
            block = set()
            found.append(block)
            in_access = False
        elif block is None:
            continue
        elif line.startswith("SUMMARY:"):
            block = None
        elif ACCESS.match(line):
            in_access = True
        elif not line.strip():
            in_access = False
        elif in_access:
            m = FRAME.match(line)
            if m and os.path.realpath(m[1]) == here:
                block.add(int(m[2]))
    return found


def prove_lock_order(r):
    found = reports(r.stdout)
    if LOCK_ORDER not in found:
        fail("ThreadSanitizer reports no lock-order inversion", r.stdout)
    others = [x for x in found if x != LOCK_ORDER]
    if others:
        fail(f"ThreadSanitizer reports more: {others}", r.stdout)
    if r.returncode != EXIT_CODE:
        fail(f"the program exits with {r.returncode}, not {EXIT_CODE}", r.stdout)
    cycle = re.search(r"Cycle in lock order graph: (.*)$", r.stdout, re.M)
    length = len(set(re.findall(r"\bM\d+\b", cycle[1]))) if cycle else 0
    print(f"tsan: {LOCK_ORDER} reported, a cycle of {length} mutexes, "
          "run finished")


def prove_double_lock(r):
    double = [x for x in reports(r.stdout) if "double lock" in x]
    if not double:
        fail("the double-lock program neither hangs nor makes "
             "ThreadSanitizer report a double lock", r.stdout)
    print(f"tsan: double-lock: reported ({double[0]})")


def prove_race(r, program):
    found = reports(r.stdout)
    if "data race" not in found:
        fail("ThreadSanitizer reports no data race", r.stdout)
    others = [x for x in found if x != "data race"]
    if others:
        fail(f"ThreadSanitizer reports more: {others}", r.stdout)
    if r.returncode != EXIT_CODE:
        fail(f"the program exits with {r.returncode}, not {EXIT_CODE}", r.stdout)
    with open(program, encoding="utf-8") as f:
        marked = {n for n, line in enumerate(f, 1) if "// PROVE-WARN" in line}
    at = sorted(set().union(*race_lines(r.stdout, program)) & marked)
    if marked and not at:
        fail("no data race ThreadSanitizer reports has an access at a "
             f"PROVE-WARN line ({sorted(marked)})", r.stdout)
    where = f", at PROVE-WARN line {', '.join(map(str, at))}" if at else ""
    n = found.count("data race")
    print(f"tsan: data race reported ({n} report{'s' if n != 1 else ''})"
          f"{where}, run finished")


def prove_terminate(clangxx, flags, program, workdir, timeout):
    """Built without sanitizer and run normally, the program must die by
    std::terminate: SIGABRT, and "terminate called" on stderr."""
    binary = os.path.join(workdir, "program")
    c = run([clangxx, "-g", "-Wall", "-Wextra"] + flags + [program, "-o",
                                                          binary])
    if c.returncode != 0 or c.stdout.strip():
        fail(f"{program} does not compile"
             + (" cleanly" if c.returncode == 0 else ""), c.stdout)
    try:
        r = run([binary], timeout=timeout)
    except subprocess.TimeoutExpired as e:
        fail("the program did not end", timeout_output(e))
    if r.returncode != -signal.SIGABRT:
        fail(f"the program exits with {r.returncode}, not by SIGABRT", r.stdout)
    said = re.search(r"^terminate called.*$", r.stdout, re.M)
    if not said:
        fail("SIGABRT, but not from std::terminate", r.stdout)
    print(f"run: std::terminate (SIGABRT): {said[0]}")


def prove_timeout(clangxx, flags, program, workdir, timeout):
    """The program hangs on its error path and finishes without it."""
    binary = os.path.join(workdir, "program")
    c = subprocess.run([clangxx, "-g", "-O1", "-Wall", "-Wextra"] + flags +
                       [program, "-o", binary], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    if c.returncode != 0 or c.stdout.strip():
        fail(f"{program} does not compile cleanly", c.stdout)
    try:
        r = subprocess.run([binary], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True,
                           timeout=timeout)
        fail(f"the program finished (exit {r.returncode}) instead of "
             "hanging", r.stdout)
    except subprocess.TimeoutExpired:
        pass
    try:
        # A loaded machine may be slow: only the hang is timed tightly.
        r = subprocess.run([binary, "ok"], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True,
                           timeout=max(60.0, timeout))
    except subprocess.TimeoutExpired as e:
        fail("the program hangs with 'ok' too: the hang is not the skipped "
             "signal's", timeout_output(e))
    if r.returncode != 0:
        fail(f"with 'ok' the program exits with {r.returncode}", r.stdout)
    print(f"timeout: hung, killed after {timeout:g} s; with 'ok' finished")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threadlint")
    ap.add_argument("--clangxx", required=True)
    ap.add_argument("--check", required=True)
    ap.add_argument("--expect", choices=["lock-order", "hang", "race",
                                         "terminate", "timeout"],
                    help="what ThreadSanitizer must report (default: the "
                    "check's)")
    ap.add_argument("--resource-dir")
    ap.add_argument("--std", default="c++17")
    ap.add_argument("--timeout", type=float, default=5.0,
                    help="seconds a double-lock program may hang")
    ap.add_argument("--tsan-only", action="store_true")
    ap.add_argument("program")
    ap.add_argument("workdir")
    a = ap.parse_args()
    if not a.tsan_only and not a.threadlint:
        ap.error("--threadlint is required unless --tsan-only")
    expect = a.expect or EXPECT.get(a.check)
    if not expect:
        ap.error(f"--expect is required for {a.check}")

    fresh_dir(a.workdir)
    flags = ["-std=" + a.std, "-pthread"]

    # 1. The finding, through the threadlint command.
    if not a.tsan_only:
        prove_warnings(a.threadlint, a.check, a.program, flags, a.resource_dir)

    if expect == "terminate":
        prove_terminate(a.clangxx, flags, a.program, a.workdir, 60)
        return 0
    if expect == "timeout":
        prove_timeout(a.clangxx, flags, a.program, a.workdir, a.timeout)
        return 0

    # 2. The program compiles cleanly with ThreadSanitizer.
    binary = compile_tsan(a.clangxx, flags, a.program,
                          os.path.join(a.workdir, "program"), strict=True)

    # 3. ThreadSanitizer's verdict. The program runs with no argument: a
    # lock-order program's threads take their locks one after the other.
    # No halt on the first report: the program must run to its end.
    try:
        r = run_tsan(binary, a.timeout if expect == "hang" else 60,
                     halt_on_error=False)
    except subprocess.TimeoutExpired as e:
        out = timeout_output(e)
        if expect == "lock-order":
            fail("the lock-order program deadlocked for real (it must take "
                 "the orders one after the other)", out)
        if expect != "hang":
            fail("the program did not finish in 60 s", out)
        if reports(out):
            fail("ThreadSanitizer reports something else before the hang", out)
        print(f"tsan: double-lock: hung, killed after {a.timeout:g} s")
        return 0
    if expect == "lock-order":
        prove_lock_order(r)
    elif expect == "hang":
        prove_double_lock(r)
    else:
        prove_race(r, a.program)
    return 0


if __name__ == "__main__":
    sys.exit(main())
