"""Stripped builds, typed from elsewhere: a functions-file signature is
checked against the method's runtime type descriptor as it is against DWARF
(a value whose kind or size differs is an error naming the line, and
nothing is attached; names alone are a warning), and a filter that names a
result implies -r whichever source typed the function."""
import json
import os
import signal
import subprocess
import time
import urllib.request

from common import (GOTRACE, TESTDATA, free_port, need_root, trace_command,
                    wait_attached, wait_for_http)

WEBSERVER = os.path.join(TESTDATA, "webserver-stripped")
ORACLE = os.path.join(TESTDATA, "oracle-stripped")
SERVE = "net/http.(*ServeMux).ServeHTTP"


def trace_webserver(tmp_path, *args, requests=2):
    """gotrace -j ARGS on the stripped webserver while it serves REQUESTS
    requests: (gotrace's exit status, stderr, events)."""
    need_root()
    port = free_port()
    server = subprocess.Popen([WEBSERVER, "-addr", f"127.0.0.1:{port}"],
                              stderr=subprocess.DEVNULL)
    out = tmp_path / "events.json"
    try:
        wait_for_http(port)
        tracer = subprocess.Popen([GOTRACE, "-j", "-o", str(out), "-p", str(server.pid), *args],
                                  stderr=subprocess.PIPE, text=True)
        if requests:
            wait_attached(tracer)
            for i in range(requests):
                urllib.request.urlopen(f"http://127.0.0.1:{port}/s/{i}", timeout=5).read()
            time.sleep(0.3)
            tracer.send_signal(signal.SIGINT)
        rc = tracer.wait(timeout=30)
        stderr = tracer.stderr.read()
    finally:
        server.kill()
        server.wait()
    events = [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []
    return rc, stderr, events


def test_signature_against_the_descriptor(tmp_path):
    """The issue's case: a method's wrong signature on a stripped binary was
    taken silently and printed garbage."""
    need_root()
    funcs = tmp_path / "funcs.txt"
    funcs.write_text("# the mux\n%s(mux *http.ServeMux, n int, path string)\n" % SERVE)
    # the webserver: the mux's descriptor lists ServeHTTP with its func type
    rc, stderr, events = trace_webserver(tmp_path, "-f", str(funcs), requests=0)
    assert rc == 1 and events == []
    assert "attached" not in stderr
    assert stderr.splitlines() == [
        f"gotrace: {funcs}:2: {SERVE}: the signature says (mux *http.ServeMux, n int, path "
        "string) but its runtime type descriptor says (*net/http.ServeMux, "
        "net/http.ResponseWriter, *net/http.Request): a value differs in kind or size"]
    # a result too many
    funcs.write_text("%s(m *http.ServeMux, w http.ResponseWriter, r *http.Request) int\n" % SERVE)
    rc, stderr, _ = trace_webserver(tmp_path, "-f", str(funcs), requests=0)
    assert rc == 1 and f"{funcs}:1: {SERVE}: the signature says" in stderr


def test_right_signature_other_names(tmp_path):
    """The descriptor names no parameter: the signature's names are taken,
    and its types, short package names and all, agree."""
    funcs = tmp_path / "funcs.txt"
    funcs.write_text("%s(mux *http.ServeMux, out http.ResponseWriter, req *http.Request)\n"
                     % SERVE)
    rc, stderr, events = trace_webserver(tmp_path, "-f", str(funcs))
    assert rc == 0, stderr
    assert "signature says" not in stderr
    calls = [e for e in events if e["event"] == "call" and e["func"] == SERVE]
    assert len(calls) == 2
    for i, call in enumerate(calls):
        mux, out, req = call["args"]
        assert (mux["name"], out["name"], req["name"]) == ("mux", "out", "req")
        assert req["type"] == "*net/http.Request"
        assert req["value"]["RequestURI"] == f"/s/{i}"
        assert out["value"]["type"] == "*net/http.response"


def test_result_filter_implies_returns_from_a_functions_file(tmp_path):
    """`if q > 1` names a result that only the functions file types: the
    returns are traced without -r, and the filter holds the call."""
    funcs = tmp_path / "funcs.txt"
    funcs.write_text("main.Div(a, b int) (q, r int) if q > 1\n")
    pid, printed, events = trace_command(tmp_path, ORACLE, "-f", str(funcs))
    calls = [e for e in events if e["event"] == "call"]
    returns = [e for e in events if e["event"] == "return"]
    assert len(calls) == len(returns) == 1
    assert [a["value"] for a in calls[0]["args"]] == [17, 5]
    assert [(r["name"], r["value"]) for r in returns[0]["results"]] == [("q", 3), ("r", 2)]
    funcs.write_text("main.Div(a, b int) (q, r int) if q > 3\n")
    pid, printed, events = trace_command(tmp_path, ORACLE, "-f", str(funcs))
    assert events == []


def test_result_filter_implies_returns_from_a_descriptor(tmp_path):
    """`~r0 == 11` names the result a method's descriptor gives: the
    handler's Fprintf writes "hello /s/N\n" through the ResponseWriter."""
    rc, stderr, events = trace_webserver(tmp_path, "--filter", "~r0 == 11 && ~r1 == nil",
                                         "net/http.(*response).Write")
    assert rc == 0, stderr
    returns = [e for e in events if e["event"] == "return"]
    assert len(returns) == 2
    assert all([r["value"] for r in e["results"]] == [11, None] for e in returns)
    assert len([e for e in events if e["event"] == "call"]) == len(returns)
