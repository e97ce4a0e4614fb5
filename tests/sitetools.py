"""Helpers shared by the tests: small sites written into folders, the CLI as a user runs it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SITES = Path(__file__).resolve().parent / "sites"


def write_site(root: Path, files: dict[str, str]) -> Path:
    """Write dedented files under ``root``; returns root."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), "utf-8")
    return root


def article(title: str = "A title", category: str = "faq", published: str = "2024-01-02", body: str = "Some text.", **extra: str) -> str:
    """An article's text; ``extra`` adds front matter lines verbatim (key: value)."""
    lines = ["---", f"title: {title}", f"category: {category}", f"published: {published}"]
    lines += [f"{k}: {v}" for k, v in extra.items()]
    lines += ["---", body, ""]
    return "\n".join(lines)


def copy_sample(target: Path) -> Path:
    """The repository's sample help center (articles and settings) under ``target``."""
    shutil.copytree(REPO / "articles", target / "articles")
    shutil.copy(REPO / "helpcenter.yml", target / "helpcenter.yml")
    return target


def clean_build(site: Path, scratch: Path) -> dict[str, bytes]:
    """The output a clean build of ``site`` gives, built in a fresh copy at ``scratch``."""
    from helpcenter.builder import build_site
    from helpcenter.config import load_config

    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(site, scratch, ignore=shutil.ignore_patterns("site", ".helpcenter", ".site.*"))
    build_site(load_config(scratch))
    return tree_bytes(scratch / "site")


def copy_fixture(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copytree(SITES / name, target, ignore=shutil.ignore_patterns("expected", "site", ".helpcenter"))
    return target


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real command, as a user runs it (python -m helpcenter)."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("CI", None)
    return subprocess.run(
        [sys.executable, "-m", "helpcenter", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes, by POSIX relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
