"""Checks what `threadlint --version` says (the file VERSION) against the
source tree SRC: the git revision is a commit of it (with -dirty when the
build saw local changes) when SRC is the top of a git checkout, "unknown"
otherwise. With --sarif REPORT, the report's tool.driver says the same.

usage: check_version.py SRC VERSION [--sarif REPORT]
"""
import json
import os
import re
import subprocess
import sys


def fail(message):
    print("check_version: " + message, file=sys.stderr)
    sys.exit(1)


def git(src, *args):
    return subprocess.run(["git", "-C", src] + list(args),
                          capture_output=True, text=True)


def main():
    src, version_file = sys.argv[1], sys.argv[2]
    sarif = sys.argv[4] if len(sys.argv) > 4 and sys.argv[3] == "--sarif" else None
    text = open(version_file).read()
    match = re.fullmatch(r"threadlint version (\S+)\n"
                         r"  git revision (\S+)\n"
                         r"  built against LLVM (\S+)\n", text)
    if not match:
        fail("unexpected --version output:\n" + text)
    version, revision, llvm = match.groups()

    top = git(src, "rev-parse", "--show-toplevel")
    checkout = (top.returncode == 0 and
                os.path.realpath(top.stdout.strip()) == os.path.realpath(src))
    if not checkout:
        if revision != "unknown":
            fail("not a git checkout, but the revision is " + revision)
    else:
        commit = re.fullmatch(r"(?:.*-g)?([0-9a-f]{7,40})(?:-dirty)?", revision)
        if not commit:
            fail("not a `git describe --always --dirty` revision: " + revision)
        if git(src, "cat-file", "-e", commit.group(1) + "^{commit}").returncode:
            fail("revision %s is no commit of %s" % (revision, src))

    if sarif:
        driver = json.load(open(sarif))["runs"][0]["tool"]["driver"]
        expected = {"version": version, "semanticVersion": version,
                    "properties": {"gitRevision": revision,
                                   "llvmVersion": llvm}}
        for key, value in expected.items():
            if driver.get(key) != value:
                fail("tool.driver.%s is %r, not %r" % (key, driver.get(key), value))
    print("version %s, revision %s, LLVM %s" % (version, revision, llvm))


main()
