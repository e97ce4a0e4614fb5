"""Related articles: more-like-this over title and body, ranked by the engine, same category first."""

from __future__ import annotations

from collections.abc import Sequence

from . import engine
from .query import quantise

KEY_TERMS = 10
RELATED = 5
MLT_FIELDS = ("title", "body")


def key_terms(doc: engine.IndexDoc, df: dict[str, int], doc_count: int) -> list[str]:
    """The terms that best characterise ``doc``: tf·idf over title (counted twice) and body.

    Terms in only this article find nothing; terms in over half the articles find everything.
    """
    title = doc.terms.get("title", {})
    body = doc.terms.get("body", {})
    weights = []
    for term in title.keys() | body.keys():
        n = df.get(term, 0)
        if n <= 1 or n * 2 > doc_count:
            continue
        tf = 2 * title.get(term, 0) + body.get(term, 0)
        weights.append((-tf * engine.idf(doc_count, n), term))
    return [term for _, term in sorted(weights)[:KEY_TERMS]]


def title_body_df(docs: Sequence[engine.IndexDoc]) -> dict[str, int]:
    df: dict[str, int] = {}
    for doc in docs:
        for term in doc.terms.get("title", {}).keys() | doc.terms.get("body", {}).keys():
            df[term] = df.get(term, 0) + 1
    return df


def related_ids(
    reader: engine.IndexReader,
    docs: Sequence[engine.IndexDoc],
    category_of: dict[str, str],
) -> dict[str, list[str]]:
    """id → up to five related ids, deterministic (ties break on slot)."""
    df = title_body_df(docs)
    out: dict[str, list[str]] = {}
    for doc in docs:
        terms = key_terms(doc, df, len(docs))
        hits = reader.search(terms, match_all=False, fields=MLT_FIELDS) if terms else []
        ranked = sorted((h for h in hits if h.id != doc.id), key=lambda h: (-quantise(h.score), h.slot))
        mine = category_of[doc.id]
        same = [h.id for h in ranked if category_of[h.id] == mine]
        other = [h.id for h in ranked if category_of[h.id] != mine]
        out[doc.id] = (same + other)[:RELATED]
    return out
