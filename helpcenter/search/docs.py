"""From articles to what the engine and the export index: analysis, display values, digests."""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..formatting import display_date, display_number, iso_date, timestamp
from ..model import Entry
from . import engine


@dataclass(frozen=True)
class Analysis:
    """An article's index terms: a pure function of its text, cached by hash.

    Compact on purpose (records of every article are kept and moved between processes): the
    distinct terms, and a row of per-field frequencies for each.
    """

    terms: tuple[str, ...]
    tf: np.ndarray
    """shape (len(terms), number of fields): frequency of each term in each field."""
    lengths: dict[str, int]

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # Pickled as one string and read back interned: a large build holds the records of
        # thousands of articles whose terms are mostly the same few thousand words, so each
        # word is kept once instead of once per article (a third of the build's memory).
        return _restore, ("\n".join(self.terms), self.tf, self.lengths)

    def get(self, field: str, default: Any = None) -> dict[str, int]:
        """term → frequency in one field (what the Whoosh field is fed)."""
        column = self.tf[:, engine.TEXT_FIELDS.index(field)]
        present = np.flatnonzero(column)  # most terms are absent from title, summary and tags
        terms = self.terms
        return {terms[i]: f for i, f in zip(present.tolist(), column[present].tolist())}


def _restore(terms: str, tf: np.ndarray, lengths: dict[str, int]) -> Analysis:
    return Analysis(tuple(map(sys.intern, terms.split("\n"))) if terms else (), tf, lengths)


def analyse_fields(title: str, summary: str, tags: Sequence[str], text: str) -> Analysis:
    values = {"title": title, "summary": summary, "tags": " ".join(tags), "body": text}
    rows: dict[str, list[int]] = {}
    lengths: dict[str, int] = {}
    width = len(engine.TEXT_FIELDS)
    for index, name in enumerate(engine.TEXT_FIELDS):
        counts, length = engine.count_terms(values[name])
        for term, tf in counts.items():
            row = rows.get(term)
            if row is None:
                row = rows[term] = [0] * width
            row[index] = tf
        lengths[name] = length
    terms = tuple(sorted(rows))
    tf = np.array([rows[t] for t in terms], dtype=np.uint32).reshape(-1, width)
    return Analysis(terms, tf, lengths)


def display_values(entry: Entry, locale: str) -> dict[str, Any]:
    """What a search result shows, formatted as the listings format it."""
    front = entry.front
    return {
        "id": entry.slug,
        "url": entry.url,
        "title": entry.title,
        "category": entry.category.id,
        "published": iso_date(front.published),
        "updated": iso_date(front.updated),
        "published_display": display_date(front.published, locale),
        "updated_display": display_date(front.updated, locale),
        "views": front.views,
        "views_display": display_number(front.views, locale),
    }


def sort_keys(entry: Entry) -> tuple[int, int]:
    """(updated seconds, views): what 'newest' and 'most viewed' sort by."""
    return timestamp(entry.front.updated), entry.front.views


def index_doc(entry: Entry, slot: int, analysis: Analysis, text: str, display: dict[str, Any], digest: str) -> engine.IndexDoc:
    stored = {
        **display,
        "summary": entry.summary,
        "text": text,
        "updated_ts": timestamp(entry.front.updated),
        "published_ts": timestamp(entry.front.published),
    }
    return engine.IndexDoc(entry.slug, slot, digest, analysis, analysis.lengths, stored)


def doc_digest(entry: Entry, slot: int, locale: str) -> str:
    """Changes whenever anything the index or the export holds for this article changes: its
    file (the record key), its place (slug, URL, slot, category), its views and the locale.
    Category labels are not in the index or the export (pages carry them)."""
    raw = "\0".join((entry.meta.key, entry.slug, entry.url, str(slot), entry.category.id, locale, str(entry.front.views)))
    return hashlib.blake2b(raw.encode("utf-8"), digest_size=16).hexdigest()
