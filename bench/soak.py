#!/usr/bin/env python3
"""make soak: testdata/webserver under wrk for SECONDS, untraced and then
traced with gotrace -r over 'net/http.*'. Not part of make test (it is long).

It passes when, in both runs, every response is a 200 with the right body,
the server's own output is the same (but for the numbers in it), and in the
traced run every probe hit is an event gotrace printed or one it reported
lost: events printed + events lost == calls and returns made, exactly.

The calls are counted apart from gotrace, by the kernel: a tracefs uprobe at
each address gotrace probes (as bpftool perf lists them), counted in
uprobe_profile, enabled in a tracing instance of its own whose buffer is
off. The server's handler counts its requests too ({"requests":N} at exit),
which must match what wrk saw.

The second half traces 'main.*' with -r and --stack.

Needs root, wrk (apt-get install wrk), bpftool, and `make gotrace testdata`.
"""
import argparse
import atexit
import collections
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
GOTRACE = os.path.join(ROOT, "gotrace")
WEBSERVER = os.path.join(ROOT, "build", "testdata", "webserver")
PATH = "/soak"
BODY = "hello /soak\\n"

# wrk counts every status and checks every body; done() prints one JSON line
WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) ok = 0; bad_status = 0; bad_body = 0 end
function response(status, headers, body)
  if status ~= 200 then bad_status = bad_status + 1
  elseif body ~= "%s" then bad_body = bad_body + 1
  else ok = ok + 1 end
end
function done(summary, latency, requests)
  local ok, bad_status, bad_body = 0, 0, 0
  for _, t in ipairs(threads) do
    ok = ok + t:get("ok"); bad_status = bad_status + t:get("bad_status")
    bad_body = bad_body + t:get("bad_body")
  end
  io.write(string.format('SOAK {"ok":%%d,"bad_status":%%d,"bad_body":%%d,' ..
    '"errors":%%d,"requests":%%d,"seconds":%%f}\\n', ok, bad_status, bad_body,
    summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.status + summary.errors.timeout, summary.requests,
    summary.duration / 1e6))
end
""" % BODY


# what a failure leaves behind: processes to kill, tracefs to clean
CLEANUPS = []


@atexit.register
def cleanup():
    for fn in reversed(CLEANUPS):
        try:
            fn()
        except Exception as e:  # pylint: disable=broad-except
            print(f"soak: cleaning up: {e}", file=sys.stderr)


def kill_later(proc):
    CLEANUPS.append(lambda: proc.poll() is None and (proc.kill(), proc.wait()))


def fail(msg):
    print(f"soak: FAILED: {msg}", flush=True)
    sys.exit(1)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_http(port):
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{PATH}", timeout=1).read()
            return
        except OSError:
            time.sleep(0.1)
    fail(f"nothing answers on port {port}")


class Server:
    """The private copy of the webserver, its output kept."""

    def __init__(self, binary, workdir, name):
        self.port = free_port()
        self.out = open(os.path.join(workdir, f"{name}.out"), "w+")
        self.err = open(os.path.join(workdir, f"{name}.err"), "w+")
        self.proc = subprocess.Popen([binary, "-addr", f"127.0.0.1:{self.port}"],
                                     stdout=self.out, stderr=self.err)
        kill_later(self.proc)
        wait_for_http(self.port)

    def stop(self):
        """SIGTERM: it prints {"requests":N} and exits 0."""
        self.proc.send_signal(signal.SIGTERM)
        if self.proc.wait(timeout=30) != 0:
            fail(f"the server exited {self.proc.returncode}")
        self.out.seek(0)
        self.err.seek(0)
        out, err = self.out.read(), self.err.read()
        requests = json.loads(out.splitlines()[-1])["requests"]
        # the same output, whatever the numbers (time, port, count)
        normal = re.sub(r"\d+", "N", out + err)
        return requests, normal


def run_wrk(port, seconds, args, workdir):
    script = os.path.join(workdir, "soak.lua")
    with open(script, "w") as f:
        f.write(WRK_SCRIPT)
    proc = subprocess.run(["wrk", "-t", str(args.threads), "-c", str(args.connections),
                           "-d", f"{seconds}s", "-s", script, f"http://127.0.0.1:{port}{PATH}"],
                          capture_output=True, text=True, timeout=seconds + 120)
    if proc.returncode != 0:
        fail(f"wrk: {proc.stderr}")
    line = [l for l in proc.stdout.splitlines() if l.startswith("SOAK ")]
    if not line:
        fail(f"wrk printed no summary: {proc.stdout}")
    result = json.loads(line[0][5:])
    result["rps"] = result["requests"] / result["seconds"]
    return result


def check_responses(name, wrk, requests, connections):
    """Every response a 200 with the body; the handler's count is what wrk
    saw, plus the request that found the server up, and those still in
    flight when wrk stopped."""
    if wrk["bad_status"] or wrk["bad_body"] or wrk["ok"] != wrk["requests"]:
        fail(f"{name}: responses that are not 200 'hello {PATH}': {wrk}")
    if not 0 <= requests - 1 - wrk["ok"] <= connections:
        fail(f"{name}: the server handled {requests} requests, wrk saw {wrk['ok']}")


class KernelCounter:
    """tracefs uprobes at gotrace's own probe addresses, counting hits: in a
    few events, each holding many probes, so that they are enabled and
    disabled at once (each disable waits for the kernel's RCU grace
    periods). An address gotrace probes twice (two functions' probes there)
    is counted twice: one event cannot hold it twice, so the second goes in
    the next event."""

    def __init__(self, binary, offsets):
        self.binary = binary
        self.group = f"gtsoak{os.getpid()}"
        self.mnt = tempfile.mkdtemp(prefix="gotrace-soak-tracefs-")
        subprocess.run(["mount", "-t", "tracefs", "nodev", self.mnt], check=True)
        self.events = {}  # event name -> probes added to it
        self.instance = os.path.join(self.mnt, "instances", self.group)
        CLEANUPS.append(self.remove)
        times = collections.Counter(offsets)
        fd = os.open(os.path.join(self.mnt, "uprobe_events"), os.O_WRONLY | os.O_APPEND)
        try:
            for k in range(1, max(times.values()) + 1):
                name = f"hits{k}"
                for off in sorted(o for o, n in times.items() if n >= k):
                    # one command per write; a probe with an event's name adds to it
                    os.write(fd, f"p:{self.group}/{name} {binary}:{off:#x}\n".encode())
                    self.events[name] = self.events.get(name, 0) + 1
        finally:
            os.close(fd)
        os.mkdir(self.instance)
        self.write("tracing_on", "0")  # count, never record
        for name in self.events:
            self.write(f"events/{self.group}/{name}/enable", "1")

    def write(self, name, value):
        with open(os.path.join(self.instance, name), "w") as f:
            f.write(value)

    def hits(self):
        """uprobe_profile: one line per probe, "FILE EVENT HITS"."""
        total, seen = 0, 0
        for line in open(os.path.join(self.mnt, "uprobe_profile")):
            fields = line.split()
            if len(fields) >= 3 and fields[0] == self.binary and fields[1] in self.events:
                total += int(fields[-1])
                seen += 1
        if seen != sum(self.events.values()):
            fail(f"uprobe_profile lists {seen} of the {sum(self.events.values())} counting "
                 "probes")
        return total

    def stop(self):
        for name in self.events:
            self.write(f"events/{self.group}/{name}/enable", "0")

    def remove(self):
        if not os.path.isdir(self.mnt):
            return
        try:
            if os.path.isdir(self.instance):
                self.stop()
                os.rmdir(self.instance)
            # an event is busy a little while after it is disabled
            for name in list(self.events):
                for attempt in range(50):
                    fd = os.open(os.path.join(self.mnt, "uprobe_events"),
                                 os.O_WRONLY | os.O_APPEND)
                    try:
                        os.write(fd, f"-:{self.group}/{name}\n".encode())
                        del self.events[name]
                        break
                    except OSError:
                        if attempt == 49:
                            raise
                        time.sleep(0.2)
                    finally:
                        os.close(fd)
        finally:
            subprocess.run(["umount", self.mnt], check=False)
            os.rmdir(self.mnt)


def gotrace_probes(pid, binary):
    out = subprocess.run(["bpftool", "-j", "perf", "show"], capture_output=True, text=True,
                         check=True).stdout
    return sorted(p["offset"] for p in json.loads(out or "[]")
                  if p.get("pid") == pid and p.get("fd_type") == "uprobe"
                  and p.get("filename") == binary)


def wait_attached(proc, log):
    watchdog = threading.Timer(120, proc.kill)
    watchdog.start()
    try:
        for line in proc.stderr:
            log.write(line)
            if "attached" in line:
                return line
    finally:
        watchdog.cancel()
    fail("gotrace did not attach")


def traced_run(binary, workdir, args, funcs, extra=()):
    server = Server(binary, workdir, "traced")
    events_path = os.path.join(workdir, "events.json")
    log = open(os.path.join(workdir, "gotrace.err"), "w")
    # perf-event uprobes, which bpftool perf lists: the kernel count puts its
    # own tracefs uprobes at the same addresses (uprobe_multi links are not
    # listed there); they detach slowly, one grace period each
    tracer = subprocess.Popen([GOTRACE, "--perf-uprobes", "-r", "-j", *extra, "-o",
                               events_path, binary, funcs],
                              stderr=subprocess.PIPE, text=True)
    kill_later(tracer)
    attached = wait_attached(tracer, log)
    print(f"soak: {attached.strip()}", flush=True)
    offsets = gotrace_probes(tracer.pid, binary)
    if not offsets:
        fail("bpftool perf lists no uprobe of gotrace's: the kernel count needs them")
    twice = sorted(o for o, n in collections.Counter(offsets).items() if n > 1)
    if twice:
        print(f"soak: {len(twice)} addresses have two probes of gotrace's: "
              f"{', '.join(hex(o) for o in twice[:8])}", flush=True)
    counter = KernelCounter(binary, offsets)
    try:
        start = time.time()
        wrk = run_wrk(server.port, args.seconds, args, workdir)
        time.sleep(3)  # wrk's connections wind down: their last calls
        counter.stop()
        made = counter.hits()
        tracer.send_signal(signal.SIGINT)
        interrupted = time.time()
        # the rest of stderr; detaching perf-event uprobes one by one is slow
        rest = tracer.communicate(timeout=3600)[1]
        log.write(rest)
        stopped = time.time()
    finally:
        if tracer.poll() is None:
            tracer.kill()
        counter.remove()
    requests, output = server.stop()
    if tracer.returncode != 0:
        fail(f"gotrace exited {tracer.returncode}: {rest}")
    printed = lost = 0
    with open(events_path) as f:
        for line in f:
            e = json.loads(line)
            if e["event"] == "lost":
                lost += e["count"]
            else:
                printed += 1
    summary = re.search(r"^gotrace: \d+ calls?(: [^;]*)?; (\d+) events lost", rest, re.M)
    if not summary or int(summary.group(2)) != lost:
        fail(f"gotrace's summary does not say the {lost} events lost: {rest}")
    return {"wrk": wrk, "requests": requests, "output": output, "probes": len(offsets),
            "printed": printed, "lost": lost, "made": made,
            "gotrace_seconds": stopped - start, "detach_seconds": stopped - interrupted}


def has_stack_option():
    out = subprocess.run([GOTRACE, "--help"], capture_output=True, text=True).stdout
    return "--stack" in out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--funcs", default="net/http.*", help="what the traced run traces")
    args = parser.parse_args()
    if os.geteuid() != 0:
        fail("needs root (BPF, uprobes, tracefs)")
    for tool in ("wrk", "bpftool"):
        if not shutil.which(tool):
            fail(f"{tool} is not installed (scripts/install-deps.sh installs it)")
    workdir = tempfile.mkdtemp(prefix="gotrace-soak-")
    binary = os.path.join(workdir, "webserver")  # probes on this copy only
    shutil.copy(WEBSERVER, binary)

    print(f"soak: untraced, wrk -t{args.threads} -c{args.connections} for {args.seconds}s",
          flush=True)
    base = Server(binary, workdir, "untraced")
    base_wrk = run_wrk(base.port, args.seconds, args, workdir)
    base_requests, base_output = base.stop()
    check_responses("untraced", base_wrk, base_requests, args.connections)
    print(f"soak: untraced: {base_wrk['requests']} requests, {base_wrk['rps']:.0f}/s", flush=True)

    halves = [(args.funcs, ())]
    if has_stack_option():
        halves.append(("main.*", ("--stack",)))
    for funcs, extra in halves:
        what = " ".join(("-r",) + tuple(extra) + ("'%s'" % funcs,))
        print(f"soak: traced, gotrace {what}, for {args.seconds}s", flush=True)
        t = traced_run(binary, workdir, args, funcs, extra)
        check_responses("traced", t["wrk"], t["requests"], args.connections)
        if t["output"] != base_output:
            fail(f"the server's output differs: untraced {base_output!r}, traced "
                 f"{t['output']!r}")
        print(f"soak: traced: {t['wrk']['requests']} requests, {t['wrk']['rps']:.0f}/s "
              f"({t['wrk']['rps'] / base_wrk['rps']:.3f} of untraced); {t['probes']} probes; "
              f"{t['made']} calls and returns made (kernel count), {t['printed']} events "
              f"printed + {t['lost']} lost = {t['printed'] + t['lost']}; gotrace took "
              f"{t['detach_seconds']:.0f}s to stop after SIGINT", flush=True)
        if t["printed"] + t["lost"] != t["made"]:
            fail(f"events printed + lost = {t['printed'] + t['lost']}, calls made = {t['made']}")
    shutil.rmtree(workdir)
    print("soak: passed", flush=True)


if __name__ == "__main__":
    main()
