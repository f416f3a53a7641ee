"""What the proofs under ThreadSanitizer share (prove_finding.py,
prove_fixit.py): failing with the output, running a command, checking that
threadlint warns at the marked lines, compiling with ThreadSanitizer and
running the program with its reports collected.
"""
import os
import re
import shutil
import subprocess
import sys

# A ThreadSanitizer report's first line, without the pid:
# "WARNING: ThreadSanitizer: data race (pid=123)" -> "data race".
REPORT = re.compile(r"WARNING: ThreadSanitizer: (.*?)(?: \(pid=\d+\))?$", re.M)
# ThreadSanitizer's exit code after a report (TSAN_OPTIONS exitcode=).
EXIT_CODE = 66


def fail(message, output=""):
    """Prints `<script>: FAIL: <message>` and the output, and exits 1."""
    name = os.path.splitext(os.path.basename(sys.argv[0]))[0]
    print(f"{name}: FAIL: {message}")
    if output:
        print(output)
    sys.exit(1)


def run(cmd, **kw):
    """Runs a command with stdout and stderr together, as text."""
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, **kw)


def fresh_dir(path):
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)


def prove_warnings(threadlint, check, program, flags, resource_dir=None):
    """threadlint --checks=-*,<check> must warn at every line of the program
    marked `// PROVE-WARN` and at no other line (notes may go anywhere).
    Prints threadlint's output and a summary line."""
    listed = run([threadlint, "--config={}", "--checks=-*," + check,
                  "--list-checks"])
    if not re.search(r"^\s+" + re.escape(check) + r"$", listed.stdout, re.M):
        fail(f"threadlint has no check {check}", listed.stdout)
    with open(program, encoding="utf-8") as f:
        marked = {n for n, line in enumerate(f, 1) if "// PROVE-WARN" in line}
    if not marked:
        fail("the program marks no line with // PROVE-WARN")
    resource = ["-resource-dir=" + resource_dir] if resource_dir else []
    out = run([threadlint, "--config={}", "--checks=-*," + check, program,
               "--"] + resource + flags)
    warned = set()
    unexpected = []
    here = os.path.realpath(program)
    for m in re.finditer(r"^(\S+?):(\d+):\d+: warning: .*\[([a-z0-9-]+)\]$",
                         out.stdout, re.M):
        if m[3] != check:
            continue
        if os.path.realpath(m[1]) == here:
            warned.add(int(m[2]))
        else:
            unexpected.append(m[0])
    missed = sorted(marked - warned)
    extra = sorted(warned - marked)
    if missed or extra or unexpected:
        fail(f"{check}: missed PROVE-WARN lines {missed}, "
             f"warnings at unmarked lines {extra} {unexpected}", out.stdout)
    print(out.stdout.rstrip())
    print(f"threadlint: {check} at every PROVE-WARN line "
          f"({', '.join(map(str, sorted(marked)))})")


def compile_tsan(clangxx, flags, source, binary, strict=False):
    """Compiles with -fsanitize=thread -g -O1. strict: with -Wall -Wextra,
    and a compiler warning fails."""
    warnings = ["-Wall", "-Wextra"] if strict else []
    c = run([clangxx, "-fsanitize=thread", "-g", "-O1"] + warnings + flags +
            [source, "-o", binary])
    if c.returncode != 0 or (strict and c.stdout.strip()):
        fail(f"{source} does not compile"
             + (" cleanly" if c.returncode == 0 else ""), c.stdout)
    return binary


def run_tsan(binary, timeout, halt_on_error):
    """Runs the program under ThreadSanitizer (exit code 66 after a report).
    Raises subprocess.TimeoutExpired past the timeout."""
    options = (f"halt_on_error={int(halt_on_error)} exitcode={EXIT_CODE} "
               "report_signal_unsafe=0")
    env = dict(os.environ, TSAN_OPTIONS=options)
    return run([binary], env=env, timeout=timeout)


def reports(output):
    """The kinds ThreadSanitizer reported: ["data race", ...]."""
    return REPORT.findall(output)


def timeout_output(e):
    """What a timed-out program printed."""
    out = e.stdout or ""
    return out.decode(errors="replace") if isinstance(out, bytes) else out
