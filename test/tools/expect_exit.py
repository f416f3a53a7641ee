#!/usr/bin/env python3
"""Runs a command and fails unless it exits with the given code.

Usage: expect_exit.py CODE COMMAND [ARGS...]
"""
import subprocess
import sys

code = int(sys.argv[1])
got = subprocess.call(sys.argv[2:])
if got != code:
    sys.exit("expected exit code %d, got %d" % (code, got))
