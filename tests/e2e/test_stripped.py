"""Stripped builds of the oracle (no .symtab, no DWARF), with no --debug-file:
types from the binary's own runtime type descriptors. A functions file's
signatures name the oracle's types, and the values must be the oracle's own
prints, exactly as the unstripped build's are; interfaces show their dynamic
types and values; methods take their signatures from their descriptors.
Oldest and newest Go of the matrix, and Debian's 1.19."""
import json
import os
import subprocess

import pytest

from common import GOTRACE, TESTDATA, trace_command
from test_oracle import compare_run, source_name

# (binary, (major, minor))
STRIPPED = {
    "go1.15": (os.path.join(TESTDATA, "go1.15", "oracle-stripped"), (1, 15)),
    "go1.19-debian": (os.path.join(TESTDATA, "oracle-stripped"), (1, 19)),
    "go1.27": (os.path.join(TESTDATA, "go1.27", "oracle-stripped"), (1, 27)),
}

# The oracle's functions, as its source declares them: its own struct,
# pointer, slice, array, map, chan, func and interface types by name.
SIGNATURES = """
main.Ints(a int8, b int16, c int32, d int64, e int, f uint8, g uint16, h uint32)
main.Wide(u uint64, i uint, p uintptr, m int64)
main.Bools(x bool, y bool)
main.Strings(empty, ascii, unicode, long, invalid string)
main.Named(id main.ID, n main.Name, f main.Flag)
main.Structs(o main.Outer, p *main.Outer, nilp *main.Outer)
main.Chains(c *main.Chain, r *main.Reading)
main.(*Counter).Add(c *main.Counter, delta int)
main.Counter.Get(c main.Counter, label string)
main.Many(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11 int)
main.Spill(a1, a2, a3, a4, a5, a6, a7, a8 int, s string, z int)
main.SpillStruct(a1, a2, a3, a4, a5, a6 int, t main.Triple, z int8, q *main.Triple, last bool, tail [2]uint16, w int32)
main.Arrays(pair [2]int, one [1]int, small [3]int8, after uint16)
main.Mixed(a int, f float64, b int32, s string)
main.Slices(xs []int, b []byte, names []string, empty []int, nilslice []int)
main.Others(m map[string]int, nilmap map[int]bool, ch chan int, fn func() int, up unsafe.Pointer, big map[int16]*main.Inner)
main.Ifaces(err error, nilerr error, any interface{}, num interface{})
main.Sig.Match(s main.Sig, data []byte, n int) string
main.Get2(k string) (string, error)
main.Div(a, b int) (q, r int)
main.Pair(x int8, s string) (int8, string)
main.Ptrs(p *int, pp **string, nilp *int)
main.Variadic(prefix string, nums ...int)
main.Errors(wrapped error, direct error)
main.Boxed(a any, d main.Describer)
main.Maps(small map[string]int, big map[int]string, multi map[string][]string, cfg *main.Config)
main.Linked(head *main.Node)
"""
TRACED = [line.split("(")[0] if not line.startswith("main.(") else
          line[:line.index("(", 6)] for line in SIGNATURES.split("\n") if line]


def funcs_file(tmp_path, text=SIGNATURES):
    path = tmp_path / "funcs.txt"
    path.write_text(text)
    return str(path)


@pytest.mark.parametrize("build", list(STRIPPED))
def test_signatures_naming_the_programs_types(tmp_path, build):
    """Every argument and result of a stripped build, typed by signatures
    that name the oracle's types, as the oracle prints them: structs with
    their fields, pointers followed, slices, arrays, maps whole, interfaces
    with their dynamic types and values."""
    binary, version = STRIPPED[build]
    pid, printed, events = trace_command(tmp_path, binary, "-r", "-f", funcs_file(tmp_path))
    funcs = [source_name(f) for f in TRACED]
    calls = [e for e in events if e["event"] == "call"]
    assert len(calls) == len([p for p in printed if p["func"] in funcs and "event" not in p])
    assert compare_run(pid, printed, events, version, funcs) == 128  # all but an address


@pytest.mark.parametrize("build", list(STRIPPED))
def test_interfaces_show_their_dynamic_values(tmp_path, build):
    """An interface's dynamic type from its descriptor, named as the
    unstripped build names it, and its value whole: an error chain down to
    the innermost error's fields, a 112-byte struct behind any and behind a
    non-empty interface."""
    binary, _ = STRIPPED[build]
    signatures = "main.Ifaces(err error, nilerr error, a any, num any)\n" \
                 "main.Errors(wrapped, direct error)\nmain.Boxed(a any, d main.Describer)\n"
    _, printed, events = trace_command(tmp_path, binary, "-f", funcs_file(tmp_path, signatures))
    got = {e["func"]: {a["name"]: a["value"] for a in e["args"]} for e in events}
    truth = {p["func"]: {a["name"]: a["value"] for a in p["args"]} for p in printed
             if p["func"] in got}
    ifaces = got["main.Ifaces"]
    assert ifaces["err"] == {"type": "*errors.errorString", "value": {"s": "boom"}}
    assert ifaces["nilerr"] is None
    assert ifaces["a"] == {"type": "main.Base", "value": {"Kind": 7}}
    assert ifaces["num"] == {"type": "int", "value": 42}
    assert got["main.Errors"] == truth["main.Errors"]
    assert got["main.Errors"]["wrapped"]["type"] == "*fmt.wrapError"
    assert got["main.Boxed"] == truth["main.Boxed"]
    assert got["main.Boxed"]["d"]["type"] == "main.Record"
    assert got["main.Boxed"]["d"]["value"]["Note"] == "via an itab"


def listed(*args):
    proc = subprocess.run([GOTRACE, "-l", *args], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.mark.parametrize("build", list(STRIPPED))
def test_list_shows_recovered_method_signatures(tmp_path, build):
    """-l: a method whose descriptor keeps its func type shows its signature,
    marked as the descriptor's; a function typed by a functions file shows
    that signature, marked too; others say what to give."""
    binary, _ = STRIPPED[build]
    lines = listed(binary, "main.*").splitlines()
    mark = " [from the method's runtime type descriptor]"
    assert "main.(*MyErr).Error(~p0 *main.MyErr) string" + mark in lines
    assert "main.Sig.Match(~p0 main.Sig, ~p1 []uint8, ~p2 int) string" + mark in lines
    # the pointer wrapper of the value method: no glob selects it, its name does
    assert not [line for line in lines if line.startswith("main.(*Sig).Match(")]
    assert (listed(binary, "main.(*Sig).Match").splitlines() ==
            ["main.(*Sig).Match(~p0 *main.Sig, ~p1 []uint8, ~p2 int) string" + mark])
    assert ("main.Ints(?) [no DWARF: give its signature in a functions file (-f), or "
            "--debug-file]") in lines

    funcs = funcs_file(tmp_path, "main.Structs(o main.Outer, p *main.Outer, nilp *main.Outer)\n"
                       "main.Div(a, b int) (q, r int)\nmain.(*MyErr).Error\n")
    lines = listed("-f", funcs, binary).splitlines()
    assert lines == [
        "main.Structs(o main.Outer, p *main.Outer, nilp *main.Outer) [from the functions file]",
        "main.Div(a int, b int) (q int, r int) [from the functions file]",
        "main.(*MyErr).Error(~p0 *main.MyErr) string" + mark]
    got = [json.loads(line) for line in listed("-j", "-f", funcs, binary).splitlines()]
    assert [(g["func"], g["from"]) for g in got] == [
        ("main.Structs", "functions-file"), ("main.Div", "functions-file"),
        ("main.(*MyErr).Error", "type-descriptor")]
    assert got[2]["params"] == [{"name": "~p0", "type": "*main.MyErr"}]
    assert got[2]["results"] == [{"name": "~r0", "type": "string"}]


def test_list_with_debug_file():
    """-l honours --debug-file: the unstripped build's DWARF, marked."""
    binary, _ = STRIPPED["go1.27"]
    out = listed("--debug-file", os.path.join(TESTDATA, "go1.27", "oracle"), binary, "main.Div",
                 "main.Structs")
    assert out.splitlines() == [
        "main.Div(a int, b int) (q int, r int) [from --debug-file]",
        "main.Structs(o main.Outer, p *main.Outer, nilp *main.Outer) [from --debug-file]"]


@pytest.mark.parametrize("build", list(STRIPPED))
def test_method_typed_by_its_descriptor(tmp_path, build):
    """With no functions file, a method takes its descriptor's signature:
    the receiver and arguments, unnamed (~p0...), with the oracle's values;
    the results at its return."""
    binary, _ = STRIPPED[build]
    pid, printed, events = trace_command(tmp_path, binary, "-r", "main.Sig.Match")
    truth = [p for p in printed if p["func"] == "main.Sig.Match"]
    calls = [e for e in events if e["event"] == "call"]
    returns = [e for e in events if e["event"] == "return"]
    assert [c["func"] for c in calls] == ["main.Sig.Match"]
    assert [(a["name"], a["type"]) for a in calls[0]["args"]] == \
        [("~p0", "main.Sig"), ("~p1", "[]uint8"), ("~p2", "int")]
    assert [a["value"] for a in calls[0]["args"]] == [a["value"] for a in truth[0]["args"]]
    assert returns[0]["results"] == truth[1]["results"]


def test_signature_errors(tmp_path):
    """A type the binary has not: the functions file's line and why."""
    binary, _ = STRIPPED["go1.27"]
    proc = subprocess.run([GOTRACE, "-l", "-f", funcs_file(tmp_path, "main.Structs(o main.Nope)\n"),
                           binary], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 1
    assert proc.stderr.strip().endswith(
        "funcs.txt:1: main.Structs: type 'main.Nope': no type 'main.Nope' in the binary")


SERVICE = os.path.join(TESTDATA, "service")
PUT = {"Key": "user/42", "Value": list(b"hello"),
       "Labels": {"len": 1, "entries": [["team", "tracing"]]},
       "TTL": "1m30s", "Owner": {"Name": "ana", "ID": 7}}  # a time.Duration


def stable(event):
    """An event less what differs from run to run."""
    return {k: v for k, v in event.items() if k not in ("time", "pid", "tid", "duration_ns")}


@pytest.mark.parametrize("request_type", ["*pb.PutRequest",
                                          "*gotrace/testdata/service/pb.PutRequest"])
def test_stripped_service(tmp_path, request_type):
    """The README's service, stripped: a signature names its request type by
    its package's name or its import path, and every argument and result is
    what the unstripped build shows by its DWARF: the request whole, the
    context's chain of dynamic types, the response."""
    funcs = funcs_file(tmp_path, "main.(*Server).Put(s *main.Server, ctx context.Context, "
                       "req %s) (*pb.PutResponse, error)\n" % request_type)
    _, _, stripped = trace_command(tmp_path, SERVICE + "-stripped -n 2", "-r", "-f", funcs)
    _, _, full = trace_command(tmp_path, SERVICE + " -n 2", "-r", "main.(*Server).Put")
    assert [stable(e) for e in stripped] == [stable(e) for e in full]
    call, ret = stripped[0], stripped[1]
    args = {a["name"]: a for a in call["args"]}
    assert args["req"]["type"] == "*gotrace/testdata/service/pb.PutRequest"
    assert args["req"]["value"] == PUT
    assert args["s"]["value"] == {"name": "kv", "version": 0, "last": None}
    assert args["ctx"]["value"] == {"type": "*context.valueCtx", "value": {
        "Context": {"type": "*context.emptyCtx", "value": 0},
        "key": {"type": "main.ctxKey", "value": "request-id"},
        "val": {"type": "string", "value": "req-42"}}}
    assert ret["results"] == [
        {"name": "~r0", "type": "*gotrace/testdata/service/pb.PutResponse",
         "value": {"Version": 1, "Created": True}},
        {"name": "~r1", "type": "error", "value": None}]


def test_pointer_to_a_type_without_descriptor(tmp_path):
    """A pointer to a type the binary has no descriptor of is its address,
    and gotrace says so once."""
    funcs = funcs_file(tmp_path, "main.(*Server).Put(s *main.Server, ctx context.Context, "
                       "req *pb.Nope) (*pb.PutResponse, error)\n")
    out = tmp_path / "events.json"
    proc = subprocess.run([GOTRACE, "-j", "-r", "-o", str(out), "-f", funcs, "-n", "1", "-c",
                           SERVICE + "-stripped -n 1"], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    warnings = [line for line in proc.stderr.splitlines() if "pb.Nope" in line]
    assert warnings == ["gotrace: %s:1: main.(*Server).Put: no type 'pb.Nope' in the binary: a "
                        "pointer to it shown as an address" % funcs]
    req = [a for a in json.loads(out.read_text().splitlines()[0])["args"] if a["name"] == "req"]
    assert req[0]["type"] == "*pb.Nope" and set(req[0]["value"]) == {"addr"}
    assert req[0]["value"]["addr"].startswith("0x")
