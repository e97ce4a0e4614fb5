"""Runs the search runtime's own JavaScript tests (node --test tests/js/) as part of pytest,
so the README's one test command covers them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

JS_TESTS = Path(__file__).resolve().parent / "js"


def test_node_unit_tests_pass() -> None:
    node = shutil.which("node")
    assert node, "Node.js is required for the search runtime's tests (see README: Running the tests)"
    files = sorted(str(p) for p in JS_TESTS.glob("*.test.js"))
    assert len(files) >= 2
    result = subprocess.run([node, "--test", *files], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout
