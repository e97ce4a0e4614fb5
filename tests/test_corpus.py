"""The synthetic help center in benchmarks/corpus.py: deterministic, prefix-stable and valid.

Everything is written under pytest's temporary folders. One corpus of 600 articles is shared
by the read-only checks (module fixture) so the whole file runs in a few seconds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import posixpath
import re
import statistics
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `pytest` (not `python -m pytest`) puts only tests/ on the path
    sys.path.insert(0, str(ROOT))

from benchmarks.corpus import DEFAULT_SEED, generate  # noqa: E402
from helpcenter.front_matter import parse_front_matter  # noqa: E402
from helpcenter.markup import MarkupOptions, render_markdown  # noqa: E402

CATEGORIES = ["faq", "announcements", "product-documents"]
FIRST, LAST = dt.date(2019, 1, 1), dt.date(2026, 6, 30)
ALLOWED_KEYS = {"title", "category", "published", "updated", "views", "tags", "summary"}
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*-\d{5,}")
LINK = re.compile(r"\]\(([^)\s]*)\)")
FENCED = re.compile(r"^```.*?^```$", re.M | re.S)


def _files(paths: list[Path], folder: Path) -> list[tuple[str, bytes]]:
    return [(p.relative_to(folder).as_posix(), p.read_bytes()) for p in paths]


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted((folder / "articles").rglob("*.md")):
        h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    folder = tmp_path_factory.mktemp("corpus600")
    return folder, generate(folder, 600)


# --- determinism ------------------------------------------------------------------------


def test_same_seed_gives_identical_bytes(tmp_path: Path) -> None:
    a = generate(tmp_path / "a", 80, seed=7)
    b = generate(tmp_path / "b", 80, seed=7)
    assert len(a) == len(b) == 80
    assert _files(a, tmp_path / "a") == _files(b, tmp_path / "b")
    on_disk = sorted(p.relative_to(tmp_path / "a").as_posix() for p in (tmp_path / "a").rglob("*.md"))
    assert on_disk == sorted(p.relative_to(tmp_path / "a").as_posix() for p in a)


def test_seed_changes_the_output(tmp_path: Path) -> None:
    a = generate(tmp_path / "a", 20, seed=1)
    b = generate(tmp_path / "b", 20, seed=2)
    assert _files(a, tmp_path / "a") != _files(b, tmp_path / "b")


def test_smaller_n_is_a_byte_for_byte_prefix(tmp_path: Path) -> None:
    small = generate(tmp_path / "small", 50)
    large = generate(tmp_path / "large", 120)
    assert _files(small, tmp_path / "small") == _files(large[:50], tmp_path / "large")
    assert len(list((tmp_path / "small").rglob("*.md"))) == 50


def test_output_does_not_depend_on_hash_randomisation(tmp_path: Path) -> None:
    """A subprocess with another PYTHONHASHSEED must write the same bytes (no set or hash() order)."""
    generate(tmp_path / "here", 40)
    env = dict(os.environ, PYTHONHASHSEED="12345")
    code = "import sys; from pathlib import Path; from benchmarks.corpus import generate; generate(Path(sys.argv[1]), 40)"
    subprocess.run([sys.executable, "-c", code, str(tmp_path / "there")], cwd=ROOT, env=env, check=True)
    assert _digest(tmp_path / "here") == _digest(tmp_path / "there")


# --- content rules ----------------------------------------------------------------------


def test_category_split_is_about_50_20_30(corpus: tuple[Path, list[Path]]) -> None:
    _, paths = corpus
    counts = {c: sum(p.parent.name == c for p in paths) for c in CATEGORIES}
    for category, share in zip(CATEGORIES, (50, 20, 30)):
        assert abs(100 * counts[category] / len(paths) - share) <= 5, counts


def test_front_matter_is_valid(corpus: tuple[Path, list[Path]]) -> None:
    folder, paths = corpus
    summaries = 0
    views: list[int] = []
    for path in paths:
        rel = path.relative_to(folder).as_posix()
        text = path.read_text(encoding="utf-8")
        parts, front, problems = parse_front_matter(text, rel, CATEGORIES)
        assert problems == [], (rel, problems)
        assert parts is not None and front is not None
        keys = {line.split(":", 1)[0] for line in parts.yaml_text.splitlines()}
        assert keys <= ALLOWED_KEYS and {"title", "category", "published", "views", "tags"} <= keys, (rel, keys)
        assert text.splitlines()[1].startswith('title: "'), rel
        assert front.category == path.parent.name
        assert FIRST <= front.published <= front.updated <= LAST, (rel, front.published, front.updated)
        assert 1 <= len(front.tags) <= 4 and len(set(front.tags)) == len(front.tags), (rel, front.tags)
        assert all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", t) for t in front.tags), front.tags
        summaries += front.summary is not None
        views.append(front.views)
    assert 0.2 <= summaries / len(paths) <= 0.45
    views.sort()
    assert 10 <= statistics.median(views) <= 1000, statistics.median(views)
    assert views[-1] >= 10_000 and views[-1] >= 100 * statistics.median(views), views[-5:]


def test_titles_with_colons_and_quotes_round_trip(corpus: tuple[Path, list[Path]]) -> None:
    """Titles are written double-quoted; the validator must read back exactly the text we meant."""
    folder, paths = corpus
    seen_colon = False
    for path in paths:
        text = path.read_text(encoding="utf-8")
        raw = text.splitlines()[1][len("title: ") :]
        _, front, _ = parse_front_matter(text, path.name, CATEGORIES)
        assert front is not None
        assert raw == '"' + front.title.replace("\\", "\\\\").replace('"', '\\"') + '"'
        seen_colon |= ":" in front.title
    assert seen_colon


def test_slugs_are_unique_and_well_formed(corpus: tuple[Path, list[Path]]) -> None:
    _, paths = corpus
    slugs = [p.stem for p in paths]
    assert len(set(slugs)) == len(slugs)
    for index, slug in enumerate(slugs):
        assert SLUG.fullmatch(slug), slug
        assert slug.endswith(f"-{index:05d}"), slug


def test_links_point_at_earlier_generated_articles(corpus: tuple[Path, list[Path]]) -> None:
    folder, paths = corpus
    index_of = {p.relative_to(folder / "articles").as_posix(): i for i, p in enumerate(paths)}
    same_folder = other_folder = 0
    per_article: list[int] = []
    for i, path in enumerate(paths):
        rel_dir = path.parent.relative_to(folder / "articles").as_posix()
        targets = LINK.findall(FENCED.sub("", path.read_text(encoding="utf-8")))
        per_article.append(len(targets))
        for target in targets:
            assert "://" not in target and not target.startswith("/") and target.endswith(".md"), target
            resolved = posixpath.normpath(posixpath.join(rel_dir, target))
            assert resolved in index_of, (path.name, target)
            assert index_of[resolved] < i, (path.name, target)
            same_folder += "/" not in target
            other_folder += target.startswith("../")
    assert max(per_article) <= 4 and per_article[0] == 0
    assert same_folder and other_folder


def test_word_counts_as_the_site_counts_them(corpus: tuple[Path, list[Path]]) -> None:
    folder, paths = corpus
    counts = []
    for path in paths[:150]:
        parts, _, _ = parse_front_matter(path.read_text(encoding="utf-8"), path.name, CATEGORIES)
        assert parts is not None
        counts.append(render_markdown(parts.body, path.parent.name, MarkupOptions()).word_count)
    assert min(counts) >= 150 and max(counts) <= 1200, (min(counts), max(counts))
    assert 380 <= statistics.median(counts) <= 520
    assert statistics.mean(counts) > statistics.median(counts)  # skewed to the right


def test_markdown_features(corpus: tuple[Path, list[Path]]) -> None:
    _, paths = corpus
    tables = headings_in_range = 0
    languages: set[str] = set()
    for path in paths:
        body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
        first = body.split("\n", 1)[0]
        assert first and not re.match(r"(#|[-*+] |\d+\. |\||```|!!!|>| )", first), (path.name, first)
        prose = FENCED.sub("", body)
        assert not re.search(r"^# ", prose, re.M), path.name
        assert not re.search(r"<[A-Za-z/!]", prose), path.name  # no raw HTML
        fences = re.findall(r"^```(.*)$", body, re.M)
        assert len(fences) % 2 == 0 and all(fences[0::2]) and not any(fences[1::2]), (path.name, fences)
        languages.update(fences[0::2])  # every fence opens with a language
        tables += bool(re.search(r"^\|(?:---\|)+$", body, re.M))
        headings_in_range += 2 <= len(re.findall(r"^#{2,3} ", body, re.M)) <= 6
    assert 0.25 <= tables / len(paths) <= 0.45
    assert headings_in_range / len(paths) >= 0.7
    assert {"json", "bash", "python"} <= languages


def test_builds_with_the_real_builder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from helpcenter.builder import build_site
    from helpcenter.config import load_config

    # Pin the build's "now" after the last generated date, so no article counts as scheduled.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2026, 7, 1, tzinfo=dt.timezone.utc).timestamp())))
    site_dir = tmp_path / "site-src"
    generate(site_dir, 60, seed=DEFAULT_SEED)
    report = build_site(load_config(site_dir))
    assert report.articles == 60 and not report.warnings, report.warnings
    assert report.output_dir.is_relative_to(tmp_path)
