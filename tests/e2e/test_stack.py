"""--stack: the Go call stack of each call, by frame pointers in BPF,
symbolized through the pclntab (so stripped builds too), inlined calls as
frames of their own.

The oracle is the source: each frame's file and line must be the line that
makes the call to the frame before it (a caller's line names its callee), as
in Go's own tracebacks.
"""
import json
import os
import signal
import subprocess
import time
import urllib.request

import pytest

from common import (GOTRACE, TESTDATA, free_port, need_root, wait_attached,
                    wait_for_http)

STACKS = os.path.join(TESTDATA, "stacks")


def source_line(path, line):
    with open(path) as f:
        return f.read().splitlines()[line - 1]


def trace_webserver(tmp_path, binary, *extra):
    port = free_port()
    server = subprocess.Popen([binary, "-addr", f"127.0.0.1:{port}"],
                              stderr=subprocess.DEVNULL)
    out = tmp_path / "events.out"
    try:
        wait_for_http(port)
        tracer = subprocess.Popen([GOTRACE, "--stack", "-o", str(out), *extra,
                                   "-p", str(server.pid), "main.handlerFunction"],
                                  stderr=subprocess.PIPE, text=True)
        wait_attached(tracer)
        for i in range(2):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/s/{i}", timeout=5).read()
        time.sleep(0.3)
        tracer.send_signal(signal.SIGINT)
        assert tracer.wait(timeout=10) == 0
    finally:
        server.kill()
        server.wait()
    return out.read_text()


@pytest.mark.parametrize("binary", ["webserver", "webserver-stripped"])
def test_webserver_handler_stack(tmp_path, binary):
    need_root()
    calls = [json.loads(l) for l in
             trace_webserver(tmp_path, os.path.join(TESTDATA, binary), "-j").splitlines()]
    assert len(calls) == 2
    for e in calls:
        stack = e["stack"]
        funcs = [f["func"] for f in stack]
        # innermost first: the traced function itself, at its first line
        assert funcs[0] == "main.handlerFunction"
        assert stack[0]["file"].endswith("testdata/webserver/main.go")
        assert source_line(stack[0]["file"], stack[0]["line"]).startswith(
            "func handlerFunction(")
        serve_http = funcs.index("net/http.HandlerFunc.ServeHTTP")
        conn_serve = funcs.index("net/http.(*conn).serve")
        assert 0 < serve_http < conn_serve
        for i in (serve_http, conn_serve):
            assert stack[i]["file"].endswith("/net/http/server.go") and stack[i]["line"] > 0
        # each caller's line calls the frame before it
        assert source_line(stack[serve_http]["file"], stack[serve_http]["line"]).strip() == \
            "f(w, r)"
        assert ".ServeHTTP(" in source_line(stack[conn_serve]["file"], stack[conn_serve]["line"])
        # the goroutine's first frame reached: runtime.goexit ends it, not shown
        assert funcs[-1] == "net/http.(*Server).Serve.func3" or "go c.serve(" in \
            source_line(stack[-1]["file"], stack[-1]["line"])
        assert "runtime.goexit" not in funcs
        assert "stack_end" not in e and "stack_truncated" not in e


def test_webserver_text_stack(tmp_path):
    """Text: under the call line, as runtime/debug.Stack prints frames."""
    need_root()
    text = trace_webserver(tmp_path, os.path.join(TESTDATA, "webserver-stripped"))
    lines = text.splitlines()
    call = next(i for i, l in enumerate(lines) if " main.handlerFunction(" in l)
    assert lines[call + 1] == "\tmain.handlerFunction()"
    with open(os.path.join(os.path.dirname(__file__), "..", "..", "testdata", "webserver",
                           "main.go")) as f:
        decl = next(n for n, l in enumerate(f, 1) if l.startswith("func handlerFunction("))
    assert lines[call + 2].startswith("\t\t") and \
        "testdata/webserver/main.go:%d +0x" % decl in lines[call + 2]
    at = lines.index("\tnet/http.HandlerFunc.ServeHTTP()", call)
    assert lines[at + 1].startswith("\t\t/") and "/net/http/server.go:" in lines[at + 1]


def test_inlined_caller_is_a_frame(tmp_path):
    """main.inlined is inlined into main.outer: it has no frame of its own on
    the machine stack, yet shows as one, as in Go's tracebacks."""
    need_root()
    out = tmp_path / "events.json"
    proc = subprocess.run([GOTRACE, "--stack", "-j", "-o", str(out), "-c", f"{STACKS} -n 0",
                           "main.leaf"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    (e,) = [json.loads(l) for l in out.read_text().splitlines()]
    stack = e["stack"]
    assert [f["func"] for f in stack] == ["main.leaf", "main.inlined", "main.outer",
                                          "main.main", "runtime.main"]
    assert [f.get("inlined", False) for f in stack] == [False, True, False, False, False]
    src = stack[0]["file"]
    assert src.endswith("testdata/stacks/main.go")
    assert source_line(src, stack[0]["line"]).startswith("func leaf(")
    assert "return leaf(x + 1)" in source_line(src, stack[1]["line"])
    assert "return inlined(x) + 2" in source_line(src, stack[2]["line"])
    assert "outer(5)" in source_line(src, stack[3]["line"])
    assert "stack_end" not in e


def test_stack_depth_cuts_and_says_so(tmp_path):
    need_root()
    out = tmp_path / "events.json"
    proc = subprocess.run([GOTRACE, "--stack", "--stack-depth", "2", "-j", "-o", str(out),
                           "-c", f"{STACKS} -n 0", "main.leaf"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    (e,) = [json.loads(l) for l in out.read_text().splitlines()]
    assert [f["func"] for f in e["stack"]] == ["main.leaf", "main.inlined"]
    assert e["stack_end"] == "depth" and e["stack_truncated"] is True
    # text says it too
    proc = subprocess.run([GOTRACE, "--stack", "--stack-depth", "3", "-c", f"{STACKS} -n 0",
                           "main.leaf"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    call = next(i for i, l in enumerate(lines) if " main.leaf(x=6)" in l)
    assert lines[call + 1:call + 8:2] == ["\tmain.leaf()", "\tmain.inlined(...)",
                                          "\tmain.outer()",
                                          "\t...cut: more frames than --stack-depth"]


def test_stack_usage_errors():
    for args in (["--stack", "--stats"], ["--stack-depth", "0", "--stack"],
                 ["--stack-depth", "129", "--stack"]):
        proc = subprocess.run([GOTRACE, *args, "-c", STACKS, "main.work"], capture_output=True,
                              text=True, timeout=30)
        assert proc.returncode == 64, proc.stderr


@pytest.mark.parametrize("binary", ["oracle-pie", "go1.21/oracle", "go1.24/oracle",
                                    "go1.27/oracle", "go1.27/oracle-stripped",
                                    "go1.27/oracle-pie"])
def test_stack_across_versions_and_builds(tmp_path, binary):
    """The pclntab's layouts differ by version (1.18, 1.20, and 1.27's module
    data), PIE relocates every PC: the same frames and lines each time."""
    need_root()
    out = tmp_path / "events.txt"
    proc = subprocess.run([GOTRACE, "--stack", "-j", "-o", str(out), "-c",
                           os.path.join(TESTDATA, binary), "main.Bools"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    (e,) = [json.loads(l) for l in out.read_text().splitlines() if l.startswith("{")]
    stack = e["stack"]
    assert [f["func"] for f in stack] == ["main.Bools", "main.main", "runtime.main"]
    assert source_line(stack[0]["file"], stack[0]["line"]).startswith("func Bools(")
    assert "Bools(" in source_line(stack[1]["file"], stack[1]["line"])
    assert stack[2]["file"].endswith("/src/runtime/proc.go")
    assert "stack_end" not in e


def test_stack_go115_names_only(tmp_path):
    """Before Go 1.16 the pclntab's line tables are not read: names only."""
    need_root()
    out = tmp_path / "events.txt"
    proc = subprocess.run([GOTRACE, "--stack", "-j", "-o", str(out), "-c",
                           os.path.join(TESTDATA, "go1.15/oracle"), "main.Bools"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    (e,) = [json.loads(l) for l in out.read_text().splitlines() if l.startswith("{")]
    assert [f["func"] for f in e["stack"]] == ["main.Bools", "main.main", "runtime.main"]
    assert all(f["file"] is None and f["line"] is None for f in e["stack"])


def test_stack_ends_where_c_called_go(tmp_path):
    """main.double runs in a callback from C (cgo): its stack ends at the
    runtime's callback, with a note, and the C frames are not walked."""
    need_root()
    out = tmp_path / "events.json"
    proc = subprocess.run([GOTRACE, "--stack", "-j", "-o", str(out), "-c",
                           os.path.join(TESTDATA, "cgocall"), "main.double"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "result 41" in proc.stdout
    (e,) = [json.loads(l) for l in out.read_text().splitlines()]
    funcs = [f["func"] for f in e["stack"]]
    assert funcs[:2] == ["main.double", "main.goCallback"]
    assert e["stack"][1]["inlined"] is True
    assert funcs[2].startswith("_cgoexp_") and funcs[2].endswith("_goCallback")
    assert funcs[-1] == "runtime.cgocallback"
    assert funcs.count("runtime.cgocallbackg") == 1  # its ABI wrapper elided
    assert e["stack_end"] == "cgo" and "stack_truncated" not in e
    # text: the note under the frames
    proc = subprocess.run([GOTRACE, "--stack", "-c", os.path.join(TESTDATA, "cgocall"),
                           "main.double"], capture_output=True, text=True, timeout=60)
    assert "\t...called from C (cgo): the C frames are not shown" in proc.stdout.splitlines()


@pytest.mark.parametrize("budget", ["1024", "256"])
def test_stack_keeps_its_room_in_the_budget(tmp_path, budget):
    """A handler whose *http.Request fills a small --max-event: the
    arguments are cut (the event says by the budget), the stack is whole.
    Below the stack's own room, --max-event is raised to it, and said."""
    need_root()
    calls = [json.loads(l) for l in
             trace_webserver(tmp_path, os.path.join(TESTDATA, "webserver"), "-j",
                             "--max-event", budget).splitlines()]
    assert len(calls) == 2
    for e in calls:
        assert "budget" in e.get("cut", []), e
        funcs = [f["func"] for f in e["stack"]]
        assert funcs[0] == "main.handlerFunction", funcs
        assert "net/http.(*conn).serve" in funcs, funcs
        assert "stack_end" not in e and "stack_truncated" not in e, e
