#!/usr/bin/env python3
"""Checks that threadlint finds the pitfalls marked in examples/ and nothing
else: every `// pitfall: threadlint-X (...)` comment of an available check
must be followed, within the next few lines, by a warning of X, and every
threadlint warning must sit just below such a comment.

  check_examples.py THREADLINT EXAMPLES_DIR [--use-config-files]

With --use-config-files threadlint reads examples/.clang-tidy as the demo
does; otherwise it runs with --config={} (the default profile).
"""
import os
import re
import subprocess
import sys

WINDOW = 4  # a warning belongs to a comment at most this many lines above


def main():
    threadlint, examples = sys.argv[1], sys.argv[2]
    config = [] if "--use-config-files" in sys.argv[3:] else ["--config={}"]
    src = os.path.join(examples, "src")
    listed = subprocess.run([threadlint, "--list-checks", "--config={}"],
                            stdout=subprocess.PIPE, text=True).stdout
    available = set(re.findall(r"^\s+(threadlint-[a-z0-9-]+)$", listed, re.M))
    if not available:
        print("threadlint lists no threadlint-* check")
        return 1
    files = sorted(os.path.join(src, f) for f in os.listdir(src)
                   if f.endswith(".cpp"))
    out = subprocess.run(
        [threadlint, "--quiet", "--header-filter=.*"] + config + files +
        ["--", "-std=c++20", "-pthread", "-I" + src],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True).stdout
    # Each warning with the locations of its notes (thread-not-joined warns
    # at the thread and notes the exit the comment marks).
    warnings = []
    for m in re.finditer(r"^(\S+?):(\d+):\d+: (warning|note): (.*)$", out, re.M):
        where = (os.path.realpath(m[1]), int(m[2]))
        if m[3] == "warning":
            check = re.search(r"\[(threadlint-[a-z0-9-]+)\]$", m[4])
            warnings.append([check[1] if check else None, [where]])
        elif warnings:
            warnings[-1][1].append(where)
    warnings = [w for w in warnings if w[0]]
    pitfalls = []
    for name in sorted(os.listdir(src)):
        path = os.path.realpath(os.path.join(src, name))
        with open(path) as f:
            for number, line in enumerate(f, 1):
                m = re.search(r"// pitfall: (threadlint-[a-z0-9-]+)", line)
                if m and m[1] in available:
                    pitfalls.append((path, number, m[1]))
    def near(pitfall, place):
        return place[0] == pitfall[0] and pitfall[1] < place[1] <= pitfall[1] + WINDOW

    failures = []
    for pitfall in pitfalls:
        if not any(check == pitfall[2] and any(near(pitfall, p) for p in places)
                   for check, places in warnings):
            failures.append(f"missed: {os.path.basename(pitfall[0])}:{pitfall[1]}: {pitfall[2]}")
    for check, places in warnings:
        if not any(p[2] == check and any(near(p, place) for place in places)
                   for p in pitfalls):
            file, line = places[0]
            failures.append(f"unexpected: {os.path.basename(file)}:{line}: {check}")
    print(f"{len(pitfalls)} marked pitfalls of {len(available)} available checks, "
          f"{len(warnings)} warnings")
    for f in failures:
        print(f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
