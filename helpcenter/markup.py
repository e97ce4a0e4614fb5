"""Markdown → HTML, plain text and headings, as one value per article.

Python-Markdown keeps per-document state on the ``Markdown`` object (toc tokens, stashed
HTML); we wrap it so callers get a ``Rendered`` value and never see that state. One
converter per (process, options) is reused with ``reset()``: building it costs more than
converting a typical article.
"""

from __future__ import annotations

import html
import importlib
import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import unquote, urlsplit

from .model import ARTICLE_SCHEME, FILE_SCHEME, Heading, Rendered


_EXTENSIONS = (
    ("tables", "TableExtension", {}),
    ("fenced_code", "FencedCodeExtension", {}),
    ("codehilite", "CodeHiliteExtension", {"guess_lang": False, "css_class": "highlight"}),
    ("toc", "TocExtension", {"permalink": "#", "permalink_title": "Link to this section", "toc_depth": "2-4"}),
    ("attr_list", "AttrListExtension", {}),
    ("admonition", "AdmonitionExtension", {}),
    ("sane_lists", "SaneListExtension", {}),
)
"""Python-Markdown's own extensions, in the order they register, as (module, class, settings)."""


@dataclass(frozen=True)
class MarkupOptions:
    raw_html: str = "sanitize"
    iframe_hosts: tuple[str, ...] = ()


class RenderError(Exception):
    """The body cannot be rendered at all (e.g. nesting too deep); carries a body line."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def render_markdown(body: str, source_dir: str, options: MarkupOptions) -> Rendered:
    """Render one article body. ``source_dir`` is the article's folder relative to articles/.

    Pure: the same arguments give the same value, so the result can be cached by their hash.
    """
    deep = _too_deep(body)
    if deep is not None:
        raise RenderError(deep, f"nested too deeply: lists or quotes more than {MAX_QUOTE_DEPTH} levels deep cannot be rendered")
    md = _converter(options)
    md.reset()
    try:
        out = md.convert(body)
    except RecursionError:
        _converter.cache_clear()  # a converter that failed midway keeps half its state
        raise RenderError(1, "nested too deeply: the Markdown could not be rendered") from None
    if options.raw_html != "allow":
        from ._sanitize import sanitize

        out = sanitize(out, options.iframe_hosts)
    # After sanitizing, so raw HTML links (<img src="qr.png">) are resolved like Markdown ones.
    out, links = _rewrite_links(out, source_dir)
    # Wide code blocks and tables scroll sideways; keyboard users must be able to reach them.
    out = out.replace("<pre>", '<pre tabindex="0">').replace("<table>", '<table tabindex="0">')
    headings = tuple(_flatten(md.toc_tokens))  # type: ignore[attr-defined]
    text = html_to_text(out)
    located = tuple((target, _line_of(body, raw)) for target, raw in links)
    local = tuple(
        (href, _line_of(body, f"({href}") if f"({href}" in body else _line_of(body, href))
        for href in dict.fromkeys(_HREF.findall(out))
        if (href.startswith("#") and len(href) > 1) or (href.startswith("/") and not href.startswith("//"))
    )
    return Rendered(
        html=out,
        text=text,
        headings=headings,
        first_paragraph=_first_paragraph(out),
        word_count=len(text.split()),
        links=located,
        ids=tuple(dict.fromkeys(_ID.findall(out))),
        local_links=local,
    )


_ID = re.compile(r'\sid="([^"]+)"')
_HREF = re.compile(r'\shref="([^"]*)"')


MAX_QUOTE_DEPTH = 100
MAX_INDENT = 400
_QUOTES = re.compile(r"[ \t]*(?:>[ \t]?)+")
_MARKERS = re.compile(r"[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)+")


def _too_deep(body: str) -> int | None:
    """The first body line nested beyond what Python-Markdown renders in reasonable time.

    Its list handling is superlinear in depth (800 levels take seconds, then recursion fails),
    so absurd nesting is refused up front, with its line, instead of hanging the build.
    """
    for number, line in enumerate(body.split("\n"), start=1):
        stripped = line.lstrip(" \t")
        if stripped.startswith(">"):
            m = _QUOTES.match(line)
            if m and m.group(0).count(">") > MAX_QUOTE_DEPTH:
                return number
        if len(line) - len(stripped) > MAX_INDENT // 4 and len(line[: len(line) - len(stripped)].expandtabs(4)) > MAX_INDENT:
            return number
        markers = _MARKERS.match(line)
        if markers and len(markers.group(0).split()) > MAX_QUOTE_DEPTH:
            return number
    return None


@lru_cache(maxsize=4)
def _converter(options: MarkupOptions) -> Any:
    return make_converter(options)


def make_converter(options: MarkupOptions, speedups: bool = True) -> Any:
    """A Python-Markdown converter for these options; ``speedups=False`` keeps Python-Markdown's
    own tree processors (the reference tests/test_markdown_speedups.py compares with)."""
    import markdown  # here: builds that render nothing never load Markdown and Pygments

    # Instances, not names: a name is looked up among every installed package's entry points
    # (30 ms, on every build that renders an article).
    extensions = [getattr(importlib.import_module(f"markdown.extensions.{module}"), name)(**settings) for module, name, settings in _EXTENSIONS]
    md = markdown.Markdown(extensions=extensions, output_format="html")
    if options.raw_html == "escape":
        # Raw HTML becomes visible text: drop the block and inline HTML recognisers.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
    if speedups:
        from ._markdown_speedups import install

        install(md)
    return md


_URL_ATTRIBUTE = re.compile(r' (href|src)="([^"]*)"')


def _rewrite_links(fragment: str, source_dir: str) -> tuple[str, list[tuple[str, str]]]:
    """Relative links to ``.md`` files become article placeholders, other relative links file
    placeholders; returns the HTML and (placeholder, link as written) pairs."""
    links: list[tuple[str, str]] = []

    def replace(m: re.Match[str]) -> str:
        raw = html.unescape(m.group(2))
        if not raw or not _is_relative(raw):
            return m.group(0)
        parts = urlsplit(raw)
        path = posixpath.normpath(posixpath.join(source_dir, unquote(parts.path)))
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        scheme = ARTICLE_SCHEME if path.endswith(".md") else FILE_SCHEME
        placeholder = f"{scheme}{path}{fragment}"
        links.append((placeholder, raw))
        return f' {m.group(1)}="{html.escape(placeholder)}"'

    return _URL_ATTRIBUTE.sub(replace, fragment), links


def _is_relative(url: str) -> bool:
    if url.startswith(("#", "/", "\\")):
        return False
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc and bool(parts.path)


def _line_of(body: str, raw: str) -> int:
    """1-based line of a link target in the body (Markdown's tree has no line numbers)."""
    index = body.find(raw)
    return body.count("\n", 0, index) + 1 if index >= 0 else 1


def _flatten(tokens: list[dict[str, object]]) -> list[Heading]:
    out: list[Heading] = []
    for token in tokens:
        out.append(Heading(int(token["level"]), str(token["id"]), html.unescape(str(token["name"]))))  # type: ignore[call-overload]
        out.extend(_flatten(token["children"]))  # type: ignore[arg-type]
    return out


_PERMALINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>')
_BLOCK = re.compile(
    r"</?(?:p|div|h[1-6]|li|ul|ol|tr|table|thead|tbody|blockquote|pre|dt|dd|dl|br|hr|section|figure|figcaption|details|summary)\b[^>]*>",
    re.I,
)
_CELL = re.compile(r"</?(?:td|th)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")
_BLANKS = re.compile(r"\n\s*\n+")
_SPACES = re.compile(r"[ \t\r\f\v]+")


def html_to_text(fragment: str) -> str:
    """Readable plain text: block elements become line breaks so words never run together."""
    text = _PERMALINK.sub("", fragment)
    text = _BLOCK.sub("\n\n", text)
    text = _CELL.sub(" ", text)
    # _SPACES never spans a line break, so one pass over the whole text equals one per line.
    text = _SPACES.sub(" ", html.unescape(_TAG.sub("", text)))
    lines = (line.strip() for line in text.split("\n"))
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


_FIRST_P = re.compile(r"<p>(.*?)</p>", re.S)


def _first_paragraph(fragment: str) -> str:
    m = _FIRST_P.search(fragment)
    return " ".join(html.unescape(_TAG.sub("", m.group(1))).split()) if m else ""


def cut_summary(text: str, limit: int = 200) -> str:
    """Cut at a word boundary, with an ellipsis when anything was cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + "…"
