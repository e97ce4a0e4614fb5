"""The allow-list HTML sanitizer (nh3) for article bodies.

It keeps what Markdown and its extensions produce (tables, code highlighting, admonitions,
heading anchors) and ordinary formatting, and drops everything that can run script: script
and style elements, event handler attributes, ``javascript:``/``data:`` URLs, and iframes
whose host is not allow-listed.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

import nh3

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd",
    "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s",
    "samp", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot",
    "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
}
_GLOBAL = {"id", "class", "title", "lang", "dir"}
_ATTRIBUTES = {
    "*": _GLOBAL,
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "style", "scope"},
    "ol": {"start", "type", "reversed"},
    "time": {"datetime"},
    "details": {"open"},
    "iframe": {"src", "width", "height", "allowfullscreen", "loading", "referrerpolicy"},
}
_SCHEMES = {"http", "https", "mailto", "tel"}
_EMPTY_IFRAME = re.compile(r"<iframe(?![^>]*\ssrc=)[^>]*>.*?</iframe>", re.S)


def sanitize(fragment: str, iframe_hosts: tuple[str, ...] = ()) -> str:
    return _cleaner(iframe_hosts)(fragment)


@lru_cache(maxsize=4)
def _cleaner(iframe_hosts: tuple[str, ...]):  # type: ignore[no-untyped-def]
    tags = set(_TAGS)
    hosts = frozenset(iframe_hosts)
    if hosts:
        tags.add("iframe")

    def keep(element: str, attribute: str, value: str) -> str | None:
        if element == "iframe" and attribute == "src":
            parts = urlsplit(value)
            return value if parts.scheme == "https" and (parts.hostname or "") in hosts else None
        return value

    # One Cleaner for the build: nh3.clean converts the allow-lists anew on every call (a
    # third of its time on an article).
    cleaner = nh3.Cleaner(
        tags=tags,
        attributes=_ATTRIBUTES,
        url_schemes=_SCHEMES,
        attribute_filter=keep if hosts else None,
        filter_style_properties={"text-align"},
        link_rel=None,
        strip_comments=True,
    )

    def clean(fragment: str) -> str:
        cleaned = cleaner.clean(fragment)
        # nh3 drops a refused iframe's src but keeps the element: drop the empty frame too.
        return _EMPTY_IFRAME.sub("", cleaned) if "<iframe" in cleaned else cleaned

    return clean
