"""Related articles: the fast numpy path equals Whoosh's more-like-this, and behaves sensibly."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitetools import REPO, article, write_site

from helpcenter.builder import build_site, related_docs
from helpcenter.config import load_config
from helpcenter.search import engine
from helpcenter.search.docs import analyse_article, search_docs
from helpcenter.search.related import RelatedDoc, related_by_engine, related_lists


def sample_docs(tmp_path: Path) -> tuple[list[RelatedDoc], engine.SearchIndex]:
    from helpcenter.builder import _markup_options, _source_dir, load_sources
    from helpcenter.content import assemble
    from helpcenter.markup import render_markdown

    config = load_config(REPO, output_dir=tmp_path / "out")  # read only: nothing is built here
    sources, _ = load_sources(config)
    rendered = {s.path: render_markdown(s.body, _source_dir(s), _markup_options(config)) for s in sources}
    library, _ = assemble(sources, rendered, config, __import__("helpcenter.content").content.BuildOptions())
    analyses = {a.url: analyse_article(a) for a in library.articles}
    docs, span = search_docs(library.articles, analyses, [c.id for c in config.categories], config.locale)
    index = engine.SearchIndex(tmp_path / "index")
    index.update([d.doc for d in docs], (), fresh=True)
    return related_docs([d.doc for d in docs], span), index


def test_numpy_lists_equal_whoosh_more_like_this(tmp_path: Path) -> None:
    docs, index = sample_docs(tmp_path)
    fast = related_lists(docs, chunk=7)  # small chunks: the chunk seams must not matter
    with index.reader() as reader:
        reference = related_by_engine(reader, docs)
    assert fast == reference
    assert sum(1 for v in fast.values() if len(v) == 5) > len(docs) * 0.8


def test_same_category_is_preferred_and_self_excluded() -> None:
    words = {"alpha": 1, "beta": 1, "gamma": 1}
    docs = [
        RelatedDoc("a", 1, 0, {"alpha": 1}, words),
        RelatedDoc("b-other-category", 65, 1, {"alpha": 1}, words),
        RelatedDoc("c-same-category", 2, 0, {}, {"alpha": 1, "beta": 1}),
        RelatedDoc("d-unrelated", 3, 0, {}, {"zeta": 1}),
    ]
    lists = related_lists(docs)
    assert lists["a"] == ["c-same-category", "b-other-category"]
    assert "a" not in lists["a"] and lists["d-unrelated"] == []


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
    build_site(load_config(site))
    # rebuild the inputs the builder used, then compare both implementations
    docs, index = sample_docs_from(site, tmp_path)
    with index.reader() as reader:
        assert related_lists(docs, chunk=64) == related_by_engine(reader, docs)


def sample_docs_from(site: Path, tmp_path: Path) -> tuple[list[RelatedDoc], engine.SearchIndex]:
    from helpcenter.builder import _markup_options, _source_dir, load_sources
    from helpcenter.content import BuildOptions, assemble
    from helpcenter.markup import render_markdown

    config = load_config(site)
    sources, _ = load_sources(config)
    rendered = {s.path: render_markdown(s.body, _source_dir(s), _markup_options(config)) for s in sources}
    library, _ = assemble(sources, rendered, config, BuildOptions())
    analyses = {a.url: analyse_article(a) for a in library.articles}
    docs, span = search_docs(library.articles, analyses, [c.id for c in config.categories], config.locale)
    index = engine.SearchIndex(tmp_path / "ref-index")
    index.update([d.doc for d in docs], (), fresh=True)
    return related_docs([d.doc for d in docs], span), index
