"""The core contract, end to end: a glob over a whole package compared with the
oracle call by call and in order, the string limit at its boundaries, the
event fields, the text line's shape, and tracing only the process asked for.

Every test here fails, never skips, when it cannot run (not root, nothing
built): a skipped end-to-end test reads as a green one."""
import json
import os
import re
import signal
import shutil
import subprocess
import time
from datetime import datetime, timezone

import pytest

from common import GOTRACE, TESTDATA, need_root, sorted_maps, trace_command, wait_attached

ORACLE = os.path.join(TESTDATA, "oracle")
BENCH = os.path.join(TESTDATA, "bench")

# The only arguments gotrace may report unavailable: floats and complex
# numbers passed in X registers, which a uprobe sees only when the kernel
# holds a current copy of them. The reason must say so. A float on the stack
# or behind a pointer (main.Floats p and q, main.Chains r) must decode.
REGISTER_ONLY_TYPES = {"float32", "float64", "complex64", "complex128"}
# The default --max-string.
MAX_STRING = 64

TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$")


def base_name(func):
    """main.Sum[go.shape.int_0] -> main.Sum, main.(*Gen[go.shape.int]).Get ->
    main.(*Gen).Get: the oracle prints the source name. Brackets nest:
    main.MapValues[go.shape.int_0,go.shape.[]string_1] -> main.MapValues."""
    out, depth = [], 0
    for ch in func:
        depth += (ch == "[") - (ch == "]")
        if depth == 0 and ch != "]":
            out.append(ch)
    return "".join(out)


def parse_time(stamp):
    assert TIME.match(stamp), stamp
    return datetime.strptime(stamp[:26], "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=timezone.utc)


def assert_matches(where, got, want):
    """One argument against the oracle's print of it."""
    assert got["name"] == want["name"], where
    assert got["type"] == want["type"], where
    if "unavailable" in got:
        assert got["type"] in REGISTER_ONLY_TYPES, (where, got)
        assert "register" in got["unavailable"], (where, got)
        assert "value" not in got, (where, got)
        return
    value, truth = got["value"], want["value"]
    if got["type"] == "unsafe.Pointer":
        assert set(value) == {"addr"} and int(value["addr"], 16) == int(truth["addr"], 16), where
    elif isinstance(truth, str) and len(truth.encode()) > MAX_STRING:
        # cut where it stands: the value wrapped with the limit and its length
        assert value == {"value": truth.encode()[:MAX_STRING].decode(), "truncated": True,
                         "reason": "string", "len": len(truth.encode())}, where
        assert got.get("truncated") is True, where
        return
    else:
        # every map whole, in any order
        assert sorted_maps(value) == sorted_maps(truth), where
    assert "truncated" not in got, (where, got)


def test_glob_over_main_matches_the_oracle_in_order(tmp_path):
    """'main.*' traces the oracle's functions and its own helpers (main.emit,
    main.encode, ...): every oracle function's every call must be there, in
    call order, on the main goroutine, each argument equal to its print."""
    pid, printed, events = trace_command(tmp_path, ORACLE + " -loop 2", "main.*")
    printed = [p for p in printed if "event" not in p]  # calls; -r is not asked for
    lost = [e for e in events if e["event"] == "lost"]
    assert not lost, "events were lost at this low rate: %r" % lost
    calls = [e for e in events if e["event"] == "call"]
    traced = {base_name(c["func"]) for c in calls}
    assert {"main.main", "main.emit", "main.encode"} <= traced, sorted(traced)
    oracle_funcs = {p["func"] for p in printed}
    assert len(oracle_funcs) >= 19, sorted(oracle_funcs)
    mine = [c for c in calls if base_name(c["func"]) in oracle_funcs]
    assert [base_name(c["func"]) for c in mine] == [p["func"] for p in printed]

    now = datetime.now(timezone.utc)
    previous = None
    for call, truth in zip(mine, printed):
        assert call["pid"] == pid and call["tid"] > 0, call
        assert call["goid"] == 1, call  # main() runs on goroutine 1
        when = parse_time(call["time"])
        assert abs((now - when).total_seconds()) < 60, call["time"]
        # one goroutine, one call after another: times never go back
        assert previous is None or call["time"] >= previous, (previous, call["time"])
        previous = call["time"]
        assert len(call["args"]) == len(truth["args"]), (call["func"], call["args"])
        for got, want in zip(call["args"], truth["args"]):
            assert_matches((call["func"], want["name"]), got, want)


def test_struct_spilled_to_stack_while_later_ints_use_registers(tmp_path):
    """Go's all-or-nothing rule: main.SpillStruct's t needs four registers
    after six ints, so it goes wholly to the stack; z, q and last still take
    registers; tail and w follow t on the stack at their own alignment."""
    _, printed, events = trace_command(tmp_path, ORACLE, "main.SpillStruct")
    calls = [e for e in events if e["event"] == "call"]
    truth = [p for p in printed if p["func"] == "main.SpillStruct"]
    assert len(calls) == len(truth) == 1
    assert calls[0]["args"] == truth[0]["args"]
    args = {a["name"]: a["value"] for a in calls[0]["args"]}
    assert args["t"] == {"Tag": -7, "Name": "stacked", "N": 18446744073709551615}
    assert args["w"] == -2147483648


# --max-string N cuts a string to its first N bytes, marked truncated; a string
# of exactly N bytes is whole and unmarked. The cuts below fall on character
# boundaries or after the first byte of a two-byte character (one U+FFFD
# either way).
@pytest.mark.parametrize("limit, name, want, truncated", [
    (200, "long", "0123456789" * 20, False),
    (199, "long", ("0123456789" * 20)[:199], True),
    (14, "ascii", "hello, gotrace", False),
    (13, "ascii", "hello, gotrac", True),
    (14, "unicode", "héllo wörld ", True),
    (2, "unicode", "h\ufffd", True),
    (2, "invalid", "ba", True),
    (4, "invalid", "bad\ufffd", True),
    (1, "empty", "", False),
])
def test_max_string(tmp_path, limit, name, want, truncated):
    _, _, events = trace_command(tmp_path, ORACLE, "--max-string", str(limit), "main.Strings")
    calls = [e for e in events if e["event"] == "call"]
    assert len(calls) == 1
    arg = {a["name"]: a for a in calls[0]["args"]}[name]
    if truncated:
        length = {"long": 200, "ascii": 14, "unicode": len("héllo wörld ✓".encode()),
                  "invalid": len(b"bad\xff\xfebytes")}[name]
        assert arg["value"] == {"value": want, "truncated": True, "reason": "string",
                                "len": length}, arg
    else:
        assert arg["value"] == want, arg
    assert arg.get("truncated", False) is truncated, arg


def test_text_line_shape(tmp_path):
    """HH:MM:SS.nnnnnnnnn pid=P tid=T goid=G func(name=value, ...)"""
    need_root()
    out = tmp_path / "events.txt"
    proc = subprocess.run([GOTRACE, "-o", str(out), "-c", ORACLE, "main.Ints", "main.Strings",
                           "main.Named"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    pid = json.loads(proc.stdout.splitlines()[0])["pid"]
    lines = out.read_text().splitlines()
    shape = re.compile(r"^\d\d:\d\d:\d\d\.\d{9} pid=(\d+) tid=(\d+) goid=(\d+) "
                       r"(main\.\w+)\((.*)\)$")
    parsed = [shape.match(line) for line in lines]
    assert all(parsed), lines
    assert [m.group(4) for m in parsed] == ["main.Ints", "main.Ints", "main.Strings",
                                            "main.Named"]
    assert all(int(m.group(1)) == pid and int(m.group(3)) == 1 for m in parsed), lines
    assert parsed[1].group(5) == ("a=127, b=32767, c=2147483647, d=9223372036854775807, e=42, "
                                  "f=0, g=1, h=2")
    assert parsed[2].group(5).startswith('empty="", ascii="hello, gotrace", ')
    assert parsed[3].group(5) == 'id=4000000000, n="alice", f=true'


def start_outsider():
    """Another process running the same binary, calling main.tiny all along."""
    return subprocess.Popen([BENCH, "-n", "100000000000"], stdout=subprocess.DEVNULL)


@pytest.mark.parametrize("mode", ["-c", "-p"])
def test_only_the_process_asked_for(tmp_path, mode):
    """-c and -p trace their one process, not another running the same
    binary; gotrace exits 0 when that process exits."""
    need_root()
    calls = 1000
    out = tmp_path / "events.json"
    outsider = start_outsider()
    target = None
    try:
        if mode == "-c":
            tracer = subprocess.run([GOTRACE, "-j", "-o", str(out), "-c",
                                     f"{BENCH} -n {calls}", "main.tiny"],
                                    capture_output=True, text=True, timeout=60)
            assert tracer.returncode == 0, tracer.stderr
        else:
            # the loop starts after -wait: time enough for gotrace to attach
            target = subprocess.Popen([BENCH, "-n", str(calls), "-wait", "3s"],
                                      stdout=subprocess.DEVNULL)
            tracer = subprocess.Popen([GOTRACE, "-j", "-o", str(out), "-p", str(target.pid),
                                       "main.tiny"], stderr=subprocess.PIPE, text=True)
            wait_attached(tracer)
            assert target.poll() is None, "bench finished before gotrace attached"
            assert tracer.wait(timeout=30) == 0, tracer.stderr.read()
            assert target.wait(timeout=10) == 0
        assert outsider.poll() is None, "the outsider died"
    finally:
        outsider.kill()
        outsider.wait()
        if target and target.poll() is None:
            target.kill()
            target.wait()
    events = [json.loads(line) for line in out.read_text().splitlines()]
    seen = [e for e in events if e["event"] == "call"]
    lost = sum(e["count"] for e in events if e["event"] == "lost")
    assert len(seen) + lost == calls, (len(seen), lost)
    pids = {e["pid"] for e in seen}
    assert len(pids) == 1 and outsider.pid not in pids, pids
    if target:
        assert pids == {target.pid}
    assert [e["args"][0]["value"] for e in seen] == sorted(e["args"][0]["value"] for e in seen)
    if not lost:
        assert [e["args"][0]["value"] for e in seen] == list(range(calls))


def test_binary_mode_sees_every_process_of_that_binary(tmp_path):
    """BINARY mode: processes started after gotrace, all of them. A private
    copy of the oracle, so that nothing else running the shared one counts."""
    need_root()
    oracle = tmp_path / "oracle"
    shutil.copy(ORACLE, oracle)
    out = tmp_path / "events.json"
    tracer = subprocess.Popen([GOTRACE, "-j", "-o", str(out), "-d", "5", str(oracle),
                               "main.Ints"], stderr=subprocess.PIPE, text=True)
    wait_attached(tracer)
    pids = []
    for loops in (1, 2):
        run = subprocess.run([str(oracle), "-loop", str(loops)], capture_output=True, text=True,
                             timeout=30)
        pids.append(json.loads(run.stdout.splitlines()[0])["pid"])
    assert tracer.wait(timeout=20) == 0, tracer.stderr.read()
    calls = [json.loads(line) for line in out.read_text().splitlines()]
    calls = [e for e in calls if e["event"] == "call"]
    # main.Ints is called twice per loop
    assert sorted(e["pid"] for e in calls) == sorted([pids[0]] * 2 + [pids[1]] * 4)
    assert all(e["func"] == "main.Ints" for e in calls)


def test_closed_pipe_exits_zero(tmp_path):
    """gotrace -j ... | head -1: gotrace itself exits 0, not by SIGPIPE."""
    need_root()
    script = (f"{GOTRACE} -j -c '{BENCH} -n 3000000' main.tiny | head -1; "
              'echo "status=${PIPESTATUS[0]}" >&2')
    proc = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60)
    assert json.loads(proc.stdout.splitlines()[0])["func"] == "main.tiny"
    assert "status=0" in proc.stderr.splitlines()[-1], proc.stderr


def test_sigint_in_command_mode(tmp_path):
    """Ctrl-C during -c: exit 0, the events so far whole (valid JSON lines)."""
    need_root()
    out = tmp_path / "events.json"
    tracer = subprocess.Popen([GOTRACE, "-j", "-o", str(out), "-c",
                               f"{BENCH} -n 50000000", "main.tiny"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        wait_attached(tracer)
        time.sleep(1)
        tracer.send_signal(signal.SIGINT)
        assert tracer.wait(timeout=15) == 0
    finally:
        if tracer.poll() is None:
            tracer.kill()
            tracer.wait()
    events = [json.loads(line) for line in out.read_text().splitlines()]
    assert any(e["event"] == "call" for e in events)
    # the command gotrace started is ended with it, and that is said
    pid = events[0]["pid"]
    assert (f"gotrace: ended the command (pid {pid}) with SIGTERM: it was killed by SIGTERM "
            "(--keep leaves it running)") in tracer.stderr.read()
