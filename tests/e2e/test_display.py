"""How values read, through the real gotrace against testdata/oracle: the
well-known types (time.Duration, time.Time) as Go prints them, exact, on
Debian's Go 1.19 and the newest Go; time zones read from the Location; the
marks a limit leaves where it cut, in text and JSON; --pretty's layout."""
import json
import os
import re
import subprocess

import pytest

from common import GOTRACE, TESTDATA, need_root, trace_command
from test_oracle import BUILDS, GO_NEWEST

WELL_KNOWN = ["main.Durations", "main.Times", "main.LocalPast"]
UTC = "2023-11-14T22:13:20.123456789Z"
EAST = "2026-11-22T12:00:00.5+05:30"

DURATIONS = {
    "zero": "0s", "sub": "1.5µs", "mixed": "1h30m1.5s", "neg": "-1ns",
    "extremes": ["-2562047h47m16.854775808s", "2562047h47m16.854775807s"],
    "t": {"Read": "1.1ms", "Write": "2s", "Ticks": ["1ms", "250µs", "999.999999ms"]},
    "own": 1500,  # main.Millis: a type of its own, not a Duration
    "boxed": {"type": "time.Duration", "value": "3h0m0s"},
}
TIMES = {
    "zero": "0001-01-01T00:00:00Z", "utc": UTC, "east": EAST,
    "west": "1969-07-20T20:17:40-04:00", "far": "12345-06-07T08:09:10.000000011Z",
    "p": UTC, "s": {"At": EAST, "Name": "stamp"},
    "boxed": {"type": "time.Time", "value": UTC},
}


def run(tmp_path, *args, text=False):
    """gotrace ARGS (-j unless TEXT) -o FILE: what it wrote, as lines."""
    need_root()
    out = tmp_path / ("events.txt" if text else "events.json")
    proc = subprocess.run([GOTRACE, *([] if text else ["-j"]), "-o", str(out), *args],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return out.read_text().splitlines()


def calls_by_func(lines):
    calls = {}
    for line in lines:
        event = json.loads(line)
        if event["event"] == "call":
            calls[event["func"]] = event
    return calls


def text_by_func(lines):
    """{func: its arguments' text} of a text output's call lines."""
    found = {}
    for line in lines:
        m = re.search(r" goid=\d+ (main\.\w+)\((.*)$", line)
        assert m, line
        found[m.group(1)] = m.group(2)
    return found


@pytest.mark.parametrize("build", ["go1.19-debian", "go" + GO_NEWEST])
def test_well_known_types(tmp_path, build):
    """time.Duration as Duration.String() and time.Time as
    Format(time.RFC3339Nano) print them, at every depth, in JSON and text."""
    extra, binary = BUILDS[build]
    pid, printed, events = trace_command(tmp_path, binary, *extra, *WELL_KNOWN)
    calls = {e["func"]: e for e in events if e["event"] == "call"}
    truth = {p["func"]: {a["name"]: a["value"] for a in p["args"]} for p in printed
             if p["func"] in WELL_KNOWN}
    durations = {a["name"]: a["value"] for a in calls["main.Durations"]["args"]}
    assert durations == DURATIONS == truth["main.Durations"]
    times = {a["name"]: a["value"] for a in calls["main.Times"]["args"]}
    now = times.pop("now")
    assert now == truth["main.Times"]["now"], now  # time.Now(): a monotonic reading
    assert re.fullmatch(r"20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", now), now  # TZ is UTC
    assert times == TIMES
    assert calls["main.LocalPast"]["args"][0]["value"] == "2023-11-14T22:13:20Z"
    for call in calls.values():
        assert "cut" not in call and "truncated" not in call, call

    lines = run(tmp_path, *extra, "-c", binary, *WELL_KNOWN, text=True)
    text = text_by_func(l for l in lines if not l.startswith("{"))
    assert text["main.Durations"] == (
        "zero=0s, sub=1.5µs, mixed=1h30m1.5s, neg=-1ns, "
        "extremes=[-2562047h47m16.854775808s 2562047h47m16.854775807s], "
        "t=&{Read:1.1ms Write:2s Ticks:[1ms 250µs 999.999999ms]}, own=1500, "
        "boxed=time.Duration(3h0m0s))")
    assert re.fullmatch(
        r"zero=0001-01-01T00:00:00Z, utc=%s, east=%s, west=1969-07-20T20:17:40-04:00, "
        r"far=12345-06-07T08:09:10\.000000011Z, now=20\S+Z, p=&%s, "
        r"s=\{At:%s Name:\"stamp\"\}, boxed=time\.Time\(%s\)\)"
        % (re.escape(UTC), re.escape(EAST), re.escape(UTC), re.escape(EAST), re.escape(UTC)),
        text["main.Times"]), text["main.Times"]


def test_time_zones(tmp_path):
    """A zone's offset from the Location gotrace captured: the cached zone
    (time.Now in Europe/Paris), the transitions when they were captured
    whole, and -00:00, RFC 3339's unknown offset, when they were not."""
    oracle = os.path.join(TESTDATA, "oracle")
    command = "TZ=Europe/Paris %s" % oracle

    pid, printed, events = trace_command(tmp_path, command, "main.Times", "main.LocalPast")
    truth = {p["func"]: {a["name"]: a["value"] for a in p["args"]} for p in printed
             if p["func"] in ("main.Times", "main.LocalPast")}
    calls = {e["func"]: e for e in events if e["event"] == "call"}
    now = [a["value"] for a in calls["main.Times"]["args"] if a["name"] == "now"][0]
    assert now == truth["main.Times"]["now"] and re.search(r"\+0[12]:00$", now), now
    # 2023-11-14 is outside the cached period; Paris has ~180 transitions,
    # more than --max-elems 64 keeps: the offset is unknown, and said so
    past = calls["main.LocalPast"]
    assert truth["main.LocalPast"]["t"] == "2023-11-14T23:13:20+01:00"
    assert past["args"][0]["value"] == "2023-11-14T22:13:20-00:00", past
    assert past["cut"] == ["elems"] and past["args"][0]["truncated"] is True, past

    _, _, events = trace_command(tmp_path, command, "--max-elems", "256", "main.LocalPast")
    past = [e for e in events if e["event"] == "call"][0]
    assert past["args"][0]["value"] == "2023-11-14T23:13:20+01:00", past
    assert "cut" not in past

    # loc not followed: the UTC instant with -00:00; a nil loc is still UTC
    _, _, events = trace_command(tmp_path, command, "--max-depth", "0", "main.Times")
    call = [e for e in events if e["event"] == "call"][0]
    got = {a["name"]: a["value"] for a in call["args"]}
    assert got["east"] == "2026-11-22T06:30:00.5-00:00" and got["utc"] == UTC, got
    assert got["west"] == "1969-07-21T00:17:40-00:00", got
    assert call["cut"] == ["depth"], call


def test_cut_marks(tmp_path):
    """A limit marks the value it cut, where it stands, with its word: in
    text "…+N<limit>" and 0x…<depth>, never a bare "..."; in JSON a wrapper
    {"value","truncated","reason","len"} or {"addr","reason"}; the event
    lists the limits."""
    oracle = os.path.join(TESTDATA, "oracle")
    funcs = ["main.Strings", "main.Slices", "main.Maps", "main.Linked", "main.Errors"]
    limits = ["--max-string", "3", "--max-elems", "2", "--max-depth", "2"]
    calls = calls_by_func(l for l in run(tmp_path, *limits, "-c", oracle, *funcs)
                          if l.startswith('{"time"'))

    def arg(func, name):
        return [a for a in calls[func]["args"] if a["name"] == name][0]

    assert arg("main.Strings", "ascii")["value"] == \
        {"value": "hel", "truncated": True, "reason": "string", "len": 14}
    assert arg("main.Strings", "empty")["value"] == ""
    assert calls["main.Strings"]["cut"] == ["string"]
    assert arg("main.Slices", "xs")["value"] == \
        {"value": [1, 2], "truncated": True, "reason": "elems", "len": 3}
    assert arg("main.Slices", "names")["value"] == ["x", "yy"]
    small = arg("main.Maps", "small")
    assert small["value"]["truncated"] is True and small["value"]["reason"] == "elems"
    assert set(small["value"]) == {"value", "truncated", "reason"}
    assert small["value"]["value"]["len"] == 3 and len(small["value"]["value"]["entries"]) == 2
    assert calls["main.Maps"]["cut"] == ["string", "elems"]
    # two hops followed: the third pointer is its address, and why
    head = arg("main.Linked", "head")
    assert head["value"]["V"] == 1 and head["value"]["Next"]["V"] == 2
    third = head["value"]["Next"]["Next"]
    assert set(third) == {"addr", "reason"} and third["reason"] == "depth", third
    assert re.fullmatch(r"0x[0-9a-f]+", third["addr"]), third
    assert head["truncated"] is True and calls["main.Linked"]["cut"] == ["depth"]
    # an error chain's link past the depth: the interface not read, by depth
    inner = arg("main.Errors", "wrapped")["value"]["value"]["err"]["value"]
    assert inner["msg"] == {"value": "mid", "truncated": True, "reason": "string", "len": 20}
    assert "max-depth" in inner["err"]["unavailable"], inner

    text = text_by_func(l for l in run(tmp_path, *limits, "-c", oracle, *funcs, text=True)
                        if not l.startswith("{"))
    assert text["main.Strings"] == ('empty="", ascii="hel"…+11<string>, unicode="hé"…+14<string>, '
                                    'long="012"…+197<string>, invalid="bad"…+7<string>)')
    assert text["main.Slices"] == \
        'xs=[1 2 …+1<elems>], b="hi"…+1<elems>, names=["x" "yy"], empty=[], nilslice=<nil>)'
    assert re.fullmatch(r"head=&\{V:1 Next:&\{V:2 Next:0x[0-9a-f]+<depth>\}\}\)",
                        text["main.Linked"]), text["main.Linked"]
    assert 'err:*fmt.wrapError(&{msg:"mid"…+17<string> err:<depth>})' in text["main.Errors"]
    assert re.search(r"small=map\[\S+ \S+ …\+1<elems>\]", text["main.Maps"]), text["main.Maps"]
    for line in text.values():
        assert "..." not in line, line


def test_budget_is_named(tmp_path):
    """--max-event at its least: the budget cuts values; text marks them
    <budget> and the event says [cut by --max-event]; JSON marks them where
    they were cut and lists the limit."""
    oracle = os.path.join(TESTDATA, "oracle")
    options = ["--max-event", "256", "-c", oracle, "main.Boxed", "main.Maps"]
    calls = calls_by_func(l for l in run(tmp_path, *options) if l.startswith('{"time"'))
    for call in calls.values():
        assert call["truncated"] is True and call["cut"] == ["budget"], call
        marks = re.findall(r'"reason": "budget"|"unavailable": "[^"]*budget[^"]*"',
                           json.dumps(call["args"]))
        assert marks, call
    lines = [l for l in run(tmp_path, *options, text=True) if not l.startswith("{")]
    assert len(lines) == 2, lines
    for line in lines:
        assert line.endswith(" [cut by --max-event]") and "<budget>" in line, line
        assert "..." not in line and "unavailable" not in line, line


def test_pretty(tmp_path):
    """--pretty: each argument on a line of its own, composite literals as
    %#v writes them, one field per line unless short and simple."""
    oracle = os.path.join(TESTDATA, "oracle")
    lines = [l for l in run(tmp_path, "--pretty", "-c", oracle, "main.Linked", "main.Maps",
                            text=True) if not l.startswith("{")]
    start = [i for i, l in enumerate(lines) if l.endswith(" main.Linked(")]
    assert len(start) == 1, lines
    assert lines[start[0] + 1:start[0] + 12] == [
        "    head=&main.Node{",
        "        V: 1,",
        "        Next: &main.Node{",
        "            V: 2,",
        "            Next: &main.Node{",
        "                V: 3,",
        "                Next: &main.Node{V: 4, Next: <nil>},",
        "            },",
        "        },",
        "    },",
        ")",
    ]
    maps = lines[lines.index([l for l in lines if l.endswith(" main.Maps(")][0]):]
    assert any(re.fullmatch(r'    small=map\[string\]int\{"\w": \d, "\w": \d, "\w": \d\},', l)
               for l in maps), maps
    assert "    cfg=&main.Config{" in maps and '        Name: "cfg",' in maps, maps
