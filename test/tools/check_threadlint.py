#!/usr/bin/env python3
"""Runs one check test through every threadlint front end and verifies it.

Usage (from a lit RUN line, via the %check_threadlint substitution):

  check_threadlint.py [--check-suffixes=A,B] [--frontend=NAME]
                      SOURCE CHECK TEMP [-- TIDY-ARGS... [-- COMPILE-ARGS...]]

For each front end (the plugin loaded into clang-tidy-22, and the threadlint
command), the test source is copied with its expectation comments blanked
out, the check is run on the copy with --fix, and then:

  * the check must be enabled in that front end (--list-checks): a plugin
    built for another clang-tidy loads silently and reports nothing, and
    must not pass a negative test;
  * diagnostics are matched with FileCheck against CHECK-MESSAGES (warnings)
    or CHECK-NOTES (warnings and notes) lines of the source; any warning or
    error that no line expects fails the test, and so does any note when
    CHECK-NOTES is used; a source without either expects no diagnostic;
  * the fixed copy is matched against CHECK-FIXES lines; without them the
    copy must be unchanged; a fixed copy must still compile.

Unless TIDY-ARGS set --config or --config-file, an empty configuration is
passed so that no .clang-tidy file around the build tree leaks in.
"""

import argparse
import os
import re
import shlex
import subprocess
import sys

EXPECTATION = re.compile(r"//\s*CHECK-(MESSAGES|NOTES|FIXES)[A-Z0-9-]*:.*$")


def fail(message):
    sys.stderr.write("check_threadlint: FAIL: " + message + "\n")
    sys.exit(1)


def run(cmd, **kwargs):
    sys.stderr.write("$ " + " ".join(shlex.quote(c) for c in cmd) + "\n")
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, **kwargs)


def split_args(argv):
    """Splits 'OWN -- TIDY -- COMPILE' (the last two parts are optional)."""
    if "--" not in argv:
        return argv, [], []
    i = argv.index("--")
    own, rest = argv[:i], argv[i + 1:]
    if "--" not in rest:
        return own, rest, []
    j = rest.index("--")
    return own, rest[:j], rest[j + 1:]


def prefixes(base, suffixes):
    names = [base] if not suffixes else []
    names += [base + "-" + s for s in suffixes]
    return names


def has_prefix(text, names):
    return any(re.search(r"//\s*" + re.escape(n) + r":", text) for n in names)


def filecheck(tool, check_file, input_file, names, extra):
    cmd = [tool, "-input-file=" + input_file, check_file,
           "-check-prefixes=" + ",".join(names)] + extra
    result = run(cmd)
    if result.returncode != 0:
        sys.stderr.write(result.stdout)
        return False
    return True


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clang-tidy", required=True)
    parser.add_argument("--plugin", required=True)
    parser.add_argument("--threadlint", required=True)
    parser.add_argument("--filecheck", required=True)
    parser.add_argument("--clangxx", required=True)
    parser.add_argument("--resource-dir", required=True)
    parser.add_argument("--check-suffixes", default="")
    parser.add_argument("--frontend", choices=["plugin", "threadlint"],
                        action="append",
                        help="only these front ends (default: all)")
    parser.add_argument("source")
    parser.add_argument("check")
    parser.add_argument("temp")
    own, tidy_args, compile_args = split_args(sys.argv[1:])
    args = parser.parse_args(own)
    suffixes = [s for s in args.check_suffixes.split(",") if s]

    with open(args.source, encoding="utf-8") as f:
        original = f.read()
    # Blank the expectations but keep every line where it is.
    cleaned = "\n".join(EXPECTATION.sub("//", line)
                        for line in original.split("\n"))

    messages = prefixes("CHECK-MESSAGES", suffixes)
    notes = prefixes("CHECK-NOTES", suffixes)
    fixes = prefixes("CHECK-FIXES", suffixes)
    has_messages = has_prefix(original, messages)
    has_notes = has_prefix(original, notes)
    has_fixes = has_prefix(original, fixes)
    if has_messages and has_notes:
        fail("use CHECK-MESSAGES or CHECK-NOTES, not both")

    if not any(a.startswith(("-config", "--config")) for a in tidy_args):
        tidy_args = ["--config={}"] + tidy_args
    checks = "--checks=-*," + args.check

    frontends = {
        "plugin": [args.clang_tidy, "--load=" + args.plugin],
        "threadlint": [args.threadlint],
    }
    selected = args.frontend or list(frontends)
    extension = os.path.splitext(args.source)[1] or ".cpp"

    for name in selected:
        tool = frontends[name]
        # 1. The check must exist in this front end.
        listed = run(tool + [checks, "--list-checks"] + tidy_args)
        if not re.search(r"^\s+" + re.escape(args.check) + r"$",
                         listed.stdout, re.M):
            sys.stderr.write(listed.stdout)
            fail("%s: '%s' is not enabled (plugin built for another "
                 "clang-tidy, or check not registered)" % (name, args.check))

        # 2. Run it with --fix on a copy.
        copy = "%s.%s%s" % (args.temp, name, extension)
        with open(copy, "w", encoding="utf-8") as f:
            f.write(cleaned)
        result = run(tool + [copy, "--fix", checks] + tidy_args +
                     ["--", "-resource-dir=" + args.resource_dir] +
                     compile_args)
        # clang-tidy reports every applied fix as a note of its own.
        output = "\n".join(
            line for line in result.stdout.split("\n")
            if "note: FIX-IT applied suggested code changes" not in line)
        out_file = "%s.%s.out" % (args.temp, name)
        with open(out_file, "w", encoding="utf-8") as f:
            f.write(output)
        sys.stderr.write("---- %s output ----\n%s\n" % (name, output))

        # 3. Diagnostics.
        if has_notes:
            ok = filecheck(args.filecheck, args.source, out_file, notes,
                           ["-implicit-check-not={{warning|error|note}}:"])
        elif has_messages:
            ok = filecheck(args.filecheck, args.source, out_file, messages,
                           ["-implicit-check-not={{warning|error}}:"])
        else:
            ok = not re.search(r"(warning|error):", output)
            if not ok:
                sys.stderr.write("unexpected diagnostics in a test that "
                                 "expects none\n")
        if not ok:
            fail("%s: diagnostics differ from the expectations" % name)

        # 4. Fixes.
        with open(copy, encoding="utf-8") as f:
            fixed = f.read()
        if has_fixes:
            if not filecheck(args.filecheck, args.source, copy, fixes,
                             ["-strict-whitespace"]):
                fail("%s: fixed code differs from CHECK-FIXES" % name)
        elif fixed != cleaned:
            fail("%s: the check changed the code but the test has no "
                 "CHECK-FIXES lines" % name)
        if fixed != cleaned:
            compiled = run([args.clangxx, "-fsyntax-only", copy] +
                           compile_args)
            if compiled.returncode != 0:
                sys.stderr.write(compiled.stdout)
                fail("%s: the fixed code does not compile" % name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
