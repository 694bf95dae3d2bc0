"""-c as users type it: shell syntax (redirections, VAR=value) runs through
/bin/sh -c 'exec ...', and the process traced is still the program itself;
what would start other processes is refused, in one line."""
import json
import os
import subprocess
import threading
import time

from common import GOTRACE, TESTDATA, need_root

BENCH = os.path.join(TESTDATA, "bench")
ORACLE = os.path.join(TESTDATA, "oracle")


def children_of(pid):
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry))
        except (FileNotFoundError, ProcessLookupError):
            pass
    return found


def test_redirection(tmp_path):
    """The program's stdout goes to the file; its pid there is the pid of
    every event, and its own prints match the values traced."""
    need_root()
    out, printed = tmp_path / "events.json", tmp_path / "printed.txt"
    proc = subprocess.run([GOTRACE, "-j", "-o", str(out), "-c", f"{ORACLE} > {printed}",
                           "main.Ints"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    lines = [json.loads(line) for line in printed.read_text().splitlines()]
    pid = lines[0]["pid"]
    events = [json.loads(line) for line in out.read_text().splitlines()]
    truth = [p for p in lines[1:] if p.get("func") == "main.Ints"]
    assert len(events) == len(truth) == 2
    for event, want in zip(events, truth):
        assert event["pid"] == pid
        assert [a["value"] for a in event["args"]] == [a["value"] for a in want["args"]]
    assert f"gotrace: stopped: the command (pid {pid}) exited with status 0" in proc.stderr


def test_assignment_reaches_the_program(tmp_path):
    """FOO=1 ./app: the process that runs, under the pid gotrace started, is
    the program (exec'd by the shell), with FOO in its environment."""
    need_root()
    out = tmp_path / "events.json"
    tracer = subprocess.Popen([GOTRACE, "-j", "-o", str(out), "-c",
                               f"GOTRACE_TEST_VAR='a b' {BENCH} -wait 2s -n 5 2>&1",
                               "main.tiny"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen = {}

    def look():
        # during the program's 2 s wait: the child of gotrace, by then exec'd
        for _ in range(100):
            for pid in children_of(tracer.pid):
                try:
                    exe = os.readlink(f"/proc/{pid}/exe")
                    environ = open(f"/proc/{pid}/environ", "rb").read().split(b"\0")
                except FileNotFoundError:
                    continue
                if exe == BENCH:
                    seen.update(pid=pid, environ=environ)
                    return
            time.sleep(0.05)

    watcher = threading.Thread(target=look)
    watcher.start()
    stdout, stderr = tracer.communicate(timeout=60)
    watcher.join()
    assert tracer.returncode == 0, stderr
    assert seen, "no child of gotrace ran the program"
    assert b"GOTRACE_TEST_VAR=a b" in seen["environ"]
    events = [json.loads(line) for line in out.read_text().splitlines()]
    assert [e["args"][0]["value"] for e in events] == [0, 1, 2, 3, 4]
    assert {e["pid"] for e in events} == {seen["pid"]}
    # 2>&1: the program's stderr went where its stdout goes
    assert stdout.startswith("ns_per_call ")
    assert (f"gotrace: stopped: the command (pid {seen['pid']}) exited with status 0"
            in stderr)


def test_plain_words_still_work(tmp_path):
    need_root()
    out = tmp_path / "events.json"
    proc = subprocess.run([GOTRACE, "-j", "-o", str(out), "-c", f"'{BENCH}' -n 3 -wait 0s",
                           "main.tiny"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert [json.loads(line)["args"][0]["value"]
            for line in out.read_text().splitlines()] == [0, 1, 2]


def test_refused_in_one_line():
    for command, why in ((f"{BENCH} | cat", "'|': one program only"),
                         (f"cd /tmp && {BENCH}", "'&&': one program only"),
                         (f"{BENCH} 'unterminated", "unterminated quote"),
                         ("FOO=1 > /dev/null", "no program to run")):
        proc = subprocess.run([GOTRACE, "-c", command, "main.tiny"], capture_output=True,
                              text=True, timeout=30)
        assert proc.returncode == 1, (command, proc.stderr)
        lines = proc.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"gotrace: -c '{command}': "), lines
        assert why in lines[0], lines
    proc = subprocess.run([GOTRACE, "-c", "FOO=1 ./no-such-program", "main.f"],
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 1
    assert proc.stderr == "gotrace: -c: ./no-such-program: no such program\n"
