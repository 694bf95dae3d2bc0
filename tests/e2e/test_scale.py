"""A thousand functions at once: every function of a generated program
(testdata/many, main.F0000 to main.F0999) traced together attaches, sees each
one's calls with its own arguments, and exits cleanly on -d and on SIGINT,
leaving no probe behind in the traced process. Perf-event uprobes, used where
the kernel has no uprobe_multi links, on a few of them. And the exact-name
rule: the '*' of a receiver's "(*T)" is literal, in names and in globs.

Whether a probe is in place is read from the traced process itself: a uprobe
is an int3 (0xcc) written into the process's copy of the code, so the bytes
of its text that differ from the file's are exactly the probes attached to
it. Each test traces a private copy of the program: no other gotrace session
on the machine can have probes in it, and only this session's are counted.

Times are not asserted here (bench/ reports them); the timeouts only keep a
hung gotrace from hanging the suite."""
import json
import os
import shutil
import signal
import struct
import subprocess
import threading
import time

from common import GOTRACE, TESTDATA, need_root

MANY = os.path.join(TESTDATA, "many")
MANY_5000 = os.path.join(TESTDATA, "many-5000")
N_FUNCS = 1000
PT_LOAD, PF_X = 1, 1


def kernel_has_uprobe_multi():
    major, minor = (int(x) for x in os.uname().release.split(".")[:2])
    return (major, minor) >= (6, 6)


def text_segment(path):
    """The executable PT_LOAD of an ELF64 file: (file offset, size)."""
    with open(path, "rb") as f:
        ehdr = f.read(64)
        phoff, = struct.unpack_from("<Q", ehdr, 0x20)
        phentsize, phnum = struct.unpack_from("<HH", ehdr, 0x36)
        f.seek(phoff)
        table = f.read(phentsize * phnum)
    for i in range(phnum):
        p_type, p_flags, p_offset, _, _, p_filesz = struct.unpack_from(
            "<IIQQQQ", table, i * phentsize)
        if p_type == PT_LOAD and p_flags & PF_X:
            return p_offset, p_filesz
    raise AssertionError(f"{path}: no executable segment")


def probes_in(pid, path):
    """How many uprobes are in process PID's code from PATH: the int3 bytes of
    its text that the file does not have."""
    offset, size = text_segment(path)
    with open(path, "rb") as f:
        f.seek(offset)
        on_disk = f.read(size)
    real = os.path.realpath(path)
    with open(f"/proc/{pid}/maps") as maps:
        for line in maps:
            fields = line.split()
            if len(fields) < 6 or fields[5] != real or "x" not in fields[1]:
                continue
            start, end = (int(x, 16) for x in fields[0].split("-"))
            map_offset = int(fields[2], 16)
            if map_offset <= offset < map_offset + (end - start):
                break
        else:
            raise AssertionError(f"{path} is not mapped executable in {pid}")
    with open(f"/proc/{pid}/mem", "rb") as mem:
        mem.seek(start + offset - map_offset)
        in_memory = mem.read(size)
    assert len(in_memory) == size
    return sum(1 for a, b in zip(in_memory, on_disk) if a != b and a == 0xCC)


def start_many(tmp_path, interval="100ms", program=MANY):
    """A private copy of testdata/many (or PROGRAM), running: (process, its
    path)."""
    copy = tmp_path / os.path.basename(program)
    shutil.copy(program, copy)
    proc = subprocess.Popen([str(copy), "-interval", interval], stdout=subprocess.PIPE,
                            text=True)
    pid = json.loads(proc.stdout.readline())["pid"]
    assert pid == proc.pid
    # drain its output, so that it never blocks on a full pipe
    threading.Thread(target=proc.stdout.read, daemon=True).start()
    return proc, str(copy)


def start_gotrace(args, timeout=120):
    """gotrace ARGS, read up to its "attached" line: (process, stderr so far)."""
    tracer = subprocess.Popen([GOTRACE] + args, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    watchdog = threading.Timer(timeout, tracer.kill)
    watchdog.start()
    seen = []
    try:
        for line in tracer.stderr:
            seen.append(line)
            if line.startswith("gotrace: attached"):
                return tracer, "".join(seen)
    finally:
        watchdog.cancel()
    raise AssertionError("gotrace did not attach: %r" % "".join(seen))


def finish(tracer, timeout=300):
    """Waits for gotrace: its exit status and the rest of its stderr."""
    rest = tracer.communicate(timeout=timeout)[1]
    return tracer.returncode, rest


def func_index(name):
    assert name.startswith("main.F") and len(name) == len("main.F0000"), name
    return int(name[len("main.F"):])


def check_events(out, funcs, returns=False):
    """Every function of FUNCS called, each with its own arguments (n=i,
    s="fNNNN"), none lost; with RETURNS, each returned n + len(s)."""
    events = [json.loads(line) for line in out.read_text().splitlines()]
    assert not [e for e in events if e["event"] == "lost"], "events were lost"
    calls = [e for e in events if e["event"] == "call"]
    for e in calls:
        i = func_index(e["func"])
        assert {a["name"]: a["value"] for a in e["args"]} == {"n": i, "s": f"f{i:04d}"}, e
    assert {e["func"] for e in calls} == set(funcs)
    if returns:
        rets = [e for e in events if e["event"] == "return"]
        for e in rets:
            i = func_index(e["func"])
            assert [r["value"] for r in e["results"]] == [i + 5], e
        assert {e["func"] for e in rets} == set(funcs)
    return calls


ALL = [f"main.F{i:04d}" for i in range(N_FUNCS)]


def test_every_function_until_duration(tmp_path):
    """-d: 1,000 functions attached in one uprobe_multi link, every one seen
    with its arguments; at the end gotrace exits 0 and the program runs on
    without a single probe."""
    need_root()
    target, path = start_many(tmp_path)
    out = tmp_path / "events.json"
    try:
        tracer, attach_log = start_gotrace(["-v", "-j", "-o", str(out), "-d", "3",
                                            "-p", str(target.pid), "main.F*"])
        assert f"attached {N_FUNCS} probes to {N_FUNCS} functions" in attach_log
        if kernel_has_uprobe_multi():
            assert "uprobes: uprobe_multi links" in attach_log
        assert probes_in(target.pid, path) == N_FUNCS
        status, rest = finish(tracer)
        assert status == 0, rest
        assert target.poll() is None, "the traced program died"
        assert probes_in(target.pid, path) == 0
    finally:
        target.kill()
        target.wait()
    check_events(out, ALL)


def test_every_function_and_return_until_sigint(tmp_path):
    """Ctrl-C: entries and RETs of 1,000 functions (two links), calls and
    returns paired; gotrace exits 0 and leaves no probe."""
    need_root()
    target, path = start_many(tmp_path)
    out = tmp_path / "events.json"
    try:
        tracer, attach_log = start_gotrace(["-r", "-j", "-o", str(out), "-p",
                                            str(target.pid), "main.F*"])
        # each function has one RET
        assert f"attached {2 * N_FUNCS} probes to {N_FUNCS} functions" in attach_log
        assert probes_in(target.pid, path) == 2 * N_FUNCS
        time.sleep(1.5)
        tracer.send_signal(signal.SIGINT)
        status, rest = finish(tracer)
        assert status == 0, rest
        assert target.poll() is None, "the traced program died"
        assert probes_in(target.pid, path) == 0
    finally:
        target.kill()
        target.wait()
    check_events(out, ALL, returns=True)


def test_a_package_of_five_thousand_functions_with_returns(tmp_path):
    """-r over a package of 5,000 functions (testdata/many-5000): past any
    cap, in the two uprobe_multi links; every call and return paired with
    its own values, and every probe gone at the end."""
    need_root()
    n = 5000
    target, path = start_many(tmp_path, interval="400ms", program=MANY_5000)
    out = tmp_path / "events.json"
    try:
        tracer, attach_log = start_gotrace(["-r", "-j", "-o", str(out), "-p",
                                            str(target.pid), "main.F*"])
        assert f"attached {2 * n} probes to {n} functions" in attach_log
        assert probes_in(target.pid, path) == 2 * n
        time.sleep(1.5)
        tracer.send_signal(signal.SIGINT)
        status, rest = finish(tracer)
        assert status == 0, rest
        assert target.poll() is None, "the traced program died"
        assert probes_in(target.pid, path) == 0
    finally:
        target.kill()
        target.wait()
    check_events(out, [f"main.F{i:04d}" for i in range(n)], returns=True)


def test_perf_event_uprobes(tmp_path):
    """Where uprobe_multi links are missing: one perf-event uprobe per probe,
    the same events, and all of them gone at the end (on this kernel each
    close waits for its own grace period: ten functions keep it short)."""
    need_root()
    target, path = start_many(tmp_path)
    out = tmp_path / "events.json"
    ten = [f"main.F{i:04d}" for i in range(10)]
    try:
        tracer, attach_log = start_gotrace(["--perf-uprobes", "-v", "-r", "-j", "-o",
                                            str(out), "-d", "2", "-p", str(target.pid),
                                            "main.F000*"])
        assert "uprobes: perf-event uprobes, one per probe" in attach_log
        assert "attached 20 probes to 10 functions" in attach_log
        assert probes_in(target.pid, path) == 20
        status, rest = finish(tracer)
        assert status == 0, rest
        assert probes_in(target.pid, path) == 0
    finally:
        target.kill()
        target.wait()
    check_events(out, ten, returns=True)


def listed(pattern):
    """The names gotrace -l lists for PATTERN on testdata/many."""
    run = subprocess.run([GOTRACE, "-l", MANY, pattern], capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 0, run.stderr
    names = []
    for line in run.stdout.splitlines():
        # the signature's '(' is the first one that does not follow a '.'
        cut = next(i for i, c in enumerate(line) if c == "(" and line[i - 1] != ".")
        names.append(line[:cut])
    return names


def test_receiver_star_is_literal():
    """main.(*T).M names that method only, and main.(*T).* only T's methods,
    never main.(*xyzT).M; main.(**).M globs over pointer receivers, main.*.M
    over all of them."""
    assert listed("main.(*T).M") == ["main.(*T).M"]
    assert listed("main.(*T).*") == ["main.(*T).M", "main.(*T).N"]
    assert listed("main.(*xyzT).M") == ["main.(*xyzT).M"]
    assert listed("main.(**).M") == ["main.(*T).M", "main.(*xyzT).M"]
    assert listed("main.*.M") == ["main.(*T).M", "main.(*xyzT).M"]
    # a value method: the compiler's (*T).V wrapper is no match for a glob
    assert listed("main.*.V") == ["main.T.V"]


def trace_stop(tmp_path, *args, funcs=("main.St*", "main.stopped")):
    """gotrace ARGS on a private copy of testdata/many, whose main.Stop
    panics (its code has no RET) and main.stopped recovers it, once a
    round: (exit status, stderr, events)."""
    need_root()
    target, path = start_many(tmp_path, interval="50ms")
    out = tmp_path / "events.json"
    try:
        proc = subprocess.run([GOTRACE, "-j", "-o", str(out), "-d", "1.5", *args, path, *funcs],
                              capture_output=True, text=True, timeout=60)
    finally:
        target.kill()
        target.wait()
    events = [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []
    return proc.returncode, proc.stderr, events


ENTRY_ONLY = ("gotrace: 1 function with no RET instruction (it never returns, or ends in a "
              "tail call: main.Stop): traced at the entry only")


def test_glob_traces_a_function_without_ret_at_its_entry(tmp_path):
    """-r over a glob: a function with no RET is traced at its entry only,
    said once; it remembers no call, so its caller's returns still pair."""
    rc, stderr, events = trace_stop(tmp_path, "-r")
    assert rc == 0, stderr
    assert stderr.count(ENTRY_ONLY + "\n") == 1, stderr
    assert "attached 4 probes to 2 functions" in stderr
    stops = [e for e in events if e["func"] == "main.Stop"]
    calls = [e for e in events if e["func"] == "main.stopped" and e["event"] == "call"]
    rets = [e for e in events if e["func"] == "main.stopped" and e["event"] == "return"]
    assert len(calls) >= 10 and len(rets) >= len(calls) - 1
    assert {e["event"] for e in stops} == {"call"}
    # each round r: stopped(r) calls Stop(r), and returns what it recovered
    rounds = [e["args"][0]["value"] for e in calls]
    assert [e["args"][0]["value"] for e in stops][:len(rounds) - 1] == rounds[:len(rounds) - 1]
    for call, ret in zip(calls, rets):
        assert ret["results"][0]["value"] == call["args"][0]["value"]
        assert ret["duration_ns"] > 0


def test_stats_count_a_function_without_ret(tmp_path):
    """--stats: its calls are counted, with no latency, and said so."""
    rc, stderr, events = trace_stop(tmp_path, "--stats")
    assert rc == 0, stderr
    assert ENTRY_ONLY + ", --stats counts their calls, with no latency\n" in stderr
    rows = {e["func"]: e for e in events if e["event"] == "stats"}
    assert rows["main.Stop"]["entry_only"] is True
    assert rows["main.Stop"]["latency_ns"] is None and rows["main.Stop"]["histogram"] == []
    assert "entry_only" not in rows["main.stopped"]
    assert rows["main.stopped"]["latency_ns"]["max"] > 0
    # every call of stopped calls Stop once: the counts agree, within the
    # call in flight when tracing stopped
    assert rows["main.stopped"]["count"] >= 10
    assert abs(rows["main.Stop"]["count"] - rows["main.stopped"]["count"]) <= 1


def test_min_duration_leaves_out_a_function_without_ret(tmp_path):
    """--min-duration needs the return: such a function is left out, said."""
    rc, stderr, events = trace_stop(tmp_path, "--min-duration", "1us")
    assert rc == 0, stderr
    assert ("gotrace: 1 function with no RET instruction left out (main.Stop): "
            "--min-duration needs the return\n") in stderr
    assert "attached 3 probes to 1 function " in stderr
    assert {e["func"] for e in events if "func" in e} == {"main.stopped"}


def test_exact_name_without_ret_is_an_error(tmp_path):
    """Named exactly, a function with no RET and -r is an error: nothing runs."""
    rc, stderr, events = trace_stop(tmp_path, "-r", funcs=["main.Stop"])
    assert rc == 1
    assert stderr == ("gotrace: main.Stop: no RET instruction in its code (it never returns, "
                      "or ends in a tail call): drop -r for it\n")
    assert events == []
