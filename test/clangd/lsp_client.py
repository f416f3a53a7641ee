#!/usr/bin/env python3
"""A minimal LSP client that drives threadlint-clangd through one session.

It starts the server in a workspace holding the test input, a .clangd that
enables the threadlint checks and compile flags; opens the file; waits for
its diagnostics; checks that the threadlint diagnostic is there, with a fix
(inline on the diagnostic and from textDocument/codeAction); then shuts the
server down. Only the Python standard library is used.

Prints one PASS/FAIL line per step and "RESULT: PASS" or "RESULT: FAIL";
exits 0 only if every step passed. Every wait is bounded, and the server is
killed if it does not exit on its own.
"""

import argparse
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from urllib.parse import quote

CHECK = "threadlint-loop-variable-capture"
MESSAGE = ("loop variable 'i' is captured by reference to a task that may "
           "outlive the iteration")
FIX_TEXT = ", i"
# Where the diagnostic and the fix are in Inputs/loop-capture.cpp (0-based).
DIAG_START = {"line": 9, "character": 35}
FIXED_LINE = "    workers.emplace_back([&, i] { use(i); });"


class Failure(Exception):
    pass


class Server:
    """The server process and the LSP framing over its stdin/stdout."""

    def __init__(self, argv, cwd, log_path, env=None):
        self.log_path = log_path
        self.log = open(log_path, "wb")
        self.proc = subprocess.Popen(argv, cwd=cwd, env=env,
                                     stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self.log)
        self.messages = queue.Queue()
        self.next_id = 1
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        out = self.proc.stdout
        try:
            while True:
                headers = {}
                while True:
                    line = out.readline()
                    if not line:
                        return
                    line = line.rstrip(b"\r\n")
                    if not line:
                        break
                    name, _, value = line.decode("ascii").partition(":")
                    headers[name.strip().lower()] = value.strip()
                length = int(headers["content-length"])
                body = out.read(length)
                if len(body) < length:
                    return
                # Stamped on arrival: a benchmark's consumer may be busy
                # with another server when this one answers.
                self.messages.put((time.monotonic(),
                                   json.loads(body.decode("utf-8"))))
        except (OSError, ValueError, KeyError) as e:
            self.messages.put((time.monotonic(), {"reader-error": repr(e)}))
        finally:
            self.messages.put(None)  # end of stream

    def send(self, message):
        """Sends a message; returns the time it was sent."""
        message = dict(message, jsonrpc="2.0")
        body = json.dumps(message).encode("utf-8")
        header = "Content-Length: %d\r\n\r\n" % len(body)
        try:
            self.proc.stdin.write(header.encode("ascii") + body)
            self.proc.stdin.flush()
        except OSError as e:
            raise Failure("cannot write to the server: %s" % e)
        return time.monotonic()

    def notify(self, method, params):
        return self.send({"method": method, "params": params})

    def request(self, method, params):
        request_id = self.next_id
        self.next_id += 1
        self.send({"id": request_id, "method": method, "params": params})
        return request_id

    def receive(self, deadline):
        """Next message from the server, or None at the deadline."""
        got = self.receive_stamped(deadline)
        return got and got[1]

    def receive_stamped(self, deadline):
        """(arrival time, next message from the server), or None at the
        deadline."""
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            try:
                item = self.messages.get(timeout=remaining)
            except queue.Empty:
                return None
            if item is None:
                self.messages.put(None)  # keep reporting the end
                raise Failure("the server closed its output (exit code %s); "
                              "see %s" % (self.proc.poll(), self.log_path))
            stamp, message = item
            if "reader-error" in message:
                raise Failure("unreadable server output: %s"
                              % message["reader-error"])
            if "method" in message and "id" in message:
                # A request from the server (e.g. workDoneProgress/create):
                # answer it so that the server is never left waiting.
                self.send({"id": message["id"], "result": None})
                continue
            return stamp, message

    def wait_response(self, request_id, deadline, what):
        while True:
            message = self.receive(deadline)
            if message is None:
                raise Failure("no response to %s in time" % what)
            if message.get("id") == request_id and "method" not in message:
                if "error" in message:
                    raise Failure("%s failed: %s" % (what, message["error"]))
                return message.get("result")

    def stop(self, timeout):
        """Wait up to `timeout` seconds for the server to exit, then kill it.
        Returns its exit code, or None if it had to be killed."""
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            code = None
        self.reader.join(timeout=5)
        self.proc.stdout.close()
        self.log.close()
        return code


def uri_of(path):
    return "file://" + quote(os.path.abspath(path))


def position_text(pos):
    return "%d:%d" % (pos["line"] + 1, pos["character"] + 1)


def apply_edits(text, edits):
    """Applies LSP TextEdits (UTF-16 columns; the input is ASCII)."""
    lines = text.split("\n")

    def offset(pos):
        return sum(len(l) + 1 for l in lines[:pos["line"]]) + pos["character"]

    spans = sorted(((offset(e["range"]["start"]), offset(e["range"]["end"]),
                     e["newText"]) for e in edits), reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def edits_for(edit, uri):
    """The TextEdits of a WorkspaceEdit on `uri`."""
    edits = list((edit.get("changes") or {}).get(uri, []))
    for change in edit.get("documentChanges") or []:
        if change.get("textDocument", {}).get("uri") == uri:
            edits.extend(change.get("edits", []))
    return edits


def check_fix(action, uri, source, where):
    """Checks that a CodeAction is the quickfix inserting ", i"."""
    if action.get("kind") != "quickfix":
        raise Failure("%s: the action is a %r, not a quickfix"
                      % (where, action.get("kind")))
    edits = edits_for(action.get("edit") or {}, uri)
    if not edits:
        raise Failure("%s: the action edits nothing in the file: %s"
                      % (where, json.dumps(action)))
    if not any(e["newText"] == FIX_TEXT for e in edits):
        raise Failure("%s: no edit inserts %r: %s"
                      % (where, FIX_TEXT, json.dumps(edits)))
    fixed = apply_edits(source, edits).split("\n")[DIAG_START["line"]]
    if fixed != FIXED_LINE:
        raise Failure("%s: the fixed line is %r, expected %r"
                      % (where, fixed, FIXED_LINE))
    return fixed


def is_threadlint(diag):
    return diag.get("code") == CHECK


def run(args, report):
    workspace = args.workspace or tempfile.mkdtemp(prefix="threadlint-lsp-")
    owned = args.workspace is None
    server = None
    try:
        os.makedirs(workspace, exist_ok=True)
        source_path = os.path.join(workspace, "main.cpp")
        shutil.copyfile(os.path.join(args.inputs, "loop-capture.cpp"),
                        source_path)
        shutil.copyfile(os.path.join(args.inputs, "compile_flags.txt"),
                        os.path.join(workspace, "compile_flags.txt"))
        shutil.copyfile(os.path.join(args.inputs, "enable-threadlint.clangd"),
                        os.path.join(workspace, ".clangd"))
        with open(source_path) as f:
            source = f.read()
        uri = uri_of(source_path)
        log_path = os.path.join(workspace, "clangd.log")

        server = Server([args.clangd, "--log=info", "--background-index=0",
                         "--pretty=0"], workspace, log_path)
        deadline = time.monotonic() + args.timeout

        # initialize: ask for fixes inline on the diagnostics (clangd's
        # codeActionsInline extension) and for CodeAction literals.
        init_id = server.request("initialize", {
            "processId": os.getpid(),
            "rootUri": uri_of(workspace),
            "workspaceFolders": [{"uri": uri_of(workspace), "name": "ws"}],
            "capabilities": {
                "textDocument": {
                    "publishDiagnostics": {
                        "relatedInformation": True,
                        "codeDescriptionSupport": True,
                        "codeActionsInline": True,
                    },
                    "codeAction": {
                        "codeActionLiteralSupport": {
                            "codeActionKind": {"valueSet": [
                                "quickfix", "refactor", "source"]},
                        },
                    },
                },
            },
        })
        result = server.wait_response(init_id, deadline, "initialize")
        info = (result or {}).get("serverInfo") or {}
        caps = (result or {}).get("capabilities") or {}
        if not caps.get("codeActionProvider"):
            raise Failure("initialize: the server offers no code actions")
        report("PASS", "initialize: %s %s" % (info.get("name", "?"),
                                              info.get("version", "?")))
        server.notify("initialized", {})

        server.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "cpp", "version": 1, "text": source}})

        # Wait for a non-empty diagnostics list for the file. An empty one
        # could in principle precede it, so after one keep listening for a
        # little while before giving up.
        diagnostics = None
        wait_until = deadline
        while diagnostics is None:
            message = server.receive(wait_until)
            if message is None:
                raise Failure("no non-empty textDocument/publishDiagnostics "
                              "for main.cpp within the time limit")
            if (message.get("method") != "textDocument/publishDiagnostics"
                    or message["params"].get("uri") != uri):
                continue
            if message["params"]["diagnostics"]:
                diagnostics = message["params"]["diagnostics"]
            else:
                wait_until = min(deadline, time.monotonic() + args.grace)
        report("PASS", "diagnostics published for main.cpp (%d)"
               % len(diagnostics))

        ours = [d for d in diagnostics if is_threadlint(d)]
        if len(ours) != 1:
            raise Failure("expected one %s diagnostic, got %d: %s"
                          % (CHECK, len(ours), json.dumps(diagnostics)))
        diag = ours[0]
        problems = []
        if diag.get("source") != "clang-tidy":
            problems.append("source %r" % diag.get("source"))
        if diag.get("severity") != 2:
            problems.append("severity %r (not warning)"
                            % diag.get("severity"))
        if diag["range"]["start"] != DIAG_START:
            problems.append("starts at %s, expected %s"
                            % (position_text(diag["range"]["start"]),
                               position_text(DIAG_START)))
        # clangd capitalizes the message and may append " (fix available)".
        message = diag.get("message", "")
        if not (message[:1].lower() + message[1:]).startswith(MESSAGE):
            problems.append("message %r" % message)
        if problems:
            raise Failure("%s diagnostic: %s" % (CHECK, "; ".join(problems)))
        report("PASS", "diagnostic %s (source %s) at %s: %s"
               % (diag["code"], diag["source"],
                  position_text(diag["range"]["start"]), message))

        # The fix attached to the diagnostic (codeActionsInline).
        inline = diag.get("codeActions") or []
        if not inline:
            raise Failure("the diagnostic carries no inline codeActions")
        fixed = check_fix(inline[0], uri, source, "inline fix")
        report("PASS", "inline fix %r: %s" % (inline[0].get("title"),
                                              fixed.strip()))

        # The same fix through textDocument/codeAction on its range.
        action_id = server.request("textDocument/codeAction", {
            "textDocument": {"uri": uri},
            "range": diag["range"],
            "context": {"diagnostics": [diag], "only": ["quickfix"]},
        })
        actions = server.wait_response(action_id, deadline,
                                       "textDocument/codeAction") or []
        quickfixes = [a for a in actions
                      if "edit" in a and a.get("kind") == "quickfix"]
        if not quickfixes:
            raise Failure("textDocument/codeAction returned no quickfix: %s"
                          % json.dumps(actions))
        errors = []
        for action in quickfixes:
            try:
                fixed = check_fix(action, uri, source, "codeAction")
                break
            except Failure as e:
                errors.append(str(e))
        else:
            raise Failure("; ".join(errors))
        report("PASS", "codeAction quickfix %r: %s"
               % (action.get("title"), fixed.strip()))

        # Clean shutdown.
        shutdown_id = server.request("shutdown", None)
        server.wait_response(shutdown_id, time.monotonic() + 10, "shutdown")
        server.notify("exit", None)
        code = server.stop(timeout=10)
        server = None
        if code != 0:
            raise Failure("the server exited with %s after shutdown/exit"
                          % ("a kill" if code is None else code))
        report("PASS", "shutdown and exit (exit code 0)")
        return True
    except Failure as e:
        report("FAIL", str(e))
        return False
    finally:
        if server is not None:
            code = server.stop(timeout=2)
            print("note: server stopped (%s)"
                  % ("killed" if code is None else "exit code %s" % code))
            try:
                with open(os.path.join(workspace, "clangd.log"), "rb") as f:
                    tail = f.read().decode("utf-8", "replace")[-4000:]
                print("note: end of the server's log:\n" + tail)
            except OSError:
                pass
        if owned:
            shutil.rmtree(workspace, ignore_errors=True)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("clangd", help="the clangd binary to test")
    parser.add_argument("--inputs", default=os.path.join(here, "Inputs"),
                        help="directory with loop-capture.cpp, "
                             "compile_flags.txt and enable-threadlint.clangd")
    parser.add_argument("--workspace",
                        help="workspace directory (default: a fresh "
                             "temporary one, removed afterwards)")
    parser.add_argument("--timeout", type=float, default=60,
                        help="seconds allowed for the whole session")
    parser.add_argument("--grace", type=float, default=10,
                        help="seconds to keep waiting after an empty "
                             "diagnostics list")
    args = parser.parse_args()

    def report(status, text):
        print("%s: %s" % (status, text), flush=True)

    ok = run(args, report)
    print("RESULT: %s" % ("PASS" if ok else "FAIL"), flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
