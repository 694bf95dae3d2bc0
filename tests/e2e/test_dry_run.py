"""--dry-run: the plan set printed as -v narrates it, with nothing loaded,
no privileges and no process touched.

One functions file carries every case (tests/e2e/golden/dry-run.funcs): a
filter split between call and return, one at the call only, floats in X
registers with their signal frames, an error result, several RETs. The
golden output is Debian's Go 1.19 build of testdata/returns.
"""
import os
import shutil
import subprocess
import tempfile

import pytest

from common import GOTRACE, TESTDATA

HERE = os.path.dirname(__file__)
FUNCS = os.path.join(HERE, "golden", "dry-run.funcs")
GOLDEN = os.path.join(HERE, "golden", "dry-run-returns.txt")


@pytest.fixture
def unprivileged():
    """A folder that the user nobody can read, with gotrace, the program
    and the functions file in it."""
    folder = tempfile.mkdtemp(prefix="gotrace-dry-run.")
    os.chmod(folder, 0o755)
    for path in (GOTRACE, os.path.join(TESTDATA, "returns"), FUNCS):
        shutil.copy(path, folder)
    yield folder
    shutil.rmtree(folder)


def as_nobody(folder, *args):
    return subprocess.run(
        ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--",
         "./gotrace", *args], cwd=folder, capture_output=True, text=True, timeout=60)


def test_golden_without_privileges(unprivileged):
    """As the user nobody: every plan, paired, with its sites and filters;
    byte for byte the golden output, and nothing on stderr."""
    proc = as_nobody(unprivileged, "--dry-run", "-r", "-f", "dry-run.funcs", "returns")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    with open(GOLDEN) as f:
        assert proc.stdout == f.read()


def test_stats_cut(unprivileged):
    """--stats: the entry plans keep no ops; a return keeps its error result."""
    proc = as_nobody(unprivileged, "--dry-run", "--stats", "-f", "dry-run.funcs", "returns")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "4 functions, 8 plans" in out
    assert "main.Recovered: --stats: errors from its last result" in out
    assert "main.Fib: --stats: no error result: errors not counted" in out
    assert "plan for main.Fib (ABIInternal, 0 root ops" in out
    # nothing reads an X register any more: no signal frames
    assert "from the signal frame" not in out and "sigtramp" not in out


def test_filter_implies_returns(unprivileged):
    """A filter that names a result plans the returns, without -r."""
    proc = as_nobody(unprivileged, "--dry-run", "--filter", "~r0 > 5", "returns", "main.Fib")
    assert proc.returncode == 0, proc.stderr
    assert "1 function, 2 plans" in proc.stdout
    assert "plan 1: the return of main.Fib, paired with plan 0" in proc.stdout
    assert " at the return (the call is held until then):" in proc.stdout


def test_command_not_started(unprivileged):
    """-c's program is analysed, not run: testdata/returns prints a line per
    call when it runs, and stdout holds only the plans, the same as for the
    file itself."""
    proc = as_nobody(unprivileged, "--dry-run", "-r", "-f", "dry-run.funcs", "-c", "./returns")
    assert proc.returncode == 0, proc.stderr
    with open(GOLDEN) as f:
        golden = f.read()
    first, rest = proc.stdout.split("\n", 1)
    assert first == f"{unprivileged}/returns: go1.19.8, 4 functions, 8 plans"
    assert rest == golden.split("\n", 1)[1]


def test_bad_filter_line(unprivileged):
    """A functions file whose filter names no parameter fails before
    anything else, naming its line and column, with a caret."""
    with open(os.path.join(unprivileged, "bad.funcs"), "w") as f:
        f.write("main.Fib\nmain.Work if idd > 2\n")
    proc = as_nobody(unprivileged, "--dry-run", "-f", "bad.funcs", "returns")
    assert proc.returncode == 1
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert lines[0].startswith("gotrace: bad.funcs:2:14: ")
    assert "idd" in lines[0]
    assert lines[1] == "  idd > 2"
    assert lines[2] == "  ^"
