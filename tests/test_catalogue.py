"""The catalogue of bad inputs: every folder under tests/sites/invalid/ is one case.

A case is a tiny site (``articles/…``, optional ``helpcenter.yml``) plus ``expected.txt`` and,
for inputs that cannot be checked in, ``generate.py`` (``def generate(root: Path) -> None``,
run on the copied site). The harness copies the case, puts a previous helpcenter build in the
output folder (a known-good site is built once per session with ``--out`` and copied, marker
file included), runs ``python -m helpcenter build .`` as an editor does (in the site folder,
``SOURCE_DATE_EPOCH`` fixed, ``--out`` pointing at that folder) and checks the outcome exactly.

``expected.txt``, one directive per line:

``exit: N``
    first line: the expected exit status.
``args: …``
    extra command-line arguments (``--strict``, ``--force``).
``# …``
    a comment; blank lines are ignored.
``present: PATH: TEXT`` / ``absent: PATH: TEXT``
    (exit 0) the built file PATH contains / does not contain TEXT; ``absent: PATH`` alone
    means PATH must not exist.
``same-as: CASE``
    (exit 0) the built site is byte-identical to CASE's.
``prior-output: foreign`` / ``prior-output: file``
    instead of a previous helpcenter build, the output folder holds a file helpcenter did not
    write (``notes.txt``) / the output path is a plain file.
``out: config``
    no ``--out``: the output folder comes from ``helpcenter.yml``; the whole site folder is
    then what must stay unchanged.
``max-seconds: N``
    the build takes less than N seconds (wall clock, including start-up).
``no-file: PATH``
    PATH (relative to the site folder, where the build runs) must not exist afterwards.
``nonroot: LINE``
    an expected stderr line only when not running as root (root can read a chmod 000 file).
anything else
    an exact stderr line, in order; ``{out}``, ``{site}`` and ``{site_parent}`` stand for the
    absolute paths. For exit 1 these are the problem lines and the harness adds the final
    ``Build failed: N error(s); nothing was written.`` (N counts the non-warning lines). For
    exit 0 they are the exact warnings (none: stderr must be empty).

Every failing build must leave the previous output byte-for-byte as it was, with no staging
folder (``.*helpcenter*`` other than the site's ``.helpcenter`` cache) beside it; no build may
print a traceback. (After a successful build, a folder beside the output is the writer's business.)

Cases in ``XFAIL`` show a bug: their expected.txt holds the *correct* outcome, and the xfail is
strict, so a fix makes the case fail until its name is removed from ``XFAIL``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CATALOGUE = Path(__file__).resolve().parent / "sites" / "invalid"
CASES = sorted(p.name for p in CATALOGUE.iterdir() if p.is_dir())
EPOCH = "1780000000"  # 2026-05-28T20:26:40Z: a fixed "now", so nothing here is ever scheduled
TIMEOUT = 120  # a hang fails its case instead of the whole run

XFAIL: dict[str, str] = {}
# Every bug this catalogue found is fixed (YAML error lines, one-line list nesting, raw-HTML
# links, 4,301-digit views, deep flow YAML, control characters, multi-line values, the output
# folder equal to the cache folder); their cases stay as regression tests.

_GOOD_ARTICLE = "---\ntitle: Previous build\ncategory: faq\npublished: 2024-01-02\n---\nThe site as it was before.\n"


@dataclass
class Expected:
    exit: int
    args: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    present: list[tuple[str, str]] = field(default_factory=list)
    absent: list[tuple[str, str | None]] = field(default_factory=list)
    same_as: str | None = None
    prior_output: str = "previous"
    out_from_config: bool = False
    max_seconds: float | None = None
    no_files: list[str] = field(default_factory=list)


def parse_expected(path: Path) -> Expected:
    raw = path.read_text("utf-8").splitlines()
    assert raw and raw[0].startswith("exit: "), f"{path}: the first line must be 'exit: N'"
    exp = Expected(exit=int(raw[0][len("exit: ") :]))
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    for line in raw[1:]:
        directive, _, rest = line.partition(": ")
        if not line.strip() or line.startswith("#"):
            continue
        if directive == "args":
            exp.args += rest.split()
        elif directive == "present":
            target, sep, text = rest.partition(": ")
            assert sep, f"{path}: 'present: PATH: TEXT', got {line!r}"
            exp.present.append((target, text))
        elif directive == "absent":
            target, sep, text = rest.partition(": ")
            exp.absent.append((target, text if sep else None))
        elif directive == "same-as":
            exp.same_as = rest.strip()
        elif directive == "prior-output":
            assert rest in ("foreign", "file"), f"{path}: prior-output is foreign or file, got {rest!r}"
            exp.prior_output = rest
        elif directive == "out":
            assert rest == "config", f"{path}: the only 'out:' is 'out: config', got {rest!r}"
            exp.out_from_config = True
        elif directive == "max-seconds":
            exp.max_seconds = float(rest)
        elif directive == "no-file":
            exp.no_files.append(rest)
        elif directive == "nonroot":
            if not is_root:
                exp.lines.append(rest)
        else:
            exp.lines.append(line)
    return exp


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "NO_COLOR")}
    env["SOURCE_DATE_EPOCH"] = EPOCH
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def run_build(site: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    """``python -m helpcenter build . ARGS`` in the site folder, as an editor runs it."""
    started = time.perf_counter()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "helpcenter", "build", ".", *args],
            cwd=site,
            env=_env(),
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"the build did not finish in {TIMEOUT} s (a hang)")
    return result, time.perf_counter() - started


def copy_case(name: str, site: Path) -> Path:
    """The case's site in ``site``: checked-in files (symlinks as symlinks), then generate.py."""
    source = CATALOGUE / name
    shutil.copytree(source, site, symlinks=True, ignore=shutil.ignore_patterns("expected.txt", "generate.py", "__pycache__"))
    generator = source / "generate.py"
    if generator.is_file():
        namespace: dict[str, object] = {"__name__": f"catalogue_{name.replace('-', '_')}", "__file__": str(generator)}
        exec(compile(generator.read_text("utf-8"), str(generator), "exec"), namespace)
        namespace["generate"](site)  # type: ignore[operator]
    return site


def snapshot(folder: Path) -> dict[str, object]:
    """Every entry under ``folder`` without following symlinks: file bytes, link targets, folders."""
    if not folder.exists() and not folder.is_symlink():
        return {}
    if folder.is_file():
        return {".": folder.read_bytes()}
    state: dict[str, object] = {}
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        base = Path(dirpath)
        for name in dirnames + filenames:
            path = base / name
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink():
                state[rel] = ("symlink", os.readlink(path))
            elif path.is_dir():
                state[rel] = "folder"
            else:
                try:
                    state[rel] = path.read_bytes()
                except PermissionError:
                    state[rel] = ("unreadable", path.stat().st_size)
    return state


def staging_leftovers(*folders: Path) -> list[str]:
    """Half-done swaps (``.out.helpcenter-new``, ``.out.helpcenter-old``). ``.helpcenter`` is the
    site's cache and ``.out.helpcenter-spare`` the previous generation kept for the next build."""
    return sorted(
        str(p)
        for folder in folders
        if folder.is_dir()
        for p in folder.iterdir()
        if p.name.startswith(".") and "helpcenter" in p.name and p.name != ".helpcenter" and not p.name.endswith("-spare")
    )


@pytest.fixture(scope="session")
def previous_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real, known-good helpcenter build: every case's output folder starts as a copy of it."""
    root = tmp_path_factory.mktemp("previous")
    site = root / "site"
    (site / "articles" / "faq").mkdir(parents=True)
    (site / "articles" / "faq" / "previous.md").write_text(_GOOD_ARTICLE, "utf-8")
    out = root / "out"
    result, _ = run_build(site, "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert (out / ".helpcenter-site").is_file() and (out / "faq" / "previous" / "index.html").is_file()
    return out


def _params() -> list[object]:
    return [pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=XFAIL[name])) if name in XFAIL else name for name in CASES]


@pytest.mark.parametrize("name", _params())
def test_case(name: str, tmp_path: Path, previous_output: Path) -> None:
    exp = parse_expected(CATALOGUE / name / "expected.txt")
    site = copy_case(name, tmp_path / "site")
    out = tmp_path / "out"
    if exp.prior_output == "foreign":
        out.mkdir()
        (out / "notes.txt").write_text("My notes: not written by helpcenter.\n", "utf-8")
    elif exp.prior_output == "file":
        out.write_text("a file where the output folder should be\n", "utf-8")
    else:
        shutil.copytree(previous_output, out, symlinks=True)
    watched = site if exp.out_from_config else out
    before = snapshot(watched)
    assert before, "nothing to watch"

    args = [*([] if exp.out_from_config else ["--out", str(out)]), *exp.args]
    result, seconds = run_build(site, *args)

    assert "Traceback" not in result.stderr, result.stderr
    placeholders = {"{out}": str(out.resolve()), "{site}": str(site.resolve()), "{site_parent}": str(site.resolve().parent)}
    wanted = [_fill(line, placeholders) for line in exp.lines]
    if exp.exit == 1:
        errors = sum(": warning: " not in line for line in wanted)
        wanted.append(f"Build failed: {errors} {'error' if errors == 1 else 'errors'}; nothing was written.")
    assert (result.returncode, result.stderr.splitlines()) == (exp.exit, wanted), result.stdout
    if exp.max_seconds is not None:
        assert seconds < exp.max_seconds, f"took {seconds:.1f} s"
    for rel in exp.no_files:
        assert not (site / rel).exists(), f"{rel} exists: something was executed"

    if exp.exit != 0:
        assert result.stdout == ""
        assert snapshot(watched) == before, "a failed build changed the previous output"
        assert staging_leftovers(tmp_path, site, out.parent) == [], "a failed build left a staging folder"
    else:
        assert re.fullmatch(r"Built \d+ articles? and \d+ listing pages? in \d+\.\d s → .+/\n", result.stdout), result.stdout
        assert (out / ".helpcenter-site").is_file()
        for rel, text in exp.present:
            page = out / rel
            assert page.is_file(), f"{rel} was not built"
            assert text in page.read_text("utf-8"), f"{rel} lacks {text!r}"
        for rel, maybe_text in exp.absent:
            page = out / rel
            if maybe_text is None:
                assert not page.exists(), f"{rel} exists"
            else:
                assert page.is_file(), f"{rel} was not built"
                assert maybe_text not in page.read_text("utf-8"), f"{rel} contains {maybe_text!r}"
        if exp.same_as:
            twin = copy_case(exp.same_as, tmp_path / "twin" / "site")
            twin_out = tmp_path / "twin" / "out"
            twin_result, _ = run_build(twin, "--out", str(twin_out))
            assert twin_result.returncode == 0, twin_result.stderr
            assert snapshot(out) == snapshot(twin_out), f"the output differs from {exp.same_as}'s"

    # Generated inputs are large (50 MB for the nested lists): do not keep them in pytest's temp folders.
    for entry in tmp_path.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink()


def _fill(line: str, placeholders: dict[str, str]) -> str:
    for key, value in placeholders.items():
        line = line.replace(key, value)
    return line


def test_the_catalogue_is_complete() -> None:
    """Each case folder has an expected.txt and an articles/ folder (or a generate.py that makes one)."""
    assert len(CASES) >= 45
    for name in CASES:
        folder = CATALOGUE / name
        assert (folder / "expected.txt").is_file(), name
        assert (folder / "articles").is_dir() or (folder / "generate.py").is_file(), name
    assert set(XFAIL) <= set(CASES)


def test_a_refused_article_leaves_the_markdown_converter_usable() -> None:
    """In-process (a library user building twice, or check then build): rendering after a refused
    article gives the same HTML as before it."""
    from helpcenter import markup
    from helpcenter.markup import MarkupOptions, RenderError, render_markdown

    body = "Intro.\n\n## A heading\n\n- a\n- b\n\nLast words.\n"
    try:
        before = render_markdown(body, "faq", MarkupOptions())
        with pytest.raises(RenderError):
            render_markdown("Intro.\n\n" + "- " * 10_000 + "deep\n", "faq", MarkupOptions())
        assert render_markdown(body, "faq", MarkupOptions()).html == before.html
    finally:
        markup._converter.cache_clear()  # never hand a broken converter to the tests that run next
