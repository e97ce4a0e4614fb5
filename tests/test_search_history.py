"""Scores must not depend on the index's history.

Whoosh counts deleted documents in N and df until a merge, and a merge recomputes field
lengths from quantised bytes; our LiveBM25F ignores all of that. Here an index reached through
many commits, updates and deletions (several segments, deleted documents, merges) must rank
exactly like one built fresh from the final documents.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from whoosh.codec.whoosh3 import W3Codec
from whoosh.filedb.structfile import StructFile

from helpcenter.search import engine
from helpcenter.search.query import quantise

VOCABULARY = [f"w{i}" for i in range(400)]


def make_doc(rng: random.Random, doc_id: str, slot: int, vocabulary: list[str] = VOCABULARY) -> engine.IndexDoc:
    terms: dict[str, dict[str, int]] = {}
    lengths: dict[str, int] = {}
    for field, size in (("title", 6), ("summary", 15), ("tags", 3), ("body", 250)):
        words = [rng.choice(vocabulary[: 40 if field == "title" else 400]) for _ in range(rng.randint(1, size))]
        counts: dict[str, int] = {}
        for w in words:
            counts[w] = counts.get(w, 0) + 1
        terms[field] = counts
        lengths[field] = len(words)
    return engine.IndexDoc(doc_id, slot, f"{doc_id}-{rng.random()}", terms, lengths, {"category": "faq"})


def ranking(index: engine.SearchIndex, queries: list[list[str]]) -> list[list[tuple[str, int]]]:
    """Ranked (id, score to 1e-6) per query: what a reader sees. Raw float sums may differ in
    the last bit (segments change the order Whoosh adds field scores in); quantising is how
    both engines compare scores."""
    out = []
    with index.reader() as reader:
        for terms in queries:
            for match_all in (True, False):
                hits = reader.search(terms, match_all=match_all)
                out.append(sorted(((h.id, quantise(h.score)) for h in hits), key=lambda t: (-t[1], t[0])))
    return out


def test_an_incrementally_updated_index_ranks_exactly_like_a_fresh_one(tmp_path: Path) -> None:
    rng = random.Random(20261125)
    docs = {f"d{i}": make_doc(rng, f"d{i}", i) for i in range(150)}
    incremental = engine.SearchIndex(tmp_path / "incremental")
    incremental.update(list(docs.values()), (), fresh=True)
    # Twenty commits of edits, deletions and additions: many segments, deleted documents,
    # and Whoosh's own small-segment merges along the way.
    next_id = 150
    for step in range(20):
        edited = rng.sample(sorted(docs), 6)
        removed = rng.sample(sorted(set(docs) - set(edited)), 3)
        for doc_id in edited:
            docs[doc_id] = make_doc(rng, doc_id, docs[doc_id].slot)
        for doc_id in removed:
            del docs[doc_id]
        added = [make_doc(rng, f"d{next_id + k}", next_id + k) for k in range(4)]
        next_id += 4
        docs.update({d.id: d for d in added})
        incremental.update([docs[i] for i in edited] + added, removed, fresh=False)

    fresh = engine.SearchIndex(tmp_path / "fresh")
    fresh.update(sorted(docs.values(), key=lambda d: d.slot), (), fresh=True)

    with incremental.reader() as reader:
        assert reader.doc_count == len(docs)
        segments = len(reader._searcher.reader().leaf_readers())  # noqa: SLF001 - the point of the test
    assert segments > 1, "the incremental index should have several segments"

    queries = [rng.sample(VOCABULARY[:60], rng.randint(1, 3)) for _ in range(80)]
    queries += [rng.sample(VOCABULARY, rng.randint(1, 3)) for _ in range(80)]
    assert ranking(incremental, queries) == ranking(fresh, queries)


def test_whoosh_stock_bm25f_would_differ_here(tmp_path: Path) -> None:
    """The control: with Whoosh's own statistics the same two indexes disagree, so the test
    above passes because of LiveBM25F, not by accident."""
    from whoosh import query, scoring

    rng = random.Random(3)
    docs = {f"d{i}": make_doc(rng, f"d{i}", i) for i in range(60)}
    history = engine.SearchIndex(tmp_path / "history")
    history.update(list(docs.values()), (), fresh=True)
    for _ in range(5):
        changed = [make_doc(rng, f"d{i}", i) for i in range(20)]
        docs.update({d.id: d for d in changed})
        history.update(changed, (), fresh=False)
    fresh = engine.SearchIndex(tmp_path / "fresh")
    fresh.update(sorted(docs.values(), key=lambda d: d.slot), (), fresh=True)

    def stock_scores(index: engine.SearchIndex) -> list[float]:
        ix, _ = index.open_or_reset()
        with ix.searcher(weighting=scoring.BM25F()) as s:
            return sorted(h.score for h in s.search(query.Term("body", "w1"), limit=None))

    assert stock_scores(history) != stock_scores(fresh)
    queries = [["w1"], ["w2", "w3"], ["w5", "w7", "w11"]]
    assert ranking(history, queries) == ranking(fresh, queries)


def test_edits_do_not_rewrite_bulk_segments_and_small_ones_stay_few(tmp_path: Path, monkeypatch) -> None:
    """Whoosh's stock merge policy rewrote 19 of 20 bulk-load segments on the first edit of a
    30,000-article site (a minute). Ours keeps bulk segments until half their documents are
    gone, merges the small ones incremental builds leave, and drops empty ones."""
    monkeypatch.setattr(engine, "BATCH", 10)
    rng = random.Random(7)
    docs = {f"d{i}": make_doc(rng, f"d{i}", i) for i in range(60)}
    index = engine.SearchIndex(tmp_path / "ix")
    index.update(list(docs.values()), (), fresh=True)

    def segments() -> dict[str, tuple[int, int]]:
        ix = index.open_or_reset()[0]
        return {s.segment_id(): (s.doc_count(), s.doc_count_all()) for s in ix._segments()}  # noqa: SLF001

    bulk = segments()
    assert len(bulk) == 6 and all(total == 10 for _, total in bulk.values())
    before = bulk
    for step in range(25):
        doc_id = f"d{rng.randrange(60)}"
        docs[doc_id] = make_doc(rng, doc_id, docs[doc_id].slot)
        index.update([docs[doc_id]], (), fresh=False)
        now = segments()
        for key in bulk.keys() & before.keys() - now.keys():  # gone: only if this edit left it half empty
            live, total = before[key]
            assert (live - 1) * 2 < total, (step, key, before[key])
        before = now
        small = [k for k, (_, total) in now.items() if total < engine.BATCH // 2]
        assert len(small) <= engine.SMALL_SEGMENTS + 1, (step, now)
        for key, (live, total) in now.items():
            if key in bulk:
                assert total == 10 and live * 2 >= total, (step, key, now[key])
    # a bulk segment emptied by deletions disappears; one more than half deleted is rewritten
    first = sorted(docs.values(), key=lambda d: d.slot)[:10]
    index.update([], [d.id for d in first], fresh=False)
    for d in first:
        del docs[d.id]
    assert all(live > 0 for live, _ in segments().values())
    assert all(live * 2 >= total for live, total in segments().values())
    fresh = engine.SearchIndex(tmp_path / "fresh")
    fresh.update(sorted(docs.values(), key=lambda d: d.slot), (), fresh=True)
    queries = [rng.sample(VOCABULARY, rng.randint(1, 3)) for _ in range(60)]
    assert ranking(index, queries) == ranking(fresh, queries)


def segment_contents(index: engine.SearchIndex) -> list[dict[str, bytes]]:
    """Each segment's files, the segment's random name taken out of their names."""
    from whoosh.filedb.compound import CompoundStorage

    out = []
    for path in sorted(index.folder.glob("*.seg")):
        with path.open("rb") as handle:
            compound = CompoundStorage(StructFile(handle), use_mmap=False)
            out.append({name.replace(path.stem, "SEGMENT"): compound.open_file(name).read() for name in compound.list()})
    return out


def test_a_bulk_load_writes_the_segment_whooshs_own_writer_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A first build's bulk load (engine._MemoryPool, _FieldWriter, _PostingsWriter: each
    term's postings kept together and written a block at a time, into files that count their
    position) against Whoosh's own add_document, pool and writers: the same bytes in every
    file of the segment, posting blocks and offsets included (terms in more than one block,
    terms whose UTF-8 sorts unlike ASCII)."""
    rng = random.Random(7)
    vocabulary = ["é", "提现", "straße", "zz", "🚀", "ǅemal", *["common"] * 30, *VOCABULARY]
    docs = [make_doc(rng, f"d{i}", i, vocabulary) for i in range(300)]
    fresh, stock = engine.SearchIndex(tmp_path / "fresh"), engine.SearchIndex(tmp_path / "stock")
    fresh.update(docs, (), fresh=True)
    # Whoosh's update_document, one by one, written by Whoosh's own writers (with our codec's settings).
    monkeypatch.setattr(engine._Codec, "field_writer", W3Codec.field_writer)
    monkeypatch.setattr(engine._Codec, "postings_writer", W3Codec.postings_writer)
    stock.update(docs, (), fresh=False)
    ours, whooshs = segment_contents(fresh), segment_contents(stock)
    assert len(ours) == 1 and len(ours[0]) >= 8
    assert ours == whooshs
    with fresh.reader() as reader:
        assert reader.live_df("body", "common") > 2 * 128  # three blocks of postings
