"""Hostile conditions: the output disk fills up, the traced program forks and
execs itself, the traced program or gotrace is SIGKILLed, two sessions trace
one binary, the binary is replaced on disk. Each test traces a private copy
of its program, so that its probes can be told from other sessions' on the
same machine (bpftool perf lists probes by file; links and programs are
told by the ids in gotrace's own /proc/PID/fdinfo)."""
import json
import os
import re
import shutil
import signal
import struct
import subprocess
import threading
import time
import urllib.request

from common import GOTRACE, TESTDATA, free_port, need_root, wait_attached, wait_for_http, \
    wait_for_stderr

BENCH = os.path.join(TESTDATA, "bench")
FORKER = os.path.join(TESTDATA, "forker")
WEBSERVER = os.path.join(TESTDATA, "webserver")
# the counts carry their cause when not zero: "1 frames evicted (calls that never returned: …)"
SUMMARY = re.compile(r"^gotrace: (\d+) calls?(: [^;]*)?; (\d+) events lost( \([^;]*\))?; "
                     r"(\d+) frames evicted( \(.*\))?$")


def private_copy(tmp_path, program, name=None):
    path = tmp_path / (name or os.path.basename(program))
    shutil.copy(program, path)
    return str(path)


def read_events(path):
    return [json.loads(line) for line in open(path).read().splitlines()]


def calls_of(events):
    return [e for e in events if e["event"] == "call"]


def bpftool(*args):
    out = subprocess.run(["bpftool", "-j", *args], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout or "[]")


def bpf_ids(pid):
    """The BPF links, their types, and the programs gotrace PID holds, from
    its fdinfo."""
    links, types, progs = set(), set(), set()
    for fd in os.listdir(f"/proc/{pid}/fdinfo"):
        try:
            info = open(f"/proc/{pid}/fdinfo/{fd}").read()
        except OSError:
            continue
        m = re.search(r"^link_id:\s*(\d+)", info, re.M)
        if m:
            links.add(int(m.group(1)))
            types.update(re.findall(r"^link_type:\s*(\S+)", info, re.M))
        m = re.search(r"^prog_id:\s*(\d+)", info, re.M)
        if m:
            progs.add(int(m.group(1)))
    return links, types, progs


def probes_on(paths):
    """Perf-event uprobes on PATHS, as bpftool perf lists them (it does not
    list uprobe_multi links)."""
    return [p for p in bpftool("perf", "show") if p.get("filename") in paths]


def breakpoints_in(pid, path):
    """The uprobes in process PID's code from PATH, whatever attached them:
    the int3 bytes of its text that the file does not have."""
    with open(path, "rb") as f:
        data = f.read()
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    for i in range(phnum):
        p_type, p_flags, p_offset, p_vaddr, _, p_filesz = struct.unpack_from(
            "<IIQQQQ", data, phoff + i * phentsize)
        if p_type == 1 and p_flags & 1:  # PT_LOAD, PF_X
            break
    else:
        raise AssertionError(f"{path}: no executable segment")
    # a non-PIE Go binary is mapped at its link addresses
    with open(f"/proc/{pid}/mem", "rb") as mem:
        mem.seek(p_vaddr)
        text = mem.read(p_filesz)
    disk = data[p_offset:p_offset + p_filesz]
    return sum(1 for a, b in zip(text, disk) if a != b and a == 0xCC)


def attached_state(tracer, *paths):
    """What gotrace holds once attached: links and programs, and its probes
    on PATHS (the binary; with -p, /proc/PID/exe) when they are perf-event
    uprobes; all must be seen, or the check after it could not fail."""
    links, types, progs = bpf_ids(tracer.pid)
    assert links and progs, (links, progs)
    if "perf" in types:
        probes = probes_on(paths)
        assert probes and {p["pid"] for p in probes} == {tracer.pid}, probes
    return links, progs


def assert_detached(paths, links, progs, timeout=30, pid=None):
    """No probe left on PATHS (nor in process PID's code), and none of the
    links and programs held."""
    deadline = time.time() + timeout
    while True:
        left = (probes_on(paths),
                links & {l["id"] for l in bpftool("link", "show")},
                progs & {p["id"] for p in bpftool("prog", "show")},
                breakpoints_in(pid, paths[0]) if pid else 0)
        if not any(left):
            return
        assert time.time() < deadline, f"still attached after {timeout}s: {left}"
        time.sleep(0.5)



def test_output_disk_full(tmp_path):
    """-o on a 64 KB tmpfs: one line says the disk is full, gotrace exits 1
    (no crash, no hang) with every probe detached, and the traced program
    runs on."""
    need_root()
    bench = private_copy(tmp_path, BENCH)
    small = tmp_path / "small"
    small.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(small)], check=True)
    target = tracer = None
    try:
        # the loop waits for gotrace to attach, then fills the disk at once
        target = subprocess.Popen([bench, "-n", "100000000000", "-wait", "3s"],
                                  stdout=subprocess.DEVNULL)
        paths = (bench, f"/proc/{target.pid}/exe")
        out = small / "events.json"
        tracer = subprocess.Popen([GOTRACE, "-j", "-o", str(out), "-p", str(target.pid),
                                   "main.tiny"], stderr=subprocess.PIPE, text=True)
        wait_attached(tracer)
        links, progs = attached_state(tracer, *paths)
        assert breakpoints_in(target.pid, bench) == 1
        assert tracer.wait(timeout=30) == 1
        stderr = tracer.stderr.read().splitlines()
        assert [line for line in stderr if "No space left" in line] == [
            f"gotrace: stopped: writing events to {out}: No space left on device"], stderr
        assert_detached(paths, links, progs, pid=target.pid)
        assert target.poll() is None, "the traced program died"
        # what was written is whole JSON lines, but perhaps the last
        lines = out.read_text().splitlines()
        assert len(lines) > 100
        assert all(json.loads(line)["func"] == "main.tiny" for line in lines[:-1])
    finally:
        for p in (tracer, target):
            if p and p.poll() is None:
                p.kill()
                p.wait()
        subprocess.run(["umount", str(small)], check=True)


def forker_output(stdout):
    """The forker's lines: {pid: depth} and {pid: calls}."""
    depth, calls = {}, {}
    for line in stdout.splitlines():
        d = json.loads(line)
        if "depth" in d:
            depth[d["pid"]] = d["depth"]
        else:
            calls[d["pid"]] = d["calls"]
    return depth, calls


def check_work_calls(events, pid, depth, calls):
    """main.work(depth, i) for i = 0..calls-1, in order, from PID."""
    mine = [e for e in events if e["pid"] == pid]
    assert [e["args"][0]["value"] for e in mine] == [depth] * calls
    assert [e["args"][1]["value"] for e in mine] == list(range(calls))


def test_fork_exec_binary_mode_follows(tmp_path):
    """BINARY mode traces the children a traced program forks and execs
    from the same binary: every call of every generation."""
    need_root()
    forker = private_copy(tmp_path, FORKER)
    out = tmp_path / "events.json"
    tracer = subprocess.Popen([GOTRACE, "-j", "-o", str(out), forker, "main.work"],
                              stderr=subprocess.PIPE, text=True)
    try:
        wait_attached(tracer)
        run = subprocess.run([forker, "-depth", "2", "-n", "3"], capture_output=True,
                             text=True, timeout=30)
        assert run.returncode == 0, run.stderr
        time.sleep(0.5)
    finally:
        tracer.send_signal(signal.SIGINT)
        assert tracer.wait(timeout=30) == 0
    depth, calls = forker_output(run.stdout)
    assert sorted(depth.values()) == [0, 1, 2] and set(calls) == set(depth)
    events = calls_of(read_events(out))
    assert {e["pid"] for e in events} == set(depth)
    for pid in depth:
        check_work_calls(events, pid, depth[pid], calls[pid])
    assert len(events) == 6 + 6 + 3


def test_fork_exec_pid_mode_does_not(tmp_path):
    """-p traces its one process: not the child it forks and execs from the
    same binary, which runs unharmed; gotrace exits when the parent does."""
    need_root()
    forker = private_copy(tmp_path, FORKER)
    out = tmp_path / "events.json"
    parent = subprocess.Popen([forker, "-depth", "1", "-n", "4", "-wait", "3s"],
                              stdout=subprocess.PIPE, text=True)
    try:
        tracer = subprocess.Popen([GOTRACE, "-j", "-o", str(out), "-p", str(parent.pid),
                                   "main.work"], stderr=subprocess.PIPE, text=True)
        wait_attached(tracer)
        assert tracer.wait(timeout=30) == 0
        stdout, _ = parent.communicate(timeout=30)
        assert parent.returncode == 0
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
    depth, calls = forker_output(stdout)
    child = [pid for pid, d in depth.items() if d == 0]
    assert len(child) == 1 and calls[child[0]] == 4 and calls[parent.pid] == 8
    events = calls_of(read_events(out))
    assert {e["pid"] for e in events} == {parent.pid}
    check_work_calls(events, parent.pid, 1, 8)


def test_traced_program_killed(tmp_path):
    """The traced program SIGKILLed mid-trace (-p, -r): gotrace notices,
    says so, and exits 0 with a summary that counts what it printed."""
    need_root()
    bench = private_copy(tmp_path, BENCH)
    out = tmp_path / "events.json"
    target = subprocess.Popen([bench, "-n", "100000000000"], stdout=subprocess.DEVNULL)
    try:
        tracer = subprocess.Popen([GOTRACE, "-j", "-r", "-o", str(out), "-p", str(target.pid),
                                   "main.tiny"], stderr=subprocess.PIPE, text=True)
        wait_attached(tracer)
        time.sleep(1)
        target.kill()
        target.wait()
        killed = time.time()
        assert tracer.wait(timeout=10) == 0
        assert time.time() - killed < 3, "gotrace took long to notice"
        stderr = tracer.stderr.read().splitlines()
    finally:
        if target.poll() is None:
            target.kill()
            target.wait()
    assert f"gotrace: stopped: process {target.pid} exited" in stderr, stderr
    summary = [SUMMARY.match(line) for line in stderr if SUMMARY.match(line)]
    assert len(summary) == 1, stderr
    events = read_events(out)  # every line whole
    calls = calls_of(events)
    lost = sum(e["count"] for e in events if e["event"] == "lost")
    assert int(summary[0].group(1)) == len(calls) > 0
    assert int(summary[0].group(3)) == lost
    assert all(e["pid"] == target.pid for e in calls)


def test_gotrace_killed_leaves_nothing_attached(tmp_path):
    """gotrace SIGKILLed (BINARY mode, -r): its probes, links and programs
    go with it, and the traced program runs on, untraced."""
    need_root()
    bench = private_copy(tmp_path, BENCH)
    target = subprocess.Popen([bench, "-n", "100000000000"], stdout=subprocess.DEVNULL)
    try:
        tracer = subprocess.Popen([GOTRACE, "-r", "-o", "/dev/null", bench, "main.tiny"],
                                  stderr=subprocess.PIPE, text=True)
        wait_attached(tracer)
        links, progs = attached_state(tracer, bench)
        assert breakpoints_in(target.pid, bench) >= 2  # the entry and a RET
        time.sleep(0.5)
        tracer.kill()
        assert tracer.wait(timeout=10) == -signal.SIGKILL
        assert_detached([bench], links, progs, pid=target.pid)
        time.sleep(0.5)
        assert target.poll() is None, "the traced program died"
    finally:
        target.kill()
        target.wait()


def test_two_sessions_on_one_binary(tmp_path):
    """Two gotrace sessions on the same binary at once: each sees every call."""
    need_root()
    bench = private_copy(tmp_path, BENCH)
    calls = 5000
    outs = [tmp_path / "a.json", tmp_path / "b.json"]
    tracers = [subprocess.Popen([GOTRACE, "-j", "-o", str(out), bench, "main.tiny"],
                                stderr=subprocess.PIPE, text=True) for out in outs]
    try:
        for tracer in tracers:
            wait_attached(tracer)
        run = subprocess.run([bench, "-n", str(calls)], capture_output=True, timeout=60)
        assert run.returncode == 0
        time.sleep(0.5)
    finally:
        for tracer in tracers:
            tracer.send_signal(signal.SIGINT)
        for tracer in tracers:
            assert tracer.wait(timeout=30) == 0
    for out in outs:
        events = read_events(out)
        assert [e["event"] for e in events] == ["call"] * calls
        assert [e["args"][0]["value"] for e in events] == list(range(calls))


def get(port, path):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as r:
        assert r.status == 200
        return r.read()


def test_binary_replaced_while_traced(tmp_path):
    """A deploy renames a new build over the traced binary: gotrace says so
    and keeps tracing the server already running; the one started from the
    new file is not traced (its inode has no probes)."""
    need_root()
    server = private_copy(tmp_path, WEBSERVER, "svc")
    ports = [free_port(), free_port()]
    out = tmp_path / "events.json"
    old = subprocess.Popen([server, "-addr", f"127.0.0.1:{ports[0]}"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    new = None
    tracer = subprocess.Popen([GOTRACE, "-j", "-o", str(out), server, "main.handlerFunction"],
                              stderr=subprocess.PIPE, text=True)
    try:
        wait_for_http(ports[0])
        wait_attached(tracer)
        assert get(ports[0], "/before") == b"hello /before\n"
        shutil.copy(WEBSERVER, server + ".new")
        os.replace(server + ".new", server)
        wait_for_stderr(tracer, f"gotrace: {server} was replaced on disk")
        assert get(ports[0], "/after") == b"hello /after\n"
        new = subprocess.Popen([server, "-addr", f"127.0.0.1:{ports[1]}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_http(ports[1])
        assert get(ports[1], "/new") == b"hello /new\n"
        time.sleep(0.5)
        assert tracer.poll() is None, "gotrace stopped"
    finally:
        tracer.send_signal(signal.SIGINT)
        assert tracer.wait(timeout=30) == 0
        for p in (old, new):
            if p:
                p.kill()
                p.wait()
    # wait_for_http's own "/" may land after the probes went in
    calls = [e for e in calls_of(read_events(out))
             if e["args"][1]["value"]["URL"]["Path"] != "/"]
    assert [(e["pid"], e["args"][1]["value"]["URL"]["Path"]) for e in calls] == [
        (old.pid, "/before"), (old.pid, "/after")]


def test_binary_modified_in_place_stops(tmp_path):
    """The traced binary rewritten in place (same inode): its probes would
    sit at stale offsets in new processes, so gotrace stops, says why, and
    detaches."""
    need_root()
    bench = private_copy(tmp_path, BENCH)
    tracer = subprocess.Popen([GOTRACE, "-o", "/dev/null", bench, "main.tiny"],
                              stderr=subprocess.PIPE, text=True)
    wait_attached(tracer)
    links, progs = attached_state(tracer, bench)
    data = open(bench, "rb").read()
    time.sleep(0.05)  # a later mtime
    with open(bench, "r+b") as f:
        f.write(data)
    assert tracer.wait(timeout=10) == 1
    stderr = tracer.stderr.read()
    assert f"gotrace: stopped: {bench} was modified in place" in stderr, stderr
    assert_detached([bench], links, progs)
