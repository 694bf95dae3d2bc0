"""When gotrace stops, it says why on stderr, then one summary line: calls per
function, events lost, frames evicted. With -c, the command it started is
ended (SIGTERM, as timeout does) unless --keep, and gotrace says so."""
import json
import os
import re
import signal
import subprocess
import time
import urllib.request

from common import GOTRACE, TESTDATA, free_port, need_root, wait_attached, wait_for_http

BENCH = os.path.join(TESTDATA, "bench")
ORACLE = os.path.join(TESTDATA, "oracle")
WEBSERVER = os.path.join(TESTDATA, "webserver")
SUMMARY = re.compile(r"^gotrace: (\d+) calls?(?:: (.*))?; (\d+) events lost(?: \(.*\))?; "
                     r"(\d+) frames evicted(?: \(.*\))?$")


def events(path):
    return [json.loads(line) for line in open(path).read().splitlines()]


def ending(stderr):
    """gotrace's lines after "attached": (the stop line, the lines between,
    the summary's calls by function, lost, evicted). The command's own
    lines, which share stderr, are left out."""
    lines = [line for line in stderr.splitlines() if line.startswith("gotrace: ")]
    attached = [i for i, line in enumerate(lines) if line.startswith("gotrace: attached")]
    assert attached, stderr
    after = lines[attached[0] + 1:]
    stops = [line for line in after if line.startswith("gotrace: stopped: ")]
    assert len(stops) == 1 and after[0] == stops[0], stderr
    m = SUMMARY.match(after[-1])
    assert m, stderr
    per_func = {}
    for item in (m.group(2) or "").split(", ") if m.group(2) else []:
        name, count = item.rsplit(" ", 1)
        per_func[name] = int(count)
    assert sum(per_func.values()) == int(m.group(1))
    return after[0], after[1:-1], per_func, int(m.group(3)), int(m.group(4))


def running(pid):
    """Whether pid is alive and not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_max_events_ends_the_command(tmp_path):
    need_root()
    out = tmp_path / "events.json"
    proc = subprocess.run([GOTRACE, "-j", "-n", "3", "-o", str(out), "-c",
                           f"{BENCH} -n 2000000000", "main.tiny"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    got = events(out)
    assert [e["args"][0]["value"] for e in got] == [0, 1, 2]
    pid = got[0]["pid"]
    stop, between, per_func, lost, evicted = ending(proc.stderr)
    assert stop == "gotrace: stopped: 3 events printed (-n)"
    assert between == [f"gotrace: ended the command (pid {pid}) with SIGTERM: it was killed by "
                       "SIGTERM (--keep leaves it running)"]
    assert (per_func, lost, evicted) == ({"main.tiny": 3}, 0, 0)
    # reaped, not left to init: the 2e9 calls would take seconds
    assert not running(pid)


def test_duration_ends_the_command_and_keep_leaves_it(tmp_path):
    need_root()
    start = time.time()
    proc = subprocess.run([GOTRACE, "-d", "1", "-o", "/dev/null", "-c",
                           f"{BENCH} -wait 60s -n 1", "main.tiny"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert time.time() - start < 10
    stop, between, per_func, lost, evicted = ending(proc.stderr)
    assert stop == "gotrace: stopped: 1 second passed (-d)"
    assert len(between) == 1 and re.fullmatch(
        r"gotrace: ended the command \(pid \d+\) with SIGTERM: it was killed by SIGTERM "
        r"\(--keep leaves it running\)", between[0]), between
    assert per_func == {"main.tiny": 0}

    # the command kept must not hold the test's pipes
    proc = subprocess.run([GOTRACE, "-d", "0.5", "--keep", "-o", "/dev/null", "-c",
                           f"{BENCH} -wait 60s -n 1 >/dev/null 2>&1", "main.tiny"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    stop, between, _, _, _ = ending(proc.stderr)
    assert stop == "gotrace: stopped: 0.5 seconds passed (-d)"
    m = re.fullmatch(r"gotrace: left the command \(pid (\d+)\) running, untraced \(--keep\)",
                     between[0])
    assert m and len(between) == 1, between
    pid = int(m.group(1))
    try:
        assert running(pid) and os.readlink(f"/proc/{pid}/exe") == BENCH
    finally:
        os.kill(pid, signal.SIGKILL)


def test_signals_say_so_and_print_the_summary(tmp_path):
    """Ctrl-C (SIGINT) and SIGTERM in BINARY mode: the reason, then the calls
    seen, which are the events printed."""
    need_root()
    for sig, name in ((signal.SIGINT, "SIGINT"), (signal.SIGTERM, "SIGTERM")):
        out = tmp_path / "events.json"
        tracer = subprocess.Popen([GOTRACE, "-j", "-o", str(out), ORACLE, "main.Ints",
                                   "main.Bools", "main.Many"],
                                  stderr=subprocess.PIPE, text=True)
        wait_attached(tracer)
        subprocess.run([ORACLE], capture_output=True, timeout=30)
        time.sleep(0.3)
        tracer.send_signal(sig)
        rest = tracer.stderr.read()
        assert tracer.wait(timeout=10) == 0
        got = events(out)
        counts = {f: sum(e["func"] == f for e in got) for f in ("main.Ints", "main.Bools",
                                                               "main.Many")}
        assert counts == {"main.Ints": 2, "main.Bools": 1, "main.Many": 1}
        stop, between, per_func, lost, evicted = ending("gotrace: attached\n" + rest)
        assert stop == f"gotrace: stopped: {name} received"
        assert between == []
        assert (per_func, lost, evicted) == (counts, 0, 0)
        # most calls first, then by name
        assert rest.splitlines()[-1].startswith(
            "gotrace: 4 calls: main.Ints 2, main.Bools 1, main.Many 1;")


def test_sigint_to_the_group_in_command_mode(tmp_path):
    """Ctrl-C at a terminal reaches gotrace and the command: the command's
    own end is said, not a SIGTERM gotrace did not need."""
    need_root()
    script = (f"{GOTRACE} -o /dev/null -c '{BENCH} -wait 60s' main.tiny & "
              "sleep 2; kill -INT 0")
    proc = subprocess.run(["setsid", "bash", "-c", script], capture_output=True, text=True,
                          timeout=60)
    stop, between, per_func, _, _ = ending(proc.stderr)
    assert stop == "gotrace: stopped: SIGINT received"
    assert len(between) == 1 and re.fullmatch(
        r"gotrace: the command \(pid \d+\) was killed by SIGINT", between[0]), between


def test_closed_pipe_says_so(tmp_path):
    need_root()
    script = (f"{GOTRACE} -j -c '{BENCH} -n 2000000000' main.tiny | head -1; "
              'echo "status=${PIPESTATUS[0]}" >&2')
    proc = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60)
    assert json.loads(proc.stdout)["func"] == "main.tiny"
    lines = proc.stderr.splitlines()
    assert lines[-1] == "status=0", proc.stderr
    stop, between, per_func, lost, _ = ending("\n".join(lines[:-1]))
    assert stop == "gotrace: stopped: the output was closed (Broken pipe)"
    assert len(between) == 1 and "with SIGTERM" in between[0]
    assert per_func["main.tiny"] >= 1


def test_write_error_is_an_error(tmp_path):
    need_root()
    proc = subprocess.run([GOTRACE, "-o", "/dev/full", "-c", f"{BENCH} -n 200000", "main.tiny"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1, proc.stderr
    stop, _, _, _, _ = ending(proc.stderr)
    assert stop == "gotrace: stopped: writing events to /dev/full: No space left on device"


def test_the_command_exiting_says_its_status(tmp_path):
    need_root()
    proc = subprocess.run([GOTRACE, "-o", "/dev/null", "-c", f"{BENCH} -no-such-flag",
                           "main.tiny"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    stop, between, per_func, _, _ = ending(proc.stderr)
    assert re.fullmatch(r"gotrace: stopped: the command \(pid \d+\) exited with status 2", stop)
    assert between == [] and per_func == {"main.tiny": 0}


def test_pid_mode_notices_the_process_exit(tmp_path):
    need_root()
    port = free_port()
    server = subprocess.Popen([WEBSERVER, "-addr", f"127.0.0.1:{port}"],
                              stderr=subprocess.DEVNULL)
    try:
        wait_for_http(port)
        tracer = subprocess.Popen([GOTRACE, "-o", "/dev/null", "-p", str(server.pid),
                                   "main.handlerFunction"], stderr=subprocess.PIPE, text=True)
        wait_attached(tracer)
        for i in range(2):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/{i}", timeout=5).read()
        time.sleep(0.3)
        server.terminate()
        server.wait(timeout=10)
        rest = tracer.stderr.read()
        assert tracer.wait(timeout=10) == 0
    finally:
        server.kill()
        server.wait()
    stop, between, per_func, _, _ = ending("gotrace: attached\n" + rest)
    assert stop == f"gotrace: stopped: process {server.pid} exited"
    assert between == [] and per_func == {"main.handlerFunction": 2}
