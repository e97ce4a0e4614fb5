"""The one query language, on the Python side: plain words, AND-ed, falling back to OR.

The browser's search.js implements the same rules over the export; tests hold them equal.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import engine
from .excerpt import make_excerpt

MAX_TERMS = 20
"""A pasted paragraph must not become 300 lookups; both sides keep the first 20 distinct terms."""
SCORE_SCALE = 1_000_000
SORTS = ("relevance", "newest", "views")


def query_terms(text: str) -> list[str]:
    """Distinct index terms of a query, in order: NFC, then the index's own analyzer."""
    seen: dict[str, None] = {}
    for term in engine.analyze(unicodedata.normalize("NFC", text)):
        seen.setdefault(term, None)
        if len(seen) == MAX_TERMS:
            break
    return list(seen)


def quantise(score: float) -> int:
    """Scores compare after rounding to 1e-6: float sums in another order (the browser's)
    differ in the last bits, which must not reorder results."""
    return math.floor(score * SCORE_SCALE + 0.5)


@dataclass(frozen=True)
class Result:
    id: str
    url: str
    title: str
    category: str
    score: float
    published: str
    updated: str
    views: int
    excerpt_html: str


@dataclass(frozen=True)
class Response:
    query: str
    terms: list[str]
    mode: str
    """'all' (every word matched), 'any' (fell back to OR), or 'none' (no searchable words)."""
    tab: str | None
    sort: str
    total: int
    """Results in the chosen tab."""
    counts: dict[str, int]
    """Results per tab: 'all' and each category id."""
    results: list[Result] = field(default_factory=list)

    @property
    def notice(self) -> str | None:
        if self.mode == "any":
            return f"No results for all of '{' '.join(self.terms_shown)}'; showing results for any of them"
        if self.mode == "none" and self.query.strip():
            return "Type a word to search for: very common words like 'the' or 'and' are not searched on their own."
        return None

    @property
    def terms_shown(self) -> list[str]:
        return self.query.split()


def run_search(
    index: engine.SearchIndex,
    text: str,
    *,
    categories: list[str],
    tab: str | None = None,
    sort: str = "relevance",
    limit: int | None = 10,
    offset: int = 0,
    excerpts: bool = True,
) -> Response:
    """Search the index. ``tab`` is a category id or None for All; ``excerpts=False`` leaves
    excerpt_html empty (ranking only)."""
    terms = query_terms(text)
    counts = {"all": 0, **{c: 0 for c in categories}}
    if not terms:
        return Response(text, [], "none", tab, sort, 0, counts)
    with index.reader() as reader:
        hits = reader.search(terms, match_all=True)
        mode = "all"
        if not hits and len(terms) > 1:
            hits = reader.search(terms, match_all=False)
            mode = "any"
        ranked = rank(hits, sort)
        for hit in ranked:
            counts["all"] += 1
            counts[hit.stored["category"]] = counts.get(hit.stored["category"], 0) + 1
        chosen = [h for h in ranked if tab is None or h.stored["category"] == tab]
        page = chosen[offset : None if limit is None else offset + limit]
        results = [_result(h, terms if excerpts else None) for h in page]
    return Response(text, terms, mode, tab, sort, len(chosen), counts, results)


def rank(hits: list[engine.Hit], sort: str) -> list[engine.Hit]:
    if sort == "newest":
        return sorted(hits, key=lambda h: (-h.stored["updated_ts"], h.slot))
    if sort == "views":
        return sorted(hits, key=lambda h: (-h.stored["views"], h.slot))
    return sorted(hits, key=lambda h: (-quantise(h.score), h.slot))


def _result(hit: engine.Hit, terms: list[str] | None) -> Result:
    s: dict[str, Any] = hit.stored
    return Result(
        id=hit.id,
        url=s["url"],
        title=s["title"],
        category=s["category"],
        score=quantise(hit.score) / SCORE_SCALE,
        published=s["published"],
        updated=s["updated"],
        views=s["views"],
        excerpt_html="" if terms is None else make_excerpt(s["text"], terms, engine.analyze_with_offsets),
    )


def index_dir(cache_dir: Path) -> Path:
    return cache_dir / "index"
