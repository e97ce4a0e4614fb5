"""Builds in one process that stays running, as ``helpcenter serve`` makes them: each hands its
state to the next in memory (helpcenter.state.Session) instead of the next reading it back.

    python benchmarks/resident.py SITE [--runs 3]

Prints JSON: per kind of change (edit, add, delete), one {wall, cpu} per run, timed around
``build_site`` (CPU: this process and the workers it forked and waited for). ``run.py`` calls it
after its own builds, on the same corpus.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from helpcenter.builder import build_site  # noqa: E402
from helpcenter.config import load_config  # noqa: E402
from helpcenter.state import Session  # noqa: E402


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure(site: Path, runs: int) -> dict[str, list[dict[str, float]]]:
    config = load_config(site)
    session = Session()
    faq = sorted((site / "articles" / "faq").glob("*.md"))
    results: dict[str, list[dict[str, float]]] = {"edit": [], "add": [], "delete": []}

    def timed(kind: str | None) -> None:
        wall, cpu = time.perf_counter(), _cpu()
        build_site(config, session=session)
        if kind is not None:
            results[kind].append({"wall": time.perf_counter() - wall, "cpu": _cpu() - cpu})

    # The state read once, as when the server starts; then an edit, so that a build has run
    # and handed its state on: the server's first rebuild.
    path = faq[200]
    original = path.read_text("utf-8")
    timed(None)
    path.write_text(original + "\n\nA warming sentence.\n", "utf-8")
    timed(None)
    added = path.with_name("zz-resident-added.md")
    try:
        for i in range(runs):
            path.write_text(original + f"\n\nA resident benchmark sentence, number {i}.\n", "utf-8")
            timed("edit")
            added.write_text(re.sub(r"^title: .*$", f"title: Added by the benchmark, {i}", original, count=1, flags=re.M), "utf-8")
            timed("add")
            added.unlink()
            timed("delete")
    finally:
        added.unlink(missing_ok=True)
        path.write_text(original, "utf-8")
        build_site(config, session=session)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(json.dumps(measure(args.site, args.runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
