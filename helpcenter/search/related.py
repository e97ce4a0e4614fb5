"""Related articles: more-like-this over title and body, same category first.

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

Whoosh computes exactly this with a more-like-this query per article (``related_by_engine``);
``update_related`` computes the same from the postings with numpy, for every article at once or
only for the articles an edit can affect, and tests hold the two equal.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from . import engine
from .postings import BODY, TITLE, DocTerms, Postings, distinct, runs

KEY_TERMS = 10
RELATED = 5
MAX_KEY_DF = 200
REFERENCE_SIZE = 1000.0
SCALE = 1_000_000
_IDF = [0.0] + [math.log(1 + REFERENCE_SIZE / df) for df in range(1, MAX_KEY_DF + 1)]
_IDF_ARRAY = np.array(_IDF, dtype=np.float64)


def key_idf(df: int) -> float:
    return _IDF[df] if df <= MAX_KEY_DF else math.log(1 + REFERENCE_SIZE / df)


@dataclass
class RelatedState:
    keys: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Article id → its key terms."""
    lists: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Article id → related article ids."""


def update_related(
    postings: Postings,
    articles: Mapping[int, tuple[str, int]],
    previous: RelatedState | None = None,
    changed_terms: set[str] | None = None,
    chunk: int = 64,
) -> RelatedState:
    """Related lists for ``articles`` (slot → (id, category index)).

    With ``previous`` and the terms whose postings changed since it, key terms are recomputed
    only for the articles that have a changed term in the key-term df range, or had one among
    their key terms; lists only for the articles whose key terms changed or include a changed
    term. Otherwise everything is computed.

    Lists are scored ``chunk`` articles at a time: the temporary arrays of 64 (a few MB) are
    made again in the memory the last chunk freed, where those of 512 (40 MB for an addition
    at 10,000 articles) were new memory, each page of it faulted in (10,600 faults; each costs
    2 µs or more on the benchmark machine). An addition's lists 95 -> 77 ms; all 10,000 lists
    514-596 -> 430-442 ms.
    """
    slots = np.array(sorted(articles), dtype=np.int64)
    df = postings.title_body_df()
    vocabulary = postings.vocabulary
    if previous is None or changed_terms is None:
        keys = _key_terms(postings, df)
        state = RelatedState(keys={articles[s][0]: tuple(vocabulary[t] for t in keys.get(s, ())) for s in slots.tolist()})
        affected = slots.tolist()
    else:
        state, keys, affected = _update_keys(postings, df, articles, previous, changed_terms)
    category = np.array([articles[s][1] for s in slots.tolist()], dtype=np.int64)
    # Each slot's place among the articles, looked up rather than searched for (390,000
    # postings' slots in the scoring of one addition at 10,000 articles).
    place = np.full(int(slots[-1]) + 1 if len(slots) else 0, -1, dtype=np.int64)
    place[slots] = np.arange(len(slots))
    for start in range(0, len(affected), chunk):
        members = affected[start : start + chunk]
        state.lists.update(_score(postings, members, keys, df, slots, place, category, articles))
    return state


def _update_keys(
    postings: Postings, df: np.ndarray, articles: Mapping[int, tuple[str, int]], previous: RelatedState, changed_terms: set[str]
) -> tuple[RelatedState, dict[int, list[int]], list[int]]:
    """The key terms brought up to date, with the lists still to recompute (see update_related).

    An article's key terms depend on its postings and its terms' df. A changed term ``t`` with
    ``df(t) ≤ MAX_KEY_DF`` now may weigh differently for every article having it; one above
    that range now is no key term anywhere, so only the articles whose key terms held it
    change. Any other article's postings and dfs in range are as before, and so are its keys.
    """
    ids, vocabulary = postings.ids, postings.vocabulary
    changed = np.array(sorted(ids[t] for t in changed_terms if t in ids), dtype=np.int64)
    in_range = changed[df[changed] <= MAX_KEY_DF]
    having = [int(s) for s in distinct(postings.slot[postings.rows_of(in_range)]).tolist() if int(s) in articles]
    candidates = set(having)
    for s, (article, _) in articles.items():
        known = previous.keys.get(article)
        if known is None or article not in previous.lists or not changed_terms.isdisjoint(known):
            candidates.add(s)
    keys = _key_terms(postings, df, _rows_of_slots(postings, candidates))
    current = {article for article, _ in articles.values()}
    state = RelatedState(
        keys={i: k for i, k in previous.keys.items() if i in current},
        lists={i: v for i, v in previous.lists.items() if i in current},
    )
    affected = set()
    for s in candidates:
        article = articles[s][0]
        fresh = tuple(vocabulary[t] for t in keys.get(s, ()))
        if previous.keys.get(article) != fresh or article not in previous.lists:
            affected.add(s)
        state.keys[article] = fresh
    # lists whose key terms include a changed term (one in range: key terms are) are scored again
    affected |= {s for s in having if not changed_terms.isdisjoint(state.keys[articles[s][0]])}
    for s in affected:
        if s not in keys:
            keys[s] = [ids[t] for t in state.keys[articles[s][0]]]
    return state, keys, sorted(affected)


def _rows_of_slots(postings: Postings, slots: set[int]) -> np.ndarray:
    """Row indexes of these articles' postings."""
    if not slots or not len(postings.slot):
        return np.zeros(0, dtype=np.int64)
    wanted = np.zeros(int(max(int(postings.slot.max()), max(slots))) + 1, dtype=bool)
    wanted[list(slots)] = True
    return np.flatnonzero(wanted[postings.slot])


def _key_terms(postings: Postings, df: np.ndarray, rows: np.ndarray | None = None) -> dict[int, list[int]]:
    """slot → key term ids, heaviest first (``df``: per term, articles with it in title or body);
    for the articles of ``rows`` (row indexes of their postings) only, if given."""
    tf_title = postings.tf[:, TITLE] if rows is None else postings.tf[rows, TITLE]
    tf_body = postings.tf[:, BODY] if rows is None else postings.tf[rows, BODY]
    terms = postings.term if rows is None else postings.term[rows]
    slots = postings.slot if rows is None else postings.slot[rows]
    term_df = df[terms]
    eligible = np.flatnonzero(((tf_title > 0) | (tf_body > 0)) & (term_df >= 2) & (term_df <= MAX_KEY_DF))
    if not len(eligible):
        return {}
    terms, slots = terms[eligible], slots[eligible]
    idf = _IDF_ARRAY[term_df[eligible]]
    weight = (2 * tf_title[eligible].astype(np.int64) + tf_body[eligible].astype(np.int64)).astype(np.float64) * idf
    order = np.lexsort((_term_rank(postings.vocabulary, terms), -weight, slots))
    ordered_slots = slots[order]
    ordered_terms = terms[order]
    starts, ends = runs(ordered_slots)
    out: dict[int, list[int]] = {}
    for a, b in zip(starts.tolist(), ends.tolist()):
        out[int(ordered_slots[a])] = ordered_terms[a : min(b, a + KEY_TERMS)].tolist()
    return out


def _term_rank(vocabulary: Sequence[str], terms: np.ndarray) -> np.ndarray:
    """Each of ``terms`` (ids) ranked by its text: the tie-break between equal weights."""
    present = distinct(terms)
    order = sorted(range(len(present)), key=lambda i: vocabulary[present[i]])
    rank = np.empty(len(present), dtype=np.int64)
    rank[order] = np.arange(len(present))
    return rank[np.searchsorted(present, terms)]


def _score(
    postings: Postings,
    members: Sequence[int],
    keys: Mapping[int, list[int]],
    df: np.ndarray,
    slots: np.ndarray,
    place: np.ndarray,
    category: np.ndarray,
    articles: Mapping[int, tuple[str, int]],
) -> dict[str, tuple[str, ...]]:
    key_rows = [(local, t) for local, s in enumerate(members) for t in keys.get(s, ())]
    out: dict[str, tuple[str, ...]] = {articles[s][0]: () for s in members}
    if not key_rows:
        return out
    local_of = np.array([r for r, _ in key_rows], dtype=np.int64)
    term_of = np.array([t for _, t in key_rows], dtype=np.int64)
    starts, ends = postings.ranges(term_of)
    lengths = ends - starts
    expand = np.repeat(np.arange(len(key_rows)), lengths)
    rows = np.repeat(starts, lengths) + (np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths))
    coef = 2 * (postings.tf[rows, TITLE] > 0) + (postings.tf[rows, BODY] > 0)
    present = coef > 0
    expand, rows, coef = expand[present], rows[present], coef[present]
    idf = _IDF_ARRAY[df[term_of]]  # key terms have df ≤ MAX_KEY_DF
    weights = idf[expand] * coef
    cand = place[postings.slot[rows]]  # every posting's slot is in slots
    owner = local_of[expand]
    n = len(slots)
    flat = owner * n + cand
    if not len(flat):
        return out
    order = np.argsort(flat, kind="stable")
    flat, weights = flat[order], weights[order]
    first, _ = runs(flat)
    unique = flat[first]
    sums = np.add.reduceat(weights, first)
    row = unique // n
    col = unique % n
    doc_index = place[np.asarray(members, dtype=np.int64)][row]
    other = (category[col] != category[doc_index]).astype(np.int64)
    quantised = np.floor(sums * SCALE + 0.5).astype(np.int64)
    keep = (col != doc_index) & (quantised > 0)
    row, col, quantised, other = row[keep], col[keep], quantised[keep], other[keep]
    ranking = _ranking(row, other, quantised, col, len(members), n)
    row, col = row[ranking], col[ranking]
    starts, ends = runs(row)
    for start, end in zip(starts.tolist(), ends.tolist()):
        owner_slot = members[int(row[start])]
        out[articles[owner_slot][0]] = tuple(articles[int(slots[c])][0] for c in col[start : min(end, start + RELATED)].tolist())
    return out


def _ranking(row: np.ndarray, other: np.ndarray, quantised: np.ndarray, col: np.ndarray, rows: int, n: int) -> np.ndarray:
    """The order by row, then own category first, then score descending, then slot: one sort
    of a key made of all four where it fits in 63 bits (a lexsort of four keys took 30 ms of an
    addition's 125 ms of related lists at 10,000 articles), else the lexsort. Every (row, col)
    pair occurs once, so the key is unique and the order the same."""
    if not len(row):
        return np.zeros(0, dtype=np.int64)
    top = int(quantised.max())
    if 2 * rows * (top + 1) * n >= 1 << 63:
        return np.lexsort((col, -quantised, other, row))
    key = ((row * 2 + other) * (top + 1) + (top - quantised)) * n + col
    return np.argsort(key)


# --- the reference: the same lists from Whoosh ----------------------------------------------


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


def related_by_engine(reader: engine.IndexReader, docs: Sequence[RelatedDoc]) -> dict[str, tuple[str, ...]]:
    """The same lists, each from a Whoosh more-like-this query: the reference the fast path is
    tested against (one query per article, so too slow for large sites)."""
    df = title_body_df(docs)
    by_id = {d.id: d for d in docs}
    out: dict[str, tuple[str, ...]] = {}
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
        out[doc.id] = tuple(item[-1] for item in sorted(scored)[:RELATED])
    return out


def related_lists(docs: Sequence[RelatedDoc]) -> dict[str, tuple[str, ...]]:
    """Every article's list, computed from scratch (for tests and one-off use)."""
    postings = Postings.build([DocTerms.from_fields(d.slot, {"title": d.title, "body": d.body}, {}) for d in docs])
    return update_related(postings, {d.slot: (d.id, d.category) for d in docs}).lists
