"""What the end-to-end tests share: paths, and running gotrace on a testdata
program that prints {"pid":N} and then its own arguments, one JSON line each."""
import json
import threading
import os
import socket
import subprocess
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
GOTRACE = os.path.join(ROOT, "gotrace")
TESTDATA = os.path.join(ROOT, "build", "testdata")


def need_root():
    assert os.geteuid() == 0, "end-to-end tests need root (BPF and uprobes)"


def trace_command(tmp_path, binary, *args):
    """gotrace -j -o FILE ARGS -c BINARY: (pid, the program's lines, events)."""
    need_root()
    out = tmp_path / "events.json"
    proc = subprocess.run([GOTRACE, "-j", "-o", str(out), "-c", binary, *args],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    pid = json.loads(lines[0])["pid"]
    printed = [json.loads(line) for line in lines[1:]]
    events = [json.loads(line) for line in out.read_text().splitlines()]
    return pid, printed, events


def sorted_maps(value):
    """The value with every map's entries, at any depth, in one order: Go's
    iteration order is random, gotrace's follows the buckets."""
    if isinstance(value, list):
        return [sorted_maps(v) for v in value]
    if not isinstance(value, dict):
        return value
    value = {k: sorted_maps(v) for k, v in value.items()}
    if set(value) == {"len", "entries"}:
        value["entries"] = sorted(value["entries"], key=json.dumps)
    return value


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_http(port):
    for _ in range(50):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1).read()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing answers on port {port}")


def wait_for_stderr(proc, text, timeout=15):
    """Reads PROC's stderr until a line holds TEXT; returns the lines read.
    Kills PROC if that takes longer than timeout seconds."""
    watchdog = threading.Timer(timeout, proc.kill)
    watchdog.start()
    seen = []
    try:
        for line in proc.stderr:
            seen.append(line)
            if text in line:
                return seen
    finally:
        watchdog.cancel()
    raise AssertionError(f"gotrace never said {text!r}: {''.join(seen)!r}")


def wait_attached(proc, timeout=30):
    """Until gotrace says it is attached (a warning may come first)."""
    wait_for_stderr(proc, "attached", timeout)


def read_all(conn):
    """Every byte a socket sends until it closes."""
    response = b""
    while True:
        chunk = conn.recv(4096)
        if not chunk:
            return response
        response += chunk
