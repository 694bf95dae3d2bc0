#!/usr/bin/python3
"""The BPF entry program's own run time per call (the kernel's BPF_ENABLE_STATS
counters), for the bench's tiny loop: capturing every call, a filter that
passes 1 call in 1000, and a filter that passes every call. Unlike the ratios
of bench/run.sh, which time the traced loop, this leaves out the trap, and so
stays readable on a loaded machine: a dropped call costs the trap plus the
"filter 1/1000" figure.

Usage: bench/prog_time.py [ROUNDS]   (as root, after make gotrace testdata)
"""
import ctypes
import json
import os
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
BENCH = os.path.join(ROOT, "build", "testdata", "bench")
CASES = {
    "capture": [],
    "filter 1/1000": ["--filter", "a < 1000"],
    "filter all": ["--filter", 'a >= 0 && b == 2 && s == "hello"'],
}
SYS_BPF, BPF_ENABLE_STATS, BPF_STATS_RUN_TIME = 321, 32, 0


def enable_stats():
    """Run-time statistics stay on while the returned fd is open."""
    libc = ctypes.CDLL(None, use_errno=True)
    attr = (ctypes.c_uint32 * 32)()
    attr[0] = BPF_STATS_RUN_TIME
    fd = libc.syscall(SYS_BPF, BPF_ENABLE_STATS, ctypes.byref(attr), ctypes.sizeof(attr))
    if fd < 0:
        sys.exit("BPF_ENABLE_STATS: %s" % os.strerror(ctypes.get_errno()))
    return fd


def prog_ids(pid):
    """The BPF programs process PID holds open."""
    ids = set()
    for fd in os.listdir("/proc/%d/fdinfo" % pid):
        try:
            with open("/proc/%d/fdinfo/%s" % (pid, fd)) as info:
                ids.update(int(line.split()[1]) for line in info if line.startswith("prog_id:"))
        except OSError:
            pass
    return ids


def ns_per_run(extra):
    tracer = subprocess.Popen([os.path.join(ROOT, "gotrace"), "-j", "-o", "/dev/null", *extra,
                               "-c", BENCH + " -n 1000000", "main.tiny"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(4)
        ids = prog_ids(tracer.pid)
        progs = json.loads(subprocess.run(["bpftool", "prog", "show", "-j"],
                                          capture_output=True, text=True).stdout)
        for prog in progs:
            if prog["id"] in ids and prog.get("name") == "gotrace_entry" and prog.get("run_cnt"):
                return prog["run_time_ns"] / prog["run_cnt"]
        return float("nan")
    finally:
        tracer.kill()
        tracer.wait()


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    fd = enable_stats()
    times = {name: [] for name in CASES}
    try:
        for _ in range(rounds):
            for name, extra in CASES.items():
                times[name].append(ns_per_run(extra))
    finally:
        os.close(fd)
    print("gotrace_entry's run time per call, median of %d rounds" % rounds)
    for name, values in times.items():
        values.sort()
        print("%-15s %8.1f ns" % (name, values[len(values) // 2]))


if __name__ == "__main__":
    main()
