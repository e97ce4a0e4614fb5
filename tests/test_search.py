"""The engine of record: ranking rules, the one query language, and inputs that must be safe."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sitetools import article, run_cli, write_site

from helpcenter.builder import build_site
from helpcenter.config import load_config
from helpcenter.search.engine import SearchIndex
from helpcenter.search.query import query_terms, run_search

ARTICLES = {
    "articles/faq/title-hit.md": article("Passkey setup", body="How to add one to your account."),
    "articles/faq/body-hit.md": article("Account options", body="Options overview.\n\nYou can add a passkey to your account settings."),
    "articles/faq/fees.md": article("Withdrawal fees", body="Network fees apply to every withdrawal."),
    "articles/announcements/news.md": article("Passkeys are here", category="announcements", body="Passkeys arrive for everyone."),
    "articles/product-documents/terms.md": article("Deposit terms", category="product-documents", views="500", body="Deposits and fees explained."),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_site(tmp_path_factory.mktemp("search") / "s", ARTICLES)
    build_site(load_config(root))
    return root


def search(site: Path, text: str, **kwargs):  # type: ignore[no-untyped-def]
    config = load_config(site)
    return run_search(SearchIndex(config.cache_dir / "index"), text, categories=[c.id for c in config.categories], limit=None, **kwargs)


def ids(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.id for r in response.results]


def test_title_matches_outrank_body_matches(site: Path) -> None:
    # news has the word in its title and body; then a title match beats a body match
    assert ids(search(site, "passkey")) == ["news", "title-hit", "body-hit"]


def test_tabs_filter_and_count(site: Path) -> None:
    response = search(site, "passkey", tab="faq")
    assert ids(response) == ["title-hit", "body-hit"]
    assert response.total == 2
    assert response.counts == {"all": 3, "faq": 2, "announcements": 1, "product-documents": 0}


def test_all_words_must_match_then_any_with_a_notice(site: Path) -> None:
    both = search(site, "withdrawal fees")
    assert (both.mode, ids(both)) == ("all", ["fees"])
    fallback = search(site, "withdrawal passkey")
    assert fallback.mode == "any"
    assert set(ids(fallback)) == {"fees", "title-hit", "news", "body-hit"}
    assert fallback.notice == "No results for all of 'withdrawal passkey'; showing results for any of them"


def test_sorts_by_newest_and_views(site: Path) -> None:
    assert ids(search(site, "fees", sort="views")) == ["terms", "fees"]


def test_query_words_are_analysed_like_the_index() -> None:
    assert query_terms("Withdrawals, FEES!  withdrawal") == ["withdraw", "fee"]
    assert query_terms("the and of") == []
    assert query_terms("café") == query_terms("cafe\u0301")  # NFC on both sides


@pytest.mark.parametrize(
    "text",
    ["", "   ", "the", "...", '"passkey', "pass*", "passkey AND NOT fees OR", "title:passkey", "passkey^3", "(passkey", "提现 ñandú ⚡",
     "<script>alert(1)</script>", "a" * 2000, "passkey " * 400, "\x00\x01", "'; DROP TABLE --", "\\"],
)
def test_any_input_is_safe(site: Path, text: str) -> None:
    response = search(site, text)
    for result in response.results:
        assert "<script" not in result.excerpt_html
    if not query_terms(text):
        assert response.mode == "none" and response.results == []


def test_operators_and_fields_are_plain_words(site: Path) -> None:
    """AND/OR/NOT are ordinary (stop) words and `title:` is a word, never syntax."""
    assert query_terms("passkey AND NOT fees OR") == ["passkei", "fee"]
    assert query_terms("title:passkey") == ["titl", "passkei"]
    assert ids(search(site, "passkey AND NOT fees")) == ids(search(site, "passkey fees"))


def test_cli_search_prints_results_as_the_reference_page(site: Path) -> None:
    result = run_cli("search", "passkey", "--site", str(site), "--tab", "faq", "--limit", "1")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "2 results for “passkey”  (All 3 · FAQ 2 · Announcements 0 · Product documents 0)".replace("Announcements 0", "Announcements 1")
    assert lines[2] == "Passkey setup"
    assert lines[4] == "  Published on 2 Jan 2024 · Updated on 2 Jan 2024 · 0 views"
    assert lines[5] == "  /faq/title-hit/"


@pytest.mark.parametrize("text", ["", "the", "<img src=x onerror=alert(1)>", "passkey " * 300])
def test_cli_json_never_fails(site: Path, text: str) -> None:
    result = run_cli("search", text, "--site", str(site), "--json")
    assert result.returncode == 0 and "Traceback" not in result.stderr
    data = json.loads(result.stdout)
    assert all("<img" not in r["excerpt_html"] for r in data["results"])


def test_a_stale_or_corrupt_index_is_never_trusted(site: Path, tmp_path: Path) -> None:
    import shutil

    from helpcenter.search.engine import IndexUnavailable

    folder = tmp_path / "index"
    shutil.copytree(site / ".helpcenter/index", folder)
    stamp = folder / "STAMP.json"
    good = stamp.read_text("utf-8")
    stamp.write_text('{"schema": 0}', "utf-8")
    with pytest.raises(IndexUnavailable, match="another version"):
        SearchIndex(folder).reader()
    ix, problems = SearchIndex(folder).open_or_reset()
    assert [p.message for p in problems] == ["rebuilding the search index: it was built by another version of helpcenter or Whoosh"]
    assert ix.doc_count() == 0

    shutil.rmtree(folder)
    shutil.copytree(site / ".helpcenter/index", folder)
    stamp.write_text(good, "utf-8")
    for segment in folder.glob("*.seg"):
        segment.write_bytes(segment.read_bytes()[:64])
    with pytest.raises(IndexUnavailable, match="could not be read"):
        SearchIndex(folder).reader()
    _, problems = SearchIndex(folder).open_or_reset()
    assert problems and problems[0].message.startswith("rebuilding the search index: it could not be read")


def test_analysis_pickles_to_equal_terms_shared_between_articles():
    import pickle

    from helpcenter.search.docs import analyse_fields

    first = analyse_fields("Withdrawal fees", "Fees for withdrawals", ["fees"], "Withdrawal fees are charged per withdrawal.")
    second = analyse_fields("Deposit fees", "", [], "Deposit fees are waived.")
    back_first, back_second = pickle.loads(pickle.dumps([first, second]))
    assert back_first.terms == first.terms and back_second.terms == second.terms
    assert (back_first.tf == first.tf).all() and back_first.lengths == first.lengths
    assert back_first.get("body") == first.get("body")
    # one object per distinct word across articles: what keeps large builds small
    fee_first = back_first.terms[back_first.terms.index("fee")]
    fee_second = back_second.terms[back_second.terms.index("fee")]
    assert fee_first is fee_second
    empty = analyse_fields("", "", [], "")
    assert pickle.loads(pickle.dumps(empty)).terms == ()


def test_saved_postings_load_equal_and_damage_is_refused(tmp_path: Path) -> None:
    import numpy as np

    from helpcenter.search.postings import DocTerms, Postings

    postings = Postings.build(
        [
            DocTerms.from_fields(3, {"title": {"fee": 1}, "body": {"fee": 2, "withdraw": 1}}, {"title": 1, "body": 3}),
            DocTerms.from_fields(9, {"body": {"deposit": 4, "fee": 1}}, {"body": 5}),
        ]
    )
    path = tmp_path / "postings.bin"
    postings.save(path, "token-1")
    back = Postings.load(path, postings.vocabulary, "token-1")
    assert back is not None and back.doc_count == 2
    for name in ("term", "slot", "tf", "code", "totals"):
        assert np.array_equal(getattr(back, name), getattr(postings, name)) and getattr(back, name).dtype == getattr(postings, name).dtype
    assert np.array_equal(back.term_crcs(), postings.term_crcs())
    df = {term: int(back.title_body_df()[i]) for i, term in enumerate(back.vocabulary)}
    assert df == {"fee": 2, "withdraw": 1, "deposit": 1} and np.array_equal(back.title_body_df(), postings.title_body_df())
    assert Postings.load(path, postings.vocabulary, "another build") is None
    data = path.read_bytes()
    flipped = bytearray(data)
    flipped[-5] ^= 0xFF
    path.write_bytes(bytes(flipped))
    assert Postings.load(path, postings.vocabulary, "token-1") is None
    path.write_bytes(data[:-3])
    assert Postings.load(path, postings.vocabulary, "token-1") is None
    path.write_bytes(data + b"\x00")
    assert Postings.load(path, postings.vocabulary, "token-1") is None
    assert list(postings.live_term_ids()) == sorted(set(postings.term.tolist()))


@pytest.mark.parametrize("bulk", [False, True])
def test_postings_updated_in_place_equal_postings_built_afresh(tmp_path: Path, monkeypatch, bulk: bool) -> None:
    """Random removals and additions (an edit is both, at one slot), by row splicing and
    moving the runs between removed rows within the columns' buffers or, for many rows, by
    whole-array merging and a mask: the same rows as building from the final articles. Every
    other change is made to postings read back from their file (read into buffers with rows
    to spare), as a build's are."""
    import random

    import numpy as np

    from helpcenter.search import postings as postings_module
    from helpcenter.search.postings import DocTerms, Postings

    if bulk:
        monkeypatch.setattr(postings_module, "SPLICE_LIMIT", 0)
        monkeypatch.setattr(postings_module, "PIECES_LIMIT", 0)
    # Buffers with a hundred rows to spare: some changes fit in place, others need a new one.
    monkeypatch.setattr(postings_module, "ROOM_MIN", 100)
    rng = random.Random(5)
    words = [f"w{i}" for i in range(300)]

    def doc(slot: int) -> DocTerms:
        terms = sorted(rng.sample(words, rng.randint(1, 60)))
        tf = np.array([[rng.randint(0, 3), 0, 0, rng.randint(1, 9)] for _ in terms], dtype=np.uint32)
        return DocTerms(slot, terms, tf, {"title": rng.randint(0, 9), "body": rng.randint(1, 900)})

    def rows(p: Postings) -> list[tuple[object, ...]]:
        return sorted(zip([p.vocabulary[t] for t in p.term.tolist()], p.slot.tolist(), map(tuple, p.tf.tolist()), map(tuple, p.code.tolist())))

    saved = tmp_path / "postings.bin"
    for _ in range(30):
        docs = {s: doc(s) for s in rng.sample(range(500), 80)}
        postings = Postings.build(list(docs.values()))
        for step in range(6):
            if step % 2:
                postings.save(saved, "t")
                postings = Postings.load(saved, postings.vocabulary, "t")
                assert postings is not None
            gone = rng.sample(sorted(docs), rng.randint(0, 5))
            removed = [(s, docs.pop(s).lengths) for s in gone]
            added = []
            for s in rng.sample([x for x in range(500) if x not in docs] + gone, rng.randint(0, 5)):
                docs[s] = doc(s)
                added.append(docs[s])
            known = postings.live_term_ids()  # asked for before the change, as a build's export does
            postings.apply(removed, added)
            fresh = Postings.build(list(docs.values()))
            assert rows(postings) == rows(fresh)
            live = postings.live_term_ids()
            assert [postings.vocabulary[t] for t in live.tolist()] == sorted({postings.vocabulary[t] for t in postings.term.tolist()})
            assert (removed or added) or np.array_equal(live, known)
            every = np.arange(len(postings.vocabulary), dtype=np.int64)  # ids of numpy's default type
            starts, ends = postings.ranges(every)
            assert [postings.vocabulary[t] for t in every.tolist() for _ in range(ends[t] - starts[t])] == [postings.vocabulary[t] for t in postings.term.tolist()]
            keys = postings.term.astype(np.int64) * (1 << 40) + postings.slot
            assert bool((np.diff(keys) > 0).all())  # still sorted by (term, slot)
            assert postings.doc_count == fresh.doc_count and np.array_equal(postings.totals, fresh.totals)


def test_varints_encode_each_value_as_leb128() -> None:
    import random

    import numpy as np

    from helpcenter.search.export import varint, varints

    rng = random.Random(5)
    values = [0, 1, 127, 128, 16383, 16384, 2**21 - 1, 2**21, 2**63, 2**64 - 1]
    values += [rng.choice([rng.randrange(128), rng.randrange(2**14), rng.randrange(2**35), rng.randrange(2**64)]) for _ in range(2000)]
    expected = bytearray()
    lengths = []
    for value in values:
        before = len(expected)
        varint(value, expected)
        lengths.append(len(expected) - before)
    encoded, sizes = varints(np.array(values, dtype=np.uint64))
    assert encoded == bytes(expected)
    assert sizes.tolist() == lengths
    assert varints(np.zeros(0, dtype=np.uint64))[0] == b""


def test_shards_decode_to_the_postings_of_their_terms() -> None:
    """Each shard, read as docs/search-format.md describes, holds exactly its terms' postings:
    per (term, field) the slots ascending, their frequencies and length codes. Fields a term
    lacks, one-posting terms, and slots past 2**32 (a wider stream) included."""
    import gzip
    import random
    import zlib

    import numpy as np

    from helpcenter.search import export
    from helpcenter.search.postings import FIELDS, DocTerms, Postings

    def read_varint(data: bytes, at: int) -> tuple[int, int]:
        value = shift = 0
        while True:
            byte = data[at]
            at += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                return value, at

    rng = random.Random(11)
    words = [f"w{i}" for i in range(80)] + ["é", "zz"]
    for far in (0, 1 << 33):
        docs = []
        for index, slot in enumerate(sorted(rng.sample(range(5000), 120))):
            terms = sorted(rng.sample(words, rng.randint(1, 40)) + ([f"rare{index}"] if index < 10 else []))
            tf = np.array([[rng.choice([0, 0, 1, 2, 300]) for _ in range(FIELDS - 1)] + [rng.randint(1, 200)] for _ in terms], dtype=np.uint32)
            docs.append(DocTerms(slot + far, terms, tf, {"title": rng.randint(0, 9), "body": rng.randint(1, 5000)}))
        postings = Postings.build(docs)
        expected: dict[tuple[str, int], list[tuple[int, int, int]]] = {}
        for term, slot, tf, code in zip(postings.term.tolist(), postings.slot.tolist(), postings.tf.tolist(), postings.code.tolist()):
            for f in range(FIELDS):
                if tf[f]:
                    expected.setdefault((postings.vocabulary[term], f), []).append((slot, tf[f], code[f]))
        shards = 64
        wanted = sorted(rng.sample(range(shards), 40)) if far else list(range(shards))
        found: dict[tuple[str, int], list[tuple[int, int, int]]] = {}
        files = export.shard_files(postings, shards, wanted if far else None)
        assert sorted(files) == wanted
        for shard, data in files.items():
            data = gzip.decompress(data)
            count, at = read_varint(data, 0)
            segments = []
            for _ in range(count):
                size, at = read_varint(data, at)
                term = data[at : at + size].decode("utf-8")
                at += size
                assert zlib.crc32(term.encode("utf-8")) % shards == shard
                mask, at = read_varint(data, at)
                for f in range(FIELDS):
                    if mask >> f & 1:
                        df, at = read_varint(data, at)
                        segments.append((term, f, df))
            decoded = []
            for term, f, df in segments:
                gaps, freqs = [], []
                for values in (gaps, freqs):
                    for _ in range(df):
                        value, at = read_varint(data, at)
                        values.append(value)
                decoded.append((term, f, list(np.cumsum(gaps).tolist()), freqs))
            for term, f, slots, freqs in decoded:
                codes = list(data[at : at + len(slots)])
                at += len(slots)
                found[(term, f)] = list(zip(slots, freqs, codes))
            assert at == len(data)
        assert found == {k: v for k, v in expected.items() if zlib.crc32(k[0].encode("utf-8")) % shards in wanted}
        assert any(len(v) == 1 for v in found.values()) and any(len(v) > 20 for v in found.values())


def test_distinct_values_equal_numpys_unique() -> None:
    import random

    import numpy as np

    from helpcenter.search.postings import distinct

    rng = random.Random(3)
    for dtype in (np.int32, np.int64):
        for size in (0, 1, 2, 7, 1000):
            values = np.array([rng.randint(0, 40) for _ in range(size)], dtype=dtype)
            found = distinct(values)
            assert found.dtype == dtype and found.tolist() == np.unique(values).tolist()


def test_export_gzip_is_the_same_bytes_in_any_process() -> None:
    """The export's gzip holds no time or name, reads back, and a process that has compressed
    nothing else gives the very bytes this one does (a clean build and an incremental one keep
    each other's files only if they do)."""
    import gzip
    import random
    import subprocess
    import sys

    from helpcenter.search.compression import compress

    rng = random.Random(5)
    words = [bytes(rng.choice(b"abcdefghij") for _ in range(rng.randint(2, 9))) for _ in range(300)]
    data = b" ".join(rng.choice(words) for _ in range(20_000)) + rng.randbytes(3_000)
    for _ in range(3):
        compress(rng.randbytes(50_000))  # other work first
    here = compress(data)
    assert here[:10] == b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x04\xff"  # no name, mtime 0, OS unknown
    assert gzip.decompress(here) == data and len(here) < len(data) // 2
    code = "import sys; from helpcenter.search.compression import compress; sys.stdout.buffer.write(compress(sys.stdin.buffer.read()))"
    there = subprocess.run([sys.executable, "-c", code], input=data, capture_output=True, check=True).stdout
    assert there == here
