"""The real gotrace's command line: the webserver example, the ways to pick
processes, the ways to stop, functions files, and bad input."""
import json
import os
import re
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
    types, and their names where the signature gives them: names that
    differ are a warning; a value whose kind or size differs is an error
    naming the line, and nothing is attached."""
    assert signature_warnings(tmp_path, [
        "main.Fib(n int) int",
        "main.Recovered(n int) (result int, err error)",
        "main.Work(int, string) (int, string)",
        "main.Grower(label string, depth int)  # results left out",
    ]) == []
    assert signature_warnings(tmp_path, [
        "main.Fib(num int) int",
        "main.Recovered(x int) (result int, err error)",
    ]) == [
        "gotrace: FILE:1: main.Fib: the signature says (num int) int but DWARF says (n int) int",
        "gotrace: FILE:2: main.Recovered: the signature says (x int) (result int, err error) "
        "but DWARF says (n int) (result int, err error)",
    ]
    funcs = tmp_path / "funcs.txt"
    funcs.write_text("main.Fib(n int) int\nmain.Fib(n int) string\n"
                     "main.Work(id string, name string) (int, string)\nmain.Grower(int)\n")
    proc = subprocess.run([GOTRACE, "-o", "/dev/null", "-f", str(funcs), "-c",
                           f"{RETURNS} -workers 1"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert "attached" not in proc.stderr
    assert [line.replace(str(funcs), "FILE") for line in proc.stderr.splitlines()] == [
        "gotrace: FILE:3: main.Work: the signature says (id string, name string) (int, string) "
        "but DWARF says (id int, name string) (int, string): a value differs in kind or size",
        "gotrace: FILE:4: main.Grower: the signature says (int) but DWARF says "
        "(label string, depth int): a value differs in kind or size",
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
    assert proc.stderr.splitlines()[-1] == (
        f"gotrace: {len(seen)} calls: main.tiny {len(seen)}; {lost} events lost (the ring "
        "buffer was full: --buffer-size); 0 frames evicted")
    # what arrived is in order and intact
    values = [e["args"][0]["value"] for e in seen]
    assert values == sorted(values) and all(e["args"][2]["value"] == "hello" for e in seen)


ASM = os.path.join(TESTDATA, "asm")


def usage_error_of(*args):
    """A usage error: status 64 (EX_USAGE), the reason on stderr's first line."""
    proc = subprocess.run([GOTRACE, *args], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 64, (args, proc.returncode, proc.stderr)
    assert proc.stdout == ""
    return proc.stderr.splitlines()[0]


def test_exit_statuses(tmp_path):
    """0: asked for and done; 1: an error; 64: a bad command line. The man
    page lists the same three."""
    for args in (["--help"], ["-?"], ["-h"], ["--usage"], ["--version"], ["-V"],
                 ["-l", ORACLE, "main.Ints"]):
        proc = subprocess.run([GOTRACE, *args], capture_output=True, text=True, timeout=30)
        assert proc.returncode == 0 and proc.stdout and not proc.stderr, (args, proc.stderr)
    assert subprocess.run([GOTRACE, "-V"], capture_output=True, text=True).stdout == \
        "gotrace 0.1.0\n"
    assert "unrecognized option '--bogus'" in usage_error_of("--bogus", ORACLE, "main.f")
    assert usage_error_of("-n", "0", ORACLE, "main.f") == \
        "gotrace: invalid event count '0': expected a whole number from 1 to " \
        "9223372036854775807"
    assert usage_error_of(ORACLE) == "gotrace: no FUNC given"
    assert usage_error_of("--keep", ORACLE, "main.f") == \
        "gotrace: --keep is for the command of -c"
    # errors: 1, one line
    assert "no function main.Intz" in error_of(ORACLE, "main.Intz")
    man = open(os.path.join(os.path.dirname(GOTRACE), "docs", "gotrace.8")).read()
    status = man.split(".SH EXIT STATUS")[1].split(".SH")[0]
    assert re.findall(r"^\.B (\d+)$", status, re.M) == ["0", "1", "64"]


def test_exactly_one_program(tmp_path):
    """A program's path after -p or -c is not a FUNC."""
    one = "gotrace: give exactly one of BINARY, -p PID or -c CMD"
    assert usage_error_of("-p", str(os.getpid()), WEBSERVER, "main.f") == one
    assert usage_error_of("-p", str(os.getpid()), "./webserver", "main.f") == one
    assert usage_error_of("-c", ORACLE, ORACLE, "main.f") == one
    assert usage_error_of("main.f") == "gotrace: no FUNC given"
    assert usage_error_of("-p", "1", "-c", ORACLE, "main.f") == one
    # a FUNC is still a FUNC: "net/http.Get" is no file
    assert "no function net/http.Nothing" in error_of("-c", BENCH, "net/http.Nothing")


def help_options():
    """The options --help lists: ("-p", "--pid"), ("", "--keep"), ..."""
    text = subprocess.run([GOTRACE, "--help"], capture_output=True, text=True).stdout
    found = []
    for line in text.split("OPTIONS:")[1].splitlines():
        m = re.match(r"^ +((?:-\S, )*)(--[a-z-]+)", line)
        if m:
            found.append((tuple(re.findall(r"-\S", m.group(1))), m.group(2)))
    return found


def test_help_man_page_and_readme_agree():
    """Every option of --help is in the man page and the README, with its
    short forms, and every option they name is in --help."""
    root = os.path.dirname(GOTRACE)
    man = open(os.path.join(root, "docs", "gotrace.8")).read()
    readme = open(os.path.join(root, "README.md")).read()
    options = help_options()
    assert len(options) > 20 and ((), "--keep") in options and (("-h", "-?"), "--help") in options
    man_options = man.split(".SH OPTIONS")[1].split("\n.SH ")[0]
    # the man page's entries: ".BR \-p ", " \-\-pid =..." or ".B \-\-no\-signals"
    man_entries = set()
    for line in man_options.splitlines():
        if line.startswith((".BR ", ".B ")) and "\\-" in line:
            words = re.findall(r"\\-(\\-)?((?:[A-Za-z?]|\\-)+)", line)
            man_entries.add(tuple(("--" if long else "-") + name.replace("\\-", "-")
                                  for long, name in words))
    help_entries = {shorts + (long,) for shorts, long in options}
    assert man_entries == help_entries
    readme_table = re.findall(r"^\| `([^`]+)` \|", readme, re.M)
    readme_entries = {tuple(w.split(" ")[0] for w in entry.split(", ")) for entry in readme_table}
    assert readme_entries == help_entries


def test_make_install(tmp_path):
    """make install: gotrace and its man page under DESTDIR/PREFIX."""
    root = os.path.dirname(GOTRACE)
    stage = tmp_path / "stage"
    proc = subprocess.run(["make", "-C", root, "--no-print-directory", "install",
                           f"DESTDIR={stage}", "PREFIX=/opt/gt"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    installed = sorted(str(p.relative_to(stage)) for p in stage.rglob("*") if p.is_file())
    assert installed == ["opt/gt/sbin/gotrace", "opt/gt/share/man/man8/gotrace.8"]
    binary = stage / "opt/gt/sbin/gotrace"
    assert os.access(binary, os.X_OK)
    assert binary.read_bytes() == open(GOTRACE, "rb").read()
    assert (stage / "opt/gt/share/man/man8/gotrace.8").read_text() == \
        open(os.path.join(root, "docs", "gotrace.8")).read()
    assert subprocess.run([str(binary), "--version"], capture_output=True,
                          text=True).stdout == "gotrace 0.1.0\n"
    # the man page renders without warnings
    man = subprocess.run(["man", "--warnings", "-l",
                          str(stage / "opt/gt/share/man/man8/gotrace.8")],
                         capture_output=True, text=True, env={**os.environ, "MANWIDTH": "80"})
    assert man.returncode == 0 and "EXIT STATUS" in man.stdout and not man.stderr, man.stderr


def listed_json(*args):
    proc = subprocess.run([GOTRACE, "-l", "-j", *args], capture_output=True, text=True,
                          timeout=30)
    assert proc.returncode == 0, proc.stderr
    return {e["func"]: e for e in map(json.loads, proc.stdout.splitlines())}


def test_list_json(tmp_path):
    got = listed_json(RETURNS, "main.Recovered", "main.Fib", "main.Recovered.func1")
    assert got["main.Recovered"] == {
        "func": "main.Recovered", "abi": "register",
        "params": [{"name": "n", "type": "int"}],
        "results": [{"name": "result", "type": "int"}, {"name": "err", "type": "error"}]}
    assert got["main.Fib"]["results"] == [{"name": "~r0", "type": "int"}]
    assert got["main.Recovered.func1"]["params"] == got["main.Recovered.func1"]["results"] == []
    # the text listing says the same
    text = subprocess.run([GOTRACE, "-l", RETURNS, "main.Recovered"], capture_output=True,
                          text=True).stdout
    assert text == "main.Recovered(n int) (result int, err error)\n"
    # Go 1.15's stack ABI
    old = listed_json(os.path.join(TESTDATA, "go1.15", "oracle"), "main.Ints")["main.Ints"]
    assert old["abi"] == "stack" and len(old["params"]) == 8 and old["results"] == []
    # Go 1.17's DWARF lists no results: unknown, not none (the 1.19 oracle,
    # its build info saying go1.17, as in test_oracle)
    data = open(os.path.join(TESTDATA, "go1.19", "oracle"), "rb").read()
    go117 = tmp_path / "oracle-go1.17"
    go117.write_bytes(data.replace(b"go1.19.", b"go1.17."))
    div = listed_json(str(go117), "main.Div")["main.Div"]
    assert div["params"] == [{"name": "a", "type": "int"}, {"name": "b", "type": "int"}]
    assert div["results"] is None and div["unknown"] == "results: this Go's DWARF lists none"
    # no DWARF: params and results unknown, and why
    stripped = listed_json(ORACLE + "-stripped", "main.Ints")["main.Ints"]
    assert stripped["params"] is None and stripped["results"] is None
    assert "no DWARF" in stripped["unknown"] and "--debug-file" in stripped["unknown"]


def test_list_assembly():
    """An unstripped binary's function without DWARF is assembly: -l says it
    uses the stack ABI and takes a signature."""
    proc = subprocess.run([GOTRACE, "-l", ASM, "main.Mix"], capture_output=True, text=True,
                          timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ("main.Mix.abi0(?) [assembly, stack ABI (ABI0), no DWARF: give its "
                           "signature in a functions file (-f)]\n")
    mix = listed_json(ASM, "main.Mix")["main.Mix.abi0"]
    assert mix["abi"] == "stack" and mix["params"] is None
    assert mix["unknown"].startswith("assembly, stack ABI (ABI0)")


def test_max_event_holds_every_argument(tmp_path):
    """--max-event 256, the least allowed, is raised to what main.Many's 11
    ints take: none is cut."""
    need_root()
    out = tmp_path / "events.json"
    proc = subprocess.run([GOTRACE, "--max-event", "256", "-j", "-o", str(out), "-c", ORACLE,
                           "main.Many", "main.Ints"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert ("gotrace: --max-event 256 raised to 352: the arguments of main.Many take 352 bytes "
            "before any pointer is followed") in proc.stderr.splitlines()
    many = [e for e in events(out) if e["func"] == "main.Many"]
    assert [a["value"] for a in many[0]["args"]] == list(range(1, 12))
    assert "truncated" not in many[0]
    # a budget that holds them is left alone
    proc = subprocess.run([GOTRACE, "--max-event", "512", "-o", "/dev/null", "-c", ORACLE,
                           "main.Many"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "raised" not in proc.stderr, proc.stderr


def test_warnings_name_every_function(tmp_path):
    """One warning for the functions without types: how many, the first
    names; raw words in hex in text."""
    need_root()
    out = tmp_path / "events.txt"
    proc = subprocess.run([GOTRACE, "-o", str(out), "-c", ORACLE + "-stripped", "main.Ints",
                           "main.Bools", "main.Strings", "main.Many"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    warnings = [line for line in proc.stderr.splitlines() if "DWARF" in line]
    assert warnings == [
        "gotrace: 4 functions have no DWARF (main.Ints, main.Bools, main.Strings and 1 more): "
        "without signatures in a functions file (-f) or --debug-file, their arguments show "
        "as raw registers and stack words"]
    ints = [line.split("main.Ints(")[1] for line in out.read_text().splitlines()
            if " main.Ints(" in line]
    words = [dict(w.split("=") for w in line.rstrip(")").split(", ")) for line in ints]
    assert all(re.fullmatch(r"0x[0-9a-f]+", v) for w in words for v in w.values()), ints
    # d int64 and e int travel whole in RDI and RSI
    assert (words[0]["RDI"], words[0]["RSI"]) == ("0x8000000000000000", "0xffffffffffffffff")
    assert (words[1]["RDI"], words[1]["RSI"]) == ("0x7fffffffffffffff", "0x2a")

    # an assembly function, alone: named, with what it needs
    proc = subprocess.run([GOTRACE, "-o", "/dev/null", "-c", ASM, "main.Mix"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert ("gotrace: main.Mix.abi0 is assembly, without DWARF: it takes its arguments on the "
            "stack (ABI0); give its signature in a functions file (-f)") in proc.stderr
