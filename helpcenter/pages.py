"""Plan every page of the site: which template, at which path, with which values, and a key.

Pure: a Library and a config in, PageSpecs out. Templates only format what is planned here. A
page's ``key`` hashes everything its HTML depends on (the templates and the settings through
their key), so an incremental build renders only pages whose key changed.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import math
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any, NamedTuple

from .config import SiteConfig
from .formatting import display_date, display_number, iso_date
from .front_matter import instant
from .model import Category, Entry, Library

ORDERINGS = ("newest", "popular")


class PageSpec(NamedTuple):
    """A named tuple: every build plans one per page (12,000 at 10,000 articles)."""

    path: str
    """Output file, relative to the output folder: ``faq/page/2/index.html``."""
    template: str
    url: str
    """Site-relative URL of the page: ``faq/page/2/`` (``""`` is the home page)."""
    key: str
    """Hash of the page's inputs, the templates' key included."""
    context: Callable[[], dict[str, Any]]
    """Builds the template values; called only when the page is rendered."""


@dataclass(frozen=True)
class Tab:
    id: str
    """``all`` or a category id."""
    label: str
    url: str
    count: int


class Item(NamedTuple):
    """An article as a listing shows it (and as the search page's results look). A named
    tuple: every build makes one per article, and a frozen dataclass took five times as long."""

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


def item_for(entry: Entry, config: SiteConfig) -> Item:
    front = entry.front
    return Item(
        title=entry.title,
        url=entry.url,
        summary=entry.summary,
        category=entry.category,
        published=display_date(front.published, config.locale),
        published_iso=iso_date(front.published),
        updated=display_date(front.updated, config.locale),
        updated_iso=iso_date(front.updated),
        views=front.views,
        views_display=display_number(front.views, config.locale),
    )


@lru_cache(maxsize=16384)
def _seconds(value: dt.date) -> float:
    # Memoised: a site has a few thousand distinct dates, each sorted on many times per build.
    return instant(value).timestamp()


def _newest_key(e: Entry) -> tuple[float, float, str]:
    return (-_seconds(e.front.updated), -_seconds(e.front.published), e.url)


def _popular_key(e: Entry) -> tuple[int, float, str]:
    return (-e.front.views, -_seconds(e.front.updated), e.url)


def newest_first(entries: Sequence[Entry]) -> list[Entry]:
    return sorted(entries, key=_newest_key)


class Orders(NamedTuple):
    """Every article's URL newest first, and most viewed first: what the listings page through."""

    newest: list[str]
    popular: list[str]


def orders(library: Library, known: Orders | None = None, moved: Collection[str] = ()) -> Orders:
    """The two orders. From ``known`` (the last build's) if only the articles in ``moved``
    (URLs) may have changed place among those it lists: articles gone are taken out, those
    moved or new are put in their place, instead of sorting every article again."""
    entries, by_url = library.entries, library.by_url
    if known is not None:
        listed = set(known.newest)
        moved = set(moved) | {u for u in by_url if u not in listed}
    if known is None or len(moved) > len(by_url) // 4:
        return Orders([e.url for e in newest_first(entries)], [e.url for e in sorted(entries, key=_popular_key)])
    newest = [u for u in known.newest if u in by_url and u not in moved]
    popular = [u for u in known.popular if u in by_url and u not in moved]
    for url in sorted(moved):
        bisect.insort(newest, url, key=lambda u: _newest_key(by_url[u]))
        bisect.insort(popular, url, key=lambda u: _popular_key(by_url[u]))
    return Orders(newest, popular)


class Items(dict[str, Item]):
    """url → Item, each made when first asked for: after an edit, the pages rendered show only
    a few dozen of the site's items."""

    def __init__(self, library: Library, config: SiteConfig):
        super().__init__()
        self._entries = library.by_url
        self._config = config

    def __missing__(self, url: str) -> Item:
        item = self[url] = LazyItem(url, partial(item_for, self._entries[url], self._config))  # type: ignore[assignment]
        return item  # type: ignore[return-value]


class LazyItem:
    """Reads as an Item, made when a field other than the URL is first read. A listing page
    hands its items to ``listing_item``, which needs only the URL while the item's markup is
    kept (fragments.py): an addition renders every listing page, and making its 10,000 items
    in each worker was a third of that work."""

    __slots__ = ("url", "_make", "_made")

    def __init__(self, url: str, make: Callable[[], Item]):
        self.url = url
        self._make = make
        self._made: Item | None = None

    @property
    def unwrapped(self) -> Item:
        """The Item itself (templates rendering many of its fields read it faster)."""
        made = self._made
        if made is None:
            made = self._made = self._make()
        return made

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.unwrapped, name)


ItemKeys = dict[str, tuple[tuple[Any, ...], str]]
"""url → (what the item was made from, its key): kept between builds."""


def item_keys(library: Library, config: SiteConfig, items: Mapping[str, Item], known: ItemKeys, same: Collection[str] = ()) -> ItemKeys:
    """Each item's key, reused from ``known`` when the item is made from the same values: the
    article's record key (its front matter and summary), views, category and locale (the URL
    is the key of both); at once for the URLs in ``same``, known to be made from the same values."""
    out: ItemKeys = {}
    locale = config.locale
    for entry in library.entries:
        url = entry.url
        found = known.get(url)
        if found is not None and url in same:
            out[url] = found
            continue
        category = entry.category
        origin = (entry.meta.key, entry.front.views, category.id, category.label, locale)
        out[url] = found if found is not None and found[0] == origin else (origin, item_key(items[url]))
    return out


def item_key(item: Item) -> str:
    """A short digest of everything an item shows (page keys are built from these)."""
    c = item.category
    raw = "\0".join(
        (item.title, item.url, item.summary, c.id, c.label, item.published, item.published_iso, item.updated, item.updated_iso, item.views_display)
    )
    return hashlib.blake2b(raw.encode("utf-8"), digest_size=12).hexdigest()


def unwrapped(item: Item | LazyItem) -> Item:
    """The Item itself, of an Item or a LazyItem (templates reading many fields read it faster)."""
    return item.unwrapped if isinstance(item, LazyItem) else item


def tab_url(tab_id: str, ordering: str = "newest", page: int = 1) -> str:
    base = "" if tab_id == "all" else f"{tab_id}/"
    if ordering == "popular":
        base += "popular/"
    if page > 1:
        base += f"page/{page}/"
    return base


def tabs_for(library: Library) -> list[Tab]:
    counts = {c.id: 0 for c in library.categories}
    for entry in library.entries:
        counts[entry.category.id] += 1
    tabs = [Tab("all", "All", tab_url("all"), len(library.entries))]
    tabs += [Tab(c.id, c.label, tab_url(c.id), counts[c.id]) for c in library.categories]
    return tabs


@dataclass(frozen=True)
class Pagination:
    number: int
    count: int
    previous: str | None
    next: str | None
    links: list[tuple[int | None, str | None]]
    """(page number, url) with (None, None) for a gap."""


def pagination(number: int, count: int, url_of: Callable[[int], str]) -> Pagination:
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


def page_key(*parts: object) -> str:
    return hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=16).hexdigest()


def listing_key(base: Any, url: str, pages: int, item_keys: Iterable[str]) -> str:
    """A listing page's key: ``base`` (a hash fed with what every listing page shares) with its
    URL, its number of pages and its items' keys. Cheaper than page_key's repr of them all."""
    digest = base.copy()
    digest.update(f"\0{url}\0{pages}\0{chr(0).join(item_keys)}".encode("utf-8"))
    return digest.hexdigest()


def plan_listings(
    library: Library,
    config: SiteConfig,
    items: Mapping[str, Item],
    keys: Mapping[str, str],
    tabs: Sequence[Tab],
    templates: str,
    ordered_by: Orders,
    known: Mapping[str, str] | None = None,
) -> Iterator[PageSpec]:
    """Every listing page: each tab in each order, page by page.

    ``items`` and ``keys`` give each article's listing item and its key (see Items,
    item_keys); ``tabs``: see tabs_for; ``templates`` is the key of the templates and settings
    (templates.templates_key); ``ordered_by``: the listings' orders (see ``orders``). They do
    not depend on related lists: a build can render them while it makes those. ``known``:
    page keys (by path) to take as they are, from a build whose listings showed the same."""
    # What every listing page's key starts from, hashed once (a key each, 2,000 at 10,000 articles).
    base = hashlib.blake2b(repr((templates, "listing", _tabs_key(tabs), config.most_viewed)).encode("utf-8"), digest_size=16)
    # Each order split by category in one pass, not filtered again for each tab (planning the
    # listing pages at 10,000 articles: 32 → 25 ms, and 14 ms with the keys below).
    category_of = {e.url: e.category.id for e in library.entries}
    split: dict[tuple[str, str], list[str]] = {}
    for ordering in ORDERINGS:
        order = ordered_by.newest if ordering == "newest" else ordered_by.popular
        split[("all", ordering)] = order
        groups: dict[str, list[str]] = defaultdict(list)
        for url in order:
            groups[category_of[url]].append(url)
        split.update(((category, ordering), members) for category, members in groups.items())
    for tab in tabs:
        for ordering in ORDERINGS:
            ordered = split.get((tab.id, ordering), [])
            if ordering == "popular":
                # The top articles: paging on through the least viewed serves no reader, and
                # an addition or deletion rendered every one of those pages again.
                ordered = ordered[: config.most_viewed]
            pages = max(1, math.ceil(len(ordered) / config.page_size))
            for number in range(1, pages + 1):
                members = ordered[(number - 1) * config.page_size : number * config.page_size]
                url = tab_url(tab.id, ordering, number)
                key = known.get(url + "index.html") if known is not None else None
                if key is None:
                    key = listing_key(base, url, pages, map(keys.__getitem__, members))
                # The values only when the page is rendered: after an edit, few of them are.
                context = partial(_listing_context, tab, tabs, ordering, items, members, number, pages, url, len(ordered))
                yield PageSpec(url + "index.html", "listing.html", url, key, context)


def _tabs_key(tabs: Sequence[Tab]) -> str:
    return repr([(t.id, t.label, t.url, t.count) for t in tabs])


def _listing_context(
    tab: Tab,
    tabs: Sequence[Tab],
    ordering: str,
    items: Mapping[str, Item],
    members: list[str],
    number: int,
    pages: int,
    url: str,
    listed: int,
) -> dict[str, Any]:
    return {
        "listed": listed,
        "tab": tab,
        "tabs": tabs,
        "ordering": ordering,
        "orderings": [(o, tab_url(tab.id, o)) for o in ORDERINGS],
        "items": [items[u] for u in members],
        "show_category": tab.id == "all",
        "pagination": pagination(number, pages, lambda n: tab_url(tab.id, ordering, n)),
        "is_home": url == "",
    }


def plan_other_pages(
    library: Library,
    config: SiteConfig,
    tabs: Sequence[Tab],
    related: Mapping[str, Sequence[str]],
    article_inputs: Callable[[Entry], object],
    article_context: Callable[[Entry], dict[str, Any]],
    items: Mapping[str, Item],
    keys: Mapping[str, str],
    templates: str,
    article_keys: Mapping[str, str] = {},
) -> Iterator[PageSpec]:
    """Every page but the listings: articles, search and 404.

    ``related`` maps an article URL to its related URLs; ``article_inputs`` gives what an
    article's body depends on (record key, link targets); ``article_context`` loads an
    article's body for rendering; ``article_keys``: article pages' keys known to be unchanged
    (URL → key); the others as for plan_listings.
    """
    tabs_key = _tabs_key(tabs)
    for entry in library.entries:
        key = article_keys.get(entry.url)
        if key is None:
            related_urls = related.get(entry.url, ())
            key = page_key(templates, "article", entry.url, keys[entry.url], [keys[u] for u in related_urls], article_inputs(entry))
        yield PageSpec(
            entry.url + "index.html",
            "article.html",
            entry.url,
            key,
            lambda e=entry: {**article_context(e), "item": unwrapped(items[e.url]), "related": [unwrapped(items[u]) for u in related.get(e.url, ())]},
        )
    labels = {"all": "All", **{c.id: c.label for c in config.categories}}
    search_config = {"index": "./", "root": "../", "labels": labels, "site": config.title, "lang": config.lang}
    search = {"tabs": tabs, "search_config": search_config}
    yield PageSpec("search/index.html", "search.html", "search/", page_key(templates, "search", tabs_key, search_config), lambda: search)
    yield PageSpec("404.html", "404.html", "404.html", page_key(templates, "404", tabs_key), lambda: {"tabs": tabs})


def article_context(entry: Entry, html: str, headings: Sequence[Any]) -> dict[str, Any]:
    from .model import Article

    article = Article(entry, html, "", tuple(headings))
    toc = [h for h in article.headings if h.level in (2, 3)]
    return {"article": article, "toc": toc if len(toc) >= 3 else []}
