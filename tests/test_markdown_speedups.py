"""The fast inline, TOC, attribute-list and unescape processors give exactly Python-Markdown's output.

The inline one skips a pattern when the text lacks the characters the pattern needs; the TOC
one builds no TOC div for documents without a [TOC] marker; the other two do nothing for
documents without a '{' or a backslash. These tests compare them with the stock processors
(HTML and toc_tokens) on the sample, on generated help-center articles, and on random
Markdown full of the characters that start inline syntax.
"""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.corpus import generate
from helpcenter import _markdown_speedups, markup

ROOT = Path(__file__).resolve().parent.parent


def _converter(fast: bool, escape: bool = False) -> markdown.Markdown:
    return markup.make_converter(markup.MarkupOptions(raw_html="escape" if escape else "sanitize"), speedups=fast)


STOCK, FAST = _converter(False), _converter(True)
STOCK_ESCAPE, FAST_ESCAPE = _converter(False, escape=True), _converter(True, escape=True)


def _body(text: str) -> str:
    return text.split("\n---\n", 1)[1]


Converted = tuple[str, list[dict[str, object]]]


def _both(body: str, escape: bool = False) -> tuple[Converted, Converted]:
    """(HTML, TOC tokens) from the stock converter, then from the fast one."""
    stock, fast = (STOCK_ESCAPE, FAST_ESCAPE) if escape else (STOCK, FAST)
    stock.reset()
    fast.reset()
    return (stock.convert(body), stock.toc_tokens), (fast.convert(body), fast.toc_tokens)


def test_every_pattern_of_this_python_markdown_has_a_shortcut() -> None:
    # A Python-Markdown release that rewrites a pattern's regex loses its shortcut (still
    # correct, only slower); this says so instead of letting the build slow down unseen.
    missing = [type(p).__name__ for p in STOCK.inlinePatterns if _markdown_speedups._triggers(p) is None]
    assert missing == []


def test_the_converter_the_build_uses_has_the_fast_processor() -> None:
    md = markup._converter(markup.MarkupOptions())
    assert isinstance(md.treeprocessors["inline"], _markdown_speedups.FastInlineProcessor)
    assert isinstance(md.treeprocessors["toc"], _markdown_speedups.FastTocTreeprocessor)
    assert isinstance(md.treeprocessors["attr_list"], _markdown_speedups.FastAttrListTreeprocessor)
    assert isinstance(md.treeprocessors["unescape"], _markdown_speedups.FastUnescapeTreeprocessor)


@pytest.mark.parametrize(
    "body",
    ["## Fees {: #fees .wide }\n\ntext {: .note }\n", "a \\*literal\\* star and \\` tick\n\n## Head \\# {#h}\n", "`{: .x }` and \\\\ in code\n"],
)
def test_attribute_lists_and_escapes_still_apply(body: str) -> None:
    stock, fast = _both(body)
    assert fast == stock


def test_a_toc_marker_is_still_replaced() -> None:
    body = "# Title\n\n[TOC]\n\n## Fees\n\ntext [TOC] inside\n\n## Limits\n"
    stock, fast = _both(body)
    assert fast == stock
    assert '<div class="toc">' in fast[0] and "text [TOC] inside" in fast[0]


@pytest.mark.parametrize("path", sorted((ROOT / "articles").rglob("*.md")), ids=lambda p: p.name)
def test_sample_articles_render_the_same(path: Path) -> None:
    body = _body(path.read_text(encoding="utf-8"))
    stock, fast = _both(body)
    assert fast == stock


def test_generated_articles_render_the_same(tmp_path: Path) -> None:
    for path in generate(tmp_path, 80):
        stock, fast = _both(_body(path.read_text(encoding="utf-8")))
        assert fast == stock


_PIECES = st.sampled_from(
    ["word", " ", "  \n", "\n", "\n\n", "*", "**", "_", "__", "`", "``", "\\", "[", "]", "(", ")",
     "![", "<", ">", "&", "&amp;", "&#35;", ";", "http://x.y/", "a@b.c", "<b>", "</b>", "<!-- c -->",
     "[x]: /u", "# ", "## ", "[TOC]", "- ", "1. ", "> ", "|", "---", "~~~", "{: #id }", "{#h .c}", "\\*", "\\\\", "é", "\t"]
)


@settings(derandomize=True, database=None, max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join), st.booleans())
def test_random_markdown_renders_the_same(body: str, escape: bool) -> None:
    stock, fast = _both(body, escape)
    assert fast == stock
