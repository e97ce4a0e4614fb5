"""The quality gates' tools: the W3C Nu HTML Checker (vnu.jar on the machine's Java) and
axe-core, both from tests/gates (npm ci --prefix tests/gates --ignore-scripts)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

GATES = Path(__file__).resolve().parent / "gates" / "node_modules"
VNU = GATES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = GATES / "axe-core" / "axe.min.js"


def require(path: Path) -> Path:
    assert path.is_file(), f"{path} is missing: run `npm ci --prefix tests/gates --ignore-scripts` (README: Running the tests)"
    return path


def vnu_errors(folder: Path) -> list[str]:
    """Every error the Nu HTML Checker reports for the HTML and CSS files under ``folder``."""
    java = shutil.which("java")
    assert java, "Java is required for the W3C Nu HTML Checker"
    result = subprocess.run(
        [java, "-jar", str(require(VNU)), "--format", "json", "--errors-only", "--also-check-css", "--skip-non-html", str(folder)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}').get("messages", [])
    return [f"{m.get('url', '').rsplit(str(folder), 1)[-1]}:{m.get('lastLine')}: {m.get('message')}" for m in messages if m.get("type") == "error"]
