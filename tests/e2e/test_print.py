"""--print: Go expressions instead of every argument, captured alone in the
kernel, against the oracle's own print of its arguments (testdata/oracle),
on every build of the matrix (register and stack ABIs, PIE, stripped with
--debug-file). One --print over several functions: each expression applies
where it type-checks."""
import json
import os
import subprocess

import pytest

from common import GOTRACE, TESTDATA, need_root, sorted_maps, trace_command
from test_oracle import BUILDS, ORACLE

# expression -> (function, its value from the oracle's printed arguments,
# or "!why" the value is unavailable)
EXPRS = {
    "o.ID": ("main.Structs", lambda a: a["o"]["ID"]),
    "o.Kind": ("main.Structs", lambda a: a["o"]["Base"]["Kind"]),
    "o.inner.B": ("main.Structs", lambda a: a["o"]["inner"]["B"]),
    "p.Tags": ("main.Structs", lambda a: a["p"]["Tags"]),
    "p.Base.Kind": ("main.Structs", lambda a: a["p"]["Base"]["Kind"]),
    "p.inner": ("main.Structs", lambda a: a["p"]["inner"]),
    "nilp.ID": ("main.Structs", "!nil address"),
    "c.Label": ("main.Chains", lambda a: a["c"]["Label"]),
    "c.Next.B": ("main.Chains", lambda a: a["c"]["Next"]["B"]),
    "*c.Next": ("main.Chains", lambda a: a["c"]["Next"]),
    "r.Temp": ("main.Chains", lambda a: a["r"]["Temp"]),
    "r.Sensor": ("main.Chains", lambda a: a["r"]["Sensor"]),
    "xs[0]": ("main.Slices", lambda a: a["xs"][0]),
    "xs[2]": ("main.Slices", lambda a: a["xs"][2]),
    "xs[3]": ("main.Slices", "!index out of range"),
    "len(xs)": ("main.Slices", lambda a: len(a["xs"])),
    "names[1]": ("main.Slices", lambda a: a["names"][1]),
    "len(names)": ("main.Slices", lambda a: len(a["names"])),
    "nilslice[0]": ("main.Slices", "!index out of range"),
    "len(m)": ("main.Others", lambda a: a["m"]["len"]),
    "len(nilmap)": ("main.Others", lambda a: 0),  # a nil map's len
    "len(ch)": ("main.Others", lambda a: a["ch"]["len"]),
    "*p": ("main.Ptrs", lambda a: a["p"]),
    "**pp": ("main.Ptrs", lambda a: a["pp"]),
    "*nilp": ("main.Ptrs", "!nil address"),
    "pair[1]": ("main.Arrays", lambda a: a["pair"][1]),
    "small[2]": ("main.Arrays", lambda a: a["small"][2]),
    "len(ascii)": ("main.Strings", lambda a: len(a["ascii"].encode())),
    "string(b)": ("main.Slices", lambda a: bytes(a["b"]).decode()),
    "direct.(*main.MyErr).Code": ("main.Errors", lambda a: a["direct"]["value"]["Code"]),
    "direct.(*main.MyErr)": ("main.Errors", lambda a: a["direct"]["value"]),
    "wrapped.(*main.MyErr)": ("main.Errors", "!the interface holds another type"),
    "any.(main.Base).Kind": ("main.Ifaces", lambda a: a["any"]["value"]["Kind"]),
    "num.(int)": ("main.Ifaces", lambda a: a["num"]["value"]),
    "num.(string)": ("main.Ifaces", "!the interface holds another type"),
    "nilerr.(*main.MyErr)": ("main.Ifaces", "!the interface holds another type"),
    'small["b"]': ("main.Maps", lambda a: entry(a["small"], "b")),
    "big[117]": ("main.Maps", lambda a: entry(a["big"], 117)),
    "big[118]": ("main.Maps", "!absent from the map"),
    'multi["Accept"]': ("main.Maps", lambda a: entry(a["multi"], "Accept")),
    'multi["Nil"]': ("main.Maps", lambda a: entry(a["multi"], "Nil")),
    'cfg.Labels["zone"]': ("main.Maps", lambda a: entry(a["cfg"]["Labels"], "zone")),
}


def entry(m, key):
    """The value of KEY in a map as the oracle prints it."""
    return dict((json.dumps(k), v) for k, v in m["entries"])[json.dumps(key)]
FUNCS = sorted({f for f, _ in EXPRS.values()})


def expected(func, args):
    return [(e, want(args) if callable(want) else want)
            for e, (f, want) in EXPRS.items() if f == func]


def functions_file(tmp_path):
    """One line per function: "main.Structs print o.ID, o.Kind, ..."."""
    path = tmp_path / "prints.txt"
    path.write_text("".join(
        f"{f} print {', '.join(e for e, (g, _) in EXPRS.items() if g == f)}\n" for f in FUNCS))
    return str(path)


@pytest.mark.parametrize("build", list(BUILDS))
def test_every_expression_matches(tmp_path, build):
    """Each expression's value at every call, exactly as the program has it;
    a nil pointer or an index past the length is unavailable, and says so.
    One run per build: a functions file gives each function its own."""
    extra, binary = BUILDS[build]
    pid, printed, events = trace_command(tmp_path, binary, *extra, "-f", functions_file(tmp_path))
    calls = [e for e in events if e["event"] == "call"]
    truths = [p for p in printed if p["func"] in FUNCS and "event" not in p]
    assert [e["func"] for e in calls] == [t["func"] for t in truths]
    compared = 0
    for event, truth in zip(calls, truths):
        assert "args" not in event
        args = {a["name"]: a["value"] for a in truth["args"]}
        want = expected(truth["func"], args)
        assert [v["expr"] for v in event["values"]] == [e for e, _ in want], event
        for got, (expr, value) in zip(event["values"], want):
            if isinstance(value, str) and value.startswith("!"):
                assert got["unavailable"] == value[1:], (expr, got)
                continue
            assert sorted_maps(got["value"]) == sorted_maps(value), (build, expr, got, value)
            assert "truncated" not in got, (expr, got)
            compared += 1
    # every function is called: each available expression compared at least once
    assert compared >= len([w for _, w in EXPRS.values() if callable(w)])


def test_one_print_over_several_functions(tmp_path):
    """--print over several functions: each expression where it checks (*p
    is a pointee in main.Structs and main.Ptrs alike), one line for the
    functions that show only some."""
    need_root()
    out = tmp_path / "events.json"
    proc = subprocess.run([GOTRACE, "-j", "-o", str(out), "--print", "*p, len(xs)", "-c",
                           ORACLE, "main.Structs", "main.Ptrs", "main.Slices", "main.Bools"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "gotrace: --print: no expression applies to 1 function, left out (main.Bools)\n" \
        in proc.stderr
    assert ("gotrace: --print: some expressions do not apply to 3 functions (main.Structs, "
            "main.Ptrs, main.Slices): shown where they do\n") in proc.stderr
    events = [json.loads(line) for line in out.read_text().splitlines()]
    exprs = {e["func"]: [v["expr"] for v in e["values"]] for e in events if "values" in e}
    assert exprs == {"main.Structs": ["*p"], "main.Ptrs": ["*p"], "main.Slices": ["len(xs)"]}
    values = {e["func"]: e["values"][0].get("value") for e in events if "values" in e}
    assert values["main.Ptrs"] == 42 or isinstance(values["main.Ptrs"], int)
    assert values["main.Slices"] == 3
    assert values["main.Structs"]["Tags"] == "tagged"


def test_text_and_types(tmp_path):
    """Text: the function, then each expression=value; JSON: each value's Go
    type."""
    need_root()
    out = tmp_path / "events.txt"
    proc = subprocess.run([GOTRACE, "-o", str(out), "--print", "p.Tags, len(xs), c.Next.B",
                           "-c", ORACLE, "main.Structs", "main.Slices", "main.Chains"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    lines = out.read_text().splitlines()
    assert any(line.endswith(' main.Structs p.Tags="tagged"') for line in lines), lines
    assert any(line.endswith(" main.Slices len(xs)=3") for line in lines), lines
    assert any(line.endswith(' main.Chains c.Next.B="in"') or 'main.Chains c.Next.B=' in line
               for line in lines), lines
    _, _, events = trace_command(tmp_path, ORACLE, "--print", "p.Tags, o.inner, len(xs)",
                                 "main.Structs", "main.Slices")
    types = {v["expr"]: v["type"] for e in events if "values" in e for v in e["values"]}
    assert types == {"p.Tags": "main.Name", "o.inner": "main.Inner", "len(xs)": "int"}


def bad_print(expr, *funcs):
    need_root()
    return subprocess.run([GOTRACE, "--dry-run", "--print", expr, ORACLE, *funcs],
                          capture_output=True, text=True, timeout=30)


def test_bad_expressions():
    """A field that does not exist lists the fields; an index of something
    that has none, an index out of an array's bounds, a syntax error: one
    line with the position, the expressions and a caret, exit 64."""
    proc = bad_print("p.Tgs", "main.Structs")
    assert proc.returncode == 64
    assert proc.stderr == (
        "gotrace: --print: 1:3: Tgs undefined (type main.Outer has no field Tgs; it has Base, "
        "ID, inner, Tags, hidden)\n  p.Tgs\n    ^\n")
    proc = bad_print("p.Tags, o.ID[1]", "main.Structs")
    assert proc.returncode == 64
    assert proc.stderr.startswith("gotrace: --print: 1:13: cannot index a main.ID")
    assert proc.stderr.endswith("\n  p.Tags, o.ID[1]\n              ^\n")
    proc = bad_print("pair[2]", "main.Arrays")
    assert proc.returncode == 64
    assert "1:6: invalid index 2 (out of bounds for 2-element array)" in proc.stderr
    proc = bad_print("p.Tags,", "main.Structs")
    assert proc.returncode == 64
    assert proc.stderr.startswith("gotrace: --print: 1:8: expected an expression after ','")
    # over several functions: an error only where it checks nowhere
    proc = bad_print("nosuch.X", "main.Structs", "main.Slices")
    assert proc.returncode == 64
    assert "main.Slices: undefined: nosuch" in proc.stderr or \
        "main.Structs: undefined: nosuch" in proc.stderr


def test_results_at_the_return(tmp_path):
    """An expression of a result is evaluated at the return, which it
    implies; the call shows the parameters' expressions."""
    pid, printed, events = trace_command(tmp_path, ORACLE, "--print", "k, len(~r0)",
                                         "main.Get2")
    truths = [p for p in printed if p["func"] == "main.Get2"]
    calls = [e for e in events if e["event"] == "call"]
    rets = [e for e in events if e["event"] == "return"]
    assert calls and len(calls) == len(rets)
    for call, ret, truth in zip(calls, rets, [t for t in truths if "event" not in t]):
        assert call["values"] == [{"expr": "k", "type": "string",
                                   "value": truth["args"][0]["value"]}]
        assert [v["expr"] for v in ret["values"]] == ["len(~r0)"]
        assert ret["duration_ns"] > 0


def test_captures_only_what_it_prints(tmp_path):
    """-v: the plan holds the expressions' ops alone; the full arguments'
    type programs are not even loaded."""
    need_root()
    proc = subprocess.run([GOTRACE, "--dry-run", "--print", "p.Tags", ORACLE, "main.Structs"],
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert "(ABIInternal, 1 root ops" in proc.stdout
    assert "op0: from RBX, 0 hops, then 16 bytes at +" in proc.stdout or \
        "op0: from " in proc.stdout


def test_web_server_handler_prints_only_what_it_names(tmp_path):
    """The demo's handler with --print: the method, the path, a header by
    index, the remote address, in JSON and text; -v's bytes per event show
    that only these were captured (at most 128 bytes for r.Method alone)."""
    from test_demo import PATH, WEBSERVER, trace_one_request
    from common import free_port, wait_for_http
    need_root()
    port = free_port()
    server = subprocess.Popen([WEBSERVER, "-addr", "127.0.0.1:%d" % port],
                              stderr=subprocess.DEVNULL)
    exprs = "r.Method, r.URL.Path, r.URL.RawQuery, len(r.Header), r.Proto, r.ProtoMajor"
    try:
        wait_for_http(port)
        _, events = trace_one_request(tmp_path, port, server, "-j", "--print", exprs)
        _, text = trace_one_request(tmp_path, port, server, "--print", "r.Method, r.URL.Path")
        log = tmp_path / "verbose.txt"
        out = tmp_path / "method.json"
        tracer = subprocess.Popen([GOTRACE, "-v", "-j", "-o", str(out), "--print", "r.Method",
                                   "-p", str(server.pid), "main.handlerFunction"],
                                  stderr=open(log, "w"), text=True)
        try:
            import time
            from test_demo import get
            for _ in range(100):
                if "gotrace: attached" in log.read_text():
                    break
                time.sleep(0.05)
            get(port)
            get(port)
            time.sleep(0.3)
            tracer.send_signal(2)
            assert tracer.wait(timeout=10) == 0
        finally:
            if tracer.poll() is None:
                tracer.kill()
    finally:
        server.kill()
        server.wait()
    call = json.loads(events.splitlines()[0])
    assert call["values"] == [
        {"expr": "r.Method", "type": "string", "value": "GET"},
        {"expr": "r.URL.Path", "type": "string", "value": PATH},
        {"expr": "r.URL.RawQuery", "type": "string", "value": "q=1"},
        {"expr": "len(r.Header)", "type": "int", "value": 4},
        {"expr": "r.Proto", "type": "string", "value": "HTTP/1.1"},
        {"expr": "r.ProtoMajor", "type": "int", "value": 1},
    ]
    assert text.splitlines()[0].endswith(
        ' main.handlerFunction r.Method="GET" r.URL.Path="%s"' % PATH), text
    import re
    m = re.search(r"gotrace: (\d+) bytes captured per event on average, (\d+) at most",
                  log.read_text())
    assert m, log.read_text()
    assert 0 < int(m.group(2)) <= 128, m.group(0)
    method = [json.loads(line) for line in out.read_text().splitlines()]
    assert [e["values"] for e in method] == [[{"expr": "r.Method", "type": "string",
                                               "value": "GET"}]] * 2


def test_functions_file_print_clause_errors(tmp_path):
    """A functions file's print clause: its mistake names FILE:LINE:COLUMN,
    with the line's expressions and a caret; a filter and a print together."""
    need_root()
    funcs = tmp_path / "funcs.txt"
    funcs.write_text("main.Slices\nmain.Structs if p != nil print p.Tags, p.Tgs\n")
    proc = subprocess.run([GOTRACE, "--dry-run", "-f", str(funcs), ORACLE],
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 64
    assert proc.stderr.startswith(f"gotrace: {funcs}:2:42: Tgs undefined (type main.Outer")
    assert proc.stderr.endswith("\n  p.Tags, p.Tgs\n            ^\n")
    funcs.write_text("main.Structs if p != nil print p.Tags, len(nilp.Tags)\n")
    _, _, events = trace_command(tmp_path, ORACLE, "-f", str(funcs))
    calls = [e for e in events if e["event"] == "call"]
    assert calls and calls[0]["values"] == [
        {"expr": "p.Tags", "type": "main.Name", "value": "tagged"},
        {"expr": "len(nilp.Tags)", "type": "int", "unavailable": "nil address"}]


def test_map_index_past_the_entries_read(tmp_path):
    """m[key] of a map whose entries --max-elems cuts: a key found among
    those read is exact, one not found is cut (elems), never "absent"."""
    pid, printed, events = trace_command(tmp_path, ORACLE, "--max-elems", "4", "--print",
                                         'big[1000], small["c"]', "main.Maps")
    call = [e for e in events if e["event"] == "call"][0]
    assert call["values"][0] == {"expr": "big[1000]", "type": "string",
                                 "unavailable": "not among the map's entries read (--max-elems)",
                                 "truncated": True}
    assert call["values"][1] == {"expr": 'small["c"]', "type": "int", "value": 3}
    assert call["cut"] == ["elems"]
    proc = bad_print('small[1]', "main.Maps")
    assert proc.returncode == 64 and "cannot use this constant as a string key" in proc.stderr


STRIPPED = sorted(p for p in (os.path.join(TESTDATA, d, "oracle-stripped")
                              for d in os.listdir(TESTDATA) if d.startswith("go1."))
                  if os.path.exists(p))


@pytest.mark.parametrize("binary", STRIPPED, ids=lambda p: p.split("/")[-2])
def test_stripped_through_signatures(tmp_path, binary):
    """A stripped build without --debug-file: the types from a functions
    file's signatures and the runtime type descriptors, type assertions
    against the stripped binary's own descriptors."""
    funcs = tmp_path / "funcs.txt"
    funcs.write_text(
        "main.Structs(o main.Outer, p *main.Outer, nilp *main.Outer) "
        "print p.Tags, o.ID, o.inner.B, nilp.ID\n"
        "main.Ifaces(err error, nilerr error, any interface{}, num interface{}) "
        "print num.(int), any.(main.Base).Kind, num.(string)\n")
    _, printed, events = trace_command(tmp_path, binary, "-f", str(funcs))
    values = {e["func"]: e["values"] for e in events if e["event"] == "call"}
    truth = {p["func"]: {a["name"]: a["value"] for a in p["args"]} for p in printed
             if p["func"] in values and "event" not in p}
    o, p = truth["main.Structs"]["o"], truth["main.Structs"]["p"]
    assert [v.get("value", v.get("unavailable")) for v in values["main.Structs"]] == \
        [p["Tags"], o["ID"], o["inner"]["B"], "nil address"]
    assert [v.get("value", v.get("unavailable")) for v in values["main.Ifaces"]] == \
        [truth["main.Ifaces"]["num"]["value"], truth["main.Ifaces"]["any"]["value"]["Kind"],
         "the interface holds another type"]


def test_stripped_service(tmp_path):
    """testdata/service, stripped: its signature from a functions file; the
    request's key, its []byte value as a string, a label, the owner's name,
    a time.Duration as Go prints it; a result at the return."""
    binary = os.path.join(TESTDATA, "service-stripped")
    funcs = tmp_path / "funcs.txt"
    funcs.write_text("main.(*Server).Put(s *main.Server, ctx context.Context, "
                     "req *pb.PutRequest) (*pb.PutResponse, error) print req.Key, "
                     'string(req.Value), req.Labels["team"], req.Owner.Name, req.TTL, '
                     "~r0.Version\n")
    _, _, events = trace_command(tmp_path, f"{binary} -n 2 -every 10ms", "-f", str(funcs))
    calls = [e for e in events if e["event"] == "call"]
    rets = [e for e in events if e["event"] == "return"]
    assert len(calls) == 2 and len(rets) == 2
    assert [v.get("value") for v in calls[0]["values"]] == \
        ["user/42", "hello", "tracing", "ana", "1m30s"]
    assert [r["values"] for r in rets] == [
        [{"expr": "~r0.Version", "type": "int64", "value": 1}],
        [{"expr": "~r0.Version", "type": "int64", "value": 2}]]
