#!/usr/bin/env python3
"""Writes DIR/compile_commands.json for files in DIR.

Usage: make_compdb.py DIR [COMPILER-FLAGS...] -- FILE...
"""
import json
import os
import sys


def main():
    directory = os.path.abspath(sys.argv[1])
    rest = sys.argv[2:]
    split = rest.index("--")
    flags, files = rest[:split], rest[split + 1:]
    entries = [{
        "directory": directory,
        "file": os.path.join(directory, f),
        "arguments": ["clang++-22", "-c"] + flags + [f],
    } for f in files]
    with open(os.path.join(directory, "compile_commands.json"), "w") as out:
        json.dump(entries, out, indent=2)


if __name__ == "__main__":
    main()
