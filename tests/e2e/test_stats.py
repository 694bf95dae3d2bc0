"""--stats: calls, errors and latency counted in the kernel, no events.

testdata/stacks calls main.work exactly -n times; work fails (returns a
non-nil error) for every multiple of -fail-every, and the program prints how
many calls it made and how many failed: the oracle for count and errors.
"""
import json
import os
import re
import subprocess

from common import GOTRACE, TESTDATA, need_root

PROG = os.path.join(TESTDATA, "stacks")


def run_stats(tmp_path, calls, fail_every, *extra):
    out = tmp_path / "stats.json"
    proc = subprocess.run(
        [GOTRACE, "--stats", "-j", "-o", str(out), *extra,
         "-c", f"{PROG} -n {calls} -fail-every {fail_every}", "main.work"],
        capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    printed = re.search(r"calls (\d+) failed (\d+)", proc.stdout)
    assert printed, proc.stdout
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    return proc, int(printed.group(1)), int(printed.group(2)), rows


def check_row(row, count, errors):
    assert row["event"] == "stats" and row["func"] == "main.work"
    assert row["count"] == count
    assert row["errors"] == errors
    assert sum(c for _, _, c in row["histogram"]) == count
    lat = row["latency_ns"]
    assert 0 < lat["min"] <= lat["p50"] <= lat["p90"] <= lat["p99"] <= lat["max"]
    # every slot is [2^k, 2^(k+1) - 1], ascending; min and max fall in the
    # first and last
    for lo, hi, _ in row["histogram"]:
        assert (lo, hi) == (0, 1) or (lo & (lo - 1) == 0 and hi == 2 * lo - 1)
    assert row["histogram"][0][0] <= lat["min"] <= row["histogram"][0][1] or \
        row["histogram"][0][0] == 0
    assert row["histogram"][-1][0] <= lat["max"] <= row["histogram"][-1][1]
    assert row["interval_ns"] > 0
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z", row["time"])


def test_stats_counts_every_call_and_error(tmp_path):
    need_root()
    proc, calls, failed, rows = run_stats(tmp_path, 5000, 7)
    assert (calls, failed) == (5000, 715)
    assert len(rows) == 1, rows
    check_row(rows[0], calls, failed)
    # the summary line counts the same calls
    assert "5000 calls: main.work 5000" in proc.stderr


def test_stats_no_errors_when_none_fail(tmp_path):
    need_root()
    _, calls, failed, rows = run_stats(tmp_path, 1234, 0)
    assert failed == 0
    check_row(rows[0], 1234, 0)


def test_stats_intervals_sum_to_the_calls(tmp_path):
    """With --interval, one object per interval; together they count every
    call once."""
    need_root()
    out = tmp_path / "stats.json"
    proc = subprocess.run(
        [GOTRACE, "--stats", "--interval", "0.2", "-j", "-o", str(out),
         "-c", f"{PROG} -n 3000 -fail-every 3 -wait 700ms", "main.work"],
        capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) >= 3, rows
    assert sum(r["count"] for r in rows) == 3000
    assert sum(r["errors"] for r in rows) == 1000
    for r in rows:
        assert sum(c for _, _, c in r["histogram"]) == r["count"]
        if r["count"] == 0:
            assert r["latency_ns"] is None and r["histogram"] == []


def test_stats_text_table_and_histogram(tmp_path):
    need_root()
    proc = subprocess.run(
        [GOTRACE, "--stats", "-c", f"{PROG} -n 500 -fail-every 5", "main.work", "main.leaf"],
        capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    header = next(i for i, l in enumerate(lines) if l.startswith("FUNC"))
    assert lines[header].split() == ["FUNC", "CALLS", "ERRORS", "MIN", "P50", "P90", "P99",
                                     "MAX"]
    work = lines[header + 1].split()
    assert work[:3] == ["main.work", "500", "100"]
    leaf = lines[header + 2].split()
    assert leaf[:3] == ["main.leaf", "1", "0"]
    # funclatency's histogram: "lo -> hi : count |stars|", summing to the calls
    at = lines.index("main.work", header)
    assert "nsecs" in lines[at + 1] and "distribution" in lines[at + 1]
    total = 0
    for line in lines[at + 2:]:
        m = re.match(r"\s*(\d+) -> (\d+)\s+: (\d+)\s+\|(\**)\s*\|$", line)
        if not m:
            break
        total += int(m.group(3))
    assert total == 500


def test_stats_usage_errors():
    for args in (["--interval", "1"], ["--stats", "-n", "5"]):
        proc = subprocess.run([GOTRACE, *args, "-c", PROG, "main.work"], capture_output=True,
                              text=True, timeout=30)
        assert proc.returncode == 64, proc.stderr


def test_stats_counts_only_calls_that_pass_the_filter(tmp_path):
    """--stats with --filter: the kernel counts the calls that pass, exactly:
    i < 700 of 5000 calls, of which the multiples of 7 fail (0, 7, ... 693)."""
    need_root()
    _, calls, failed, rows = run_stats(tmp_path, 5000, 7, "--filter", "i < 700")
    assert (calls, failed) == (5000, 715)
    assert len(rows) == 1, rows
    check_row(rows[0], 700, 100)
