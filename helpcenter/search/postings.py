"""Every (term, article) pair of the site, as numpy columns: the data behind the static export
and the related-articles lists, updated in place when articles change.

Rows are sorted by (term id, slot). A row holds the term's frequency in each of the four text
fields and the article's one-byte length code for each field (Whoosh's ``length_to_byte``).
"""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

import numpy as np
from isal import isal_zlib

from . import engine

FIELDS = len(engine.TEXT_FIELDS)
SPLICE_LIMIT = 50_000
"""Up to this many new rows are spliced in one by one; more are merged with whole-array operations."""
PIECES_LIMIT = 20_000
"""Up to this many rows are dropped by copying the runs between them; more, through a mask
(at 20,000 of two million rows, 37 against 59 ms)."""
TITLE, BODY = engine.TEXT_FIELDS.index("title"), engine.TEXT_FIELDS.index("body")


@dataclass(frozen=True)
class DocTerms:
    """One article's contribution: its distinct terms with per-field frequencies, at its slot."""

    slot: int
    terms: Sequence[str]
    tf: np.ndarray
    """shape (len(terms), FIELDS)."""
    lengths: Mapping[str, int]

    @classmethod
    def from_fields(cls, slot: int, fields: Mapping[str, Mapping[str, int]], lengths: Mapping[str, int]) -> DocTerms:
        """From field → term → frequency (tests and small tools)."""
        terms = sorted({t for counts in fields.values() for t in counts})
        tf = np.array(
            [[fields.get(name, {}).get(t, 0) for name in engine.TEXT_FIELDS] for t in terms], dtype=np.uint32
        ).reshape(-1, FIELDS)
        return cls(slot, terms, tf, lengths)


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
    _crcs: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64), repr=False)
    _df: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64), repr=False)
    """Per term id: articles having it in the title or the body (see title_body_df)."""
    _live: np.ndarray | None = field(default=None, repr=False, compare=False)
    """The ids of terms with postings, once asked for (see live_term_ids); None after a change."""
    _room: dict[str, np.ndarray] = field(default_factory=dict, repr=False, compare=False)
    """Column name → the buffer the column starts, with rows to spare (see _place); emptied
    whenever the columns are set otherwise (``_set``)."""

    # -- building ---------------------------------------------------------------------------
    def _term_id(self, term: str) -> int:
        found = self.ids.get(term)
        if found is None:
            found = self.ids[term] = len(self.vocabulary)
            self.vocabulary.append(term)
        return found

    def _rows(self, docs: Sequence[DocTerms]) -> tuple[np.ndarray, ...]:
        # Straight into arrays, never a Python list per posting: a first build has millions.
        counts = np.fromiter((len(d.terms) for d in docs), dtype=np.int64, count=len(docs))
        fresh: set[str] = set()
        for d in docs:
            fresh.update(d.terms)
        for word in sorted(fresh.difference(self.ids)):
            self._term_id(word)
        terms = np.fromiter(map(self.ids.__getitem__, chain.from_iterable(d.terms for d in docs)), dtype=np.int32, count=int(counts.sum()))
        slots = np.repeat(np.fromiter((d.slot for d in docs), dtype=np.int64, count=len(docs)), counts)
        tf = np.concatenate([d.tf for d in docs]).astype(np.uint32, copy=False) if docs else np.zeros((0, FIELDS), dtype=np.uint32)
        doc_codes = np.array(
            [[engine.length_code(d.lengths.get(n, 0)) for n in engine.TEXT_FIELDS] for d in docs], dtype=np.uint8
        ).reshape(-1, FIELDS)
        codes = np.repeat(doc_codes, counts, axis=0)
        return terms, slots, tf.reshape(-1, FIELDS), codes

    def apply(
        self, remove: Iterable[tuple[int, Mapping[str, int]]], add: Sequence[DocTerms], same_article: Collection[int] = ()
    ) -> np.ndarray:
        """Remove articles (slot, field lengths) and add others; returns the touched term ids:
        those whose rows changed. A slot in ``same_article`` is removed and added again for
        the same article (an edit): its rows that come back identical (frequencies and length
        codes) touch nothing, so an edit rewrites the search shards of the words it changed,
        not of every word in the article."""
        remove = list(remove)
        gone = np.zeros(0, dtype=np.int64)
        if remove:
            gone = np.flatnonzero(np.isin(self.slot, np.array([s for s, _ in remove], dtype=np.int64)))
            for _, lengths in remove:
                self.totals -= np.array([lengths.get(n, 0) for n in engine.TEXT_FIELDS], dtype=np.int64)
            self.doc_count -= len(remove)
        new: tuple[np.ndarray, ...] | None = None
        if add:
            term, slot, tf, code = self._rows(add)
            for doc in add:
                self.totals += np.array([doc.lengths.get(n, 0) for n in engine.TEXT_FIELDS], dtype=np.int64)
            self.doc_count += len(add)
            order = np.argsort(self._keys(term, slot))  # keys are unique: no stable sort needed
            new = term[order], slot[order], tf[order], code[order]
            del order
        touched = self._touched(gone, new, same_article)
        self._live = None
        self._count_df(self.term[gone], self.tf[gone], -1)
        if new is not None:
            self._count_df(new[0], new[2], 1)
        self._splice(gone, new)
        return touched

    def _count_df(self, term: np.ndarray, tf: np.ndarray, sign: int) -> None:
        df = self.title_body_df()
        present = term[(tf[:, TITLE] > 0) | (tf[:, BODY] > 0)]
        if len(present):
            df += sign * np.bincount(present, minlength=len(df))

    def _touched(self, gone: np.ndarray, new: tuple[np.ndarray, ...] | None, same_article: Collection[int]) -> np.ndarray:
        old_rows = (self.term[gone], self.slot[gone], self.tf[gone], self.code[gone])
        new_rows = new or (np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int64), np.zeros((0, FIELDS), dtype=np.uint32), np.zeros((0, FIELDS), dtype=np.uint8))
        old_keep = np.ones(len(gone), dtype=bool)
        new_keep = np.ones(len(new_rows[0]), dtype=bool)
        if len(same_article) and len(gone) and len(new_rows[0]):
            # keys are unique on each side: the rows of one (term, slot) before and after
            _, before, after = np.intersect1d(
                self._keys(old_rows[0], old_rows[1]), self._keys(new_rows[0], new_rows[1]), assume_unique=True, return_indices=True
            )
            same = (
                np.isin(old_rows[1][before], np.fromiter(same_article, dtype=np.int64, count=len(same_article)))
                & (old_rows[2][before] == new_rows[2][after]).all(axis=1)
                & (old_rows[3][before] == new_rows[3][after]).all(axis=1)
            )
            old_keep[before[same]] = False
            new_keep[after[same]] = False
        terms = np.concatenate((old_rows[0][old_keep], new_rows[0][new_keep])).astype(np.int32)
        return distinct(terms)

    _COLUMNS = ("term", "slot", "tf", "code")

    def _splice(self, gone: np.ndarray, new: tuple[np.ndarray, ...] | None) -> None:
        """Drop the rows ``gone`` (ascending) and merge the sorted rows ``new`` in, copying each
        column once: an edit changes a few hundred of two million rows."""
        columns = [getattr(self, name) for name in self._COLUMNS]
        if new is not None and not len(new[0]):
            new = None
        if new is not None and not len(columns[0]):  # a first build: nothing to merge with
            self._set(list(new))
            return
        if len(gone) > PIECES_LIMIT or (new is not None and len(new[0]) > SPLICE_LIMIT):
            # Many rows: whole-array operations instead.
            columns = _without(columns, gone)
            if new is not None:
                where = np.searchsorted(self._keys(columns[0], columns[1]), self._keys(new[0], new[1]))
                columns = [np.insert(column, where, rows, axis=0) for column, rows in zip(columns, new)]
            self._set(columns)
            return
        if new is None:
            if len(gone):  # a deletion's 200 rows of two million: 6 ms, against 55 ms for a mask
                self._place(_pieces(len(columns[0]), gone, []), None)
            return
        # Where each new row goes among the old ones: in its term's run, by slot.
        term, slot = columns[0], columns[1]
        lows = np.searchsorted(term, new[0], side="left").tolist()
        highs = np.searchsorted(term, new[0], side="right").tolist()
        where = [low + int(np.searchsorted(slot[low:high], s)) for low, high, s in zip(lows, highs, new[1].tolist())]
        self._place(_pieces(len(term), gone, where), new)

    def _set(self, columns: Sequence[np.ndarray]) -> None:
        for name, column in zip(self._COLUMNS, columns):
            setattr(self, name, column)
        self._room = {}

    def _place(self, pieces: Sequence[tuple[bool, int, int]], new: Sequence[np.ndarray] | None) -> None:
        """Make each column the concatenation of ``pieces`` (see _pieces), the new rows taken
        from the column's ``new`` rows. In place, in the buffer the column starts, if it has
        room: a new 64 MB of columns costs more to fault in than to fill (an edit at 10,000
        articles spliced its rows in 60–120 ms, against 6 ms in memory already used)."""
        length = sum(b - a for _, a, b in pieces)
        for name, rows in zip(self._COLUMNS, new or [None] * len(self._COLUMNS)):
            column = getattr(self, name)
            room = self._room.get(name)
            if room is not None and len(room) >= length:  # (a column is never longer than its buffer)
                _move(room, pieces, rows)
            else:
                room = _buffer(length, column.shape[1:], column.dtype)
                np.concatenate([(column if old else rows)[a:b] for old, a, b in pieces], out=room[:length])
            self._room[name] = room
            setattr(self, name, room[:length])

    @staticmethod
    def _keys(term: np.ndarray, slot: np.ndarray) -> np.ndarray:
        return term.astype(np.int64) * (1 << 40) + slot

    _ARRAYS = ("term", "slot", "tf", "code", "totals", "_crcs", "_df")

    def save(self, path: Path, token: str) -> None:
        """Write the arrays (``token`` ties them to the state that lists the vocabulary).

        A JSON header line, then the arrays' raw bytes: written and read at disk speed, where
        a zip (``np.savez``) took four times as long on every incremental build. The header
        holds a CRC-32 of the bytes, so damage is noticed and the postings rebuilt: ISA-L's,
        the same checksum as zlib's, in 4 ms for the 64 MB of 10,000 articles against 16.
        """
        self.term_crcs()
        self.title_body_df()
        arrays = [np.ascontiguousarray(getattr(self, name)) for name in self._ARRAYS]
        crc = 0
        for array in arrays:
            crc = isal_zlib.crc32(memoryview(array).cast("B"), crc)
        header = {
            "token": token,
            "doc_count": self.doc_count,
            "crc": crc,
            "arrays": [[name, a.dtype.str, list(a.shape)] for name, a in zip(self._ARRAYS, arrays)],
        }
        temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with open(temp, "wb") as handle:
            handle.write(json.dumps(header).encode("ascii") + b"\n")
            for array in arrays:
                handle.write(memoryview(array).cast("B"))
        os.replace(temp, path)

    @classmethod
    def load(cls, path: Path, vocabulary: Sequence[str], token: str) -> Postings | None:
        """The saved postings, or None if missing, damaged or not the ones ``token`` names."""
        try:
            with open(path, "rb") as handle:
                header = json.loads(handle.readline())
                if header["token"] != token:
                    return None
                arrays: dict[str, np.ndarray] = {}
                crc = 0
                rooms: dict[str, np.ndarray] = {}
                for name, dtype, shape in header["arrays"]:
                    if name in cls._COLUMNS:  # read into a buffer with rows to spare (see _place)
                        rooms[name] = _buffer(shape[0], tuple(shape[1:]), np.dtype(dtype))
                        array = rooms[name][: shape[0]]
                    else:
                        array = np.empty(shape, dtype=np.dtype(dtype))
                    if handle.readinto(memoryview(array).cast("B")) != array.nbytes:
                        return None
                    crc = isal_zlib.crc32(memoryview(array).cast("B"), crc)
                    arrays[name] = array
                if crc != header["crc"] or handle.read(1) or set(arrays) != set(cls._ARRAYS):
                    return None
            postings = cls(
                vocabulary=list(vocabulary),
                ids={t: i for i, t in enumerate(vocabulary)},
                term=arrays["term"],
                slot=arrays["slot"],
                tf=arrays["tf"],
                code=arrays["code"],
                totals=arrays["totals"],
                doc_count=int(header["doc_count"]),
                _crcs=arrays["_crcs"],
                _df=arrays["_df"],
                _room=rooms,
            )
        except Exception:  # missing, truncated, garbage: rebuild rather than trust
            return None
        if len(postings.term) and int(postings.term.max()) >= len(vocabulary):
            return None
        return postings

    @classmethod
    def build(cls, docs: Sequence[DocTerms]) -> Postings:
        postings = cls()
        postings.apply((), docs)
        return postings

    # -- reading ----------------------------------------------------------------------------
    def ranges(self, term_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Row ranges [start, end) of the given terms."""
        # In the column's type: int64 ids would have numpy convert the whole column, two
        # million rows, for each search (2-6 ms each, three times in an addition's related lists).
        term_ids = np.asarray(term_ids).astype(self.term.dtype, copy=False)
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

    def term_crcs(self) -> np.ndarray:
        """CRC-32 of every term (what its shard is derived from), kept up to date as terms are added."""
        known = len(self._crcs)
        if known < len(self.vocabulary):
            fresh = np.fromiter((zlib.crc32(t.encode("utf-8")) for t in self.vocabulary[known:]), dtype=np.int64)
            self._crcs = np.concatenate((self._crcs, fresh))
        return self._crcs

    def live_term_ids(self) -> np.ndarray:
        """The ids of terms with at least one posting, ascending (rows are sorted by term).
        Kept until the postings change: each group of search shards encoded asks (3 ms each,
        over two million rows)."""
        if self._live is None:
            self._live = self.term[runs(self.term)[0]]
        return self._live

    def live_terms(self) -> int:
        return int(len(self.live_term_ids()))

    def title_body_df(self) -> np.ndarray:
        """Per term id: articles having the term in the title or the body (what related lists
        weigh terms by). Kept up to date by ``apply``: counting it over every posting took
        10–50 ms of each edit at 10,000 articles."""
        if len(self._df) < len(self.vocabulary):
            self._df = np.concatenate((self._df, np.zeros(len(self.vocabulary) - len(self._df), dtype=np.int64)))
        return self._df


def _buffer(rows: int, row_shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    """An empty buffer for ``rows`` rows, and some to spare."""
    return np.empty((rows + max(ROOM_MIN, rows // 64), *row_shape), dtype=dtype)


ROOM_MIN = 4096
"""Rows to spare at least in a column's buffer (an article has a few hundred)."""


def _pieces(length: int, gone: np.ndarray, where: Sequence[int]) -> list[tuple[bool, int, int]]:
    """Rows ``[0, length)`` without the rows ``gone`` (ascending), new row j put before old row
    ``where[j]`` (ascending), as pieces in order: (True, a, b) old rows [a, b), (False, a, b)
    new rows [a, b)."""
    pieces: list[tuple[bool, int, int]] = []
    start = 0
    events = sorted([(p, 0, j) for j, p in enumerate(where)] + [(g, 1, 0) for g in gone.tolist()])
    for position, kind, j in events:  # at one position, new rows go before the old row
        if position > start:
            pieces.append((True, start, position))
            start = position
        if kind == 0:
            if pieces and not pieces[-1][0] and pieces[-1][2] == j:
                pieces[-1] = (False, pieces[-1][1], j + 1)
            else:
                pieces.append((False, j, j + 1))
        else:
            start = position + 1
    pieces.append((True, start, length))
    return pieces


def _move(room: np.ndarray, pieces: Sequence[tuple[bool, int, int]], rows: np.ndarray | None) -> None:
    """Rearrange ``room`` in place into the concatenation of ``pieces`` (see Postings._place).
    Destinations are in the pieces' order, as are the old rows' sources, so a run moved down
    can only land on the sources of the runs before it that move down too, and one moved up on
    those after it that move up too: the first are moved in order, the second in reverse, the
    new rows last. (numpy copies a range onto one that overlaps it correctly.)"""
    down, up, inserted = [], [], []
    at = 0
    for old, a, b in pieces:
        if not old:
            inserted.append((a, b, at))
        elif at < a:
            down.append((a, b, at))
        elif at > a:
            up.append((a, b, at))
        at += b - a
    for a, b, to in down:
        room[to : to + b - a] = room[a:b]
    for a, b, to in reversed(up):
        room[to : to + b - a] = room[a:b]
    for a, b, to in inserted:
        assert rows is not None
        room[to : to + b - a] = rows[a:b]


def _without(columns: list[np.ndarray], gone: np.ndarray) -> list[np.ndarray]:
    """The columns without the rows ``gone``, through a mask (for many; see Postings._splice)."""
    if not len(gone):
        return columns
    keep = np.ones(len(columns[0]), dtype=bool)
    keep[gone] = False
    return [column[keep] for column in columns]


def distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values of a 1-D array, ascending: ``np.unique`` without its first call's
    import of numpy.ma (11 ms, a ninetieth of an edit build)."""
    ordered = np.sort(values)
    if not len(ordered):
        return ordered
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]


def runs(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """[start, end) of each run of equal neighbours in ``values`` (of each value, if sorted)."""
    if not len(values):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    starts = np.flatnonzero(np.concatenate(([True], values[1:] != values[:-1])))
    return starts, np.append(starts[1:], len(values))
