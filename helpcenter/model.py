"""The data that flows through the pipeline: plain, frozen values."""

from __future__ import annotations

import copyreg
import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property


ARTICLE_SCHEME = "hc-article:"
"""Placeholder scheme for links to other articles, resolved to URLs when pages are written."""
FILE_SCHEME = "hc-file:"
"""Placeholder scheme for files beside the articles (images, PDFs); copied to ``files/``."""


@dataclass(frozen=True)
class Category:
    id: str
    """The category's slug: front matter value and URL segment (``faq`` → ``/faq/``)."""
    label: str
    """Shown on the tab: ``FAQ``."""


@dataclass(frozen=True)
class FrontMatter:
    title: str
    category: str
    published: dt.date
    """A date, or an aware datetime (a subclass of date)."""
    updated: dt.date
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

    def __reduce__(self) -> tuple[object, ...]:
        # Pickled with its equal values shared: the build state pickles 150 front matters
        # together, most with the same keys on the same lines (4 layouts among the benchmark's
        # 10,000 articles), so each layout, tag list and category is written and read once
        # (reading the 10,000 articles' metas: 64 -> 55.5 ms).
        state = dict(self.__dict__)
        for name in ("category", "tags", "lines"):
            state[name] = _SHARED.setdefault(state[name], state[name])
        return copyreg.__newobj__, (type(self),), state


_SHARED: dict[object, object] = {}
"""One object for each value seen (see FrontMatter.__reduce__): 1,500 for the benchmark's site."""


@dataclass(frozen=True)
class Source:
    """One article file, split but not yet rendered."""

    path: str
    """POSIX path relative to the site root: ``articles/faq/reset-2fa.md``."""
    front: FrontMatter
    body: str
    body_line: int
    """The file line on which ``body`` starts (Markdown problems are reported against it)."""


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
    """Article and file links found in the body: (placeholder, body line)."""
    ids: tuple[str, ...] = ()
    """Every id in the HTML (headings and others): targets for #anchors."""
    local_links: tuple[tuple[str, int], ...] = ()
    """Same-page (#x) and '/'-rooted links: (href, body line), checked when assembling."""


@dataclass(frozen=True)
class ArticleMeta:
    """What the site needs of an article without its body; kept for every article between builds."""

    path: str
    key: str
    """The cache key of the article's full record (body HTML, text, search terms)."""
    front: FrontMatter
    body_line: int
    summary: str
    heading_ids: frozenset[str]
    links: tuple[tuple[str, int], ...]
    local_links: tuple[tuple[str, int], ...]
    reading_minutes: int

    @property
    def rel(self) -> str:
        """The file relative to articles/ (``faq/reset-2fa.md``): how the build state names it."""
        return self.path[len("articles/") :]


@dataclass(frozen=True)
class Entry:
    """An article with its place in the site."""

    meta: ArticleMeta
    slug: str
    url: str
    """Site-relative URL path without a leading slash: ``faq/reset-2fa/``."""
    category: Category

    @property
    def front(self) -> FrontMatter:
        return self.meta.front

    @property
    def title(self) -> str:
        return self.meta.front.title

    @property
    def summary(self) -> str:
        return self.meta.summary


@dataclass(frozen=True)
class Article:
    """An entry with its body, ready for the article template."""

    entry: Entry
    html: str
    """Body HTML with links resolved relative to the article page."""
    text: str
    headings: tuple[Heading, ...]

    @property
    def front(self) -> FrontMatter:
        return self.entry.front

    @property
    def title(self) -> str:
        return self.entry.title

    @property
    def slug(self) -> str:
        return self.entry.slug

    @property
    def url(self) -> str:
        return self.entry.url

    @property
    def category(self) -> Category:
        return self.entry.category

    @property
    def summary(self) -> str:
        return self.entry.summary

    @property
    def reading_minutes(self) -> int:
        return self.entry.meta.reading_minutes

    @property
    def source(self) -> ArticleMeta:
        return self.entry.meta


@dataclass(frozen=True)
class Library:
    """Every article that will be built, sorted by URL (the canonical order)."""

    entries: tuple[Entry, ...]
    categories: tuple[Category, ...]

    @cached_property
    def by_url(self) -> dict[str, Entry]:
        """Each entry by URL, indexed once for every stage that looks entries up."""
        return {e.url: e for e in self.entries}

    @cached_property
    def by_slug(self) -> dict[str, Entry]:
        return {e.slug: e for e in self.entries}
