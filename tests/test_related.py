"""Related articles: the numpy path equals Whoosh's more-like-this, fully and incrementally."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from sitetools import REPO, article, write_site

from helpcenter.assembly import assemble
from helpcenter.builder import build_site
from helpcenter.config import load_config
from helpcenter.content import BuildOptions, find_article_files
from helpcenter.markup import MarkupOptions
from helpcenter.records import make_record
from helpcenter.search import engine, related
from helpcenter.search.docs import display_values, doc_digest, index_doc
from helpcenter.search.postings import BODY, TITLE, DocTerms, Postings
from helpcenter.search.related import RelatedDoc, related_by_engine, related_lists, update_related
from helpcenter.search.slots import assign_slots, span_for


def site_docs(root: Path, tmp_path: Path) -> tuple[list[RelatedDoc], engine.SearchIndex]:
    """The articles of a site folder as the builder sees them, plus a Whoosh index of them."""
    config = load_config(root)
    categories = tuple(c.id for c in config.categories)
    rels, _ = find_article_files(config.articles_dir)
    recs = {rel: make_record(rel, (config.articles_dir / rel).read_bytes(), rel, categories, MarkupOptions()) for rel in rels}
    library, _, _ = assemble({rel: r.meta for rel, r in recs.items() if r.meta}, config, BuildOptions())
    index_of = {c: i for i, c in enumerate(categories)}
    slots = assign_slots(((e.slug, index_of[e.category.id]) for e in library.entries), span_for(len(library.entries)))
    docs, index_docs = [], []
    for entry in library.entries:
        record = recs[entry.meta.path[len("articles/") :]]
        analysis = record.analysis
        assert analysis is not None
        docs.append(RelatedDoc(entry.slug, slots[entry.slug], index_of[entry.category.id], analysis.get("title"), analysis.get("body")))
        display = display_values(entry, config.locale)
        index_docs.append(index_doc(entry, slots[entry.slug], analysis, record.text, display, doc_digest(entry, slots[entry.slug], config.locale)))
    index = engine.SearchIndex(tmp_path / "reference-index")
    index.sync(index_docs)
    return docs, index


def test_numpy_lists_equal_whoosh_more_like_this(tmp_path: Path) -> None:
    docs, index = site_docs(REPO, tmp_path)
    fast = related_lists(docs)
    with index.reader() as reader:
        assert fast == related_by_engine(reader, docs)
    assert sum(1 for v in fast.values() if len(v) == 5) > len(docs) * 0.8


def test_incremental_update_equals_a_full_computation(tmp_path: Path) -> None:
    docs, _ = site_docs(REPO, tmp_path)
    by_slot = {d.slot: d for d in docs}
    postings = Postings.build([DocTerms.from_fields(d.slot, {"title": d.title, "body": d.body}, {}) for d in docs])
    articles = {d.slot: (d.id, d.category) for d in docs}
    state = update_related(postings, articles)
    # edit one article's words, delete another: only what they can affect is recomputed
    edited, gone = docs[3], docs[10]
    new_body = {**edited.body, "passkey": 4, "withdraw": 2}
    touched = postings.apply([(edited.slot, {}), (gone.slot, {})], [DocTerms.from_fields(edited.slot, {"title": edited.title, "body": new_body}, {})])
    del articles[gone.slot]
    by_slot[edited.slot] = RelatedDoc(edited.id, edited.slot, edited.category, edited.title, new_body)
    del by_slot[gone.slot]
    incremental = update_related(postings, articles, state, {postings.vocabulary[t] for t in touched.tolist()})
    assert incremental.lists == related_lists(list(by_slot.values()))


@pytest.mark.parametrize("max_key_df", [3, related.MAX_KEY_DF])
def test_incremental_updates_equal_full_computations_after_random_edits(monkeypatch, max_key_df: int) -> None:
    """Edits that add and drop words (some crossing the key-term df range), drop an article's
    only copy of a key term while its other postings stay as they were, delete, add and move
    articles to another category: after each, the incremental key terms and lists are the
    ones computed from scratch."""
    monkeypatch.setattr(related, "MAX_KEY_DF", max_key_df)
    rng = random.Random(7)
    words = [f"w{i}" for i in range(30)]

    def text() -> dict[str, int]:
        return {w: rng.randint(1, 3) for w in rng.sample(words, rng.randint(2, 8))}

    docs: dict[int, tuple[str, int, dict[str, int], dict[str, int]]] = {}
    for n in range(24):
        docs[n * 4 + n % 3] = (f"a{n}", n % 3, text(), text())
    next_id = 24

    def terms(slot: int) -> DocTerms:
        _, _, title, body = docs[slot]
        return DocTerms.from_fields(slot, {"title": title, "body": body}, {})

    postings = Postings.build([terms(s) for s in sorted(docs)])
    state = update_related(postings, {s: (d[0], d[1]) for s, d in docs.items()})
    kinds = set()
    for _ in range(60):
        kind = rng.choice(["body", "body", "title", "drop", "delete", "add", "move"])
        kinds.add(kind)
        slot = rng.choice(sorted(docs))
        article, category, title, body = docs[slot]
        remove, add, same = [(slot, {})], [], [slot]
        if kind in ("body", "title"):
            changed = dict(title if kind == "title" else body)
            for w in rng.sample(words, 3):
                changed[w] = rng.choice([0, 1, 2, 5])
            changed = {w: f for w, f in changed.items() if f}
            docs[slot] = (article, category, changed, body) if kind == "title" else (article, category, title, changed)
            add = [terms(slot)]
        elif kind == "drop":  # one word gone, every other posting identical
            if len(body) > 1:
                docs[slot] = (article, category, title, dict(list(body.items())[1:]))
            add = [terms(slot)]
        elif kind == "delete" and len(docs) > 5:
            del docs[slot]
            same = []
        elif kind == "add":
            free = max(docs) + 1 + rng.randint(0, 3)
            docs[free] = (f"a{next_id}", rng.randint(0, 2), text(), text())
            next_id += 1
            remove, same, add = [], [], [terms(free)]
        elif kind == "move":  # another category: another slot
            del docs[slot]
            docs[max(docs) + 1] = (article, (category + 1) % 3, title, body)
            add, same = [terms(max(docs))], []
        else:
            continue
        touched = postings.apply(remove, add, same_article=same)
        present = (postings.tf[:, TITLE] > 0) | (postings.tf[:, BODY] > 0)
        counted = np.bincount(postings.term[present], minlength=len(postings.vocabulary))
        assert postings.title_body_df().tolist() == counted.tolist(), kind  # kept up to date, not counted
        articles = {s: (d[0], d[1]) for s, d in docs.items()}
        state = update_related(postings, articles, state, {postings.vocabulary[t] for t in touched.tolist()})
        full = update_related(postings, articles)
        assert (state.keys, state.lists) == (full.keys, full.lists), kind
    assert kinds == {"body", "title", "drop", "delete", "add", "move"}


def test_same_category_is_preferred_and_self_excluded() -> None:
    words = {"alpha": 1, "beta": 1, "gamma": 1}
    docs = [
        RelatedDoc("a", 1, 0, {"alpha": 1}, words),
        RelatedDoc("b-other-category", 65, 1, {"alpha": 1}, words),
        RelatedDoc("c-same-category", 2, 0, {}, {"alpha": 1, "beta": 1}),
        RelatedDoc("d-unrelated", 3, 0, {}, {"zeta": 1}),
    ]
    lists = related_lists(docs)
    assert lists["a"] == ("c-same-category", "b-other-category")
    assert "a" not in lists["a"] and lists["d-unrelated"] == ()


def test_related_articles_appear_on_article_pages(tmp_path: Path) -> None:
    root = write_site(
        tmp_path / "s",
        {
            "articles/faq/a.md": article("Passkeys on phones", body="Passkeys replace passwords on phones."),
            "articles/faq/b.md": article("Passkeys on laptops", body="Passkeys replace passwords on laptops."),
            "articles/faq/c.md": article("Deposit fees", body="Card deposits cost money."),
        },
    )
    build_site(load_config(root))
    page = (root / "site/faq/a/index.html").read_text("utf-8")
    assert '<a href="../../faq/b/">Passkeys on laptops</a>' in page
    assert "Deposit fees" not in page.split('id="hc-related-title"')[1]


@pytest.mark.slow
def test_generated_corpus_lists_equal_whoosh(tmp_path: Path) -> None:
    from benchmarks.corpus import generate

    site = tmp_path / "gen"
    generate(site, 300, seed=5)
    docs, index = site_docs(site, tmp_path)
    with index.reader() as reader:
        assert related_lists(docs) == related_by_engine(reader, docs)


@pytest.mark.parametrize("n", [10_000, 1 << 40])
def test_the_ranking_is_the_lexsort_of_its_four_keys(n: int) -> None:
    """The lists' order (row, own category first, score descending, slot) from one key, or,
    where the key would not fit in 63 bits (the second case), from numpy's lexsort."""
    from helpcenter.search.related import _ranking

    rng = np.random.default_rng(7)
    rows, size = 40, 5000
    pairs = rng.choice(rows * min(n, 10_000), size=size, replace=False)  # each (row, col) once
    row, col = pairs // min(n, 10_000), pairs % min(n, 10_000)
    if n > 10_000:
        col = col * (n // 10_000)
    other = rng.integers(0, 2, size)
    quantised = rng.integers(1, 50, size) * 1_000_003  # ties within a row, and large values
    expected = np.lexsort((col, -quantised, other, row))
    assert np.array_equal(_ranking(row, other, quantised, col, rows, n), expected)
    assert _ranking(row[:0], other[:0], quantised[:0], col[:0], rows, n).tolist() == []
