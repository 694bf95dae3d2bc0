"""Binaries in the wild: assembly (stack ABI), cgo, and a process in its own
mount namespace whose binary is at a path gotrace cannot see. (Stripped and
PIE builds are compared with the oracle in test_oracle.py.)"""
import json
import os
import shutil
import signal
import subprocess
import time
import urllib.request

from common import (GOTRACE, TESTDATA, free_port, need_root, trace_command, wait_attached,
                    wait_for_http)


def traced(tmp_path, binary, *args):
    return trace_command(tmp_path, binary, "-r", *args)


def test_assembly_stack_abi(tmp_path):
    funcs = tmp_path / "funcs.txt"
    # an assembly function has no parameters in DWARF: the signature gives them
    funcs.write_text("main.Mix(a int64, b int32, s string, c uint8) int64\n")
    pid, printed, events = traced(tmp_path, os.path.join(TESTDATA, "asm"), "-f", str(funcs))
    calls = [e for e in events if e["event"] == "call"]
    returns = [e for e in events if e["event"] == "return"]
    assert len(calls) == len(returns) == len(printed) == 3
    for call, ret, truth in zip(calls, returns, printed):
        assert call["func"] == "main.Mix.abi0" and call["pid"] == pid
        assert [a["value"] for a in call["args"]] == truth["args"]
        assert ret["results"] == [{"name": "~r0", "type": "int64", "value": truth["result"]}]
        assert ret["duration_ns"] > 0
    # g comes from TLS in the stack ABI: the third call is on another goroutine
    assert calls[0]["goid"] == calls[1]["goid"] != calls[2]["goid"]
    assert all(c["goid"] > 0 for c in calls)


def test_cgo(tmp_path):
    pid, printed, events = traced(tmp_path, os.path.join(TESTDATA, "cgo"), "main.Handle")
    calls = [e for e in events if e["event"] == "call"]
    returns = [e for e in events if e["event"] == "return"]
    assert len(calls) == len(returns) == len(printed) == 2
    for call, ret, truth in zip(calls, returns, printed):
        j, factor = call["args"]
        assert j["value"] == truth["job"] and factor["value"] == truth["factor"]
        assert ret["results"][0]["value"] == truth["result"]


def test_mount_namespace(tmp_path):
    """-p finds the binary through /proc/PID/exe: the process runs a copy
    of webserver from a tmpfs only its own mount namespace has."""
    need_root()
    port = free_port()
    hidden = "/mnt/gotrace-ns-test"
    os.makedirs(hidden, exist_ok=True)
    script = (f"mount -t tmpfs none {hidden} && cp {TESTDATA}/webserver {hidden}/svc && "
              f"exec {hidden}/svc -addr 127.0.0.1:{port}")
    server = subprocess.Popen(["unshare", "-m", "--propagation", "private", "sh", "-c", script],
                              stderr=subprocess.DEVNULL)
    try:
        wait_for_http(port)
        # the binary's path does not exist here
        assert not os.path.exists(f"{hidden}/svc")
        out = tmp_path / "events.json"
        tracer = subprocess.Popen([GOTRACE, "-j", "-o", str(out), "-p", str(server.pid),
                                   "main.handlerFunction"], stderr=subprocess.PIPE, text=True)
        wait_attached(tracer)
        urllib.request.urlopen(f"http://127.0.0.1:{port}/in/namespace", timeout=5).read()
        time.sleep(0.3)
        tracer.send_signal(signal.SIGINT)
        assert tracer.wait(timeout=10) == 0
    finally:
        server.kill()
        server.wait()
        shutil.rmtree(hidden, ignore_errors=True)
    calls = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(calls) == 1
    assert calls[0]["pid"] == server.pid
    assert calls[0]["args"][1]["value"]["URL"]["Path"] == "/in/namespace"
