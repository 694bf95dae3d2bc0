"""Filters (--filter, a functions file's "if EXPR") and --min-duration,
evaluated in the kernel: exactly the calls asked for are reported, whole,
and the summary says how many the filters passed of how many."""
import json
import os
import signal
import socket
import subprocess
import time

from common import GOTRACE, TESTDATA, free_port, need_root, read_all, trace_command, wait_attached, \
    wait_for_http

ORACLE = os.path.join(TESTDATA, "oracle")
SLOW = os.path.join(TESTDATA, "slow")
WEBSERVER = os.path.join(TESTDATA, "webserver")


def arg(event, name):
    return next(a["value"] for a in event["args"] if a["name"] == name)


def summary_of(stderr):
    return [line for line in stderr.splitlines() if " calls" in line or " call:" in line][-1]


def run(tmp_path, binary, *options):
    """gotrace -j OPTIONS -c BINARY: (the program's lines, events, stderr)."""
    need_root()
    out = tmp_path / "events.json"
    proc = subprocess.run([GOTRACE, "-j", "-o", str(out), "-c", binary, *options],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    printed = [json.loads(line) for line in proc.stdout.splitlines()[1:]]
    events = [json.loads(line) for line in out.read_text().splitlines()]
    return printed, events, proc.stderr


def get(port, path, method="GET"):
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        conn.sendall(("%s %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                      % (method, path)).encode())
        response = read_all(conn)
    assert response.startswith(b"HTTP/1.1 200"), response


def test_string_field_through_two_pointers(tmp_path):
    """r is a *http.Request, r.URL a *url.URL: the filter follows both
    pointers in the kernel and compares the path's bytes."""
    need_root()
    port = free_port()
    server = subprocess.Popen([WEBSERVER, "-addr", "127.0.0.1:%d" % port],
                              stderr=subprocess.DEVNULL)
    out = tmp_path / "events"
    try:
        wait_for_http(port)
        tracer = subprocess.Popen(
            [GOTRACE, "-j", "-o", str(out), "--filter",
             'r.URL.Path == "/api/users" || strings.HasPrefix(r.URL.Path, "/static/") && '
             'r.Method == "POST"', "-p", str(server.pid), "main.handlerFunction"],
            stderr=subprocess.PIPE, text=True)
        try:
            wait_attached(tracer)
            sent = [("GET", "/"), ("GET", "/api/users"), ("GET", "/api/user"),
                    ("GET", "/api/users/"), ("POST", "/static/a.css"), ("GET", "/static/b.css"),
                    ("GET", "/api/usersx"), ("POST", "/api/users"), ("GET", "/static"),
                    ("POST", "/stat/ic/")]
            for method, path in sent:
                get(port, path, method)
            time.sleep(0.3)
            tracer.send_signal(signal.SIGINT)
            stderr = tracer.stderr.read()
            assert tracer.wait(timeout=10) == 0, stderr
        finally:
            if tracer.poll() is None:
                tracer.kill()
                tracer.wait()
    finally:
        server.kill()
        server.wait()
    events = [json.loads(line) for line in out.read_text().splitlines()]
    seen = [(arg(e, "r")["Method"], arg(e, "r")["URL"]["Path"]) for e in events]
    assert seen == [("GET", "/api/users"), ("POST", "/static/a.css"), ("POST", "/api/users")]
    assert "filters passed 3 of 10 calls (main.handlerFunction 3 of 10)" in summary_of(stderr)


def test_int64_limits(tmp_path):
    """main.Ints is called with every type's minimum, then with maxima."""
    printed, events, _ = run(tmp_path, ORACLE, "--filter",
                             "d == -9223372036854775808 && a < -127 && h == 4294967295 && "
                             "c <= -2147483648 && e == -1", "main.Ints")
    assert [e["args"] for e in events] == [[
        {"name": n, "type": t, "value": v} for n, t, v in [
            ("a", "int8", -128), ("b", "int16", -32768), ("c", "int32", -2147483648),
            ("d", "int64", -9223372036854775808), ("e", "int", -1), ("f", "uint8", 255),
            ("g", "uint16", 65535), ("h", "uint32", 4294967295)]]]
    _, events, stderr = run(tmp_path, ORACLE, "--filter",
                            "d > 9223372036854775806 && a >= 127 && g > 0 && f < 1",
                            "main.Ints")
    assert [arg(e, "d") for e in events] == [9223372036854775807]
    assert "filters passed 1 of 2 calls (main.Ints 1 of 2)" in summary_of(stderr)


def test_uint64_limits(tmp_path):
    """main.Wide(u uint64 = MaxUint64, i uint = 1<<63, p uintptr, m int64 = -9):
    unsigned words compare unsigned, so none of them is negative."""
    _, events, _ = run(tmp_path, ORACLE, "--filter",
                       "u == 18446744073709551615 && u > 9223372036854775807 && "
                       "i >= 9223372036854775808 && m < 0 && m > -10", "main.Wide")
    assert [(arg(e, "u"), arg(e, "i"), arg(e, "m")) for e in events] == \
        [(18446744073709551615, 9223372036854775808, -9)]
    _, events, stderr = run(tmp_path, ORACLE, "--filter", "u < 18446744073709551615",
                            "main.Wide")
    assert events == []
    assert "filters passed 0 of 1 calls (main.Wide 0 of 1)" in summary_of(stderr)


def test_err_not_nil_decides_at_the_return(tmp_path):
    """main.Step fails for ids 0, 4 and 8: each of those calls and its return
    are reported (-r implied), one after the other; no other event."""
    printed, events, stderr = run(tmp_path, SLOW, "--filter", "err != nil", "main.Step")
    failed = [p["id"] for p in printed if p["err"]]
    assert failed == [0, 4, 8]
    assert [e["event"] for e in events] == ["call", "return"] * 3
    assert [arg(e, "id") for e in events[::2]] == failed
    for ret, id_ in zip(events[1::2], failed):
        err = ret["results"][0]
        assert err["name"] == "err"
        assert err["value"]["value"]["s"] == "step %d failed" % id_
    assert "filters passed 3 of 12 calls (main.Step 3 of 12)" in summary_of(stderr)


def test_min_duration_separates_slow_calls(tmp_path):
    """main.Step sleeps 80 ms for ids 2 and 7, 1 ms otherwise."""
    printed, events, stderr = run(tmp_path, SLOW, "--min-duration", "40ms", "main.Step")
    assert [p["id"] for p in printed if p["ms"] == 80] == [2, 7]
    assert [(e["event"], arg(e, "id") if e["event"] == "call" else None) for e in events] == \
        [("call", 2), ("return", None), ("call", 7), ("return", None)]
    for ret in events[1::2]:
        assert ret["duration_ns"] >= 80_000_000
    assert "filters passed 2 of 12 calls (main.Step 2 of 12)" in summary_of(stderr)
    # with a filter on the arguments too, and on the results
    _, events, _ = run(tmp_path, SLOW, "--min-duration", "0.04s", "--filter",
                       "id > 5 && err == nil", "main.Step")
    assert [arg(e, "id") for e in events if e["event"] == "call"] == [7]
    assert len(events) == 2


def test_functions_file_filters(tmp_path):
    funcs = tmp_path / "funcs.txt"
    funcs.write_text(
        "main.Ints(a int8, b int16, c int32, d int64, e int, f uint8, g uint16, h uint32) "
        "if e == 42   # the second call\n"
        "main.Wide if u < 5\n"
        "main.Bools if x && !y\n")
    printed, events, stderr = run(tmp_path, ORACLE, "-f", str(funcs))
    assert [(e["func"], e["args"][0]["value"]) for e in events] == \
        [("main.Ints", 127), ("main.Bools", True)]
    assert "filters passed 2 of 4 calls (main.Ints 1 of 2, main.Wide 0 of 1, main.Bools 1 " \
        "of 1)" in summary_of(stderr)


def error_of(*args):
    proc = subprocess.run([GOTRACE, *args], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 1, proc.stderr
    return proc.stderr.splitlines()


def test_functions_file_filter_naming_a_missing_parameter(tmp_path):
    funcs = tmp_path / "funcs.txt"
    funcs.write_text("# two functions\nmain.Bools if x\nmain.Ints if usr > 5 && a > 0\n")
    lines = error_of("-f", str(funcs), ORACLE)
    assert lines == ['gotrace: %s:3:14: unknown parameter "usr" (main.Ints has a, b, c, d, e, '
                     'f, g, h)' % funcs,
                     "  usr > 5 && a > 0",
                     "  ^"]


def test_malformed_expression():
    lines = error_of("--filter", 'r.URL.Path == "/a" &&', WEBSERVER, "main.handlerFunction")
    assert lines == ["gotrace: --filter: 1:22: expected an operand, found end of expression",
                     '  r.URL.Path == "/a" &&',
                     "                       ^"]
    assert error_of("--filter", "(id > 5", WEBSERVER, "main.handlerFunction")[0] == \
        "gotrace: --filter: 1:8: expected ')', found end of expression"
    assert error_of("--filter", 'r.URL.Path == "/a\\q"', WEBSERVER,
                    "main.handlerFunction")[0] == \
        "gotrace: --filter: 1:19: unknown escape sequence in a string"


def test_unknown_parameter():
    assert error_of("--filter", 'usr.Name == "x"', WEBSERVER, "main.handlerFunction") == [
        'gotrace: --filter: 1:1: unknown parameter "usr" (main.handlerFunction has w, r)',
        '  usr.Name == "x"',
        "  ^"]


def test_type_errors():
    def first(expr, func="main.handlerFunction", binary=WEBSERVER):
        return error_of("--filter", expr, binary, func)[0]

    assert first("r.URL.Path == 5") == \
        "gotrace: --filter: 1:12: invalid operation: mismatched types string and untyped int"
    assert first("r.URL.Pth == \"/\"") == \
        "gotrace: --filter: 1:7: Pth undefined (type *net/url.URL has no field Pth)"
    assert first("a > 128", "main.Ints", ORACLE) == \
        "gotrace: --filter: 1:5: cannot use 128 (untyped int constant) as int8 value in " \
        "comparison (overflows)"
    assert first("u > -1", "main.Wide", ORACLE) == \
        "gotrace: --filter: 1:5: cannot use -1 (untyped int constant) as uint64 value in " \
        "comparison (overflows)"
    assert first("a == d", "main.Ints", ORACLE) == \
        "gotrace: --filter: 1:3: invalid operation: mismatched types int8 and int64"
    assert first("x < y", "main.Bools", ORACLE) == \
        "gotrace: --filter: 1:3: invalid operation: operator < not defined on bool"
    assert first("e", "main.Ints", ORACLE) == \
        "gotrace: --filter: 1:1: non-boolean e (type int) used as a condition"


SHAPES = [
    # structs in registers, embedded fields, a pointer's fields, nil
    ("main.Structs", 'o.Kind == 7 && o.ID == 12 && o.Tags == "tagged" && p.Kind == 7 && '
     'p.Tags == "tagged" && nilp == nil', 1),
    ("main.Structs", 'p.Tags == "tagged!"', 0),
    # following a nil pointer fails the call, as Go would have panicked
    ("main.Structs", "nilp.Kind == 0", 0),
    ("main.Structs", "!(nilp != nil && nilp.Kind == 0)", 1),
    # a struct spilled to the stack while later arguments use registers
    ("main.SpillStruct", 't.Name == "stacked" && t.Tag == -7 && t.N == 18446744073709551615 && '
     'q.Name == "pointee" && last && w == -2147483648 && z == -8', 1),
    ("main.SpillStruct", "t.Tag == 7", 0),
    ("main.Slices", "len(xs) == 3 && len(b) == 3 && len(names) == 2 && len(empty) == 0 && "
     "nilslice == nil && empty != nil", 1),
    ("main.Slices", "len(xs) > 3", 0),
    ("main.Others", "len(m) == 3 && len(nilmap) == 0 && nilmap == nil && len(ch) == 2 && "
     "fn != nil && up != nil && len(big) == 20", 1),
    ("main.Others", "len(big) != 20", 0),
    ("main.Ifaces", "err != nil && nilerr == nil && any != nil", 1),
    ("main.Ifaces", "nilerr != nil", 0),
    # Go's string order, both ways round
    ("main.Spill", 's == "spilled" && s > "spilla" && s < "spilledx" && s >= "spilled" && '
     '!(s < "spilled") && "spilled" <= s && "spilm" > s', 1),
    ("main.Spill", 's < "spilled"', 0),
    ("main.Chains", 'c.Next.B == "second" && c.Label == "first" && r.Sensor == "kitchen" && r.Ok',
     1),
    ("main.Strings", 'long > "0123" && strings.HasPrefix(long, "0123456789012345678901234567890'
     '123456789") && len(long) == 200 && empty == "" && unicode == "héllo wörld ✓" && '
     'strings.HasPrefix(ascii, "")', 1),
    ("main.Strings", 'strings.HasPrefix(ascii, "hello, gotrace!")', 0),
]


def test_value_shapes(tmp_path):
    """One run per filter: the oracle calls each function once."""
    for func, expr, want in SHAPES:
        _, events, stderr = run(tmp_path, ORACLE, "--filter", expr, func)
        assert len(events) == want, (func, expr, stderr)
        assert "filters passed %d of 1 calls" % want in summary_of(stderr), (func, expr)


def test_versions(tmp_path):
    """The stack ABI (Go 1.15), hmaps (1.23) and Swiss maps (1.27)."""
    for version in ("go1.15", "go1.23", "go1.27"):
        binary = os.path.join(TESTDATA, version, "oracle")
        _, events, _ = run(tmp_path, binary, "--filter",
                           "len(m) == 3 && len(big) == 20 && len(nilmap) == 0", "main.Others")
        assert len(events) == 1, version
        _, events, _ = run(tmp_path, binary, "--filter",
                           't.Name == "stacked" && q.Name == "pointee" && w == -2147483648',
                           "main.SpillStruct")
        assert len(events) == 1, version
        _, events, _ = run(tmp_path, binary, "--filter", "len(m) == 4", "main.Others")
        assert events == [], version


def test_returns_only_of_calls_that_passed(tmp_path):
    """-r with a filter on the arguments: a return is reported only when its
    call was; each one follows its call (main.Step runs on one goroutine)."""
    _, events, stderr = run(tmp_path, SLOW, "-r", "--filter", "id >= 10 || id == 3", "main.Step")
    assert [(e["event"], arg(e, "id") if e["event"] == "call" else e["results"][0]["value"])
            for e in events] == [("call", 3), ("return", None), ("call", 10), ("return", None),
                                 ("call", 11), ("return", None)]
    assert "filters passed 3 of 12 calls (main.Step 3 of 12)" in summary_of(stderr)


def test_min_duration_syntax():
    """Go's duration syntax; a number without a unit is not one."""
    for bad in ("5", "5 ms", "ms", "-1s", "1.5.2s", "3d", "0s"):
        proc = subprocess.run([GOTRACE, "--min-duration", bad, SLOW, "main.Step"],
                              capture_output=True, text=True, timeout=30)
        assert proc.returncode == 64, bad
        assert proc.stderr == ("gotrace: invalid --min-duration '%s': expected a duration > 0 "
                               "as Go writes it (500us, 20ms, 1.5s)\n" % bad), bad
    for good in ("1h2m3.5s", "500us", "250µs", "20ms", "1.5s", "100ns"):
        proc = subprocess.run([GOTRACE, "-l", "--min-duration", good, SLOW, "main.Step"],
                              capture_output=True, text=True, timeout=30)
        assert proc.returncode == 0, (good, proc.stderr)


# The forms --print shares with filters: pointees, constant indexes, a
# []byte as a string, the string functions, type assertions. Each round
# gives each function one filter (a functions file), and each is called
# once: (function, filter, whether its call passes).
FORMS = [
    [
        ("main.Ptrs", '*p == 42 && **pp == "deep" && *p > 41', True),
        ("main.Slices", 'xs[0] == 1 && xs[2] == 3 && names[1] == "yy" && names[0][0] == 120 && '
         'b[2] == 0', True),
        ("main.Arrays", "pair[0] == -1 && pair[1] == 1 && one[0] == 5 && small[2] == 3", True),
        ("main.Chains", 'c.Next.B == "second" && (*c.Next).A == 99 && (*r).Sensor == "kitchen"',
         True),
        ("main.Strings", 'strings.HasSuffix(long, "789") && strings.HasSuffix(ascii, "gotrace") && '
         'strings.Contains(ascii, "o, g") && strings.Contains(long, "0123456789012") && '
         '!strings.Contains(ascii, "xyz") && strings.Contains(ascii, "") && '
         'strings.HasSuffix(empty, "")', True),
        ("main.Errors", 'direct.(*main.MyErr).Code == 7 && direct.(*main.MyErr).Msg == "boom"',
         True),
        ("main.Ifaces", 'num.(int) == 42 && any.(main.Base).Kind == 7 && err != nil', True),
    ],
    [
        ("main.Ptrs", "*p > 42", False),
        # an index past the length fails the call, as Go panics: || cannot save it
        ("main.Slices", "xs[3] == 4 || len(xs) == 3", False),
        ("main.Arrays", "small[0] == 2", False),
        # a string longer than the 128 bytes searched, the literal not in them
        ("main.Strings", 'strings.Contains(long, "x") || len(long) == 200', False),
        ("main.Errors", "wrapped.(*main.MyErr).Code == 7", False),
        ("main.Ifaces", 'num.(string) == "42"', False),
    ],
    [
        # following nil fails the call
        ("main.Ptrs", "*nilp == 0", False),
        ("main.Slices", 'b == "hi\\x00" && string(b) == "hi\\x00" && b != "hi" && b < "hj" && '
         'bytes.HasPrefix(b, []byte("hi")) && bytes.HasSuffix(b, "i\\x00") && '
         'bytes.Contains(b, []byte("i")) && bytes.Equal(b, []byte("hi\\x00"))', True),
        ("main.Strings", 'strings.HasSuffix(ascii, "gotrace!") || strings.HasSuffix(long, "0")',
         False),
        # a failed assertion makes its condition false, not the call
        ("main.Errors", "wrapped.(*main.MyErr).Code == 7 || direct.(*main.MyErr).Code == 7",
         True),
        # a nil interface holds no type
        ("main.Ifaces", "nilerr.(*main.MyErr) == nil", False),
    ],
    [
        ("main.Slices", "nilslice[0] == 0 || true", False),
        ("main.Strings", 'strings.Contains(long, "89012") && !strings.Contains(unicode, "ö ")',
         True),
        ("main.Errors", "!(wrapped.(*main.MyErr) != nil) && direct.(*main.MyErr) != nil", True),
    ],
    [
        ("main.Slices", 'bytes.HasPrefix(b, []byte("ho"))', False),
        ("main.Errors", "direct.(*main.MyErr).Code == 8", False),
        ("main.Chains", "(*c.Next).A != 99", False),
    ],
]


def forms_file(tmp_path, forms):
    path = tmp_path / "forms.txt"
    path.write_text("".join("%s if %s\n" % (f, e) for f, e, _ in forms))
    return str(path)


FORM_BUILDS = {
    "go1.19-debian": ([], ORACLE),
    "go1.19-debian/pie": ([], ORACLE + "-pie"),
    "go1.19-debian/stripped+debug-file": (["--debug-file", ORACLE], ORACLE + "-stripped"),
    "go1.15": ([], os.path.join(TESTDATA, "go1.15", "oracle")),
    "go1.27": ([], os.path.join(TESTDATA, "go1.27", "oracle")),
}


def test_forms_shared_with_print(tmp_path):
    """Each form on the register ABI (Go 1.19, 1.27), the stack ABI (Go
    1.15), PIE (the descriptors' load bias) and a stripped binary whose
    types come from --debug-file: exactly the calls asked for pass."""
    for build, (extra, binary) in FORM_BUILDS.items():
        for forms in FORMS:
            _, events, stderr = run(tmp_path, binary, *extra, "-f", forms_file(tmp_path, forms))
            passed = sorted(e["func"] for e in events if e["event"] == "call")
            assert passed == sorted(f for f, _, w in forms if w), (build, forms, stderr)
            for func, _, want in forms:
                assert "%s %d of 1" % (func, want) in summary_of(stderr), (build, func, stderr)


def test_forms_errors():
    """What filters do not take yet, or cannot: at its column."""
    def first(expr, func):
        return error_of("--filter", expr, ORACLE, func)[0]

    assert first('len(m) > 0 && m[1] == "x"', "main.Others") == \
        "gotrace: --filter: 1:16: map index: not yet in filters"
    assert first("wrapped.(*main.Nope) != nil", "main.Errors").startswith(
        "gotrace: --filter: 1:10: *main.Nope: ")
    assert first("wrapped.(error) != nil", "main.Errors") == \
        "gotrace: --filter: 1:10: error is an interface: filters assert concrete types only"
    assert first("*xs > 1", "main.Slices") == \
        "gotrace: --filter: 1:1: invalid operation: cannot indirect a []int (not a pointer)"
    assert first('strings.HasSuffix(b, "i")', "main.Slices") == \
        "gotrace: --filter: 1:19: cannot use []byte as string value in argument to " \
        "strings.HasSuffix"
    assert first("small[3] == 1", "main.Arrays") == \
        "gotrace: --filter: 1:7: invalid index 3 (out of bounds for 3-element array)"
