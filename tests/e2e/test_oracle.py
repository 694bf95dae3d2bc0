"""The real gotrace against testdata/oracle, whose functions print their own
arguments: gotrace's JSON must match them, value by value."""
import json
import re
import os

import pytest
import subprocess
from datetime import datetime, timezone

from common import GOTRACE, ROOT, TESTDATA, need_root, sorted_maps, trace_command

ORACLE = os.path.join(TESTDATA, "oracle")

# Every Go version of the matrix (testdata/go-versions, the one list); the
# newest also as stripped and PIE builds. 1.15 uses the stack ABI, 1.17 on
# the registers.
with open(os.path.join(ROOT, "testdata", "go-versions")) as _f:
    GO_MATRIX = [_line.split()[0] for _line in _f if _line.strip() and not _line.startswith("#")]
GO_NEWEST = GO_MATRIX[-1]


def version_of(build):
    """(1, 21) for "go1.21/pie"; Debian's own Go is 1.19."""
    if "debian" in build:
        return (1, 19)
    return tuple(int(x) for x in build.split("/")[0][2:].split("."))


# Values gotrace shows that the program cannot print the same way.
ADDRESSES = {("main.Others", "up")}
# Values whose shape only the run decides (testdata/oracle/shapes.go): an
# error chain, large values behind interfaces, maps past one bucket and
# nested ones, a chain of pointers. Whole with the default options.
SHAPES = ["main.Errors", "main.Boxed", "main.Maps", "main.Linked"]
# Maps past one read, maps whose buckets outnumber their entries' need, maps
# caught while they grow, and a struct embedding an interface
# (testdata/oracle/shapes.go): whole with the default options.
MAPS = ["main.WideMap", "main.SparseMaps", "main.Promoted"]
# time.Duration and time.Time, as Go's String and Format(time.RFC3339Nano)
# print them (testdata/oracle/times.go)
WELL_KNOWN = ["main.Durations", "main.Times", "main.LocalPast"]
TRACED = ["main.Ints", "main.Wide", "main.Bools", "main.Strings", "main.Named", "main.Structs",
          "main.Chains", "main.(*Counter).Add", "main.Counter.Get", "main.Many", "main.Spill",
          "main.Arrays", "main.Mixed", "main.Slices", "main.Others", "main.Ifaces",
          "main.Floats", "main.Sig.Match", "main.Get2", "main.Div", "main.Pair",
          "main.Floats32", "main.Interleaved", "main.Complex", "main.NamedFloats",
          "main.FloatStructs", "main.Ptrs", "main.Variadic"] + SHAPES + WELL_KNOWN + MAPS
# Generics (Go 1.18 on), named as the source writes them.
GENERIC = ["main.Sum", "main.(*Gen).Get", "main.(*Box).Put", "main.Scale", "main.MapValues",
           "main.Drain"]


def traced_for(version):
    return TRACED + (GENERIC if version >= (1, 18) else [])


def run_oracle(tmp_path, *extra, funcs=TRACED, binary=ORACLE):
    pid, printed, events = trace_command(tmp_path, binary, *extra, *funcs)
    return pid, printed, [e for e in events if e["event"] == "call"]


def source_name(func):
    """main.Sum[go.shape.int_0] -> main.Sum; main.(*Gen[go.shape.int]).Get
    -> main.(*Gen).Get: the name the oracle prints."""
    out, depth = [], 0
    for ch in func:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif depth == 0:
            out.append(ch)
    return "".join(out)


def compare_value(where, got, want, version):
    """One argument or result: gotrace's against the program's own print.
    Returns 1 when it was compared exactly. Every map is whole, every entry
    of it, old buckets and Swiss tables alike."""
    assert got["name"] == want["name"], where
    if not got["type"].startswith("go.shape") and "go.shape" not in got["type"]:
        assert got["type"] == want["type"], where
    assert "unavailable" not in got, (where, got)
    if where in ADDRESSES:
        assert set(got["value"]) == {"addr"} and got["value"]["addr"].startswith("0x"), where
        return 0
    if where == ("main.Strings", "long"):
        assert got["value"] == {"value": want["value"][:64], "truncated": True,
                                "reason": "string", "len": 200}
        assert got["truncated"] is True
        return 1
    assert sorted_maps(got["value"]) == sorted_maps(want["value"]), (where, got, want)
    assert "truncated" not in got, (where, got)
    return 1


def compare_run(pid, printed, events, version, funcs):
    """Every call and return gotrace saw against what the oracle printed, in
    order; returns how many values were compared exactly."""
    # the oracle prints a return line only for functions with results
    events = [e for e in events
              if e["event"] == "call" or (e["event"] == "return" and e["results"])]
    printed = [p for p in printed if p["func"] in funcs]
    seen = [(source_name(e["func"]), e["event"]) for e in events]
    assert seen == [(p["func"], p.get("event", "call")) for p in printed]
    compared = 0
    for event, truth in zip(events, printed):
        assert event["pid"] == pid
        key = "results" if event["event"] == "return" else "args"
        got, want = event[key], truth[key]
        assert [a["name"] for a in got] == [a["name"] for a in want], (event["func"], key)
        for g, w in zip(got, want):
            compared += compare_value((truth["func"], g["name"]), g, w, version)
    return compared


# The same program as deployed builds: PIE (relocated type descriptors and
# func values), and stripped of .symtab and DWARF, with the types from the
# unstripped build of the same source; and every Go version of the matrix.
BUILDS = {
    "go1.19-debian": ([], ORACLE),
    "go1.19-debian/pie": ([], ORACLE + "-pie"),
    "go1.19-debian/stripped+debug-file": (["--debug-file", ORACLE], ORACLE + "-stripped"),
}
for _v in GO_MATRIX:
    BUILDS["go" + _v] = ([], os.path.join(TESTDATA, "go" + _v, "oracle"))
_newest = os.path.join(TESTDATA, "go" + GO_NEWEST, "oracle")
BUILDS["go%s/pie" % GO_NEWEST] = ([], _newest + "-pie")
BUILDS["go%s/stripped+debug-file" % GO_NEWEST] = (["--debug-file", _newest], _newest + "-stripped")
# GOEXPERIMENT=mapsplitgroup: map groups laid out as DWARF says, not as the
# version usually does
BUILDS["go%s/splitgroup" % GO_NEWEST] = ([], _newest + "-splitgroup")


@pytest.mark.parametrize("build", list(BUILDS))
def test_every_argument_matches(tmp_path, build):
    """Arguments at every call, results at every return (-r), value by value."""
    extra, binary = BUILDS[build]
    version = version_of(build)
    funcs = traced_for(version)
    pid, printed, events = trace_command(tmp_path, binary, "-r", *extra, *funcs)
    calls = [e for e in events if e["event"] == "call"]
    assert len(calls) == len([p for p in printed if p["func"] in funcs and "event" not in p])
    compared = compare_run(pid, printed, events, version, funcs)
    assert compared >= 160  # every value but an address


def test_event_fields(tmp_path):
    pid, printed, calls = run_oracle(tmp_path, funcs=("main.Bools",))
    assert len(calls) == 1
    e = calls[0]
    assert e["pid"] == pid and e["tid"] > 0 and e["goid"] > 0
    assert e["time"].endswith("Z") and len(e["time"].split(".")[1]) == 10  # 9 digits + Z
    when = datetime.strptime(e["time"][:26], "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=timezone.utc)
    assert abs((datetime.now(timezone.utc) - when).total_seconds()) < 60


def test_limits(tmp_path):
    _, printed, calls = run_oracle(tmp_path, "--max-string", "5", "--max-elems", "2",
                                   funcs=("main.Strings", "main.Slices"))
    strings = {a["name"]: a for a in calls[0]["args"]}
    assert strings["ascii"]["value"] == \
        {"value": "hello", "truncated": True, "reason": "string", "len": 14}
    assert strings["ascii"]["truncated"] is True
    assert strings["empty"]["value"] == "" and "truncated" not in strings["empty"]
    slices = {a["name"]: a for a in calls[1]["args"]}
    assert slices["xs"]["value"] == \
        {"value": [1, 2], "truncated": True, "reason": "elems", "len": 3}
    assert slices["xs"]["truncated"] is True
    assert slices["names"]["value"] == ["x", "yy"] and "truncated" not in slices["names"]
    assert calls[0]["cut"] == ["string"] and calls[1]["cut"] == ["elems"]


def test_text_output(tmp_path):
    need_root()
    out = tmp_path / "events.txt"
    proc = subprocess.run([GOTRACE, "-o", str(out), "-c", ORACLE, "main.Ints", "main.Structs",
                           "main.Ifaces", "main.Floats32"], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    text = out.read_text()
    assert "main.Ints(a=-128, b=-32768, c=-2147483648, d=-9223372036854775808, e=-1, f=255," in text
    assert 'p=&{Base:{Kind:7} ID:12 inner:{A:-3 B:"in"} Tags:"tagged" hidden:true}, nilp=<nil>)' in text
    assert 'err=*errors.errorString("boom")' in text
    assert "num=int(42)" in text
    # floats as Go's %v prints them: 1e+06 and 100, not 1e+02
    assert "l=12, m=1e+06, n=100, o=0.5, p=-0.25)" in text


# What testdata/oracle/shapes.go passes, as gotrace must show it with its
# default options: every entry of every map (in any order), every link of
# the error chain down to the innermost error's fields, the whole of a
# 112-byte struct behind an interface, four pointer hops.
MY_ERR = {"type": "*main.MyErr", "value": {"Code": 7, "Msg": "boom"}}
SHAPES_WANT = {
    "main.Errors": [
        {"name": "wrapped", "type": "error", "value": {
            "type": "*fmt.wrapError", "value": {
                "msg": "outer: middle: code 7: boom",
                "err": {"type": "*fmt.wrapError", "value": {
                    "msg": "middle: code 7: boom", "err": MY_ERR}}}}},
        {"name": "direct", "type": "error", "value": MY_ERR}],
    "main.Boxed": [
        {"name": "a", "type": "interface {}", "value": {"type": "main.Record", "value": {
            "ID": 1 << 40, "Name": "boxed record", "Tags": ["red", "green", "blue"],
            "Owner": {"A": -12, "B": "owner"}, "Count": -3, "Scores": [10, 20, 30, 40],
            "Note": "past the first 64 bytes", "Flags": 0xbeef}}},
        {"name": "d", "type": "main.Describer", "value": {"type": "main.Record", "value": {
            "ID": -2, "Name": "described", "Tags": ["solo"],
            "Owner": {"A": 5, "B": "second owner"}, "Count": 2147483647, "Scores": [-1],
            "Note": "via an itab", "Flags": 1}}}],
    "main.Maps": [
        {"name": "small", "type": "map[string]int",
         "value": {"len": 3, "entries": [["a", 1], ["b", 2], ["c", 3]]}},
        {"name": "big", "type": "map[int]string",
         "value": {"len": 40, "entries": [[i * 3, "item-%d" % i] for i in range(40)]}},
        {"name": "multi", "type": "map[string][]string",
         "value": {"len": 4, "entries": [["Accept", ["text/html", "application/json"]],
                                         ["X-Id", ["42"]], ["Empty", []], ["Nil", None]]}},
        {"name": "cfg", "type": "*main.Config", "value": {
            "Name": "cfg",
            "Labels": {"len": 3, "entries": [["env", "prod"], ["team", "tracing"],
                                             ["zone", "eu-west-1"]]},
            "Limit": 99}}],
    "main.Linked": [
        {"name": "head", "type": "*main.Node", "value": {"V": 1, "Next": {"V": 2, "Next": {
            "V": 3, "Next": {"V": 4, "Next": None}}}}}],
}


def text_arg(args, name, following=None):
    """NAME's text in a text line's arguments "a=…, b=…": from "NAME=" to
    ", FOLLOWING=", or to the end."""
    start = 0 if args.startswith(name + "=") else args.index(", %s=" % name) + 2
    start += len(name) + 1
    end = args.index(", %s=" % following, start) if following else len(args)
    return args[start:end]


def quoted(s):
    """A regex for the string s as text may show it: quoted (gotrace's
    strings today) or bare (Go's %+v)."""
    return '"?%s"?' % re.escape(s)


def map_entries(text):
    """The entries of a map's text, map[k:v k:v], unquoted (none of these
    keys and values holds a quote or a space): a set, as the order is the
    map's own."""
    assert text.startswith("map[") and text.endswith("]"), text
    assert "..." not in text and "len=" not in text, text
    return {e.replace('"', "") for e in text[4:-1].split(" ")}


@pytest.mark.parametrize("build", ["go1.19-debian", "go" + GO_NEWEST])
def test_run_time_shapes(tmp_path, build):
    """Issue 10's values, exact, with the default options: on Debian's Go
    1.19 (hmap buckets) and on the newest Go (Swiss tables). JSON, then the
    text line: maps as map[k:v ...] with every entry, the error chain down to
    the innermost error's fields, nothing cut."""
    extra, binary = BUILDS[build]
    _, printed, calls = run_oracle(tmp_path, *extra, funcs=SHAPES, binary=binary)
    truth = {p["func"]: p["args"] for p in printed if p["func"] in SHAPES}
    assert {f: sorted_maps(a) for f, a in truth.items()} == \
        {f: sorted_maps(a) for f, a in SHAPES_WANT.items()}  # the oracle agrees
    assert [c["func"] for c in calls] == SHAPES
    for call in calls:
        got = call["args"]
        assert [a["name"] for a in got] == [a["name"] for a in SHAPES_WANT[call["func"]]]
        for g, w in zip(got, SHAPES_WANT[call["func"]]):
            where = (call["func"], g["name"])
            assert "unavailable" not in g and "truncated" not in g, (where, g)
            assert g["type"] == w["type"], where
            assert sorted_maps(g["value"]) == sorted_maps(w["value"]), (where, g["value"])
        assert "truncated" not in call, call

    out = tmp_path / "events.txt"
    proc = subprocess.run([GOTRACE, "-o", str(out), *extra, "-c", binary, *SHAPES],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    lines = {}
    for line in out.read_text().splitlines():
        call = re.search(r" goid=\d+ (main\.\w+)\((.*)\)$", line)
        assert call, line
        lines[call.group(1)] = call.group(2)
    assert sorted(lines) == sorted(SHAPES), out.read_text()
    assert_shapes_text(lines)


def assert_shapes_text(lines):
    """The text lines' arguments, by function: issue 10's values whole."""
    for args in lines.values():
        assert "not followed" not in args and "unavailable" not in args, args
        assert "..." not in args, args  # nothing cut

    # the error chain down to the innermost error's fields
    innermost = r"Code:7 Msg:%s" % quoted("boom")
    wrapped = text_arg(lines["main.Errors"], "wrapped", "direct")
    assert re.search(innermost, wrapped), wrapped
    assert "middle: code 7: boom" in wrapped, wrapped
    assert re.search(innermost, text_arg(lines["main.Errors"], "direct")), lines["main.Errors"]
    # a large value behind an interface: past its first 64 bytes too
    boxed = text_arg(lines["main.Boxed"], "a", "d")
    for field in (r"Name:%s" % quoted("boxed record"),
                  r"Tags:\[%s %s %s\]" % (quoted("red"), quoted("green"), quoted("blue")),
                  r"Owner:&\{A:-12 B:%s\}" % quoted("owner"),
                  r"Scores:\[10 20 30 40\]", r"Note:%s" % quoted("past the first 64 bytes"),
                  r"Flags:48879"):
        assert re.search(field, boxed), (field, boxed)
    # maps: every entry, keys and values as %+v shows them
    maps = lines["main.Maps"]
    assert map_entries(text_arg(maps, "small", "big")) == {"a:1", "b:2", "c:3"}
    assert map_entries(text_arg(maps, "big", "multi")) == \
        {"%d:item-%d" % (i * 3, i) for i in range(40)}
    labels = re.search(r"Labels:(map\[[^]]*\])", text_arg(maps, "cfg"))
    assert labels, maps
    assert map_entries(labels.group(1)) == {"env:prod", "team:tracing", "zone:eu-west-1"}
    assert lines["main.Linked"] == "head=&{V:1 Next:&{V:2 Next:&{V:3 Next:&{V:4 Next:<nil>}}}}"


def test_stripped_with_signatures(tmp_path):
    """No DWARF: types from a functions file's signatures; the rest raw."""
    funcs = tmp_path / "funcs.txt"
    funcs.write_text("main.Ints(a int8, b int16, c int32, d int64, e int, f uint8, g uint16, "
                     "h uint32)\nmain.Strings(string, string, string, string, string)\n"
                     "main.Bools\nmain.Ifaces(err error, nilerr error, a any, num any)\n")
    pid, printed, calls = run_oracle(tmp_path, "-f", str(funcs), binary=ORACLE + "-stripped",
                                     funcs=())
    truth = {}
    for p in printed:
        truth.setdefault(p["func"], p)
    ints = [c for c in calls if c["func"] == "main.Ints"]
    assert [a["value"] for a in ints[0]["args"]] == \
        [a["value"] for a in truth["main.Ints"]["args"]]
    assert [a["name"] for a in ints[0]["args"]] == list("abcdefgh")
    strings = [c for c in calls if c["func"] == "main.Strings"][0]
    assert [a["name"] for a in strings["args"]] == ["arg0", "arg1", "arg2", "arg3", "arg4"]
    assert strings["args"][1]["value"] == "hello, gotrace"
    assert strings["args"][3]["truncated"] is True
    bools = [c for c in calls if c["func"] == "main.Bools"][0]
    raw = {a["name"]: a["value"] for a in bools["args"]}
    assert raw["RAX"] == 1 and raw["RBX"] == 0 and "SP+8" in raw
    # dynamic types from the runtime type descriptors, without DWARF
    ifaces = {a["name"]: a["value"] for a in
              [c for c in calls if c["func"] == "main.Ifaces"][0]["args"]}
    assert ifaces["err"] == {"type": "*errors.errorString", "value": {"s": "boom"}}
    assert ifaces["nilerr"] is None
    assert ifaces["a"] == {"type": "main.Base", "value": {"Kind": 7}}
    assert ifaces["num"] == {"type": "int", "value": 42}


def test_stripped_newest_pairs_returns(tmp_path):
    """A stripped build of the newest Go, with no --debug-file: functions from
    the pclntab (whose entries Go 1.26+ give from moduledata.text), types from
    a signature, goroutine ids from the runtime.g table, so -r pairs a call
    with its return."""
    funcs = tmp_path / "funcs.txt"
    funcs.write_text("main.Div(a int, b int) (q int, r int)\n")
    binary = os.path.join(TESTDATA, "go" + GO_NEWEST, "oracle-stripped")
    pid, printed, events = trace_command(tmp_path, binary, "-r", "-f", str(funcs))
    truth = [p for p in printed if p["func"] == "main.Div"]
    calls = [e for e in events if e["event"] == "call"]
    returns = [e for e in events if e["event"] == "return"]
    assert [c["func"] for c in calls] == ["main.Div"]
    assert [(a["name"], a["type"], a["value"]) for a in calls[0]["args"]] == \
        [("a", "int", 17), ("b", "int", 5)]
    assert calls[0]["goid"] > 0
    assert len(returns) == 1 and returns[0]["goid"] == calls[0]["goid"]
    assert returns[0]["duration_ns"] > 0
    assert returns[0]["results"] == truth[-1]["results"] == \
        [{"name": "q", "type": "int", "value": 3}, {"name": "r", "type": "int", "value": 2}]


def test_stripped_newest_debug_file_interfaces(tmp_path):
    """From Go 1.27 the type descriptors follow the read-only data, whose
    build settings (-ldflags) differ between a stripped build and its
    --debug-file: an interface's dynamic type is found at the same offset
    from runtime.types, not at the same address."""
    extra, binary = BUILDS["go%s/stripped+debug-file" % GO_NEWEST]
    _, printed, calls = run_oracle(tmp_path, *extra, funcs=("main.Ifaces",), binary=binary)
    truth = [p for p in printed if p["func"] == "main.Ifaces"]
    assert len(calls) == 1
    assert calls[0]["args"] == truth[0]["args"]


def test_stripped_list(tmp_path):
    proc = subprocess.run([GOTRACE, "-l", ORACLE + "-stripped", "main.I*"], capture_output=True,
                          text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert ("main.Ints(?) [no DWARF: give its signature in a functions file (-f), or "
            "--debug-file]") in proc.stdout.splitlines()
    assert "main.Ifaces(?)" in proc.stdout


def test_generic_instantiations(tmp_path):
    """main.Sum selects every instantiation; the dictionary is not an argument."""
    for funcs in (["main.Sum"], ["main.Sum[*]"]):
        _, printed, calls = run_oracle(tmp_path, funcs=funcs)
        truth = [p for p in printed if p["func"] == "main.Sum" and "event" not in p]
        assert [c["func"] for c in calls] == ["main.Sum[go.shape.int_0]",
                                              "main.Sum[go.shape.float64_0]"]
        for call, want in zip(calls, truth):
            assert call["args"] == want["args"]


@pytest.mark.parametrize("build", [b for b in BUILDS if "debian" in b or version_of(b) >= (1, 18)])
def test_generics_match_the_oracle(tmp_path, build):
    """Generic functions and methods named as the source writes them: every
    instantiation, arguments and results as the oracle prints them, the
    dictionary neither shown nor shifting the others; on every version,
    stripped builds with --debug-file too."""
    extra, binary = BUILDS[build]
    pid, printed, events = trace_command(tmp_path, binary, "-r", *extra, *GENERIC)
    calls = [e for e in events if e["event"] == "call"]
    assert [source_name(c["func"]) for c in calls] == \
        [p["func"] for p in printed if p["func"] in GENERIC and "event" not in p]
    assert all("go.shape." in c["func"] for c in calls), [c["func"] for c in calls]
    assert compare_run(pid, printed, events, version_of(build), GENERIC) >= 8


@pytest.mark.parametrize("build", ["go1.19", "go1.21", "go" + GO_NEWEST])
def test_generic_method_names(build):
    """(*Gen).Get is every instantiation, (*Gen[int]).Get the shape of int:
    go.shape.int_0 before Go 1.20, go.shape.int after."""
    binary = BUILDS[build][1]

    def listed(pattern):
        proc = subprocess.run([GOTRACE, "-l", binary, pattern], capture_output=True,
                              text=True, timeout=30)
        assert proc.returncode == 0, proc.stderr
        return [line.split("(g ")[0] for line in proc.stdout.splitlines()]

    int_shape = "go.shape.int_0" if version_of(build) < (1, 20) else "go.shape.int"
    string_shape = int_shape.replace("int", "string")
    assert listed("main.(*Gen).Get") == ["main.(*Gen[%s]).Get" % int_shape,
                                         "main.(*Gen[%s]).Get" % string_shape]
    assert listed("main.(*Gen[int]).Get") == ["main.(*Gen[%s]).Get" % int_shape]
    assert listed("main.(*Gen[string]).Get") == ["main.(*Gen[%s]).Get" % string_shape]
    assert listed("main.(*Gen[*]).Get") == listed("main.(*Gen).Get")
    # a shape as another version names it
    assert listed("main.(*Gen[go.shape.int_0]).Get") == listed("main.(*Gen[int]).Get")
    assert listed("main.(*Gen[go.shape.int]).Get") == listed("main.(*Gen[int]).Get")
    assert listed("main.Sum[float64]") == [l for l in listed("main.Sum") if "float64" in l]
    assert "no function main.(*Gen[uint8]).Get" in error_of("-l", binary, "main.(*Gen[uint8]).Get")


def error_of(*args):
    proc = subprocess.run([GOTRACE, *args], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 1, proc.stdout
    return proc.stderr


@pytest.mark.parametrize("build", ["go1.15", "go1.19", "go" + GO_NEWEST])
def test_pointer_wrapper(tmp_path, build):
    """A value method called through an interface holding *Sig runs the
    compiler's (*Sig).Match wrapper: its receiver is *Sig, then the
    arguments, none shifted."""
    binary = BUILDS[build][1]
    pid, printed, events = trace_command(tmp_path, binary, "-r", "main.(*Sig).Match")
    truth = [p for p in printed if p["func"] == "main.Sig.Match"]
    calls = [e for e in events if e["event"] == "call"]
    returns = [e for e in events if e["event"] == "return"]
    assert [c["func"] for c in calls] == ["main.(*Sig).Match"]
    args = calls[0]["args"]
    assert args[0]["type"] == "*main.Sig"
    assert args[0]["value"] == truth[0]["args"][0]["value"]
    assert [(a["name"], a["type"], a["value"]) for a in args[1:]] == \
        [(a["name"], a["type"], a["value"]) for a in truth[0]["args"][1:]]
    assert returns[0]["results"] == truth[1]["results"]


def test_go117_results_from_functions_file(tmp_path):
    """Go 1.17's DWARF lists no results. No 1.17 toolchain here: the 1.19
    oracle (the same register ABI), its build info saying go1.17. A functions
    file's result types stand in for DWARF's; the functions without are
    named once on stderr."""
    need_root()
    data = open(BUILDS["go1.19"][1], "rb").read()
    assert b"go1.19." in data
    binary = tmp_path / "oracle-go1.17"
    binary.write_bytes(data.replace(b"go1.19.", b"go1.17."))
    binary.chmod(0o755)
    funcs = tmp_path / "funcs.txt"
    funcs.write_text("main.Div(int, int) (quot int, rem int)\nmain.Bools\nmain.Wide\n")
    out = tmp_path / "events.json"
    proc = subprocess.run([GOTRACE, "-r", "-j", "-o", str(out), "-f", str(funcs), "-c",
                           str(binary)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    events = [json.loads(line) for line in out.read_text().splitlines()]
    div = [e for e in events if e["func"] == "main.Div" and e["event"] == "return"]
    assert div[0]["results"] == [{"name": "quot", "type": "int", "value": 3},
                                 {"name": "rem", "type": "int", "value": 2}]
    warnings = [line for line in proc.stderr.splitlines() if "lists no results" in line]
    assert len(warnings) == 1, proc.stderr
    assert "go1.17." in warnings[0] and "2 functions" in warnings[0]
    assert "(main.Bools, main.Wide)" in warnings[0]


def test_globs_skip_wrappers(tmp_path):
    proc = subprocess.run([GOTRACE, "-l", BUILDS["go" + GO_NEWEST][1], "main.*"],
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert "main.Sig.Match(" in proc.stdout
    assert "main.(*Sig).Match" not in proc.stdout


FLOAT_FUNCS = ["main.Floats", "main.Mixed", "main.Complex", "main.FloatStructs"]


def run_verbose(tmp_path, *extra):
    out = tmp_path / "events.json"
    proc = subprocess.run([GOTRACE, "-v", "-r", "-j", "-o", str(out), *extra, "-c", ORACLE,
                           *FLOAT_FUNCS], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    printed = [json.loads(line) for line in proc.stdout.splitlines()]
    pid = printed[0]["pid"]
    events = [json.loads(line) for line in out.read_text().splitlines()]
    return proc.stderr, pid, printed[1:], events


def test_signal_frames_by_default(tmp_path):
    """-v names the arguments a signal frame carries; every one arrives."""
    stderr, pid, printed, events = run_verbose(tmp_path)
    assert ("main.Floats: arguments in X registers, from the signal frame (SIGURG) unless the "
            "saved FPU state is current: a, b, c, d, e, f, g, h, i, j, k, l, m, n, o") in stderr
    assert "main.Mixed: arguments in X registers" in stderr and ": f\n" in stderr
    assert "main.Complex: results in X registers" in stderr
    assert "signal frames read at rt_sigreturn" in stderr
    sent = int(re.search(r"(\d+) signals sent for X registers; (\d+) events completed", stderr)
               .group(1))
    done = int(re.search(r"(\d+) events completed from signal frames", stderr).group(1))
    # at most one per probe hit, and none when the saved copy was current
    assert 0 < done <= sent <= len(events)
    assert compare_run(pid, printed, events, (1, 19), FLOAT_FUNCS) >= 30


def test_no_signals(tmp_path):
    """--no-signals: the process is never signalled; a float in an X register
    is exact when the kernel held it saved, else unavailable, and says why."""
    stderr, pid, printed, events = run_verbose(tmp_path, "--no-signals")
    assert "from the signal frame" not in stderr and "rt_sigreturn" not in stderr
    assert "0 signals sent for X registers; 0 events completed" in stderr
    calls = [e for e in events if e["event"] == "call"]
    truths = [p for p in printed if "event" not in p and p["func"] in FLOAT_FUNCS]
    assert [e["func"] for e in calls] == [p["func"] for p in truths]
    unavailable = 0
    for event, truth in zip(calls, truths):
        for got, want in zip(event["args"], truth["args"]):
            reasons = re.findall(r'"unavailable": "([^"]*)"', json.dumps(got))
            if reasons:
                # only what travels in X registers: floats, or structs of them
                assert "float" in got["type"] or "complex" in got["type"] or \
                    got["name"] in ("p", "v"), got
                assert all("no signal was sent" in r for r in reasons), got
                unavailable += 1
            else:
                assert got["value"] == want["value"], (event["func"], got, want)
    assert unavailable > 0  # the saved copy is current at a few calls in a hundred
