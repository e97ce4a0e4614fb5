"""Golden HTML of a small fixture site: a listing, an article, the search page and the 404 page.

Both sides go through a stdlib normaliser (sorted attributes, collapsed whitespace), so the
snapshots are readable and stable. Refresh with: pytest tests/test_golden.py --update-golden
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from sitetools import SITES, copy_fixture
from htmltools import normalise

from helpcenter.builder import build_site
from helpcenter.config import load_config

PAGES = ["index.html", "faq/index.html", "faq/reset-2fa/index.html", "search/index.html", "404.html"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_fixture("basic", tmp_path_factory.mktemp("golden"))
    build_site(load_config(root))
    return root / "site"


@pytest.mark.parametrize("page", PAGES)
def test_page_matches_golden(built: Path, page: str, request: pytest.FixtureRequest) -> None:
    actual = normalise((built / page).read_text("utf-8"))
    golden = SITES / "basic" / "expected" / (page.replace("/", "__"))
    if request.config.getoption("--update-golden"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, "utf-8")
    expected = golden.read_text("utf-8")
    if actual != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), "golden", "built"))
        pytest.fail(f"{page} differs from {golden.name} (pytest --update-golden to accept):\n{diff}")
