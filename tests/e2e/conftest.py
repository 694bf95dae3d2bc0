"""Before any end-to-end test: gotrace and the testdata programs must be built.
Without them every test would fail with a bare FileNotFoundError; say what
to run instead. Root is checked per test (common.need_root), never skipped."""
import os

import pytest

from common import GOTRACE, TESTDATA

PROGRAMS = ("oracle", "oracle-pie", "oracle-stripped", "webserver", "webserver-stripped",
            "service", "service-stripped", "bench", "asm", "cgo", "returns", "many", "many-5000",
            "stacks", "cgocall", "forker", "wrappers", "wrappers-stripped")


@pytest.fixture(autouse=True, scope="session")
def built():
    missing = [p for p in [GOTRACE] + [os.path.join(TESTDATA, n) for n in PROGRAMS]
               if not os.access(p, os.X_OK)]
    assert not missing, f"not built: {', '.join(missing)} (run `make gotrace testdata`)"
