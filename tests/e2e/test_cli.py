"""The real gotrace's command line: the webserver example, the ways to pick
processes, the ways to stop, functions files, and bad input."""
import json
import os
import shutil
import signal
import tempfile
import subprocess
import time
import urllib.request

from common import GOTRACE, TESTDATA, free_port, need_root, wait_attached, wait_for_http
ORACLE = os.path.join(TESTDATA, "oracle")
WEBSERVER = os.path.join(TESTDATA, "webserver")
BENCH = os.path.join(TESTDATA, "bench")
RETURNS = os.path.join(TESTDATA, "returns")


def events(path):
    return [json.loads(line) for line in open(path).read().splitlines()]


def error_of(*args):
    proc = subprocess.run([GOTRACE, *args], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 1, (args, proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("gotrace: ")
    return lines[0]


def test_webserver_handler(tmp_path):
    need_root()
    port = free_port()
    server = subprocess.Popen([WEBSERVER, "-addr", f"127.0.0.1:{port}"],
                              stderr=subprocess.DEVNULL)
    try:
        wait_for_http(port)
        out = tmp_path / "events.json"
        tracer = subprocess.Popen([GOTRACE, "-j", "-o", str(out), "-p", str(server.pid),
                                   "main.handlerFunction"], stderr=subprocess.PIPE, text=True)
        wait_attached(tracer)
        for i in range(3):
            req = urllib.request.Request(f"http://127.0.0.1:{port}/hello/{i}?x=1",
                                         headers={"X-Test": "yes"})
            assert urllib.request.urlopen(req, timeout=5).read() == f"hello /hello/{i}\n".encode()
        time.sleep(0.3)
        tracer.send_signal(signal.SIGINT)
        assert tracer.wait(timeout=10) == 0
    finally:
        server.kill()
        server.wait()
    calls = [e for e in events(out) if e["event"] == "call"]
    assert len(calls) == 3
    for i, e in enumerate(calls):
        assert e["pid"] == server.pid and e["func"] == "main.handlerFunction"
        w, r = e["args"]
        assert w["name"] == "w" and w["type"] == "net/http.ResponseWriter"
        assert w["value"]["type"] == "*net/http.response"
        assert r["type"] == "*net/http.Request"
        req = r["value"]
        assert req["Method"] == "GET"
        assert req["URL"]["Path"] == f"/hello/{i}" and req["URL"]["RawQuery"] == "x=1"
        assert req["Host"] == f"127.0.0.1:{port}"
        assert req["Proto"] == "HTTP/1.1"
        assert req["Header"]["len"] == 4  # Accept-Encoding, Connection, User-Agent, X-Test


def test_max_events_stops(tmp_path):
    need_root()
    out = tmp_path / "events.json"
    proc = subprocess.run([GOTRACE, "-j", "-n", "2", "-o", str(out), "-c",
                           f"{BENCH} -n 100000", "main.tiny"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    got = events(out)
    assert [e["args"][0]["value"] for e in got] == [0, 1]


def test_sigterm_and_duration(tmp_path):
    need_root()
    tracer = subprocess.Popen([GOTRACE, ORACLE, "main.Ints"], stderr=subprocess.PIPE, text=True,
                              stdout=subprocess.DEVNULL)
    wait_attached(tracer)
    tracer.send_signal(signal.SIGTERM)
    assert tracer.wait(timeout=10) == 0
    start = time.time()
    proc = subprocess.run([GOTRACE, "-d", "1", ORACLE, "main.Ints"], capture_output=True,
                          timeout=30)
    assert proc.returncode == 0
    assert 0.9 < time.time() - start < 5


def test_closed_pipe(tmp_path):
    need_root()
    pipeline = subprocess.run(
        f"{GOTRACE} -j -c '{BENCH} -n 3000000' main.tiny | head -1",
        shell=True, capture_output=True, text=True, timeout=60)
    first = json.loads(pipeline.stdout)
    assert first["func"] == "main.tiny"


def test_process_exit_ends_pid_mode(tmp_path):
    need_root()
    prog = subprocess.Popen([WEBSERVER, "-addr", f"127.0.0.1:{free_port()}"],
                            stderr=subprocess.DEVNULL)
    time.sleep(0.3)
    tracer = subprocess.Popen([GOTRACE, "-o", "/dev/null", "-p", str(prog.pid),
                               "main.handlerFunction"], stderr=subprocess.PIPE, text=True)
    wait_attached(tracer)
    prog.terminate()
    prog.wait(timeout=10)
    assert tracer.wait(timeout=10) == 0


def test_functions_file_malformed_line(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("main.Ints\n\nmain.f(int\n")
    line = error_of("-f", str(bad), ORACLE)
    assert f"{bad}:3:" in line
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n")
    assert "no functions" in error_of("-f", str(empty), ORACLE)


def test_functions_file_traces_and_warns(tmp_path):
    need_root()
    funcs = tmp_path / "funcs.txt"
    funcs.write_text("# traced\n\nmain.Ints\nmain.Bools(bool, bool)   # weaver style\n"
                     "main.Named(uint32, string, bool)\n")
    out = tmp_path / "events.json"
    tracer = subprocess.Popen([GOTRACE, "-j", "-o", str(out), "-f", str(funcs), ORACLE],
                              stderr=subprocess.PIPE, text=True)
    warning = tracer.stderr.readline()
    assert warning == (f"gotrace: {funcs}:5: main.Named: the signature says "
                       "(uint32, string, bool) but DWARF says (id main.ID, n main.Name, "
                       "f main.Flag)\n")
    wait_attached(tracer)
    subprocess.run([ORACLE], capture_output=True, timeout=30)
    tracer.send_signal(signal.SIGINT)
    assert tracer.wait(timeout=10) == 0
    assert sorted({e["func"] for e in events(out)}) == ["main.Bools", "main.Ints", "main.Named"]


def signature_warnings(tmp_path, lines):
    """Traces testdata/returns with a functions file of LINES: gotrace's
    lines on stderr about the file."""
    need_root()
    funcs = tmp_path / "funcs.txt"
    funcs.write_text("".join(line + "\n" for line in lines))
    proc = subprocess.run([GOTRACE, "-o", "/dev/null", "-f", str(funcs), "-c",
                           f"{RETURNS} -workers 1"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert f"attached {len(lines)} probes" in proc.stderr
    return [line.replace(str(funcs), "FILE") for line in proc.stderr.splitlines()
            if str(funcs) in line]


def test_functions_file_signatures(tmp_path):
    """Signatures are compared with DWARF by their parameters' and results'
    types, and their names where the signature gives them."""
    assert signature_warnings(tmp_path, [
        "main.Fib(n int) int",
        "main.Recovered(n int) (result int, err error)",
        "main.Work(int, string) (int, string)",
        "main.Grower(label string, depth int)  # results left out",
    ]) == []
    assert signature_warnings(tmp_path, [
        "main.Fib(n int) string",
        "main.Work(id string, name string) (int, string)",
        "main.Recovered(x int) (result int, err error)",
    ]) == [
        "gotrace: FILE:1: main.Fib: the signature says (n int) string but DWARF says (n int) int",
        "gotrace: FILE:2: main.Work: the signature says (id string, name string) (int, string) "
        "but DWARF says (id int, name string) (int, string)",
        "gotrace: FILE:3: main.Recovered: the signature says (x int) (result int, err error) "
        "but DWARF says (n int) (result int, err error)",
    ]


def test_list():
    proc = subprocess.run([GOTRACE, "-l", ORACLE, "main.*"], capture_output=True, text=True,
                          timeout=30)
    assert proc.returncode == 0
    assert ("main.Ints(a int8, b int16, c int32, d int64, e int, f uint8, g uint16, h uint32)"
            in proc.stdout)
    assert "main.(*Counter).Add(c *main.Counter, delta int)" in proc.stdout


def test_bad_input(tmp_path):
    assert "no such file" in error_of(str(tmp_path / "missing"), "main.f")
    text = tmp_path / "notes.txt"
    text.write_text("not a program\n")
    assert "not an ELF file" in error_of(str(text), "main.f")
    assert "not a Go binary" in error_of("/bin/true", "main.f")
    line = error_of(ORACLE, "main.Intz")
    assert "no function main.Intz" in line and "main.Ints" in line
    assert "no function matches 'nothing.*'" in error_of(ORACLE, "nothing.*")
    assert "no such process" in error_of("-p", "999999", "main.f")
    assert "-p" in error_of("-p", "1", "main.f")  # PID 1 is not a Go program


def test_no_privileges():
    """As an unprivileged user: one line naming the capabilities."""
    need_root()
    # copies where nobody can reach them, wherever CI cloned the repo
    where = tempfile.mkdtemp(dir="/tmp")
    os.chmod(where, 0o755)
    for f in (GOTRACE, ORACLE):
        shutil.copy(f, where)
    try:
        proc = subprocess.run(["runuser", "-u", "nobody", "--", f"{where}/gotrace",
                               f"{where}/oracle", "main.Ints"],
                              capture_output=True, text=True, timeout=30)
    finally:
        shutil.rmtree(where)
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [
        "gotrace: loading the BPF program: permission denied: gotrace needs CAP_BPF, "
        "CAP_PERFMON and CAP_SYS_ADMIN (run it as root)"]


def test_lost_events_are_counted(tmp_path):
    """A ring buffer far too small for the rate: every call is either an
    event or counted in a lost event, and the total is said at exit."""
    need_root()
    out = tmp_path / "events.json"
    calls = 100000
    proc = subprocess.run([GOTRACE, "-j", "--buffer-size", "16384", "-o", str(out), "-c",
                           f"{BENCH} -n {calls}", "main.tiny"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    got = events(out)
    seen = [e for e in got if e["event"] == "call"]
    lost = sum(e["count"] for e in got if e["event"] == "lost")
    assert lost > 0 and len(seen) + lost == calls
    assert f"gotrace: {lost} events were lost: the ring buffer was full" in proc.stderr
    # what arrived is in order and intact
    values = [e["args"][0]["value"] for e in seen]
    assert values == sorted(values) and all(e["args"][2]["value"] == "hello" for e in seen)
