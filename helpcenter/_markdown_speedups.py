"""Quicker stand-ins for two of Python-Markdown's tree processors, same output.

Inline patterns: the stock processor tries each of its 14 inline patterns on every text node, a Python call
and a regex scan each, although most text holds none of the characters a pattern needs:
that was a third of the Markdown time. Here a pattern is skipped when its text lacks every
character it needs. Triggers are keyed by the pattern's exact regex source, so a pattern we
do not know, or one whose regex a later Python-Markdown changes, is always tried: the
output stays Python-Markdown's.

Table of contents: the stock processor builds and serializes a TOC ``<div>`` for every
document and scans every element for a ``[TOC]`` marker to replace; helpcenter reads only
``toc_tokens``, so the div is built only when the document has a marker.

Attribute lists and backslash escapes: their tree processors visit every element of every
document, though one needs a ``{`` and the other a ``\\`` in the source to have anything to do;
they now run only when the (preprocessed) source has that character. Tree text comes from the
source lines (placeholders aside), and the preprocessor strips the STX/ETX characters escapes
are stashed with, so a document without the character has nothing for them to change.

``tests/test_markdown_speedups.py`` compares the output with the stock processors'.
"""

from __future__ import annotations

from typing import Any

import xml.etree.ElementTree as etree

from markdown import util
from markdown.extensions.attr_list import AttrListTreeprocessor
from markdown.extensions.toc import TocExtension, TocTreeprocessor
from markdown.treeprocessors import InlineProcessor, UnescapeTreeprocessor

# The pattern cannot match unless the text contains the first string or (if given) the second.
_TRIGGERS: dict[str, tuple[str, str | None]] = {
    r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)": ("`", None),
    r"\\(.)": ("\\", None),
    r"(?<!\!)\[": ("[", None),
    r"\!\[": ("![", None),
    r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>": ("<", None),
    r"<([^<> !]+@[^@<> ]+)>": ("<", None),
    r"  \n": ("  \n", None),
    r"(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)": ("&", None),
    r"\*|_": ("*", "_"),
}


def _triggers(pattern: Any) -> tuple[str, str | None] | None:
    source = getattr(pattern, "pattern", None)
    if source in _TRIGGERS:
        return _TRIGGERS[source]
    # Python-Markdown's inline HTML pattern is long and changes between releases; all of
    # its forms start with '<'.
    if type(pattern).__name__ == "HtmlInlineProcessor" and isinstance(source, str) and source.startswith("(<"):
        return ("<", None)
    return None


class FastInlineProcessor(InlineProcessor):
    """Drop-in for the 'inline' tree processor; see the module docstring."""

    def run(self, tree: Any, ancestors: list[str] | None = None) -> Any:
        # Built per document: extensions and deregistrations are settled by then.
        self._plan = [(p, *(_triggers(p) or (None, None))) for p in self.inlinePatterns]
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802
        if isinstance(data, util.AtomicString):
            return data
        plan = self._plan
        apply = self._InlineProcessor__applyPattern  # type: ignore[attr-defined]
        startIndex = 0
        count = len(plan)
        while patternIndex < count:
            pattern, first, second = plan[patternIndex]
            if first is not None and first not in data and (second is None or second not in data):
                patternIndex += 1
                startIndex = 0
                continue
            data, matched, startIndex = apply(pattern, data, patternIndex, startIndex)
            if not matched:
                patternIndex += 1
        return data


class FastTocTreeprocessor(TocTreeprocessor):
    """Drop-in for the 'toc' tree processor; see the module docstring. ``md.toc`` (the
    serialized div) is empty unless the document has a marker: helpcenter does not use it."""

    def run(self, doc: etree.Element) -> None:
        marker = self.marker
        self._has_marker = bool(marker) and any(el.text is not None and el.text.strip() == marker for el in doc.iter())
        super().run(doc)

    def build_toc_div(self, toc_list: list[Any]) -> etree.Element:
        return super().build_toc_div(toc_list) if self._has_marker else etree.Element("div")

    def replace_marker(self, root: etree.Element, elem: etree.Element) -> None:
        if self._has_marker:
            super().replace_marker(root, elem)


def _source_has(md: Any, character: str) -> bool:
    return any(character in line for line in md.lines)


class FastAttrListTreeprocessor(AttrListTreeprocessor):
    def run(self, doc: etree.Element) -> None:
        if _source_has(self.md, "{"):
            super().run(doc)


class FastUnescapeTreeprocessor(UnescapeTreeprocessor):
    def run(self, root: etree.Element) -> None:
        if _source_has(self.md, "\\"):
            super().run(root)


def _priority(md: Any, name: str) -> float:
    return next(item.priority for item in md.treeprocessors._priority if item.name == name)


def install(md: Any) -> None:
    """Replace ``md``'s inline, TOC, attribute-list and unescape processors, each at its own
    priority (only those that are the stock classes: another extension's stay as they are)."""
    md.treeprocessors.register(FastInlineProcessor(md), "inline", _priority(md, "inline"))
    for name, stock, fast in (("attr_list", AttrListTreeprocessor, FastAttrListTreeprocessor), ("unescape", UnescapeTreeprocessor, FastUnescapeTreeprocessor)):
        if name in md.treeprocessors and type(md.treeprocessors[name]) is stock:
            md.treeprocessors.register(fast(md), name, _priority(md, name))
    toc = next((e for e in md.registeredExtensions if isinstance(e, TocExtension)), None)
    if toc is not None and "toc" in md.treeprocessors:
        md.treeprocessors.register(FastTocTreeprocessor(md, toc.getConfigs()), "toc", _priority(md, "toc"))
