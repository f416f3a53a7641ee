#!/usr/bin/env python3
"""check_deb_depends.py DEB ROOT FILE...: every shared library that FILE
(an ELF file under ROOT, where DEB was unpacked) names as NEEDED must be
found (ldd) and belong (dpkg -S) to a package that DEB's Depends names.

Prints one line per library ("libLLVM.so.22.1 libllvm22") and a summary;
exits 1 when a library is missing or comes from a package Depends does not
name (the package would install but not run)."""
import os
import re
import subprocess
import sys


def run(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def depends(deb):
    field = run("dpkg-deb", "-f", deb, "Depends")
    names = set()
    for alternatives in field.split(","):
        for alt in alternatives.split("|"):
            alt = alt.strip()
            if alt:
                names.add(re.split(r"[\s(:]", alt, 1)[0])
    return names


def needed(path):
    out = run("llvm-readelf", "--dynamic-table", path)
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)


def resolved(path):
    """NEEDED name -> path as the dynamic loader finds it (ldd)."""
    found = {}
    for line in run("ldd", path).splitlines():
        m = re.match(r"\s*(\S+) => (.*?)(?: \(0x[0-9a-f]+\))?$", line)
        if m:
            found[m.group(1)] = m.group(2)
            continue
        # The dynamic loader itself: "/lib64/ld-linux-x86-64.so.2 (0x...)".
        m = re.match(r"\s*(/\S+) \(0x[0-9a-f]+\)$", line)
        if m:
            found[os.path.basename(m.group(1))] = m.group(1)
    return found


def owners(paths):
    """Path -> the package that ships it, with one dpkg -S for all. /lib and
    /usr/lib are one directory (usrmerge) but dpkg knows only the name the
    package used, so each path is asked under both names."""
    names = {}
    for path in paths:
        real = os.path.realpath(path)
        for p in (path, real):
            names[p] = path
            names[p[len("/usr"):] if p.startswith("/usr/") else "/usr" + p] = path
    r = subprocess.run(["dpkg", "-S"] + sorted(names), capture_output=True,
                       text=True)
    found = {}
    for line in r.stdout.splitlines():
        pkgs, _, shipped = line.partition(": ")
        if shipped in names:
            found[names[shipped]] = pkgs.split(",")[0].split(":")[0].strip()
    return found


def main():
    deb, root, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    wanted = depends(deb)
    problems = []
    libs = []
    for rel in files:
        path = os.path.join(root, rel)
        where = resolved(path)
        libs += [(rel, lib, where.get(lib)) for lib in needed(path)]
    pkg_of = owners({loc for _, _, loc in libs if loc})
    for rel, lib, loc in libs:
        if not loc:
            problems.append(f"{rel}: {lib} not found")
            continue
        pkg = pkg_of.get(loc)
        print(f"{rel}: {lib} {pkg}")
        if pkg not in wanted:
            problems.append(f"{rel}: {lib} ({loc}) comes from {pkg}, "
                            f"which Depends does not name")
    for p in problems:
        print("error:", p)
    print(f"{len(libs)} libraries needed, {len(problems)} not covered by Depends")
    return 1 if problems or not libs else 0


if __name__ == "__main__":
    sys.exit(main())
