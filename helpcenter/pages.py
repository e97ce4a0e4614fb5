"""Plan every page of the site: which template, at which path, with which values.

Pure: a Library and a config in, PageSpecs out. Templates only format what is planned here,
so the page logic is testable without rendering HTML.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .config import SiteConfig
from .formatting import display_date, display_number, iso_date
from .front_matter import instant
from .model import Article, Category, Library

ORDERINGS = ("newest", "popular")


@dataclass(frozen=True)
class PageSpec:
    path: str
    """Output file, relative to the output folder: ``faq/page/2/index.html``."""
    template: str
    url: str
    """Site-relative URL of the page: ``faq/page/2/`` (``""`` is the home page)."""
    context: dict[str, Any] = field(compare=False)


@dataclass(frozen=True)
class Tab:
    id: str
    """``all`` or a category id."""
    label: str
    url: str
    count: int


@dataclass(frozen=True)
class Item:
    """An article as a listing shows it (and as the search page's results look)."""

    title: str
    url: str
    summary: str
    category: Category
    published: str
    published_iso: str
    updated: str
    updated_iso: str
    views: int
    views_display: str


def item_for(article: Article, config: SiteConfig) -> Item:
    front = article.front
    return Item(
        title=article.title,
        url=article.url,
        summary=article.summary,
        category=article.category,
        published=display_date(front.published, config.locale),
        published_iso=iso_date(front.published),
        updated=display_date(front.updated, config.locale),
        updated_iso=iso_date(front.updated),
        views=front.views,
        views_display=display_number(front.views, config.locale),
    )


def newest_first(articles: Sequence[Article]) -> list[Article]:
    return sorted(articles, key=lambda a: (-instant(a.front.updated).timestamp(), -instant(a.front.published).timestamp(), a.url))


def most_viewed(articles: Sequence[Article]) -> list[Article]:
    return sorted(articles, key=lambda a: (-a.front.views, -instant(a.front.updated).timestamp(), a.url))


def tab_url(tab_id: str, ordering: str = "newest", page: int = 1) -> str:
    base = "" if tab_id == "all" else f"{tab_id}/"
    if ordering == "popular":
        base += "popular/"
    if page > 1:
        base += f"page/{page}/"
    return base


def tabs_for(library: Library) -> list[Tab]:
    counts = {c.id: 0 for c in library.categories}
    for article in library.articles:
        counts[article.category.id] += 1
    tabs = [Tab("all", "All", tab_url("all"), len(library.articles))]
    tabs += [Tab(c.id, c.label, tab_url(c.id), counts[c.id]) for c in library.categories]
    return tabs


def plan_listings(library: Library, config: SiteConfig, items: Mapping[str, Item]) -> Iterator[PageSpec]:
    tabs = tabs_for(library)
    for tab in tabs:
        members = [a for a in library.articles if tab.id == "all" or a.category.id == tab.id]
        for ordering in ORDERINGS:
            ordered = newest_first(members) if ordering == "newest" else most_viewed(members)
            pages = max(1, math.ceil(len(ordered) / config.page_size))
            for number in range(1, pages + 1):
                chunk = ordered[(number - 1) * config.page_size : number * config.page_size]
                url = tab_url(tab.id, ordering, number)
                yield PageSpec(
                    path=url + "index.html",
                    template="listing.html",
                    url=url,
                    context={
                        "tab": tab,
                        "tabs": tabs,
                        "ordering": ordering,
                        "orderings": [(o, tab_url(tab.id, o)) for o in ORDERINGS],
                        "items": [items[a.url] for a in chunk],
                        "show_category": tab.id == "all",
                        "pagination": pagination(number, pages, lambda n: tab_url(tab.id, ordering, n)),
                        "is_home": url == "",
                    },
                )


@dataclass(frozen=True)
class Pagination:
    number: int
    count: int
    previous: str | None
    next: str | None
    links: list[tuple[int | None, str | None]]
    """(page number, url) with (None, None) for a gap."""


def pagination(number: int, count: int, url_of: Any) -> Pagination:
    shown = sorted({1, count, *range(max(1, number - 2), min(count, number + 2) + 1)})
    links: list[tuple[int | None, str | None]] = []
    previous = 0
    for n in shown:
        if n - previous > 1:
            links.append((None, None))
        links.append((n, url_of(n)))
        previous = n
    return Pagination(
        number=number,
        count=count,
        previous=url_of(number - 1) if number > 1 else None,
        next=url_of(number + 1) if number < count else None,
        links=links,
    )


def plan_article(article: Article, item: Item, related: Sequence[Item]) -> PageSpec:
    toc = [h for h in article.headings if h.level in (2, 3)]
    return PageSpec(
        path=article.url + "index.html",
        template="article.html",
        url=article.url,
        context={
            "article": article,
            "item": item,
            "toc": toc if len(toc) >= 3 else [],
            "related": list(related),
        },
    )


def plan_pages(
    library: Library,
    config: SiteConfig,
    related: Mapping[str, Sequence[str]],
) -> Iterator[PageSpec]:
    """Every page: listings, articles, search and 404. ``related`` maps URL → related URLs."""
    items = {a.url: item_for(a, config) for a in library.articles}
    yield from plan_listings(library, config, items)
    for article in library.articles:
        yield plan_article(article, items[article.url], [items[u] for u in related.get(article.url, ())])
    tabs = tabs_for(library)
    labels = {"all": "All", **{c.id: c.label for c in config.categories}}
    search_config = {"index": "./", "root": "../", "labels": labels, "site": config.title, "lang": config.lang}
    yield PageSpec("search/index.html", "search.html", "search/", {"tabs": tabs, "search_config": search_config})
    yield PageSpec("404.html", "404.html", "404.html", {"tabs": tabs})
