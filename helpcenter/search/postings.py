"""Every (term, article) pair of the site, as numpy columns: the data behind the static export
and the related-articles lists, updated in place when articles change.

Rows are sorted by (term id, slot). A row holds the term's frequency in each of the four text
fields and the article's one-byte length code for each field (Whoosh's ``length_to_byte``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from . import engine

FIELDS = len(engine.TEXT_FIELDS)
TITLE, BODY = engine.TEXT_FIELDS.index("title"), engine.TEXT_FIELDS.index("body")


@dataclass(frozen=True)
class DocTerms:
    """One article's contribution: what ``analyse_fields`` found, at its slot."""

    slot: int
    terms: Mapping[str, Mapping[str, int]]
    """field → term → frequency."""
    lengths: Mapping[str, int]


@dataclass
class Postings:
    vocabulary: list[str] = field(default_factory=list)
    """term id → term; ids are never reused, so they stay valid between builds."""
    ids: dict[str, int] = field(default_factory=dict)
    term: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    slot: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    tf: np.ndarray = field(default_factory=lambda: np.zeros((0, FIELDS), dtype=np.uint32))
    code: np.ndarray = field(default_factory=lambda: np.zeros((0, FIELDS), dtype=np.uint8))
    totals: np.ndarray = field(default_factory=lambda: np.zeros(FIELDS, dtype=np.int64))
    """Sum over articles of each field's length (BM25's average field length × N)."""
    doc_count: int = 0

    # -- building ---------------------------------------------------------------------------
    def _term_id(self, term: str) -> int:
        found = self.ids.get(term)
        if found is None:
            found = self.ids[term] = len(self.vocabulary)
            self.vocabulary.append(term)
        return found

    def _rows(self, docs: Sequence[DocTerms]) -> tuple[np.ndarray, ...]:
        terms: list[int] = []
        slots: list[int] = []
        tfs: list[list[int]] = []
        codes: list[tuple[int, ...]] = []
        for doc in docs:
            merged: dict[str, list[int]] = {}
            for index, name in enumerate(engine.TEXT_FIELDS):
                for term, tf in doc.terms.get(name, {}).items():
                    row = merged.get(term)
                    if row is None:
                        row = merged[term] = [0] * FIELDS
                    row[index] = tf
            code = tuple(engine.length_code(doc.lengths.get(name, 0)) for name in engine.TEXT_FIELDS)
            for term, row in merged.items():
                terms.append(self._term_id(term))
                slots.append(doc.slot)
                tfs.append(row)
            codes.extend([code] * len(merged))
        return (
            np.array(terms, dtype=np.int32),
            np.array(slots, dtype=np.int64),
            np.array(tfs, dtype=np.uint32).reshape(-1, FIELDS),
            np.array(codes, dtype=np.uint8).reshape(-1, FIELDS),
        )

    def apply(self, remove: Iterable[tuple[int, Mapping[str, int]]], add: Sequence[DocTerms]) -> np.ndarray:
        """Remove articles (slot, field lengths) and add others; returns the touched term ids."""
        remove = list(remove)
        touched: list[np.ndarray] = []
        if remove:
            gone = np.isin(self.slot, np.array([s for s, _ in remove], dtype=np.int64))
            touched.append(np.unique(self.term[gone]))
            keep = ~gone
            self.term, self.slot, self.tf, self.code = self.term[keep], self.slot[keep], self.tf[keep], self.code[keep]
            for _, lengths in remove:
                self.totals -= np.array([lengths.get(n, 0) for n in engine.TEXT_FIELDS], dtype=np.int64)
            self.doc_count -= len(remove)
        if add:
            term, slot, tf, code = self._rows(add)
            touched.append(np.unique(term))
            for doc in add:
                self.totals += np.array([doc.lengths.get(n, 0) for n in engine.TEXT_FIELDS], dtype=np.int64)
            self.doc_count += len(add)
            # merge two sorted runs: the small one is inserted, the big one keeps its order
            order = np.lexsort((slot, term))
            term, slot, tf, code = term[order], slot[order], tf[order], code[order]
            where = np.searchsorted(self._keys(self.term, self.slot), self._keys(term, slot))
            self.term = np.insert(self.term, where, term)
            self.slot = np.insert(self.slot, where, slot)
            self.tf = np.insert(self.tf, where, tf, axis=0)
            self.code = np.insert(self.code, where, code, axis=0)
        if not touched:
            return np.zeros(0, dtype=np.int32)
        return np.unique(np.concatenate(touched)).astype(np.int32)

    @staticmethod
    def _keys(term: np.ndarray, slot: np.ndarray) -> np.ndarray:
        return term.astype(np.int64) * (1 << 40) + slot

    @classmethod
    def build(cls, docs: Sequence[DocTerms]) -> Postings:
        postings = cls()
        postings.apply((), docs)
        return postings

    # -- reading ----------------------------------------------------------------------------
    def ranges(self, term_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Row ranges [start, end) of the given terms."""
        starts = np.searchsorted(self.term, term_ids, side="left")
        ends = np.searchsorted(self.term, term_ids, side="right")
        return starts, ends

    def rows_of(self, term_ids: np.ndarray) -> np.ndarray:
        """Row indexes of the given terms, grouped by term, in the order given."""
        starts, ends = self.ranges(term_ids)
        lengths = ends - starts
        if not lengths.sum():
            return np.zeros(0, dtype=np.int64)
        offsets = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        return np.repeat(starts, lengths) + offsets

    def live_terms(self) -> int:
        return int(len(np.unique(self.term)))

    def document_frequency(self, fields_: Sequence[int]) -> np.ndarray:
        """Per term id: articles having the term in any of ``fields_``."""
        present = (self.tf[:, list(fields_)] > 0).any(axis=1)
        return np.bincount(self.term[present], minlength=len(self.vocabulary))
