"""The safety test of -r/--returns: the real gotrace on testdata/returns.

The traced program prints its own arguments and results. Under gotrace it
must behave exactly as untraced (same output, exit 0), every return must be
paired with its call and carry the values the program printed, and no call
may stay remembered once the program is done.
"""
import collections
import json
import os
import subprocess

from common import GOTRACE, TESTDATA, need_root

PROG = os.path.join(TESTDATA, "returns")
FUNCS = ["main.Grower", "main.Fib", "main.Explode", "main.Recovered", "main.Work", "main.Blend"]
WORKERS = 40


def run_traced(tmp_path, *extra):
    out = tmp_path / "events.json"
    proc = subprocess.run(
        [GOTRACE, "-r", "-j", "-o", str(out), *extra, "-c", f"{PROG} -workers {WORKERS}", *FUNCS],
        capture_output=True, text=True, timeout=120)
    events = [json.loads(line) for line in out.read_text().splitlines()]
    return proc, events


def program_lines(stdout):
    """The program's own lines, sorted: goroutines interleave."""
    return sorted(stdout.splitlines())


def test_program_unchanged_and_returns_paired(tmp_path):
    need_root()
    plain = subprocess.run([PROG, "-workers", str(WORKERS)], capture_output=True, text=True,
                           timeout=60)
    assert plain.returncode == 0
    proc, events = run_traced(tmp_path)
    assert proc.returncode == 0, proc.stderr
    # the traced program's output is the untraced one's
    assert program_lines(proc.stdout) == program_lines(plain.stdout)

    printed = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    calls = [e for e in events if e["event"] == "call"]
    returns = [e for e in events if e["event"] == "return"]
    count = collections.Counter((e["event"], e["func"]) for e in events)

    # every call that returns is paired, with a duration
    for func in ["main.Grower", "main.Fib", "main.Recovered", "main.Work", "main.Blend"]:
        assert count[("call", func)] == count[("return", func)] > 0, func
    assert all("duration_ns" in r and r["duration_ns"] > 0 for r in returns)
    # Explode panics at every level: its calls never return
    assert count[("call", "main.Explode")] == 4 + 6
    assert count[("return", "main.Explode")] == 0
    assert len(calls) == 4 + 25 + 10 + 2 + WORKERS + 5 * WORKERS

    def results(e):
        return [r["value"] for r in e["results"]]

    # Grower: its goroutine's stack was copied between entry and return
    grown = {p["r0"]: p["r1"] for p in printed
             if p.get("func") == "main.Grower" and p["event"] == "return"}
    traced = {results(e)[0]: results(e)[1] for e in returns if e["func"] == "main.Grower"}
    assert traced == grown and len(traced) == 4

    # recursion: the multiset of (n, fib(n)) pairs matches
    fib_printed = sorted((p["n"], p["r0"]) for p in printed if p.get("func") == "main.Fib")
    fib_calls = {}
    for e in events:
        if e["func"] != "main.Fib":
            continue
        if e["event"] == "call":
            fib_calls.setdefault(e["goid"], []).append(e["args"][0]["value"])
    fib_traced = sorted(results(e)[0] for e in returns if e["func"] == "main.Fib")
    assert fib_traced == sorted(r for _, r in fib_printed)
    assert sorted(sum(fib_calls.values(), [])) == sorted(n for n, _ in fib_printed)

    # panic and recover: the named results as the deferred function set them
    rec = [e for e in returns if e["func"] == "main.Recovered"]
    assert [results(e)[0] for e in rec] == [-1, -1]
    for e in rec:
        err = e["results"][1]["value"]
        assert err["type"] == "*errors.errorString"
        assert err["value"]["s"] == "recovered: boom"

    # many goroutines: each Work return carries its own values
    work_printed = sorted((p["r0"], p["r1"]) for p in printed if p.get("func") == "main.Work")
    work_traced = sorted(tuple(results(e)) for e in returns if e["func"] == "main.Work")
    assert work_traced == work_printed and len(work_traced) == WORKERS
    # and each return is on the goroutine of a call of the same function
    work_goids = {e["goid"] for e in calls if e["func"] == "main.Work"}
    assert {e["goid"] for e in returns if e["func"] == "main.Work"} == work_goids
    assert len(work_goids) == WORKERS

    # floats in X registers, from signal frames, on many threads at once:
    # exact, arguments and results, each call once
    blend_printed = sorted((p["id"], p["x"], p["w"], p["r0"], p["r1"]) for p in printed
                           if p.get("func") == "main.Blend")
    blend_calls = {e["args"][0]["value"]: [a["value"] for a in e["args"][1:]]
                   for e in calls if e["func"] == "main.Blend"}
    assert len(blend_calls) == 5 * WORKERS
    assert sorted((i, *blend_calls[i]) for i in blend_calls) == [p[:3] for p in blend_printed]
    blend_traced = sorted(tuple(results(e)) for e in returns if e["func"] == "main.Blend")
    assert blend_traced == sorted(p[3:] for p in blend_printed)

    # no entry leaks: the frames Explode left were evicted, none in flight
    assert proc.stderr.splitlines()[-1].endswith(
        "; 0 events lost; 10 frames evicted (calls that never returned: unwound by a panic)")
    assert "had not returned" not in proc.stderr


def test_text_return_line(tmp_path):
    need_root()
    out = tmp_path / "events.txt"
    proc = subprocess.run([GOTRACE, "-r", "-o", str(out), "-c", f"{PROG} -workers 2", "main.Work"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    lines = out.read_text().splitlines()
    rets = [line for line in lines if " main.Work returned (" in line]
    assert len(rets) == 2
    assert any('~r0=2, ~r1="w-1")' in line for line in rets)
    assert all(line.rstrip().endswith(("µs", "ms", "ns", "s")) for line in rets)
