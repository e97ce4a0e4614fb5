"""Find, read and validate the articles; assemble them into a Library.

Three steps with a seam between each, so the builder can cache and parallelise the middle one:
``load_sources`` (disk → validated front matter), Markdown rendering (``markup``), and
``assemble`` (cross-article rules: unique slugs, links between articles, aliases).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import os
import posixpath
import re
import stat
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from ._names import slug_problem
from .config import SiteConfig
from .errors import Problem, Severity
from .front_matter import decode, instant, parse_front_matter
from .markup import ARTICLE_SCHEME, FILE_SCHEME, cut_summary
from .model import Article, Library, Rendered, Source

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
    """Every ``.md`` file under articles/, as sorted POSIX paths relative to it.

    Symlinked folders are followed once each; a symlink loop is reported and skipped.
    """
    found: list[str] = []
    problems: list[Problem] = []
    if not articles_dir.is_dir():
        return [], [Problem("articles", None, "no articles/ folder: create it and add Markdown articles")]
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

    walk(articles_dir, "")
    return sorted(found), problems


def _rel(base: str, name: str) -> str:
    return f"{base}/{name}" if base else name


def read_article(articles_dir: Path, rel: str) -> tuple[bytes | None, Problem | None]:
    path = articles_dir / rel
    shown = f"articles/{rel}"
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return None, Problem(shown, None, "not a regular file")
        return path.read_bytes(), None
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
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
    return Source(shown, front, parts.body, parts.body_line, digest), problems


def default_slug(rel: str) -> str:
    """The slug a file name gives: ``Reset 2FA.md`` → ``reset-2fa``; accents are dropped."""
    stem = posixpath.basename(rel)[: -len(".md")]
    ascii_only = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_only.lower()).strip("-")


def is_published(source: Source, options: BuildOptions, now: dt.datetime) -> bool:
    if source.front.draft and not options.drafts:
        return False
    return options.future or instant(source.front.published) <= now


def assemble(
    sources: list[Source],
    rendered: Mapping[str, Rendered],
    config: SiteConfig,
    options: BuildOptions,
    article_files: frozenset[str] = frozenset(),
) -> tuple[Library, list[Problem]]:
    """Cross-article rules and final article values. ``rendered`` is keyed by source path.

    ``article_files`` are all non-Markdown files under articles/ that links may point at.
    """
    problems: list[Problem] = []
    now = build_time(options)
    visible = [s for s in sources if is_published(s, options, now)]
    by_slug: dict[str, Source] = {}
    slugs: dict[str, str] = {}
    for source in visible:
        slug = source.front.slug or default_slug(source.path[len("articles/") :])
        line = _key_line(source, "slug")
        if not slug:
            problems.append(
                Problem(source.path, line, "slug: the file name gives no usable slug; add 'slug: some-words' to the front matter")
            )
            continue
        problem = slug_problem(slug)
        if problem:
            problems.append(Problem(source.path, line, f"slug: {problem}"))
            continue
        if slug in RESERVED_SLUGS:
            problems.append(Problem(source.path, line, f'slug: "{slug}" is reserved for listing pages; choose another'))
            continue
        if slug in by_slug:
            problems.append(
                Problem(source.path, line, f'slug: "{slug}" is already used by {by_slug[slug].path}; slugs must be unique')
            )
            continue
        by_slug[slug] = source
        slugs[source.path] = slug

    url_of = {path: f"{by_slug[slug].front.category}/{slug}/" for path, slug in slugs.items()}
    headings_of = {path: {h.id for h in rendered[path].headings} for path in slugs}
    articles: list[Article] = []
    for path, slug in slugs.items():
        source = by_slug[slug]
        r = rendered[path]
        html, link_problems = _resolve_links(source, r, url_of, headings_of, article_files, options)
        problems += link_problems
        front = source.front
        summary = front.summary or cut_summary(r.first_paragraph or r.text)
        articles.append(
            Article(
                source=source,
                slug=slug,
                url=url_of[path],
                category=config.category(front.category),
                summary=summary,
                html=html,
                text=r.text,
                headings=r.headings,
                reading_minutes=max(1, math.ceil(r.word_count / WORDS_PER_MINUTE)),
            )
        )
    problems += _alias_problems(articles, config)
    articles.sort(key=lambda a: a.url)
    library = Library(tuple(articles), config.categories, {a.source.path: a for a in articles})
    return library, problems


def _key_line(source: Source, key: str) -> int:
    return source.front.line_of(key)


_LINK = re.compile(r' (href|src)="(hc-article:|hc-file:)([^"#]*)(#[^"]*)?"')


def _resolve_links(
    source: Source,
    rendered: Rendered,
    url_of: Mapping[str, str],
    headings_of: Mapping[str, set[str]],
    article_files: frozenset[str],
    options: BuildOptions,
) -> tuple[str, list[Problem]]:
    """Article placeholders → URLs relative to the article page (which sits two folders deep)."""
    problems: list[Problem] = []
    severity = Severity.ERROR if options.strict else Severity.WARNING
    lines = dict(rendered.links)

    def line_of(placeholder: str) -> int:
        return source.body_line + lines.get(placeholder, 1) - 1

    def replace(m: re.Match[str]) -> str:
        attr, scheme, target, fragment = m.group(1), m.group(2), m.group(3), m.group(4) or ""
        placeholder = f"{scheme}{target}{fragment}"
        if scheme == ARTICLE_SCHEME:
            path = f"articles/{target}"
            if target.startswith("../") or path not in url_of:
                problems.append(
                    Problem(source.path, line_of(placeholder), f"link to a missing article: {target}", severity)
                )
                return ""
            anchor = fragment[1:]
            if anchor and anchor not in headings_of[path]:
                problems.append(
                    Problem(source.path, line_of(placeholder), f"link to a missing heading: {target}{fragment}", severity)
                )
            return f' {attr}="../../{url_of[path]}{fragment}"'
        if target.startswith("../") or target not in article_files:
            problems.append(Problem(source.path, line_of(placeholder), f"link to a missing file: {target}", severity))
            return ""
        return f' {attr}="../../files/{target}{fragment}"'

    html = _LINK.sub(replace, rendered.html)
    ids = set(_ID.findall(html))
    for target in _HREF.findall(html):
        if target.startswith("#") and len(target) > 1 and target[1:] not in ids:
            problems.append(Problem(source.path, _line_in_body(source, f"({target}"), f"link to a missing heading on this page: {target}", severity))
        elif target.startswith("/") and not target.startswith("//"):
            problems.append(
                Problem(
                    source.path,
                    _line_in_body(source, f"({target}"),
                    f"link {target} starts with '/', which breaks when the site is served under a sub-path; link to the article's .md file instead",
                    severity,
                )
            )
    return html, problems


_ID = re.compile(r'\sid="([^"]+)"')
_HREF = re.compile(r'\shref="([^"]*)"')


def _line_in_body(source: Source, needle: str) -> int:
    index = source.body.find(needle)
    return source.body_line + (source.body.count("\n", 0, index) if index >= 0 else 0)


def _alias_problems(articles: list[Article], config: SiteConfig) -> list[Problem]:
    problems: list[Problem] = []
    taken = {a.url: a.source.path for a in articles}
    reserved = {"", "search/", "assets/", "404.html", "popular/", "files/"}
    reserved |= {f"{c.id}/" for c in config.categories}
    claimed: dict[str, str] = {}
    for article in articles:
        for alias in article.front.aliases:
            line = _key_line(article.source, "aliases")
            top = alias.split("/")[0] + "/"
            if alias in taken:
                problems.append(Problem(article.source.path, line, f"aliases: /{alias} is the URL of {taken[alias]}"))
            elif alias in reserved or top in ("search/", "assets/", "files/") or alias.startswith("page/"):
                problems.append(Problem(article.source.path, line, f"aliases: /{alias} is one of the site's own pages"))
            elif alias in claimed:
                problems.append(Problem(article.source.path, line, f"aliases: /{alias} is already an alias of {claimed[alias]}"))
            else:
                claimed[alias] = article.source.path
    return problems


def iter_article_files_other(articles_dir: Path) -> Iterator[str]:
    """Non-Markdown files under articles/ (images, PDFs) that articles may link to."""
    for folder, dirs, files in os.walk(articles_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.endswith(".md") and not name.startswith("."):
                yield Path(folder, name).relative_to(articles_dir).as_posix()
