"""The real gotrace against testdata/oracle, whose functions print their own
arguments: gotrace's JSON must match them, value by value."""
import json
import os

import pytest
import subprocess
from datetime import datetime, timezone

from common import GOTRACE, TESTDATA, need_root, trace_command

ORACLE = os.path.join(TESTDATA, "oracle")

# The only arguments gotrace may report unavailable: floats passed in X
# registers, which uprobes cannot read. Anything else must decode.
FLOAT_IN_REGISTER = {("main.Mixed", "f")} | {("main.Floats", x) for x in "abcdefghijklmno"}
# Values gotrace shows that the program cannot print the same way.
ADDRESSES = {("main.Others", "up")}
TRACED = ["main.Ints", "main.Wide", "main.Bools", "main.Strings", "main.Named", "main.Structs",
          "main.Chains", "main.(*Counter).Add", "main.Counter.Get", "main.Many", "main.Spill",
          "main.Arrays", "main.Mixed", "main.Slices", "main.Others", "main.Ifaces",
          "main.Floats"]


def run_oracle(tmp_path, *extra, funcs=TRACED, binary=ORACLE):
    pid, printed, events = trace_command(tmp_path, binary, *extra, *funcs)
    return pid, printed, [e for e in events if e["event"] == "call"]


# The same program as deployed builds: PIE (relocated type descriptors and
# func values), and stripped of .symtab and DWARF, with the types from the
# unstripped build of the same source.
BUILDS = {
    "plain": ([], ORACLE),
    "pie": ([], ORACLE + "-pie"),
    "stripped+debug-file": (["--debug-file", ORACLE], ORACLE + "-stripped"),
}


@pytest.mark.parametrize("build", sorted(BUILDS))
def test_every_argument_matches(tmp_path, build):
    extra, binary = BUILDS[build]
    pid, printed, calls = run_oracle(tmp_path, *extra, binary=binary)
    printed = [p for p in printed if p["func"] in TRACED]
    assert len(printed) == 18 == len(calls)
    assert [c["func"] for c in calls] == [p["func"] for p in printed]
    compared = 0
    for call, truth in zip(calls, printed):
        assert call["pid"] == pid
        assert [a["name"] for a in call["args"]] == [a["name"] for a in truth["args"]], call["func"]
        for got, want in zip(call["args"], truth["args"]):
            where = (call["func"], got["name"])
            assert got["type"] == want["type"], where
            if where in FLOAT_IN_REGISTER:
                # read only when the kernel holds a current copy of the X
                # registers, which is rare at a uprobe: then it must be exact
                if "value" in got:
                    assert got["value"] == want["value"], where
                else:
                    assert "float register" in got["unavailable"], where
                continue
            assert "unavailable" not in got, (where, got)
            if where in ADDRESSES:
                assert got["value"].startswith("0x"), where
                continue
            if got["type"].startswith("map[") and got["value"] is not None:
                # gotrace reads the first bucket: all of a small map, part
                # of a large one (marked truncated); Go's order is random
                entries = sorted(got["value"]["entries"], key=json.dumps)
                assert got["value"]["len"] == want["value"]["len"], where
                if len(entries) < want["value"]["len"]:
                    assert got["truncated"] is True, where
                    assert 0 < len(entries) <= 8, where
                    assert all(e in want["value"]["entries"] for e in entries), where
                else:
                    assert entries == sorted(want["value"]["entries"], key=json.dumps), where
                compared += 1
                continue
            if where == ("main.Strings", "long"):
                assert got["value"] == want["value"][:64]
                assert got["truncated"] is True
                continue
            assert got["value"] == want["value"], where
            assert "truncated" not in got, where
            compared += 1
    assert compared >= 60


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
    assert strings["ascii"]["value"] == "hello" and strings["ascii"]["truncated"] is True
    assert strings["empty"]["value"] == "" and "truncated" not in strings["empty"]
    slices = {a["name"]: a for a in calls[1]["args"]}
    assert slices["xs"]["value"] == [1, 2] and slices["xs"]["truncated"] is True
    assert slices["names"]["value"] == ["x", "yy"] and "truncated" not in slices["names"]


def test_text_output(tmp_path):
    need_root()
    out = tmp_path / "events.txt"
    proc = subprocess.run([GOTRACE, "-o", str(out), "-c", ORACLE, "main.Ints", "main.Structs",
                           "main.Ifaces"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    text = out.read_text()
    assert "main.Ints(a=-128, b=-32768, c=-2147483648, d=-9223372036854775808, e=-1, f=255," in text
    assert 'p=&{Base:{Kind:7} ID:12 inner:{A:-3 B:"in"} Tags:"tagged" hidden:true}, nilp=<nil>)' in text
    assert 'err=*errors.errorString("boom")' in text
    assert "num=int(42)" in text


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
    assert ifaces["err"]["type"] == "*errors.errorString"
    assert ifaces["nilerr"] is None
    assert ifaces["a"]["type"] == "main.Base"
    assert "without DWARF" in ifaces["a"]["value"]["unavailable"]
    assert ifaces["num"] == {"type": "int", "value": 42}


def test_stripped_list(tmp_path):
    proc = subprocess.run([GOTRACE, "-l", ORACLE + "-stripped", "main.I*"], capture_output=True,
                          text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert "main.Ints() [no DWARF: argument types unknown]" in proc.stdout
    assert "main.Ifaces()" in proc.stdout


def test_generic_instantiations(tmp_path):
    """main.Sum selects every instantiation; the dictionary is not an argument."""
    for funcs in (["main.Sum"], ["main.Sum[*]"]):
        _, printed, calls = run_oracle(tmp_path, funcs=funcs)
        truth = [p for p in printed if p["func"] == "main.Sum"]
        assert [c["func"] for c in calls] == ["main.Sum[go.shape.int_0]",
                                              "main.Sum[go.shape.float64_0]"]
        for call, want in zip(calls, truth):
            assert call["args"] == want["args"]
