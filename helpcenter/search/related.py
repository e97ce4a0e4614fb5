"""Related articles: more-like-this over title and body, same category preferred.

The definition is chosen so that a list depends only on the articles' terms, never on how
many articles there are, and so that the work per article does not grow with the site:

- ``df(t)``: articles with term ``t`` in their title or body. A term is a *key term
  candidate* of article ``d`` when ``2 ≤ df(t) ≤ MAX_KEY_DF`` (a word in one article finds
  nothing; a word in hundreds says little and would make the work grow with the site).
- ``weight_d(t) = (2·tf_title + tf_body) · idf(df)`` with the size-free
  ``idf(df) = ln(1 + 1000 / df)``; the key terms ``K(d)`` are the ten heaviest (ties: term order).
- ``score(d, c) = Σ_{t ∈ K(d)} idf(df(t)) · (2·[t in c's title] + [t in c's body])``;
  ``related(d)`` is the first five ``c ≠ d`` with a score, articles of ``d``'s category first,
  then by the score rounded to 1e-6, then slot.

Whoosh computes exactly this with ``engine.IndexReader.related`` (a more-like-this query with
a coordination weighting); this module computes the same with numpy for every article at once,
and a test holds the two equal.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from . import engine

KEY_TERMS = 10
RELATED = 5
MAX_KEY_DF = 200
REFERENCE_SIZE = 1000.0
SCALE = 1_000_000


def key_idf(df: int) -> float:
    return math.log(1 + REFERENCE_SIZE / df)


@dataclass(frozen=True)
class RelatedDoc:
    id: str
    slot: int
    category: int
    title: Mapping[str, int]
    body: Mapping[str, int]


def title_body_df(docs: Sequence[RelatedDoc]) -> dict[str, int]:
    df: dict[str, int] = {}
    for doc in docs:
        for term in doc.title.keys() | doc.body.keys():
            df[term] = df.get(term, 0) + 1
    return df


def key_terms(doc: RelatedDoc, df: Mapping[str, int]) -> list[str]:
    weighted = []
    for term in doc.title.keys() | doc.body.keys():
        n = df.get(term, 0)
        if 2 <= n <= MAX_KEY_DF:
            weighted.append((-(2 * doc.title.get(term, 0) + doc.body.get(term, 0)) * key_idf(n), term))
    weighted.sort()
    return [term for _, term in weighted[:KEY_TERMS]]


def related_lists(docs: Sequence[RelatedDoc], chunk: int = 512) -> dict[str, list[str]]:
    """id → up to five related ids, for every article."""
    if not docs:
        return {}
    df = title_body_df(docs)
    order = sorted(range(len(docs)), key=lambda i: docs[i].slot)
    docs = [docs[i] for i in order]  # slot order: index order is tie order
    keys = [key_terms(d, df) for d in docs]
    needed = sorted({t for k in keys for t in k})
    term_index = {t: i for i, t in enumerate(needed)}

    # Postings of the needed terms over title/body presence: CSR arrays (doc index, coefficient).
    rows: list[list[tuple[int, int]]] = [[] for _ in needed]
    for index, doc in enumerate(docs):
        for term in (doc.title.keys() | doc.body.keys()) & term_index.keys():
            rows[term_index[term]].append((index, 2 * (term in doc.title) + (term in doc.body)))
    starts = np.zeros(len(needed) + 1, dtype=np.int64)
    starts[1:] = np.cumsum([len(r) for r in rows])
    post_doc = np.fromiter((d for r in rows for d, _ in r), dtype=np.int64, count=int(starts[-1]))
    post_coef = np.fromiter((c for r in rows for _, c in r), dtype=np.float64, count=int(starts[-1]))
    idf = np.array([key_idf(df[t]) for t in needed], dtype=np.float64)
    category = np.array([d.category for d in docs], dtype=np.int64)

    result: dict[str, list[str]] = {}
    for first in range(0, len(docs), chunk):
        members = range(first, min(first + chunk, len(docs)))
        key_rows = [(local, term_index[t]) for local, i in enumerate(members) for t in keys[i]]
        if key_rows:
            local_of = np.array([r for r, _ in key_rows], dtype=np.int64)
            term_of = np.array([t for _, t in key_rows], dtype=np.int64)
            lengths = starts[term_of + 1] - starts[term_of]
            expand = np.repeat(np.arange(len(key_rows)), lengths)
            offsets = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
            positions = starts[term_of][expand] + offsets
            rows_ = local_of[expand]
            cols = post_doc[positions]
            weights = idf[term_of][expand] * post_coef[positions]
        else:
            rows_ = cols = np.zeros(0, dtype=np.int64)
            weights = np.zeros(0)
        result.update(_rank_chunk(members, rows_, cols, weights, category, docs))
    return result


def _rank_chunk(
    members: range,
    rows: np.ndarray,
    cols: np.ndarray,
    weights: np.ndarray,
    category: np.ndarray,
    docs: Sequence[RelatedDoc],
) -> dict[str, list[str]]:
    """Sum (row, col) weights sparsely, then take each row's top five."""
    n = len(docs)
    flat = rows * n + cols
    order = np.argsort(flat, kind="stable")
    flat, weights = flat[order], weights[order]
    unique, first = np.unique(flat, return_index=True)
    sums = np.add.reduceat(weights, first) if len(first) else np.zeros(0)
    row = unique // n
    col = unique % n
    doc_index = np.asarray(members)[row] if len(row) else row
    other = (category[col] != category[doc_index]).astype(np.int64)
    quantised = np.floor(sums * SCALE + 0.5).astype(np.int64)
    keep = (col != doc_index) & (quantised > 0)
    row, col, quantised, other = row[keep], col[keep], quantised[keep], other[keep]
    # Rank inside each row: same category first, score descending, then index (= slot order).
    ranking = np.lexsort((col, -quantised, other, row))
    row, col = row[ranking], col[ranking]
    out: dict[str, list[str]] = {docs[i].id: [] for i in members}
    if len(row):
        boundaries = np.flatnonzero(np.diff(row)) + 1
        starts = np.concatenate(([0], boundaries))
        for start, end in zip(starts, np.concatenate((boundaries, [len(row)]))):
            doc = docs[members[int(row[start])]]
            out[doc.id] = [docs[int(c)].id for c in col[start : min(end, start + RELATED)]]
    return out


def related_by_engine(reader: engine.IndexReader, docs: Sequence[RelatedDoc]) -> dict[str, list[str]]:
    """The same lists, each from a Whoosh more-like-this query: the reference the fast path is
    tested against (one query per article, so too slow for large sites)."""
    df = title_body_df(docs)
    by_id = {d.id: d for d in docs}
    out: dict[str, list[str]] = {}
    for doc in docs:
        clauses = []
        for term in key_terms(doc, df):
            weight = key_idf(df[term])
            clauses += [("title", term, 2 * weight), ("body", term, weight)]
        scored = []
        for hit in reader.search_clauses(clauses):
            if hit.id == doc.id:
                continue
            quantised = math.floor(hit.score * SCALE + 0.5)
            if quantised > 0:
                scored.append((by_id[hit.id].category != doc.category, -quantised, hit.slot, hit.id))
        out[doc.id] = [item[-1] for item in sorted(scored)[:RELATED]]
    return out
