#!/usr/bin/env python3
"""What the threadlint checks cost in the editor (threadlint-clangd, LSP).

The time from an edit to its diagnostics, checks on against checks off, in
the same run. Two threadlint-clangd processes talk LSP (JSON-RPC with
Content-Length framing) with this script: "on" runs the clang-tidy checks
threadlint-* and nothing else, "off" runs no clang-tidy check at all. Both
open the same file of a compile_commands.json project and wait for its
first diagnostics; then, after a few warm-up edits, both receive the same
small edits (textDocument/didChange with the full text) one at a time,
alternating which process goes first, so machine noise hits both. For every
edit the script times didChange -> the textDocument/publishDiagnostics of
that version, and prints both times, their difference and the medians.

The time is what an editor sees: clangd waits (debounces) before it
rebuilds, about as long as its last rebuilds took (50 ms to 500 ms), so a
check that makes the rebuild slower is paid about twice. From clangd's trace
(CLANGD_TRACE) the script also prints the server's own figures: the median
BuildAST span (parse + checks) and the clang-tidy spans of "on".

Nothing is written into the project: the tidy configuration goes to a
temporary user config ($XDG_CONFIG_HOME/clangd/config.yaml, one per process;
its first fragment removes every check, so a .clang-tidy of the project does
not count) and the database is passed with --compile-commands-dir.

The run fails (exit 1) when clang-tidy is not seen running in "on" (no
ClangTidyMatch span in its trace), when it runs in "off", or when "off"
reports a threadlint diagnostic. --self-test also requires a threadlint
diagnostic in "on" after the open and after every edit; by default it uses
examples/src/stats.cpp (known findings) with a generated database.

  editor-latency.py --clangd PATH --compile-commands-dir DIR --file FILE
                    [--edits N] [--rounds R] [--warmup W] [--edit comment|code]
                    [--max-diff-ms MS] [--keep]
  editor-latency.py --self-test --clangd PATH [--edits 2]

Only the Python standard library is used.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "test", "clangd"))
from lsp_client import Failure, Server, uri_of  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SELF_TEST_FILE = os.path.join(ROOT, "examples", "src", "stats.cpp")

# The user config of each mode. The first fragment drops every check (those
# of a .clang-tidy in the project and clangd's defaults); clangd applies the
# fragments in order, so "on" ends with exactly the added checks. The
# standard library index would otherwise be built in the background, for
# seconds, while the first edits are timed.
CONFIG_OFF = """\
Index:
  StandardLibrary: No
Diagnostics:
  ClangTidy:
    Remove: ['*']
"""
CONFIG_ON = CONFIG_OFF + """\
---
Diagnostics:
  ClangTidy:
    Add: [{checks}]
    FastCheckFilter: Loose
"""


class Session(Server):
    """One clangd process (its LSP framing is test/clangd/lsp_client.py's),
    its config and trace files."""

    def __init__(self, name, clangd, ccdir, config, workdir, log_level):
        self.name = name
        self.dir = os.path.join(workdir, name)
        os.makedirs(os.path.join(self.dir, "xdg", "clangd"))
        with open(os.path.join(self.dir, "xdg", "clangd", "config.yaml"),
                  "w") as f:
            f.write(config)
        self.trace_path = os.path.join(self.dir, "trace.json")
        env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(self.dir, "xdg"),
                   CLANGD_TRACE=self.trace_path)
        env.pop("CLANGD_FLAGS", None)  # clangd appends these to argv
        argv = [clangd, "--compile-commands-dir=" + ccdir,
                "--background-index=false", "-j=1", "--pch-storage=memory",
                "--clang-tidy", "--log=" + log_level, "--pretty=false"]
        super().__init__(argv, self.dir, os.path.join(self.dir, "clangd.log"),
                         env=env)

    def wait_diagnostics(self, uri, version, deadline):
        """(arrival time, diagnostics) of the publishDiagnostics for
        `version` of `uri` (clangd sends the version)."""
        while True:
            got = self.receive_stamped(deadline)
            if got is None:
                raise Failure("%s: no diagnostics for version %d within the "
                              "time limit" % (self.name, version))
            stamp, message = got
            if message.get("method") != "textDocument/publishDiagnostics":
                continue
            params = message.get("params") or {}
            if params.get("uri") != uri:
                continue
            got_version = params.get("version")
            if got_version is not None and got_version < version:
                continue  # a late publish of an older version
            return stamp, params.get("diagnostics") or []

    def stop(self, timeout=10):
        """Shuts clangd down (shutdown/exit, then kill); its exit code or
        None if it was killed."""
        try:
            if self.proc.poll() is None:
                request_id = self.request("shutdown", None)
                self.wait_response(request_id, time.monotonic() + timeout,
                                   "shutdown")
                self.notify("exit", None)
        except Failure:
            pass
        return super().stop(timeout)

    def log_tail(self, size=3000):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")[-size:]
        except OSError:
            return ""


def read_trace(path):
    """The complete ('X') events of a clangd JSON trace, by name, in time
    order. Tolerates a file cut short (a killed server)."""
    try:
        with open(path) as f:
            text = f.read()
    except OSError:
        return {}
    start = text.find("[")
    decoder = json.JSONDecoder()
    pos = start + 1 if start >= 0 else len(text)
    events = []
    while pos < len(text):
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        if pos >= len(text) or text[pos] == "]":
            break
        try:
            event, pos = decoder.raw_decode(text, pos)
        except ValueError:
            break
        events.append(event)
    spans = {}
    for event in sorted((e for e in events if e.get("ph") == "X"),
                        key=lambda e: e.get("ts", 0)):
        spans.setdefault(event.get("name"), []).append(event["dur"] / 1000.0)
    return spans


def edited_text(base, number, kind, language):
    """The text of edit `number` (1-based). "comment": odd edits append a
    comment line at the end, even ones remove it again. "code": a function
    at the end whose returned literal changes with every edit."""
    sep = "" if base.endswith("\n") else "\n"
    if kind == "comment":
        if number % 2 == 0:
            return base
        return base + sep + "// threadlint editor-latency: edit %d\n" % number
    signature = "int threadlint_editor_latency_probe(%s)" % (
        "void" if language == "c" else "")
    return base + sep + "%s { return %d; }\n" % (signature, number)


def median(values):
    return statistics.median(values) if values else float("nan")


def threadlint_codes(diagnostics):
    return sorted({str(d.get("code")) for d in diagnostics
                   if str(d.get("code", "")).startswith("threadlint-")})


def open_file(session, uri, text, language, timeout):
    deadline = time.monotonic() + timeout
    init = session.request("initialize", {
        "processId": os.getpid(),
        "rootUri": None,
        "capabilities": {"textDocument": {"publishDiagnostics": {
            "versionSupport": True}}},
    })
    session.wait_response(init, deadline, "initialize")
    session.notify("initialized", {})
    sent = session.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": language, "version": 1, "text": text}})
    stamp, diagnostics = session.wait_diagnostics(uri, 1, deadline)
    return (stamp - sent) * 1000.0, diagnostics


def edit(session, uri, version, text, timeout):
    sent = session.notify("textDocument/didChange", {
        "textDocument": {"uri": uri, "version": version},
        "contentChanges": [{"text": text}]})
    stamp, diagnostics = session.wait_diagnostics(
        uri, version, time.monotonic() + timeout)
    return (stamp - sent) * 1000.0, diagnostics


def run_round(args, number, workdir, base, uri, language, say):
    """One pair of fresh sessions; returns the per-edit results and the
    traces. Raises Failure on any problem."""
    configs = {"on": CONFIG_ON.format(checks=args.checks), "off": CONFIG_OFF}
    sessions = {}
    result = {"edits": [], "open": {}, "spans": {}, "codes": {}}
    try:
        for name in ("on", "off"):
            sessions[name] = Session(name, args.clangd,
                                     args.compile_commands_dir, configs[name],
                                     os.path.join(workdir, "round%d" % number),
                                     args.log)
        # Open one after the other: the preambles are the big cost and
        # should not compete.
        for name in ("on", "off"):
            ms, diagnostics = open_file(sessions[name], uri, base, language,
                                        args.timeout)
            codes = threadlint_codes(diagnostics)
            result["open"][name] = ms
            result["codes"][name] = codes
            say("round %d: %-3s opened in %.0f ms, %d diagnostics, %d "
                "threadlint (%s)" % (number, name, ms, len(diagnostics),
                                     sum(1 for d in diagnostics if str(
                                         d.get("code", "")).startswith(
                                         "threadlint-")),
                                     ", ".join(codes) or "none"))
            if args.self_test:
                check_self_test(name, codes, "the open")
        time.sleep(args.settle)
        version = 1
        total = args.warmup + args.edits
        for i in range(1, total + 1):
            version += 1
            text = edited_text(base, i, args.edit, language)
            # Alternate which session gets the edit first (the timed edit 1
            # goes to "on" first).
            order = ("on", "off") if (i - args.warmup) % 2 else ("off", "on")
            times = {}
            for name in order:
                ms, diagnostics = edit(sessions[name], uri, version, text,
                                       args.timeout)
                times[name] = ms
                if args.self_test:
                    check_self_test(name, threadlint_codes(diagnostics),
                                    "edit %d" % i)
                elif name == "off" and threadlint_codes(diagnostics):
                    raise Failure("off reports threadlint diagnostics")
                if args.pause:
                    time.sleep(args.pause)
            if i > args.warmup:
                result["edits"].append((i - args.warmup, times["on"],
                                        times["off"], order[0]))
        for name in ("on", "off"):
            code = sessions.pop(name).stop()
            if code != 0:
                say("note: %s: clangd exited with %s" % (
                    name, "a kill" if code is None else code))
            result["spans"][name] = read_trace(
                os.path.join(workdir, "round%d" % number, name, "trace.json"))
        return result
    except Failure:
        for session in sessions.values():
            tail = session.log_tail()
            session.stop(timeout=2)
            if tail:
                say("note: end of the %s log:\n%s" % (session.name, tail))
        sessions.clear()
        raise
    finally:
        for session in sessions.values():
            session.stop(timeout=2)


def check_self_test(name, codes, where):
    if name == "on" and not codes:
        raise Failure("self-test: no threadlint diagnostic in 'on' after %s"
                      % where)
    if name == "off" and codes:
        raise Failure("self-test: 'off' reports threadlint diagnostics after "
                      "%s: %s" % (where, ", ".join(codes)))


def check_trace(number, result, builds):
    """clang-tidy must be seen running in 'on' (a ClangTidyMatch span per
    build) and never in 'off'."""
    on = result["spans"]["on"]
    off = result["spans"]["off"]
    if not on.get("BuildAST"):
        raise Failure("round %d: no BuildAST span in the trace of 'on': "
                      "cannot tell whether clang-tidy ran" % number)
    matches = len(on.get("ClangTidyMatch", []))
    if matches < builds:
        raise Failure("round %d: clang-tidy matched in %d of %d builds of "
                      "'on' (no ClangTidyMatch span: the checks are not "
                      "enabled, not known to this clangd, or dropped)"
                      % (number, matches, builds))
    if off.get("ClangTidyMatch"):
        raise Failure("round %d: clang-tidy ran in 'off'" % number)


def edit_spans(spans, name, count):
    """The durations of the last `count` spans called `name` (the builds of
    the timed edits, which come last)."""
    values = spans.get(name, [])
    return values[-count:] if count else []


def run(args, say):
    if args.self_test:
        if not args.file:
            args.file = SELF_TEST_FILE
    elif not (args.file and args.compile_commands_dir):
        raise Failure("--file and --compile-commands-dir are required "
                      "(or --self-test)")
    clangd = shutil.which(args.clangd)
    if not clangd:
        raise Failure("clangd not found: %s" % args.clangd)
    args.clangd = os.path.abspath(clangd)
    args.file = os.path.abspath(args.file)
    with open(args.file, encoding="utf-8", errors="surrogateescape") as f:
        base = f.read()
    language = "c" if args.file.endswith(".c") else "cpp"
    uri = uri_of(args.file)

    workdir = tempfile.mkdtemp(prefix="threadlint-editor-latency-")
    try:
        if not args.compile_commands_dir:
            # The self-test's database: the example file alone, C++20.
            args.compile_commands_dir = os.path.join(workdir, "db")
            os.makedirs(args.compile_commands_dir)
            with open(os.path.join(args.compile_commands_dir,
                                   "compile_commands.json"), "w") as f:
                json.dump([{"directory": os.path.dirname(args.file),
                            "file": args.file,
                            "arguments": ["clang++", "-std=c++20", "-c",
                                          args.file]}], f)
        args.compile_commands_dir = os.path.abspath(args.compile_commands_dir)
        say("clangd: %s" % args.clangd)
        say("file: %s (database %s)" % (args.file, args.compile_commands_dir))
        say("edits: %d timed per round (%s), %d warm-up, %d round(s), "
            "'on' checks: %s" % (args.edits, args.edit, args.warmup,
                                 args.rounds, args.checks))
        rounds = []
        for number in range(1, args.rounds + 1):
            rounds.append(run_round(args, number, workdir, base, uri,
                                    language, say))
            check_trace(number, rounds[-1], 1 + args.warmup + args.edits)
        report(args, rounds, say)
        if args.self_test:
            say("self-test: PASS (threadlint diagnostics in 'on' after the "
                "open and every edit, none in 'off'; clang-tidy ran in 'on' "
                "only)")
        diff = median([on - off for r in rounds for _, on, off, _ in
                       r["edits"]])
        if args.max_diff_ms is not None and diff > args.max_diff_ms:
            raise Failure("the median difference %.1f ms is above %.1f ms"
                          % (diff, args.max_diff_ms))
    finally:
        if args.keep:
            say("kept: %s" % workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def report(args, rounds, say):
    say("")
    say("%5s %5s  %9s %9s %9s  %s" % ("round", "edit", "on ms", "off ms",
                                      "diff ms", "first"))
    on_all, off_all, diffs = [], [], []
    for number, result in enumerate(rounds, 1):
        for i, on, off, first in result["edits"]:
            say("%5d %5d  %9.1f %9.1f %+9.1f  %s" % (number, i, on, off,
                                                     on - off, first))
            on_all.append(on)
            off_all.append(off)
            diffs.append(on - off)
    say("")
    say("publishDiagnostics after an edit (median of %d edits):"
        % len(diffs))
    say("  on  %8.1f ms" % median(on_all))
    say("  off %8.1f ms" % median(off_all))
    say("  difference per edit (median of on-off) %+.1f ms; difference of "
        "the medians %+.1f ms; on/off %.2f"
        % (median(diffs), median(on_all) - median(off_all),
           median(on_all) / median(off_all)))
    say("open (didOpen -> first diagnostics, preamble included): on %s ms, "
        "off %s ms" % (
            "/".join("%.0f" % r["open"]["on"] for r in rounds),
            "/".join("%.0f" % r["open"]["off"] for r in rounds)))

    # The server's side, from the traces: the builds of the timed edits.
    count = args.edits
    build = {name: [v for r in rounds
                    for v in edit_spans(r["spans"][name], "BuildAST", count)]
             for name in ("on", "off")}
    tidy = [a + b for r in rounds for a, b in zip(
        edit_spans(r["spans"]["on"], "ClangTidyInit", count),
        edit_spans(r["spans"]["on"], "ClangTidyMatch", count))]
    match = [v for r in rounds
             for v in edit_spans(r["spans"]["on"], "ClangTidyMatch", count)]
    say("clangd trace, builds of the timed edits (median):")
    say("  BuildAST on %.1f ms, off %.1f ms, difference %+.1f ms, on/off "
        "%.2f" % (median(build["on"]), median(build["off"]),
                  median(build["on"]) - median(build["off"]),
                  median(build["on"]) / median(build["off"])))
    say("  clang-tidy in 'on': ClangTidyInit+ClangTidyMatch %.1f ms "
        "(ClangTidyMatch %.1f ms)" % (median(tidy), median(match)))
    codes = sorted({c for r in rounds for c in r["codes"]["on"]})
    say("threadlint diagnostics in 'on' at the open: %s"
        % (", ".join(codes) or "none"))


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join(__doc__.split("\n")[2:]))
    parser.add_argument("--clangd", required=True,
                        help="threadlint-clangd (a path or a name on PATH)")
    parser.add_argument("--compile-commands-dir",
                        help="directory of compile_commands.json (with "
                             "--self-test: default a generated one)")
    parser.add_argument("--file", help="the file to open and edit (with "
                                       "--self-test: default "
                                       "examples/src/stats.cpp)")
    parser.add_argument("--edits", type=int, default=20,
                        help="timed edits per round (default 20)")
    parser.add_argument("--rounds", type=int, default=1,
                        help="pairs of fresh clangd processes, one after "
                             "the other (default 1)")
    parser.add_argument("--warmup", type=int, default=3,
                        help="edits before the timed ones, not counted; "
                             "clangd's debounce follows the median of its "
                             "recent rebuilds, the open included (default 3)")
    parser.add_argument("--settle", type=float, default=2,
                        help="seconds to wait after the open, while clangd "
                             "indexes the preamble (default 2)")
    parser.add_argument("--edit", choices=("comment", "code"),
                        default="comment",
                        help="comment: append/remove a comment line at the "
                             "end; code: a function at the end whose "
                             "literal changes (default comment)")
    parser.add_argument("--checks", default="threadlint-*",
                        help="the clang-tidy checks of 'on' (default "
                             "threadlint-*)")
    parser.add_argument("--pause", type=float, default=0.1,
                        help="seconds to sleep after each publish "
                             "(default 0.1)")
    parser.add_argument("--timeout", type=float, default=300,
                        help="seconds allowed for the open and for each "
                             "edit (default 300)")
    parser.add_argument("--max-diff-ms", type=float,
                        help="fail when the median difference per edit is "
                             "above this")
    parser.add_argument("--log", default="info",
                        choices=("error", "info", "verbose"),
                        help="clangd's --log (default info)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary directory (configs, logs, "
                             "traces)")
    parser.add_argument("--self-test", action="store_true",
                        help="also require threadlint diagnostics in 'on' "
                             "after the open and every edit, none in 'off'")
    args = parser.parse_args()
    if args.edits < 1 or args.rounds < 1 or args.warmup < 0:
        parser.error("--edits and --rounds must be at least 1, --warmup "
                     "at least 0")

    def say(text):
        print(text, flush=True)

    try:
        run(args, say)
    except Failure as e:
        say("FAIL: %s" % e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
