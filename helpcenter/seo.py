"""What search engines, feed readers and hosts read: sitemap, robots.txt, Atom feeds, redirects.

Pure functions of the library and the config; each returns the file's bytes. Sitemaps and feeds
need absolute URLs, so they are written only when ``base_url`` is set.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Iterable, Sequence

from .config import SiteConfig
from .front_matter import instant
from .model import Entry, Library

FEED_SIZE = 20


def _iso(value: dt.date) -> str:
    return instant(value).astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def sitemap(library: Library, config: SiteConfig, listing_urls: Sequence[str]) -> bytes:
    """Every article (lastmod = updated) and every listing page."""
    base = config.base_url or ""
    rows = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for url in listing_urls:
        rows.append(f"  <url><loc>{html.escape(base + url)}</loc></url>")
    for entry in library.entries:
        rows.append(f"  <url><loc>{html.escape(base + entry.url)}</loc><lastmod>{_iso(entry.front.updated)}</lastmod></url>")
    rows.append("</urlset>")
    return ("\n".join(rows) + "\n").encode("utf-8")


def robots(config: SiteConfig) -> bytes:
    lines = ["User-agent: *", "Allow: /"]
    if config.base_url:
        lines.append(f"Sitemap: {config.base_url}sitemap.xml")
    return ("\n".join(lines) + "\n").encode("utf-8")


def atom_feed(entries: Sequence[Entry], config: SiteConfig, title: str, path: str) -> bytes:
    """An Atom feed of the first ``FEED_SIZE`` articles (``entries``: newest first); ``path`` is
    the feed's own site path."""
    base = config.base_url or ""
    chosen = entries[:FEED_SIZE]
    updated = _iso(max((e.front.updated for e in chosen), key=instant)) if chosen else "1970-01-01T00:00:00Z"
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{config.lang}">',
        f"  <title>{html.escape(title)}</title>",
        f"  <id>{html.escape(base + path)}</id>",
        f'  <link rel="self" type="application/atom+xml" href="{html.escape(base + path)}"/>',
        f'  <link rel="alternate" type="text/html" href="{html.escape(base + path[: -len("feed.xml")])}"/>',
        f"  <updated>{updated}</updated>",
        f"  <author><name>{html.escape(config.title)}</name></author>",
    ]
    for entry in chosen:
        url = html.escape(base + entry.url)
        out += [
            "  <entry>",
            f"    <title>{html.escape(entry.title)}</title>",
            f'    <link rel="alternate" type="text/html" href="{url}"/>',
            f"    <id>{url}</id>",
            f"    <published>{_iso(entry.front.published)}</published>",
            f"    <updated>{_iso(entry.front.updated)}</updated>",
            f"    <summary>{html.escape(entry.summary)}</summary>",
            f'    <category term="{html.escape(entry.category.id)}" label="{html.escape(entry.category.label)}"/>',
            "  </entry>",
        ]
    out.append("</feed>")
    return ("\n".join(out) + "\n").encode("utf-8")


def feeds(library: Library, config: SiteConfig, newest: Sequence[str]) -> dict[str, bytes]:
    """``feed.xml`` (every article) and ``<category>/feed.xml`` for each category; ``newest``:
    the articles' URLs newest first (pages.orders)."""
    if not config.base_url:
        return {}
    ordered = [library.by_url[u] for u in newest]
    files = {"feed.xml": atom_feed(ordered, config, config.title, "feed.xml")}
    for category in config.categories:
        members = [e for e in ordered if e.category.id == category.id]
        path = f"{category.id}/feed.xml"
        files[path] = atom_feed(members, config, f"{category.label} · {config.title}", path)
    return files


def redirect_page(alias: str, entry: Entry, config: SiteConfig) -> bytes:
    """A small page at an old URL that sends readers (and search engines) to the article."""
    target = "../" * alias.count("/") + entry.url  # relative: right under any sub-path
    canonical = f'<link rel="canonical" href="{html.escape(config.base_url + entry.url)}">\n' if config.base_url else ""
    title = html.escape(entry.title)
    page = (
        "<!DOCTYPE html>\n"
        f'<html lang="{config.lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Moved: {title}</title>\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="refresh" content="0; url={html.escape(target)}">\n'
        f"{canonical}"
        '<meta name="robots" content="noindex">\n'
        "</head>\n<body>\n"
        f'<main><p>This page has moved to <a href="{html.escape(target)}">{title}</a>.</p></main>\n'
        "</body>\n</html>\n"
    )
    return page.encode("utf-8")


def redirects(aliased: Iterable[Entry], config: SiteConfig) -> dict[str, bytes]:
    """Redirect pages for every alias of these articles, and a ``_redirects`` file for hosts
    that read one. ``aliased``: the articles that give aliases (``assembly.Findings.aliased``;
    a pass over 10,000 articles without any took 9 ms of an addition)."""
    files: dict[str, bytes] = {}
    lines = []
    base = config.base_path
    for entry in aliased:
        for alias in entry.front.aliases:
            path = alias + "index.html" if alias.endswith("/") else alias
            files[path] = redirect_page(alias, entry, config)
            lines.append(f"{base}{alias} {base}{entry.url} 301")
    if lines:
        files["_redirects"] = ("\n".join(sorted(lines)) + "\n").encode("utf-8")
    return files


def json_ld(entry: Entry, config: SiteConfig) -> str:
    """Article and BreadcrumbList structured data for an article page (escaped for <script>)."""
    base = config.base_url
    article: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": entry.title,
        "description": entry.summary,
        "datePublished": entry.front.published.isoformat(),
        "dateModified": entry.front.updated.isoformat(),
        "inLanguage": config.lang,
        "publisher": {"@type": "Organization", "name": config.title},
    }
    crumbs = [("Help center", ""), (entry.category.label, f"{entry.category.id}/"), (entry.title, entry.url)]
    items = []
    for position, (name, url) in enumerate(crumbs, start=1):
        item: dict[str, object] = {"@type": "ListItem", "position": position, "name": name}
        if base:
            item["item"] = base + url
        items.append(item)
    if base:
        article["mainEntityOfPage"] = base + entry.url
    breadcrumb = {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": items}
    text = json.dumps([article, breadcrumb], ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    # Inside <script>: no "</" may appear, and no HTML comment openers.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
