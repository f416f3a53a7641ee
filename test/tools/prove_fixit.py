#!/usr/bin/env python3
"""Proves a fix-it on a complete program, beyond the text: applies
threadlint's fix-its for one check to a copy of the program, checks the
expected fixed lines (`// PROVE-FIX: <line>` comments, matched after
stripping whitespace), compiles the program before and after with
ThreadSanitizer, and runs them:

  --expect=race   the data-race case: the original must make ThreadSanitizer
                  report a data race, the fixed program must run clean;
  --expect=exact  the atomicity case (invisible to ThreadSanitizer): the fixed
                  program must run clean and exit 0 (it checks its own result).

  prove_fixit.py --threadlint=BIN --clangxx=BIN --check=NAME --expect=race|exact
                 [--std=c++20] PROGRAM WORKDIR
"""
import argparse
import os
import re
import shutil
import sys

from tsan_proof import compile_tsan, fail, fresh_dir, run, run_tsan


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threadlint", required=True)
    ap.add_argument("--clangxx", required=True)
    ap.add_argument("--check", required=True)
    ap.add_argument("--expect", choices=["race", "exact"], required=True)
    ap.add_argument("--std", default="c++20")
    ap.add_argument("program")
    ap.add_argument("workdir")
    a = ap.parse_args()

    fresh_dir(a.workdir)
    before = os.path.join(a.workdir, "before.cpp")
    after = os.path.join(a.workdir, "after.cpp")
    shutil.copy(a.program, before)
    shutil.copy(a.program, after)
    flags = ["-std=" + a.std, "-pthread"]

    # 1. The fix-it, through the threadlint command.
    out = run([a.threadlint, "--config={}", "--checks=-*," + a.check, "--fix",
               after, "--"] + flags)
    if not re.search(r"warning: .*\[" + re.escape(a.check) + r"\]", out.stdout):
        fail(f"{a.check} reported nothing", out.stdout)
    original = open(before).read()
    fixed = open(after).read()
    if fixed == original:
        fail("no fix-it was applied", out.stdout)
    wanted = re.findall(r"// PROVE-FIX: (.*)$", original, re.M)
    if not wanted:
        fail("the program names no expected fix (// PROVE-FIX: ...)")
    fixed_lines = {re.sub(r"\s+", "", l.split("//")[0]) for l in fixed.splitlines()}
    for line in wanted:
        if re.sub(r"\s+", "", line) not in fixed_lines:
            fail(f"expected fixed line not found: {line}", fixed)

    # 2. Both programs compile with ThreadSanitizer.
    binaries = {name: compile_tsan(a.clangxx, flags, source,
                                   os.path.join(a.workdir, name))
                for name, source in (("before", before), ("after", after))}

    # 3. Before: racy (data-race case only).
    if a.expect == "race":
        r = run_tsan(binaries["before"], 60, halt_on_error=True)
        if "WARNING: ThreadSanitizer: data race" not in r.stdout:
            fail("ThreadSanitizer reports no data race in the original program",
                 r.stdout)
        print("before: ThreadSanitizer reports a data race")

    # 4. After: clean, and correct.
    r = run_tsan(binaries["after"], 60, halt_on_error=True)
    if "ThreadSanitizer" in r.stdout:
        fail("ThreadSanitizer reports a problem in the fixed program", r.stdout)
    if r.returncode != 0:
        fail(f"the fixed program exits with {r.returncode}", r.stdout)
    print("after: clean under ThreadSanitizer, exit 0")
    return 0


if __name__ == "__main__":
    sys.exit(main())
