"""Find, read and validate the articles; assemble them into a Library.

Three steps with a seam between each, so the pipeline can cache and parallelise the middle one:
finding and reading files (``find_files``, ``read_article``), parsing and rendering one
file (``parse_source`` here, Markdown in ``markup``; both run from ``records``), and
``assembly.assemble`` (cross-article rules: unique slugs, links between articles, aliases).
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
import os
import posixpath
import re
import stat
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem, Severity
from .front_matter import decode, instant, parse_front_matter, parse_views
from .model import ARTICLE_SCHEME, FILE_SCHEME, ArticleMeta, FrontMatter, Library, Source
from .state import Stamp, stamp

WORDS_PER_MINUTE = 200
RESERVED_SLUGS = frozenset({"page", "popular"})
"""Slugs that would collide with a tab's own sub-pages (``/faq/page/2/``, ``/faq/popular/``)."""


@dataclass(frozen=True)
class BuildOptions:
    drafts: bool = False
    """Build articles marked ``draft: true``."""
    future: bool = False
    """Build articles whose ``published`` is still to come."""
    strict: bool = False
    """Warnings (unknown keys, broken article links) are errors."""
    now: dt.datetime | None = None
    """The build's 'now' for scheduling; defaults to SOURCE_DATE_EPOCH, else the clock."""


def build_time(options: BuildOptions) -> dt.datetime:
    if options.now is not None:
        return options.now
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc)


def find_article_files(articles_dir: Path) -> tuple[list[str], list[Problem]]:
    """Every ``.md`` file under articles/, as sorted POSIX paths relative to it (see find_files)."""
    articles, _, problems = find_files(articles_dir)
    return articles, problems


def find_files(articles_dir: Path) -> tuple[list[str], frozenset[str], list[Problem]]:
    """The ``.md`` files under articles/ (sorted POSIX paths relative to it), the other files
    beside them (images, PDFs that articles may link to), and the problems met, in one walk.

    Hidden files and folders are skipped. Symlinked folders are followed once each; a symlink
    loop is reported and skipped.
    """
    found: list[str] = []
    others: list[str] = []
    problems: list[Problem] = []
    if not articles_dir.is_dir():
        return [], frozenset(), [Problem("articles", None, "no articles/ folder: create it and add Markdown articles")]
    seen: set[tuple[int, int]] = set()

    def walk(folder: Path, rel: str) -> None:
        try:
            info = folder.stat()
        except OSError as exc:
            problems.append(Problem(_rel("articles", rel), None, f"cannot open folder: {exc.strerror}"))
            return
        key = (info.st_dev, info.st_ino)
        if key in seen:
            problems.append(
                Problem(_rel("articles", rel), None, "symlink loop: this folder was already read; skipped", Severity.WARNING)
            )
            return
        seen.add(key)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            problems.append(Problem(_rel("articles", rel), None, f"cannot list folder: {exc.strerror}"))
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            child = _rel(rel, entry.name)
            try:
                is_dir = entry.is_dir()  # follows symlinks
            except OSError:
                is_dir = False
            if is_dir:
                walk(Path(entry.path), child)
            elif entry.name.endswith(".md"):
                found.append(child)
            else:
                others.append(child)

    walk(articles_dir, "")
    return sorted(found), frozenset(others), problems


@dataclass(frozen=True)
class ArticleFiles:
    """The files under articles/ and each article's stamp (None: ``os.stat`` failed, or it is
    not a regular file), taken once per build: whether anything changed, and what to read
    again, both come from it. Plain data: a forked StatProbe makes it (see probe)."""

    rels: list[str]
    others: frozenset[str]
    """The files beside the articles (see find_files)."""
    problems: list[Problem]
    stamps: dict[str, Stamp | None]


def scan_article_files(articles_dir: Path) -> ArticleFiles:
    rels, others, problems = find_files(articles_dir)
    base = str(articles_dir) + os.sep
    stamps: dict[str, Stamp | None] = {}
    for rel in rels:
        try:
            info = os.stat(base + rel)
        except OSError:
            stamps[rel] = None
            continue
        stamps[rel] = stamp(info) if stat.S_ISREG(info.st_mode) else None
    return ArticleFiles(rels, others, problems, stamps)


def _rel(base: str, name: str) -> str:
    return f"{base}/{name}" if base else name


def read_article(articles_dir: Path, rel: str, regular: bool = False) -> tuple[bytes | None, Problem | None]:
    """The file's bytes, or the problem that stops reading them. ``regular``: the caller has
    just seen it is a regular file (a first build reads thousands of files); else it looks."""
    path = os.path.join(articles_dir, rel)
    shown = f"articles/{rel}"
    try:
        if not regular and not stat.S_ISREG(os.stat(path).st_mode):
            return None, Problem(shown, None, "not a regular file")
        with open(path, "rb") as handle:
            return handle.read(), None
    except PermissionError:
        return None, Problem(shown, None, "cannot read the file: permission denied")
    except OSError as exc:
        return None, Problem(shown, None, f"cannot read the file: {exc.strerror or exc}")


def parse_source(data: bytes, rel: str, category_ids: tuple[str, ...]) -> tuple[Source | None, list[Problem]]:
    """One file's bytes → a validated Source (or problems). Pure."""
    shown = f"articles/{rel}"
    text, problems = decode(data, shown)
    if text is None:
        return None, problems
    parts, front, problems = parse_front_matter(text, shown, category_ids)
    if parts is None or front is None:
        return None, problems
    return Source(shown, front, parts.body, parts.body_line), problems


_PLAIN_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def default_slug(rel: str) -> str:
    """The slug a file name gives: ``Reset 2FA.md`` → ``reset-2fa``; accents are dropped."""
    stem = posixpath.basename(rel)[: -len(".md")]
    if _PLAIN_SLUG.fullmatch(stem):  # already one (most files): the same result, a tenth of the time
        return stem
    ascii_only = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_only.lower()).strip("-")


def is_published(front: FrontMatter, options: BuildOptions, now: dt.datetime) -> bool:
    return is_visible(front.draft, instant(front.published), options, now)


def is_visible(draft: bool, published: dt.datetime | int, options: BuildOptions, now: dt.datetime | int) -> bool:
    """``published`` and ``now``: instants, both as datetimes (front_matter.instant) or both
    as POSIX microseconds (the schedule's, see micros)."""
    if draft and not options.drafts:
        return False
    return options.future or published <= now


Schedule = tuple[tuple[str, bool, int], ...]
"""(article file, draft, publication instant in POSIX microseconds) of every article."""

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


def micros(instant: dt.datetime) -> int:
    """An aware instant as POSIX microseconds: plain data, which the build state writes twice as
    fast as a datetime (10,000 of them took 11.6 ms to pickle)."""
    return (instant - _EPOCH) // dt.timedelta(microseconds=1)


def schedule(metas: Mapping[str, ArticleMeta], last: tuple[Schedule, Mapping[str, ArticleMeta]] | None = None) -> Schedule:
    """What visibility depends on, per article file: enough to tell, without the metas, whether
    the set of published articles changed (scheduled articles appear as time passes).

    ``last``: a schedule and the metas it was made from, returned as it is if every article
    is the same file with the same draft flag and publication date written the same way (an
    edit's usual case: 20 ms at 10,000 articles); otherwise its entries for the very same
    metas are taken over (an addition's)."""
    if last is None:
        return tuple((rel, meta.front.draft, micros(instant(meta.front.published))) for rel, meta in sorted(metas.items()))
    before, old = last
    if metas.keys() == old.keys() and all(
        meta is old[rel] or repr((meta.front.draft, meta.front.published)) == repr((old[rel].front.draft, old[rel].front.published))
        for rel, meta in metas.items()
    ):
        return before
    known = {entry[0]: entry for entry in before}
    return tuple(
        known[rel] if old.get(rel) is meta and rel in known else (rel, meta.front.draft, micros(instant(meta.front.published)))
        for rel, meta in sorted(metas.items())
    )


def visible_files(planned: Schedule, options: BuildOptions) -> frozenset[str]:
    now = micros(build_time(options))
    return frozenset(rel for rel, draft, at in planned if is_visible(draft, at, options, now))


_LINK = re.compile(r' (href|src)="(hc-article:|hc-file:)([^"]*)"')


def article_html(html: str, library_urls: Mapping[str, str], article_files: frozenset[str]) -> str:
    """Body HTML with placeholders resolved relative to the article page (two folders deep).

    ``library_urls`` maps article paths (``articles/faq/x.md``) to their site URLs; links to
    missing articles or files lose their href (they were reported when assembling).
    """

    def replace(m: re.Match[str]) -> str:
        # The placeholder was written HTML-escaped (markup._rewrite_links): unescape before
        # looking it up, or a name with ' or & would lose its link.
        attr, scheme = m.group(1), m.group(2)
        target, hash_, anchor = html_lib.unescape(m.group(3)).partition("#")
        fragment = hash_ + anchor
        if scheme == ARTICLE_SCHEME:
            url = library_urls.get(f"articles/{target}")
            return f' {attr}="../../{html_lib.escape(url + fragment)}"' if url and not target.startswith("../") else ""
        if target.startswith("../") or target not in article_files:
            return ""
        return f' {attr}="../../files/{html_lib.escape(target + fragment)}"'

    return _LINK.sub(replace, html)


def link_targets(meta: ArticleMeta, library_urls: Mapping[str, str], article_files: frozenset[str]) -> tuple[str | None, ...]:
    """What this article's links resolve to: part of its page's cache key."""
    out: list[str | None] = []
    for placeholder, _ in meta.links:
        target = placeholder.partition("#")[0]
        if target.startswith(ARTICLE_SCHEME):
            out.append(library_urls.get(f"articles/{target[len(ARTICLE_SCHEME):]}"))
        else:
            out.append(target if target[len(FILE_SCHEME) :] in article_files else None)
    return tuple(out)


VIEWS_FILES = ("data/views.csv", "data/views.json")


def load_views(root: Path, strict: bool = False) -> tuple[dict[str, int], list[Problem]]:
    """View counts from analytics (``data/views.csv`` with ``slug,views`` rows, or
    ``data/views.json`` mapping slug → views); they replace the front matter's ``views``."""
    import csv
    import io
    import json

    counts: dict[str, int] = {}
    problems: list[Problem] = []
    for rel in VIEWS_FILES:
        path = root / rel
        if not path.is_file():
            continue
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(rel, None, f"cannot read it as UTF-8: {exc}"))
            continue
        rows: list[tuple[int | None, object, object]] = []
        if rel.endswith(".csv"):
            reader = csv.reader(io.StringIO(text))
            for number, row in enumerate(reader, start=1):
                if not row or (number == 1 and row[0].strip().lower() == "slug"):
                    continue
                if len(row) != 2:
                    problems.append(Problem(rel, number, f"expected two columns, slug,views, got {len(row)}"))
                    continue
                rows.append((number, row[0].strip(), row[1].strip()))
        else:
            try:
                data = json.loads(text)
            except ValueError as exc:
                problems.append(Problem(rel, getattr(exc, "lineno", None), f"not valid JSON: {getattr(exc, 'msg', exc)}"))
                continue
            if not isinstance(data, dict):
                problems.append(Problem(rel, 1, 'expected an object like {"reset-2fa": 19266}'))
                continue
            rows = [(None, k, v) for k, v in data.items()]
        for line, slug, value in rows:
            views = parse_views(str(value)) if isinstance(value, (int, str)) and not isinstance(value, bool) else None
            if views is None:
                problems.append(Problem(rel, line, f"{slug}: views: expected a whole number ≥ 0, got {value!r}"))
                continue
            counts[str(slug)] = views
    return counts, problems


def apply_views(library: Library, counts: Mapping[str, int], strict: bool) -> tuple[Library, list[Problem]]:
    """The library with analytics' view counts; slugs the data names but the site lacks are reported."""
    import dataclasses

    if not counts:
        return library, []
    known = {e.slug for e in library.entries}
    severity = Severity.ERROR if strict else Severity.WARNING
    problems = [
        Problem("data", None, f"views for an unknown article: {slug}", severity) for slug in sorted(counts.keys() - known)
    ]
    entries = []
    for entry in library.entries:
        views = counts.get(entry.slug)
        if views is not None and views != entry.front.views:
            front = dataclasses.replace(entry.front, views=views)
            entry = dataclasses.replace(entry, meta=dataclasses.replace(entry.meta, front=front))
        entries.append(entry)
    return Library(tuple(entries), library.categories), problems
