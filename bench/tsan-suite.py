#!/usr/bin/env python3
"""Runs threadlint's two race checks over ThreadSanitizer's own test suite
and prints how many race-expected and race-free programs each flags.

The suite is compiler-rt's test/tsan (about 200 small programs, each marked
by its FileCheck lines as racy or not). Get it once with the search tool's
`fetch github:llvm-mirror/compiler-rt`, then
  git -C <mirror> archive HEAD test/tsan | tar -x -C /work/tsan-suite
and run
  bench/tsan-suite.py [--build DIR] [--jobs N] [/work/tsan-suite/test/tsan]

A program is "race-expected" when a positive CHECK line expects a
ThreadSanitizer data-race report, "race-free" when it expects no
ThreadSanitizer report at all, and "other" (not counted) when it expects
another kind of report (a deadlock, a use after free, ...). Note that the
suite's barrier_wait is invisible to ThreadSanitizer on purpose and does not
order anything: many racy programs look synchronised to a reader.
"""
import argparse
import concurrent.futures
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHECKS = ["threadlint-unsynchronized-capture-write",
          "threadlint-mixed-atomic-access"]
RACE_EXPECTED = re.compile(r"^\s*//\s*CHECK(-[A-Z]+)*:.*data race", re.M)
ANY_REPORT = re.compile(r"^\s*//\s*CHECK(-[A-Z]+)*:.*(ThreadSanitizer|WARNING)", re.M)


def classify(text):
    positives = [m for m in RACE_EXPECTED.finditer(text) if "-NOT" not in m.group(0)]
    if positives:
        return "race-expected"
    if not [m for m in ANY_REPORT.finditer(text) if "-NOT" not in m.group(0)]:
        return "race-free"
    return "other"


def analyse(threadlint, directory, path):
    out = subprocess.run(
        [threadlint, "--quiet", "--config={}", "--checks=-*," + ",".join(CHECKS),
         path, "--", "-std=c++17", "-pthread", "-I" + directory],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True).stdout
    return {c for c in CHECKS if "[" + c + "]" in out}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("suite", nargs="?", default="/work/tsan-suite/test/tsan")
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    a = ap.parse_args()
    threadlint = os.path.join(a.build, "bin", "threadlint")
    programs = sorted(f for f in os.listdir(a.suite)
                      if f.endswith((".cpp", ".cc")))
    if not programs:
        print(f"no programs in {a.suite} (see --help for how to get the suite)")
        return 2
    classes = {}
    for p in programs:
        with open(os.path.join(a.suite, p), errors="replace") as f:
            classes[p] = classify(f.read())
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
        flagged = dict(zip(programs, pool.map(
            lambda p: analyse(threadlint, a.suite, os.path.join(a.suite, p)),
            programs)))
    print(f"{'class':<15} {'programs':>8} " +
          " ".join(f"{c.replace('threadlint-', ''):>30}" for c in CHECKS) +
          f" {'either':>8}")
    for cls in ("race-expected", "race-free"):
        members = [p for p in programs if classes[p] == cls]
        counts = [sum(1 for p in members if c in flagged[p]) for c in CHECKS]
        either = sum(1 for p in members if flagged[p])
        print(f"{cls:<15} {len(members):>8} " +
              " ".join(f"{n:>30}" for n in counts) + f" {either:>8}")
    print(f"other reports (not counted): {sum(1 for p in programs if classes[p] == 'other')}")
    for cls in ("race-expected", "race-free"):
        hits = [p for p in programs if classes[p] == cls and flagged[p]]
        print(f"flagged {cls}: " + (", ".join(
            f"{p} ({', '.join(sorted(c.replace('threadlint-', '') for c in flagged[p]))})"
            for p in hits) or "none"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
