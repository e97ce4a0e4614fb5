"""The data that flows through the pipeline: plain, frozen values."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Category:
    id: str
    """The category's slug: front matter value and URL segment (``faq`` → ``/faq/``)."""
    label: str
    """Shown on the tab: ``FAQ``."""


DateLike = dt.date  # a datetime.date, or an aware datetime.datetime (a subclass of date)


@dataclass(frozen=True)
class FrontMatter:
    title: str
    category: str
    published: DateLike
    updated: DateLike
    views: int = 0
    summary: str | None = None
    tags: tuple[str, ...] = ()
    slug: str | None = None
    draft: bool = False
    aliases: tuple[str, ...] = ()
    lines: tuple[tuple[str, int], ...] = field(default=(), compare=False, repr=False)
    """(key, file line) for every key given: problems found later still point at the key."""

    def line_of(self, key: str) -> int:
        """The file line of ``key``, or 1 (the opening fence) when it was not given."""
        return dict(self.lines).get(key, 1)


@dataclass(frozen=True)
class Source:
    """One article file, split but not yet rendered."""

    path: str
    """POSIX path relative to the site root: ``articles/faq/reset-2fa.md``."""
    front: FrontMatter
    body: str
    body_line: int
    """The file line on which ``body`` starts (Markdown problems are reported against it)."""
    digest: str
    """Content hash of the whole file (NFC, LF): the key of every cache entry derived from it."""


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    text: str


@dataclass(frozen=True)
class Rendered:
    """An article body after Markdown: what pages and search need from it."""

    html: str
    """Body HTML; links to other articles are still ``hc-article:`` placeholders (see markup)."""
    text: str
    """Plain text of the body, paragraphs separated by blank lines: for search, excerpts, summaries."""
    headings: tuple[Heading, ...]
    first_paragraph: str
    word_count: int
    links: tuple[tuple[str, int], ...]
    """Article links found in the body: (target path relative to articles/, body line)."""


@dataclass(frozen=True)
class Article:
    """A validated, rendered article with its place in the site."""

    source: Source
    slug: str
    url: str
    """Site-relative URL path without a leading slash: ``faq/reset-2fa/``."""
    category: Category
    summary: str
    html: str
    """Body HTML with article links resolved to site-relative URLs (``hc-url:`` placeholders)."""
    text: str
    headings: tuple[Heading, ...]
    reading_minutes: int

    @property
    def front(self) -> FrontMatter:
        return self.source.front

    @property
    def title(self) -> str:
        return self.source.front.title


@dataclass(frozen=True)
class Library:
    """Every article that will be built, plus what the site needs to know about all of them."""

    articles: tuple[Article, ...]
    """Sorted by URL: the canonical order (stable ids, reproducible output)."""
    categories: tuple[Category, ...]
    by_path: dict[str, Article] = field(compare=False, repr=False, default_factory=dict)
