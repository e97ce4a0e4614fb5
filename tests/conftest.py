"""Shared fixtures: small sites written into tmp_path, and a clean environment per test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sitetools import write_site


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/sites/*/expected from the current output")


@pytest.fixture(autouse=True)
def _restore_environment() -> Iterator[None]:
    """Tests may set SOURCE_DATE_EPOCH or chdir; nothing leaks into the next test."""
    environ = dict(os.environ)
    cwd = os.getcwd()
    yield
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(environ)


@pytest.fixture
def make_site(tmp_path: Path):  # type: ignore[no-untyped-def]
    def make(files: dict[str, str], name: str = "site") -> Path:
        return write_site(tmp_path / name, files)

    return make


