"""Excerpts around the matched words, with <mark>: the same algorithm as the browser's search.js.

Lengths count code points (Python's str), and the browser counts the same way, so both sides
cut at the same places.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Collection

EXCERPT_CHARS = 300
LEAD_CHARS = 80

Tokens = list[tuple[str, int, int]]


def make_excerpt(text: str, terms: Collection[str], tokenize: Callable[[str], Tokens]) -> str:
    """HTML: an excerpt of ``text`` (≤ ~300 characters) with query terms in <mark>.

    ``text`` paragraphs are joined into one line first. The window is the one covering the
    most distinct query terms, then the most matches, then the earliest.
    """
    flat = " ".join(text.split())
    wanted = set(terms)
    matches = [(start, end, term) for term, start, end in tokenize(flat) if term in wanted]
    if not matches:
        start, end = 0, _snap_end(flat, EXCERPT_CHARS)
        return _render(flat, start, end, [])
    best: tuple[int, int, int] | None = None
    best_window = (0, 0)
    for first, _, _ in matches:
        start = _snap_start(flat, first - LEAD_CHARS)
        end = _snap_end(flat, start + EXCERPT_CHARS)
        inside = [m for m in matches if m[0] >= start and m[1] <= end]
        rank = (len({m[2] for m in inside}), len(inside), -start)
        if best is None or rank > best:
            best, best_window = rank, (start, end)
    start, end = best_window
    return _render(flat, start, end, [m for m in matches if m[0] >= start and m[1] <= end])


def _snap_start(text: str, position: int) -> int:
    """Move a window start forward to the start of a word (or keep 0)."""
    if position <= 0:
        return 0
    space = text.find(" ", position - 1)
    return 0 if space < 0 else space + 1


def _snap_end(text: str, position: int) -> int:
    """Move a window end back to the end of a word."""
    if position >= len(text):
        return len(text)
    space = text.rfind(" ", 0, position + 1)
    return position if space <= 0 else space


def _render(text: str, start: int, end: int, marks: list[tuple[int, int, str]]) -> str:
    parts = ["…"] if start > 0 else []
    cursor = start
    for m_start, m_end, _ in marks:
        parts.append(html.escape(text[cursor:m_start], quote=False))
        parts.append("<mark>" + html.escape(text[m_start:m_end], quote=False) + "</mark>")
        cursor = m_end
    parts.append(html.escape(text[cursor:end], quote=False))
    if end < len(text):
        parts.append("…")
    return "".join(parts)
