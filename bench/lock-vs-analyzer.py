#!/usr/bin/env python3
"""threadlint-lock-across-blocking-call side by side with its anchor, the
Clang Static Analyzer's unix.BlockInCriticalSection.

Both run through the same clang-tidy-22 binary (ours as the plugin), on the
same files with the same flags, one file at a time, so parsing costs the
same and the difference in wall time is the analysis. For each input set it
prints the findings of each tool, the wall times and their ratio, and every
location the analyzer flags that we do not. Such a location must carry an
`ANALYZER-DIFFERS: <reason>` comment on its line (our lit tests mark the
analyzer's false positives that way); any other one fails the script.

  bench/lock-vs-analyzer.py [--build DIR] [--project DIR_WITH_compile_commands]...
Default inputs: our lit tests for the check, and /work/rw/leveldb-1.23/b if
it exists (see ../shared/tools/realworld.sh).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLANG_TIDY = "/usr/lib/llvm-22/bin/clang-tidy"
RESOURCE_DIR = "/usr/lib/llvm-22/lib/clang/22"
OURS = "threadlint-lock-across-blocking-call"
ANCHOR = "clang-analyzer-unix.BlockInCriticalSection"
WARNING = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+):(?P<col>\d+): warning: "
                     r"(?P<msg>.*) \[(?P<check>[^\]]+)\]$", re.M)
# Our note at the end of an indirect chain: the blocking call itself, where
# the analyzer (following the path into the helper) reports.
CHAIN_END = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+):(?P<col>\d+): note: "
                       r"'[^']*' blocks here, calling", re.M)


def run(tool_args, file, extra, header_filter):
    """Runs one clang-tidy over one file; returns (findings, seconds)."""
    cmd = [CLANG_TIDY] + tool_args + ["--quiet", "--config={}",
                                      "--header-filter=" + header_filter, file]
    cmd += extra
    start = time.monotonic()
    out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True).stdout
    took = time.monotonic() - start
    found = set()
    for m in WARNING.finditer(out):
        found.add((os.path.realpath(m["file"]), int(m["line"]), m["check"],
                   m["msg"]))
    chain_ends = {(os.path.realpath(m["file"]), int(m["line"]))
                  for m in CHAIN_END.finditer(out)}
    return found, chain_ends, took


def compare(name, jobs, build):
    """jobs: list of (file, extra args after the file). Returns unexplained
    analyzer-only locations."""
    plugin = os.path.join(build, "lib", "libthreadlint-tidy.so")
    ours_args = ["--load=" + plugin, "--checks=-*," + OURS]
    anchor_args = ["--checks=-*," + ANCHOR]
    header_filter = ".*" if name == "lit tests" else re.escape(
        os.path.commonpath([os.path.dirname(f) for f, _ in jobs])) + ".*"
    ours, anchor, chain_ends = set(), set(), set()
    t_ours = t_anchor = 0.0
    for file, extra in jobs:
        f, _, t = run(anchor_args, file, extra, header_filter)
        anchor |= f
        t_anchor += t
        f, ends, t = run(ours_args, file, extra, header_filter)
        ours |= f
        chain_ends |= ends
        t_ours += t

    def show(label, found):
        print(f"  {label}: {len(found)} findings")
        for file, line, _, msg in sorted(found):
            print(f"    {os.path.relpath(file, ROOT) if file.startswith(ROOT) else file}:{line}: {msg}")

    print(f"== {name}: {len(jobs)} files")
    show(ANCHOR, anchor)
    show(OURS, ours)
    ours_lines = {(f, l) for f, l, _, _ in ours}
    missing = sorted({(f, l) for f, l, _, _ in anchor} - ours_lines)
    unexplained = []
    for file, line in missing:
        if (file, line) in chain_ends:
            print(f"  analyzer reports inside the helper, we at the call under "
                  f"the lock with a note here: {os.path.basename(file)}:{line}")
            continue
        try:
            text = open(file, errors="replace").read().splitlines()[line - 1]
        except (OSError, IndexError):
            text = ""
        reason = text.split("ANALYZER-DIFFERS:", 1)
        if len(reason) == 2:
            print(f"  analyzer only, explained: {os.path.basename(file)}:{line}: {reason[1].strip()}")
        else:
            print(f"  analyzer only, UNEXPLAINED: {file}:{line}")
            unexplained.append((file, line))
    ratio = t_anchor / t_ours if t_ours else float("inf")
    print(f"  wall time: {ANCHOR} {t_anchor:.2f} s, {OURS} {t_ours:.2f} s, "
          f"analyzer/threadlint = {ratio:.2f}x")
    return unexplained


def project_jobs(db_dir):
    with open(os.path.join(db_dir, "compile_commands.json")) as f:
        entries = json.load(f)
    files = sorted({os.path.normpath(os.path.join(e["directory"], e["file"]))
                    for e in entries})
    return [(f, ["-p", db_dir, "--extra-arg-before=-resource-dir=" + RESOURCE_DIR])
            for f in files]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--project", action="append", default=None,
                    help="a directory holding compile_commands.json "
                    "('none': only the lit tests)")
    args = ap.parse_args()
    lit = sorted(os.path.join(ROOT, "test", "checks", f)
                 for f in os.listdir(os.path.join(ROOT, "test", "checks"))
                 if f.startswith("lock-across-blocking-call"))
    flags = ["--", "-std=c++20", "-pthread", "-resource-dir=" + RESOURCE_DIR]
    unexplained = compare("lit tests", [(f, flags) for f in lit], args.build)
    projects = args.project
    if projects is None:
        projects = [p for p in ["/work/rw/leveldb-1.23/b"]
                    if os.path.exists(os.path.join(p, "compile_commands.json"))]
    for p in projects:
        if p == "none":
            continue
        unexplained += compare(os.path.basename(os.path.dirname(p.rstrip("/"))) or p,
                               project_jobs(p), args.build)
    if unexplained:
        print(f"{len(unexplained)} analyzer findings we do not report and no "
              "reason is written for")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
