#!/usr/bin/env python3
"""Proves a deadlock finding on a complete program: threadlint must report
the check exactly at the lines marked `// PROVE-WARN`, and ThreadSanitizer
must agree that the program can deadlock.

  1. runs `threadlint --checks=-*,<check>` on the program; the check must
     warn at every line that carries `// PROVE-WARN`, and nowhere else
     (notes may go anywhere);
  2. compiles the program with ThreadSanitizer (and -Wall -Wextra: it must
     compile without a warning) and runs it:
       threadlint-lock-order-inversion: ThreadSanitizer must report
         `lock-order-inversion (potential deadlock)` and nothing else, and
         the run must end (the programs take the two orders one after the
         other when run without arguments; the deadlock detector reports the
         cycle all the same);
       threadlint-double-lock: ThreadSanitizer must report a double lock,
         or, as for a `std::mutex` a thread locks again, the program must
         hang until the timeout kills it (ThreadSanitizer's runtime skips
         its lock-order check for a mutex the locking thread owns, and
         reports "double lock of a mutex" only when a lock call returns
         while another thread owns the mutex).

  prove_deadlock.py [--threadlint=BIN] --clangxx=BIN --check=NAME
                    [--resource-dir=DIR] [--std=c++17] [--timeout=SECONDS]
                    [--tsan-only] PROGRAM WORKDIR

--tsan-only skips step 1 (for checking a program before its check exists).
The last lines printed are the summary a lit test FileChecks:
  threadlint: <check> at every PROVE-WARN line (<lines>)
  tsan: lock-order-inversion (potential deadlock) reported, a cycle of <N> mutexes, run finished
  tsan: double-lock: reported (<ThreadSanitizer's words>)
  tsan: double-lock: hung, killed after <T> s
"""
import argparse
import os
import re
import shutil
import subprocess
import sys

INVERSION = "threadlint-lock-order-inversion"
DOUBLE_LOCK = "threadlint-double-lock"
# No halt on the first report: a lock-order program must run to its end.
TSAN_OPTIONS = "halt_on_error=0 exitcode=66 report_signal_unsafe=0"
REPORT = re.compile(r"WARNING: ThreadSanitizer: (.*?)(?: \(pid=\d+\))?$", re.M)


def fail(message, output=""):
    print(f"prove_deadlock: FAIL: {message}")
    if output:
        print(output)
    sys.exit(1)


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, **kw)


def prove_warnings(a, program, flags):
    listed = run([a.threadlint, "--config={}", "--checks=-*," + a.check,
                  "--list-checks"])
    if not re.search(r"^\s+" + re.escape(a.check) + r"$", listed.stdout, re.M):
        fail(f"threadlint has no check {a.check}", listed.stdout)
    with open(program, encoding="utf-8") as f:
        marked = {n for n, line in enumerate(f, 1) if "// PROVE-WARN" in line}
    if not marked:
        fail("the program marks no line with // PROVE-WARN")
    resource = ["-resource-dir=" + a.resource_dir] if a.resource_dir else []
    out = run([a.threadlint, "--config={}", "--checks=-*," + a.check, program,
               "--"] + resource + flags)
    warned = set()
    unexpected = []
    here = os.path.realpath(program)
    for m in re.finditer(r"^(\S+?):(\d+):\d+: warning: .*\[([a-z0-9-]+)\]$",
                         out.stdout, re.M):
        if m[3] != a.check:
            continue
        if os.path.realpath(m[1]) == here:
            warned.add(int(m[2]))
        else:
            unexpected.append(m[0])
    missed = sorted(marked - warned)
    extra = sorted(warned - marked)
    if missed or extra or unexpected:
        fail(f"{a.check}: missed PROVE-WARN lines {missed}, "
             f"warnings at unmarked lines {extra} {unexpected}", out.stdout)
    print(out.stdout.rstrip())
    print(f"threadlint: {a.check} at every PROVE-WARN line "
          f"({', '.join(map(str, sorted(marked)))})")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threadlint")
    ap.add_argument("--clangxx", required=True)
    ap.add_argument("--check", required=True, choices=[INVERSION, DOUBLE_LOCK])
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

    shutil.rmtree(a.workdir, ignore_errors=True)
    os.makedirs(a.workdir)
    flags = ["-std=" + a.std, "-pthread"]

    # 1. The finding, through the threadlint command.
    if not a.tsan_only:
        prove_warnings(a, a.program, flags)

    # 2. The program compiles cleanly with ThreadSanitizer.
    binary = os.path.join(a.workdir, "program")
    c = run([a.clangxx, "-fsanitize=thread", "-g", "-O1", "-Wall", "-Wextra"] +
            flags + [a.program, "-o", binary])
    if c.returncode != 0 or c.stdout.strip():
        fail("the program does not compile cleanly", c.stdout)

    # 3. ThreadSanitizer's verdict. The program runs with no argument: its
    # threads take their locks one after the other.
    env = dict(os.environ, TSAN_OPTIONS=TSAN_OPTIONS)
    try:
        r = run([binary], env=env, timeout=a.timeout if a.check == DOUBLE_LOCK
                else 60)
    except subprocess.TimeoutExpired as e:
        out = e.stdout or ""
        if isinstance(out, bytes):
            out = out.decode(errors="replace")
        if a.check == INVERSION:
            fail("the lock-order program deadlocked for real (it must take "
                 "the orders one after the other)", out)
        if REPORT.search(out):
            fail("ThreadSanitizer reports something else before the hang", out)
        print(f"tsan: double-lock: hung, killed after {a.timeout:g} s")
        return 0
    reports = REPORT.findall(r.stdout)
    if a.check == INVERSION:
        if "lock-order-inversion (potential deadlock)" not in reports:
            fail("ThreadSanitizer reports no lock-order inversion", r.stdout)
        others = [x for x in reports
                  if x != "lock-order-inversion (potential deadlock)"]
        if others:
            fail(f"ThreadSanitizer reports more: {others}", r.stdout)
        if r.returncode != 66:  # ThreadSanitizer's exit code after a report
            fail(f"the program exits with {r.returncode}, not 66", r.stdout)
        cycle = re.search(r"Cycle in lock order graph: (.*)$", r.stdout, re.M)
        length = len(set(re.findall(r"\bM\d+\b", cycle[1]))) if cycle else 0
        print(f"tsan: lock-order-inversion (potential deadlock) reported, "
              f"a cycle of {length} mutexes, run finished")
        return 0
    double = [x for x in reports if "double lock" in x]
    if not double:
        fail("the double-lock program neither hangs nor makes "
             "ThreadSanitizer report a double lock", r.stdout)
    print(f"tsan: double-lock: reported ({double[0]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
