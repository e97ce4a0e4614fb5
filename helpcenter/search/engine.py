"""The Whoosh engine of record: the analyzer, the index, and exact, history-free scoring.

Nothing else in helpcenter imports ``whoosh``.

Why a custom weighting model: Whoosh's BM25F takes N, document frequencies and field length
totals from the index, and those count deleted documents until a merge, and a merge rebuilds
the totals from quantised per-document lengths. An index updated one article at a time would
then rank differently from a fresh one. ``LiveBM25F`` uses the same formula with statistics
computed from live documents only: N is the live count, df is counted from the (deletion-
filtered) postings, and the total field lengths are summed from exact per-document lengths we
store as columns. The static export stores the same raw inputs and computes the same formula.
"""

from __future__ import annotations

import gc
import json
import math
import os
import re
import warnings
import shutil
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from ._stand_ins import stand_ins

with stand_ins():
    import whoosh
    import whoosh.index
    from whoosh import columns, fields, query, scoring
    from whoosh.analysis import STOP_WORDS, StemmingAnalyzer
    from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter, W3PostingsWriter
    from whoosh.filedb.filestore import FileStorage
    from whoosh.lang.porter import stem as porter_stem
    from whoosh.formats import Frequency
    from whoosh.system import pack_uint
    from whoosh.util.numeric import byte_to_length, length_to_byte

from ..errors import HelpcenterError, Problem, Severity

SCHEMA_VERSION = 1
"""Bump when the schema or the analysis changes: older indexes are then rebuilt, never trusted."""
B = 0.75
K1 = 1.2
TEXT_FIELDS = ("title", "summary", "tags", "body")
"""Searchable fields, in the order the export stores them."""
FIELD_BOOSTS = {"title": 2.0, "summary": 1.0, "tags": 1.0, "body": 1.0}
ENGINE_NAME = f"whoosh {whoosh.versionstring()}"

_ANALYZER = StemmingAnalyzer()

# The same pipeline as _ANALYZER, without Whoosh's per-token generator objects (about five
# times faster): RegexTokenizer's default pattern, LowercaseFilter, StopFilter(minsize=2),
# StemFilter(porter). tests/test_analyzer_equivalence.py holds the two equal. The pattern is
# Whoosh's ``[\w\*]+(\.?[\w\*]+)*`` with the dot made required: each run is greedy, so the
# next character never continues it, and a dot-less repetition can never match (15% faster).
_TOKEN = re.compile(r"[\w*]+(?:\.[\w*]+)*")
_STOP_WORDS = frozenset(STOP_WORDS)


@lru_cache(maxsize=400_000)
def _term(token: str) -> str | None:
    """The index term of one token as the tokenizer found it, or None for a stop word."""
    lowered = token.lower()
    if len(lowered) < 2 or lowered in _STOP_WORDS:
        return None
    return porter_stem(lowered)


def analyze(text: str) -> list[str]:
    """Index terms of ``text``: Whoosh's StemmingAnalyzer (tokenise, lower-case, stop words, Porter)."""
    return [t for t in map(_term, _TOKEN.findall(text)) if t is not None]


def analyze_with_offsets(text: str) -> list[tuple[str, int, int]]:
    """(term, start, end) per indexed token, offsets into ``text``: for highlighting."""
    out = []
    for m in _TOKEN.finditer(text):
        term = _term(m.group(0))
        if term is not None:
            out.append((term, m.start(), m.end()))
    return out


def whoosh_analyze(text: str) -> list[tuple[str, int, int]]:
    """Whoosh's own StemmingAnalyzer, token by token: the reference for the fast path above."""
    return [(t.text, t.startchar, t.endchar) for t in _ANALYZER(text, chars=True)]


def length_code(length: int) -> int:
    """Whoosh's one-byte field length (exact to 10, then ~3% buckets)."""
    return int(length_to_byte(length))


LENGTH_TABLE: tuple[int, ...] = tuple(int(byte_to_length(b)) for b in range(256))
"""byte → the length Whoosh scores with; exported so the browser uses the same numbers."""


def bm25(idf: float, weight: float, length: float, avgfl: float) -> float:
    """Whoosh's per-field BM25 (scoring.bm25), written out so the export can document it."""
    return idf * ((weight * (K1 + 1)) / (weight + K1 * ((1 - B) + B * length / avgfl)))


def idf(doc_count: int, df: int) -> float:
    """Whoosh's idf: ln(N / (df + 1)) + 1."""
    return math.log(doc_count / (df + 1)) + 1


class FieldTerms(Protocol):
    def get(self, field: str, default: Any = ..., /) -> Mapping[str, int]: ...


@dataclass(frozen=True)
class IndexDoc:
    """What the engine indexes for one article: pre-analysed, so Whoosh and the export see the same terms."""

    id: str
    slot: int
    """The article's number in the static export; ties rank by it (see search.slots)."""
    digest: str
    """Hash of everything below: an index document is rewritten only when it changes."""
    terms: FieldTerms
    """field → term → frequency, from ``analyze`` (a dict of dicts, or search.docs.Analysis)."""
    lengths: dict[str, int]
    """field → number of indexed tokens (Whoosh's field length)."""
    stored: dict[str, Any]
    """Display values returned with hits (title, url, dates, views, category, summary, text)."""


BATCH = 1500
SMALL_SEGMENTS = 10
"""Incremental builds add one small segment each; more than this many are merged together."""


def _merge_policy(writer: Any, segments: list[Any]) -> list[Any]:
    """Which segments a commit merges (Whoosh's ``mergetype``).

    Whoosh's own policy (MERGE_SMALL) follows a Fibonacci rule that, at 30,000 articles, chose to
    rewrite 19 of the 20 bulk-load segments on the first one-article edit: a minute of work.
    Here: a segment with no live document is dropped; the small segments that incremental builds
    leave are merged once there are more than SMALL_SEGMENTS of them; a bulk-load segment is
    rewritten only when more than half of its documents are deleted. Scores do not depend on
    segments (LiveBM25F reads live statistics), so this changes speed, never ranking.
    """
    from whoosh.reading import SegmentReader

    small = [s for s in segments if s.doc_count_all() < BATCH // 2]
    keep = []
    for segment in segments:
        live, total = segment.doc_count(), segment.doc_count_all()
        if live == 0:
            continue
        if (len(small) > SMALL_SEGMENTS and segment in small) or live * 2 < total:
            reader = SegmentReader(writer.storage, writer.schema, segment)
            writer.add_reader(reader)
            reader.close()
        else:
            keep.append(segment)
    return keep


def _fields(doc: IndexDoc) -> dict[str, Any]:
    values: dict[str, Any] = {
        "id": doc.id,
        "digest": doc.digest.encode("ascii"),
        "slot": doc.slot,
        "stored": doc.stored,
        "category": str(doc.stored.get("category", "")).encode("utf-8"),
        "published": doc.stored.get("published_ts", 0),
        "updated": doc.stored.get("updated_ts", 0),
        "views": doc.stored.get("views", 0),
    }
    for name in TEXT_FIELDS:
        values[name] = doc.terms.get(name, {})
        values[f"len_{name}"] = doc.lengths.get(name, 0)
    return values


class _MemoryPool:
    """Whoosh's posting pool for one batch of a fresh bulk load, held in memory, by term.

    The stock pool checks and sizes every posting as it is added, so that it can spill to
    disk: a third of the indexing time. A bulk load goes in batches of BATCH articles (about
    50 MB of postings), which never spill, so this pool keeps each term's postings together as
    documents are added (in document order), and hands them over term by term
    (``_FieldWriter.add_postings``): no posting is kept as a tuple of its own, nor sorted with
    the others (the bulk load of 3,600 articles: 2.26 → 1.48 CPU s). Merges and incremental
    updates keep the stock pool: a merge can hold a whole index's postings.
    """

    def __init__(self) -> None:
        self.fields: dict[str, dict[Any, list[Any]]] = {}
        """field → term → its postings, flat: (docnum, frequency) pairs for a pre-analysed
        field (terms as text), (docnum, weight, value) triples for another (terms as bytes)."""

    def iter_postings(self) -> _MemoryPool:
        """What Whoosh hands the field writer at the segment's end: this pool, which only our
        _FieldWriter reads (Whoosh adds nothing to it: a fresh load merges no other segment)."""
        return self

    def by_term(self, schema: Any) -> Iterator[tuple[str, bytes, list[int], list[float], list[bytes]]]:
        """(field, term, docnums, weights, values) of every term, in Whoosh's order."""
        packed = _PACKED
        for name in sorted(self.fields):
            terms, field = self.fields[name], schema[name]
            if isinstance(field, _PreAnalyzed):  # frequencies kept, weights and values made here
                boost = field.format.field_boost
                # Text sorts by code point, as its UTF-8 bytes do.
                for term in sorted(terms):
                    flat = terms[term]
                    freqs = flat[1::2]
                    yield name, _utf8(term), flat[0::2], [f * boost for f in freqs], [packed[f] for f in freqs]
            else:
                for btext in sorted(terms):
                    flat = terms[btext]
                    yield name, btext, flat[0::3], flat[1::3], flat[2::3]

    def cleanup(self) -> None:
        self.fields = {}


def _add_to_fresh_segment(writer: Any, values: Mapping[str, Any]) -> None:
    """``writer.add_document(**values)`` for our schema, into a ``_MemoryPool``.

    The same steps as Whoosh's SegmentWriter.add_document (fields in name order; postings,
    stored value, length and column of each), with a pre-analysed field's postings added to
    their terms' lists directly instead of through a generator and a call per posting. Our
    schema has no spelling or vector fields and no per-field boosts, so those steps are absent.
    Incremental updates use Whoosh's own method; tests/test_search_history.py holds the two
    rankings equal, and the segments they write byte for byte.
    """
    perdoc = writer.perdocwriter
    schema = writer.schema
    docnum = writer.docnum
    pool = writer.pool.fields
    perdoc.start_doc(docnum)
    for name in sorted(values):
        value = values[name]
        if value is None:
            continue
        field = schema[name]
        length = 0
        if isinstance(field, _PreAnalyzed):
            terms = pool.setdefault(name, {})
            for term, freq in value.items():
                flat = terms.get(term)
                if flat is None:
                    terms[term] = [docnum, freq]
                else:
                    flat += (docnum, freq)
            length = sum(value.values())
        elif field.indexed:
            terms = pool.setdefault(name, {})
            for tbytes, freq, weight, vbytes in field.index(value):
                if field.scorable:
                    length += freq
                terms.setdefault(tbytes, []).extend((docnum, weight, vbytes))
        perdoc.add_field(name, field, value if field.stored else None, length)
        if field.column_type is not None:
            perdoc.add_column_value(name, field.column_type, field.to_column_value(value))
    perdoc.finish_doc()
    writer._added = True
    writer.docnum += 1


class _Codec(W3Codec):
    """Whoosh's codec without per-term min/max length statistics, writing a term's postings
    a block at a time.

    Those statistics feed only the block-quality shortcuts of top-N searches, which we never
    use (we search with limit=None); collecting them costs a column read per posting at commit.
    """

    length_stats = False

    def __init__(self) -> None:
        # Posting blocks uncompressed: the index is a cache on the build machine (62 MB instead
        # of 37 at 10,000 articles) and compressing them was a tenth of the index's CPU.
        super().__init__(compression=0)

    def field_writer(self, storage: Any, segment: Any) -> Any:
        return _FieldWriter(self, storage, segment)

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> Any:
        return _PostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids, compression=self._compression, inlinelimit=self._inlinelimit)


class _FieldWriter(W3FieldWriter):
    """Whoosh's terms writer, taking a bulk load's postings term by term from a _MemoryPool,
    into files that know their position (_Positioned).

    Whoosh's ``add_postings`` makes three calls per posting (its loop, ``add``, then
    ``add_posting`` with its type checks), two million times at 10,000 articles. This writes
    the same files (tests/test_search_history.py compares the bytes with Whoosh's own path);
    postings from Whoosh's own pool (incremental updates, merges) go its way."""

    def _create_file(self, ext: str) -> Any:
        handle = super()._create_file(ext)
        handle.file = _Positioned(handle.file)
        return handle

    def add_postings(self, schema: Any, lengths: Any, items: Any) -> None:
        if not isinstance(items, _MemoryPool):
            super().add_postings(schema, lengths, items)
            return
        assert lengths is None  # our codec keeps no length statistics (see _Codec)
        field = None
        for fieldname, btext, ids, weights, values in items.by_term(schema):
            if fieldname != field:
                if field is not None:
                    self.finish_field()
                self.start_field(fieldname, schema[fieldname])
                field = fieldname
            self.start_term(btext)
            self._postwriter.add_term_postings(ids, weights, values)
            self.finish_term()
        if field is not None:
            self.finish_field()


class _Positioned:
    """A file written front to back that knows where it is. A buffered file asks the system
    (``lseek``) on each ``tell``, and Whoosh asks four times for each term it writes (the bulk
    load of 3,600 articles: 1.9–2.0 → 1.78 CPU s)."""

    def __init__(self, file: Any):
        self._file = file
        self._position = file.tell()

    def write(self, data: bytes) -> int:
        written = self._file.write(data)
        self._position += len(data)
        return written

    def tell(self) -> int:
        return self._position

    def seek(self, *args: Any) -> int:
        self._position = self._file.seek(*args)
        return self._position

    def __getattr__(self, name: str) -> Any:
        return getattr(self._file, name)


class _PostingsWriter(W3PostingsWriter):
    def add_term_postings(self, ids: Sequence[int], weights: Sequence[float], values: Sequence[bytes]) -> None:
        """``add_posting(docnum, weight, value)`` for each of a term's postings, in the same
        blocks: ``add_posting`` writes the block before adding to a full one."""
        limit = self._blocklimit
        for start in range(0, len(ids), limit):
            if start:
                self._write_block()
            end = start + limit
            block_weights = weights[start:end]
            self._ids.extend(ids[start:end])
            self._weights.extend(block_weights)
            self._maxweight = max(self._maxweight, *block_weights)
            self._values.extend([v for v in values[start:end] if v])


class _PackedFrequencies(dict[int, bytes]):
    """frequency → ``pack_uint(frequency)``, each packed once: a bulk load has millions of
    postings and only a few hundred distinct frequencies."""

    def __missing__(self, frequency: int) -> bytes:
        packed = self[frequency] = pack_uint(frequency)
        return packed


_PACKED = _PackedFrequencies()
_utf8 = lru_cache(maxsize=200_000)(str.encode)


class _PreAnalyzed(fields.TEXT):
    """A TEXT field fed with ``{term: frequency}`` instead of text.

    Analysis runs once per article (in worker processes, cached by content hash); Whoosh gets
    exactly the counts the static export gets. Query-time analysis still uses the same
    StemmingAnalyzer, which the field keeps.
    """

    def index(self, value: Any, **kwargs: Any) -> Iterator[tuple[bytes, int, float, bytes]]:
        # A bulk load yields millions of postings: the packed frequencies of small counts and
        # the encoded terms are looked up rather than made again for each.
        boost = self.format.field_boost
        packed = _PACKED
        for term in sorted(value):
            freq = value[term]
            yield _utf8(term), freq, freq * boost, packed[freq]


def make_schema() -> fields.Schema:
    """Text fields hold postings; everything per-article that is not searched is a column,
    so it costs no postings (Whoosh indexes NUMERIC fields as several terms each)."""
    text = {
        name: _PreAnalyzed(analyzer=_ANALYZER, phrase=False, field_boost=FIELD_BOOSTS[name])
        for name in TEXT_FIELDS
    }
    for field in text.values():
        field.format = Frequency(field_boost=field.format.field_boost)
    number = lambda code: fields.COLUMN(columns.NumericColumn(code, default=0))  # noqa: E731
    lengths = {f"len_{name}": number("I") for name in TEXT_FIELDS}
    return fields.Schema(
        id=fields.ID(stored=True, unique=True, sortable=True),
        digest=fields.COLUMN(columns.VarBytesColumn()),
        slot=number("Q"),
        category=fields.COLUMN(columns.VarBytesColumn()),
        published=number("q"),
        updated=number("q"),
        views=number("Q"),
        stored=fields.STORED,
        **text,
        **lengths,
    )


def _storage(folder: Path) -> Any:
    """The index's files, read with plain reads. Memory-mapped, Whoosh copies every part of
    every segment it opens into a buffer of its own (BytesIO of a memory view): 0.05–0.1 s at
    10,000 articles to open the index for one edit, against 5 ms."""
    return FileStorage(str(folder), supports_mmap=False)


CONTENTS = "CONTENTS"
"""The file holding the index's contents token (see SearchIndex.contents)."""


def _stamp() -> dict[str, object]:
    schema = make_schema()
    shape = [
        [name, type(field).__name__, bool(field.stored), field.column_type is not None]
        for name, field in sorted(schema.items())
    ]
    return {"schema": SCHEMA_VERSION, "engine": ENGINE_NAME, "shape": shape, "boosts": FIELD_BOOSTS}


class SearchIndex:
    """The on-disk Whoosh index under the cache folder."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._planned: Any = None
        """The index ``plan`` opened, for ``apply`` (opening reads every segment's header)."""

    def open_or_reset(self) -> tuple[Any, list[Problem]]:
        """Open the index for writing; one from another version, or unreadable, is replaced by
        an empty one, with a warning. It is never trusted."""
        problems: list[Problem] = []
        if self.folder.exists():
            ix, reason = self._open()
            if ix is not None:
                return ix, problems
            problems.append(
                Problem(".helpcenter/index", None, f"rebuilding the search index: {reason}", Severity.WARNING)
            )
            shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True, exist_ok=True)
        ix = _storage(self.folder).create_index(make_schema())
        (self.folder / "STAMP.json").write_text(json.dumps(_stamp(), sort_keys=True), "utf-8")
        return ix, problems

    def _open(self) -> tuple[Any, str | None]:
        try:
            stamp = json.loads((self.folder / "STAMP.json").read_text("utf-8"))
        except (OSError, ValueError):
            return None, "its version stamp is missing or unreadable"
        if stamp != _stamp():
            return None, "it was built by another version of helpcenter or Whoosh"
        # Whoosh leaves segment files open when reading fails; they close when the exception
        # is dropped, which must not surface as a ResourceWarning.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            failure = None
            try:
                ix = _storage(self.folder).open_index()
                with ix.searcher() as s:  # reads every segment's header: truncation fails here
                    for reader, _ in s.reader().leaf_readers():
                        if reader.doc_count_all():
                            reader.stored_fields(0)
            except Exception as exc:  # whatever Whoosh raises for a damaged index: do not trust it
                failure = type(exc).__name__
            if failure is not None:
                gc.collect()
                return None, f"it could not be read ({failure})"
        return ix, None

    def contents(self) -> str:
        """A token naming what the index holds: a new one after each change, none during one."""
        try:
            return (self.folder / CONTENTS).read_text("ascii").strip()
        except (OSError, UnicodeDecodeError):
            return ""

    def plan_believed(self, wanted: Mapping[str, str], token: str, present: Mapping[str, str]) -> tuple[list[str], list[str]] | None:
        """``plan`` without opening the index: the ids to (re)write and to delete, if the index
        still has the contents ``token`` it had when it held ``present`` (id → digest); None if
        it has another (changed since, or while changing). See ``apply_believed``."""
        if not token or token != self.contents():
            return None
        remove = sorted(present.keys() - wanted.keys())
        write = sorted(i for i, d in wanted.items() if present.get(i) != d)
        return write, remove

    def apply_believed(self, docs: Sequence[IndexDoc], remove: Sequence[str]) -> bool:
        """Apply a ``plan_believed`` plan; False if the index cannot be read (``plan`` then
        replaces it)."""
        if docs or remove:
            ix, _ = self._open()
            if ix is None:
                return False
            self._changing(lambda: self._write(ix, docs, remove, fresh=False))
        return True

    def plan(self, wanted: Mapping[str, str]) -> tuple[list[str], list[str], bool, list[Problem]]:
        """What it takes to make the index hold exactly ``wanted`` (id → digest): the ids to
        (re)write, the ids to delete, whether the index is empty, and warnings. The index
        describes itself (digest columns), so it heals after an interrupted build."""
        ix, problems = self.open_or_reset()
        self._planned = ix
        present = self._digests(ix)
        remove = sorted(present.keys() - wanted.keys())
        write = sorted(i for i, d in wanted.items() if present.get(i) != d)
        return write, remove, not present, problems

    def apply(self, docs: Sequence[IndexDoc], remove: Sequence[str], *, fresh: bool) -> None:
        if docs or remove:
            ix = self._planned or self.open_or_reset()[0]
            self._planned = None
            self._changing(lambda: self._write(ix, docs, remove, fresh=fresh))

    def sync(self, docs: Sequence[IndexDoc]) -> list[Problem]:
        """Make the index hold exactly ``docs``."""
        write, remove, fresh, problems = self.plan({d.id: d.digest for d in docs})
        wanted = set(write)
        self.apply([d for d in docs if d.id in wanted], remove, fresh=fresh)
        return problems

    def update(self, add: Sequence[IndexDoc], remove: Iterable[str], *, fresh: bool) -> list[Problem]:
        """Apply changes. ``fresh`` rebuilds from nothing (docs should then come in slot order)."""
        if fresh:
            shutil.rmtree(self.folder, ignore_errors=True)
        ix, problems = self.open_or_reset()
        self._changing(lambda: self._write(ix, add, list(remove), fresh=fresh))
        return problems

    def _changing(self, write: Callable[[], None]) -> None:
        """Run a change with no contents token while it runs (a stopped one leaves none: the next
        build reads the digests), then a new one."""
        (self.folder / CONTENTS).unlink(missing_ok=True)
        write()
        (self.folder / CONTENTS).write_text(os.urandom(8).hex(), "ascii")

    @staticmethod
    def _digests(ix: Any) -> dict[str, str]:
        with ix.searcher() as searcher:
            reader = searcher.reader()
            live = list(reader.all_doc_ids())
            if not live:
                return {}
            # Whole columns at once: a quarter of the time of one lookup per document.
            ids = list(reader.column_reader("id"))
            digests = list(reader.column_reader("digest"))
            return {ids[d]: digests[d].decode("ascii") for d in live}

    @staticmethod
    def _write(ix: Any, add: Sequence[IndexDoc], remove: Sequence[str], *, fresh: bool) -> None:
        """Bulk loads go in batches, one segment each and no merge: Whoosh's posting pool then
        never spills to disk, memory stays bounded, and scores do not depend on segments."""
        ordered = sorted(add, key=lambda d: d.slot)
        batches = [ordered[i : i + BATCH] for i in range(0, len(ordered), BATCH)] or [[]]
        for number, batch in enumerate(batches):
            writer = ix.writer(procs=1, limitmb=128, codec=_Codec())
            if fresh:
                writer.pool = _MemoryPool()
            try:
                if number == 0:
                    for doc_id in remove:
                        writer.delete_by_term("id", doc_id)
                for doc in batch:
                    fields_ = _fields(doc)
                    if fresh:
                        _add_to_fresh_segment(writer, fields_)
                    else:
                        writer.update_document(**fields_)
                if len(batches) > 1:
                    writer.commit(merge=False)
                else:
                    writer.commit(mergetype=_merge_policy)
            except BaseException:
                writer.cancel()
                raise

    def reader(self) -> IndexReader:
        """A reader for searching; raises IndexUnavailable rather than search a doubtful index."""
        if not self.folder.exists():
            raise IndexUnavailable(f"no search index at {self.folder}: run 'helpcenter build' first")
        ix, reason = self._open()
        if ix is None:
            raise IndexUnavailable(f"the search index at {self.folder} cannot be used ({reason}): run 'helpcenter build'")
        return IndexReader(ix)


class IndexUnavailable(HelpcenterError):
    """The index is missing, from another version, or damaged."""


@dataclass(frozen=True)
class Hit:
    id: str
    slot: int
    score: float
    stored: dict[str, Any]


class IndexReader:
    """Searches with live statistics. Use as a context manager."""

    def __init__(self, ix: Any):
        self._ix = ix
        self._searcher: Any = None
        self._df: dict[tuple[str, str], int] = {}
        self._slot_column: Any = None

    def __enter__(self) -> IndexReader:
        self._searcher = self._ix.searcher(weighting=LiveBM25F(self))
        reader = self._searcher.reader()
        live = list(reader.all_doc_ids())
        self.doc_count = len(live)
        self.field_totals = {}
        for name in TEXT_FIELDS:
            column = reader.column_reader(f"len_{name}")
            self.field_totals[name] = sum(column[d] for d in live)
        return self

    def __exit__(self, *exc: object) -> None:
        self._searcher.close()

    # --- live statistics, used by LiveBM25F -------------------------------------------------
    def live_df(self, field: str, term: str) -> int:
        key = (field, term)
        if key not in self._df:
            reader = self._searcher.reader()
            try:
                count = sum(1 for _ in reader.postings(field, term).all_ids())
            except Exception:  # TermNotFound: the term is in no live or deleted document
                count = 0
            self._df[key] = count
        return self._df[key]

    def avg_length(self, field: str) -> float:
        return self.field_totals[field] / (self.doc_count or 1)

    # --- queries -------------------------------------------------------------------------------
    def search(self, terms: Sequence[str], *, match_all: bool, fields: Sequence[str] = TEXT_FIELDS) -> list[Hit]:
        """Every matching document with its exact score (no top-N pruning; see whoosh.md §3.4).

        The query is built from analysed terms, never parsed from user text: no input can be a
        syntax error or mean an operator, field or wildcard.
        """
        if not terms or self.doc_count == 0:
            return []
        per_term = [query.Or([query.Term(f, t) for f in fields]) for t in terms]
        q = query.And(per_term) if match_all else query.Or(per_term)
        # limit=None: Whoosh's top-N collector can drop a true top hit (AndMaybe replacement).
        results = self._searcher.search(q, limit=None)
        slots = self._slots()
        return [Hit(r["id"], slots[r.docnum], float(r.score or 0.0), r["stored"]) for r in results]

    def search_clauses(self, clauses: Sequence[tuple[str, str, float]]) -> list[Hit]:
        """Any-of query where a matching (field, term) clause adds its own fixed weight: the
        more-like-this of search.related, run by Whoosh."""
        if not clauses:
            return []
        weights = {(f, t): w for f, t, w in clauses}
        q = query.Or([query.Term(f, t) for f, t, _ in clauses])
        with self._ix.searcher(weighting=_ClauseWeighting(weights)) as searcher:
            results = searcher.search(q, limit=None)
            slots = searcher.reader().column_reader("slot")  # this searcher's docnums, not self._searcher's
            return [Hit(r["id"], slots[r.docnum], float(r.score or 0.0), {}) for r in results]

    def _slots(self) -> Any:
        if self._slot_column is None:
            self._slot_column = self._searcher.reader().column_reader("slot")
        return self._slot_column

    def stored(self, doc_id: str) -> dict[str, Any] | None:
        found = self._searcher.document(id=doc_id)
        return None if found is None else found["stored"]

    def all_ids(self) -> list[str]:
        return sorted(fields_["id"] for fields_ in self._searcher.all_stored_fields())


class LiveBM25F(scoring.WeightingModel):
    """Whoosh's BM25F formula over live statistics (see the module docstring)."""

    def __init__(self, stats: IndexReader):
        self.stats = stats

    def supports_block_quality(self) -> bool:
        return False

    def scorer(self, searcher: Any, fieldname: str, text: Any, qf: int = 1) -> scoring.BaseScorer:
        if fieldname not in FIELD_BOOSTS:  # id lookups: no ranking involved
            return scoring.WeightScorer.for_(searcher, fieldname, text)
        term = text.decode("utf-8") if isinstance(text, bytes) else text
        return _LiveScorer(
            searcher,
            fieldname,
            idf(self.stats.doc_count, self.stats.live_df(fieldname, term)),
            self.stats.avg_length(fieldname) or 1,
        )


class _LiveScorer(scoring.BaseScorer):
    def __init__(self, searcher: Any, fieldname: str, idf_: float, avgfl: float):
        self._idf = idf_
        self._avgfl = avgfl
        self._dfl = lambda docnum: searcher.doc_field_length(docnum, fieldname, 1)

    def supports_block_quality(self) -> bool:
        return False

    def score(self, matcher: Any) -> float:
        return bm25(self._idf, matcher.weight(), self._dfl(matcher.id()), self._avgfl)


class _ClauseWeighting(scoring.WeightingModel):
    def __init__(self, weights: dict[tuple[str, str], float]):
        self.weights = weights

    def supports_block_quality(self) -> bool:
        return False

    def scorer(self, searcher: Any, fieldname: str, text: Any, qf: int = 1) -> scoring.BaseScorer:
        term = text.decode("utf-8") if isinstance(text, bytes) else text
        return _ConstantScorer(self.weights.get((fieldname, term), 0.0))


class _ConstantScorer(scoring.BaseScorer):
    def __init__(self, value: float):
        self.value = value

    def supports_block_quality(self) -> bool:
        return False

    def score(self, matcher: Any) -> float:
        return self.value


def count_terms(text: str) -> tuple[dict[str, int], int]:
    """{term: frequency} and the field length: ``Counter(analyze(text))`` and its total,
    with each distinct token analysed once instead of each occurrence."""
    counts: dict[str, int] = {}
    length = 0
    for token, n in Counter(_TOKEN.findall(text)).items():
        term = _term(token)
        if term is not None:
            counts[term] = counts.get(term, 0) + n
            length += n
    return counts, length
