"""Incremental builds are exactly right: after every step of a random sequence of edits,
additions, deletions, renames, template and config changes, the incrementally built site is
byte-identical to a clean build of the same input, and unchanged files are not rewritten."""

from __future__ import annotations

import dataclasses
import os
import random
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from sitetools import article, clean_build, tree_bytes, write_site

from helpcenter.builder import build_site
from helpcenter.config import load_config
from helpcenter.search.engine import SearchIndex
from helpcenter.search.query import run_search

STEPS = 60


class Editor:
    """Random changes to a site folder, the kinds editors make."""

    def __init__(self, site: Path, pool: list[Path], seed: int):
        self.site = site
        self.pool = pool
        self.rng = random.Random(seed)
        self.counter = 0

    def articles(self) -> list[Path]:
        return sorted((self.site / "articles").rglob("*.md"))

    def step(self) -> str:
        kinds = ["body", "body", "front", "views", "add", "delete", "rename", "category", "template", "config", "nothing", "heading", "anchor", "alias"]
        kind = self.rng.choice(kinds)
        getattr(self, kind)()
        self.counter += 1
        return kind

    def body(self) -> None:
        path = self.rng.choice(self.articles())
        words = self.rng.sample(["passkey", "withdrawal", "network", "settlement", "ledger", "quartz", "deposit", "fees"], 3)
        path.write_text(path.read_text("utf-8") + f"\n\nStep {self.counter}: {' '.join(words)}.\n", "utf-8")

    def front(self) -> None:
        path = self.rng.choice(self.articles())
        text = path.read_text("utf-8")
        text = re.sub(r"^title: (.*)$", lambda m: f'title: "{m.group(1).strip(chr(34))} v{self.counter}"', text, count=1, flags=re.M)
        text = re.sub(r"^updated: .*$", f"updated: 2026-06-{1 + self.counter % 28:02d}", text, count=1, flags=re.M)
        path.write_text(text, "utf-8")

    def views(self) -> None:
        path = self.rng.choice(self.articles())
        if self.rng.random() < 0.5:
            text = re.sub(r"^views: \d+$", f"views: {self.rng.randint(0, 50000)}", path.read_text("utf-8"), count=1, flags=re.M)
            path.write_text(text, "utf-8")
        else:  # analytics' counts, which replace the front matter's
            (self.site / "data").mkdir(exist_ok=True)
            (self.site / "data" / "views.csv").write_text(f"slug,views\n{path.stem},{self.rng.randint(0, 50000)}\n", "utf-8")

    def add(self) -> None:
        if self.pool:
            source = self.pool.pop(0)
            target = self.site / "articles" / source.parent.name / source.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target)

    def heading(self) -> None:
        """Rename a heading (links to it from other articles break, or mend)."""
        path = self.rng.choice(self.articles())
        text = path.read_text("utf-8")
        name = self.rng.choice(["Things to check first", f"Renamed {self.counter}", "Related settings"])
        path.write_text(re.sub(r"^## .*$", f"## {name}", text, count=1, flags=re.M), "utf-8")

    def anchor(self) -> None:
        """Link to a heading of another article (one that exists, or not)."""
        source, target = self.rng.sample(self.articles(), 2)
        headings = re.findall(r"^## (.*)$", target.read_text("utf-8"), flags=re.M) + ["No such heading"]
        anchor = re.sub(r"[^a-z0-9]+", "-", self.rng.choice(headings).lower()).strip("-")
        link = f"[see](../{target.parent.name}/{target.name}#{anchor})"
        source.write_text(source.read_text("utf-8") + f"\n\nStep {self.counter}: {link}.\n", "utf-8")

    def delete(self) -> None:
        articles = self.articles()
        if len(articles) > 10:
            self.rng.choice(articles).unlink()

    def rename(self) -> None:
        path = self.rng.choice(self.articles())
        path.rename(path.with_name(f"renamed-{self.counter}-{path.name}"))

    def category(self) -> None:
        path = self.rng.choice(self.articles())
        text = path.read_text("utf-8")
        new = self.rng.choice(["faq", "announcements", "product-documents"])
        path.write_text(re.sub(r"^category: .*$", f"category: {new}", text, count=1, flags=re.M), "utf-8")

    def template(self) -> None:
        override = self.site / "templates" / "_item.html"
        choice = self.rng.randint(0, 2)
        if choice == 0:
            override.unlink(missing_ok=True)
        else:
            override.parent.mkdir(exist_ok=True)
            override.write_text(
                '<li class="result variant-{}">\n  <h2 class="result-title"><a href="{{{{ root }}}}{{{{ item.url }}}}">{{{{ item.title }}}}</a></h2>\n'
                '  <p class="result-summary">{{{{ item.summary }}}}</p>\n  {{% include "_meta.html" %}}\n</li>\n'.format(choice),
                "utf-8",
            )

    def config(self) -> None:
        size = self.rng.choice([3, 4, 20])
        title = self.rng.choice(["Help", "Support centre"])
        locale = self.rng.choice(["en_GB", "en_US", "de_DE"])
        label = self.rng.choice(["FAQ", "Questions"])
        categories = f"categories:\n  - {{id: faq, label: {label}}}\n  - {{id: announcements, label: Announcements}}\n  - {{id: product-documents, label: Product documents}}\n"
        (self.site / "helpcenter.yml").write_text(f"title: {title}\npage_size: {size}\nlocale: {locale}\n{categories}", "utf-8")

    def alias(self) -> None:
        """Give an article an old URL that redirects to it, or take its aliases away."""
        path = self.rng.choice(self.articles())
        text = re.sub(r"^aliases: .*\n", "", path.read_text("utf-8"), flags=re.M)
        if self.rng.random() < 0.7:
            text = text.replace("\n", f"\naliases: [/old/{self.counter}/]\n", 1)  # under the opening ---
        path.write_text(text, "utf-8")

    def nothing(self) -> None:
        pass


@pytest.mark.slow
@pytest.mark.parametrize("resident", [False, True], ids=["each-build-reads-the-state", "state-handed-over-in-memory"])
def test_every_incremental_build_equals_a_clean_build(tmp_path: Path, monkeypatch, resident: bool) -> None:
    """Random edits, each followed by a build compared with a clean one. ``resident``: the
    builds of one process hand their state on in memory, as ``helpcenter serve``'s do (every
    seventh made as another process would, which the next must notice); what each hands on
    must equal what a build reading the cache folder gets."""
    from benchmarks.corpus import generate

    from helpcenter import fragments, pipeline
    from helpcenter.cache import BuildCache
    from helpcenter.state import Session, stamp_of

    session = Session() if resident else None
    reads: list[Path] = []
    load_state = BuildCache.load_state
    monkeypatch.setattr(BuildCache, "load_state", lambda self, stamp: reads.append(self.folder) or load_state(self, stamp))

    # Kept listing items are read by builds rendering 8 listing pages or more (of about 40):
    # additions and template changes take them, most edits neither read nor save them.
    monkeypatch.setattr(fragments, "LOAD_MIN_PAGES", 8)
    # Pages and search shards shared with a forked worker as at 10,000 articles: additions,
    # deletions and template changes render 12 pages or more (and the worker starts on the
    # listing pages and shards while the related lists are made); edits render fewer, here.
    monkeypatch.setattr(pipeline, "PARALLEL_PAGES", 12)
    monkeypatch.setattr(pipeline, "SHARDS_IN_THREAD", 4)

    site = tmp_path / "site-src"
    extra = tmp_path / "extra"
    generate(site, 30, seed=3)
    generate(extra, 45, seed=3)  # the same 30 and 15 more, added along the way
    (site / "helpcenter.yml").write_text("page_size: 4\n", "utf-8")
    pool = sorted(set((extra / "articles").rglob("*.md")) - {extra / p.relative_to(site) for p in (site / "articles").rglob("*.md")})
    editor = Editor(site, pool, seed=12)
    build_site(load_config(site), session=session)
    kinds = []
    redirected = 0
    warned: set[str] = set()
    rewritten_when_nothing_changed = []
    for step in range(STEPS):
        kind = editor.step()
        kinds.append(kind)
        before = {p: p.stat().st_ino for p in (site / "site").rglob("*") if p.is_file()}
        reads.clear()
        handed = session.take() if session is not None else None
        if session is not None:
            session.keep(handed)
        stale = handed is not None and handed.file != stamp_of(str(site / ".helpcenter" / "state.pickle"))
        report = build_site(load_config(site), session=session if step % 7 else None)
        if resident:
            read_here = [f for f in reads if f == site / ".helpcenter"]
            # Read by the build of "another process", by the first after one that wrote the
            # state, and after a build that found nothing to do had nothing to hand on (it
            # reads only part of the state).
            assert len(read_here) == (1 if step % 7 == 0 or handed is None or stale else 0), (step, kind)
            if step % 7:
                _assert_handover_is_the_saved_state(session, site)
        incremental = tree_bytes(site / "site")
        assert incremental == clean_build(site, tmp_path / "clean"), f"step {step} ({kind}) differs from a clean build"
        redirected += "_redirects" in incremental
        clean_warnings = build_site(load_config(tmp_path / "clean")).warnings  # as the clean build left them
        assert [str(w) for w in report.warnings if w.path != ".helpcenter"] == [str(w) for w in clean_warnings], f"step {step} ({kind})"
        warned |= {str(w) for w in report.warnings}
        if kind == "nothing":
            after = {p: p.stat().st_ino for p in (site / "site").rglob("*") if p.is_file()}
            rewritten_when_nothing_changed += [str(p) for p in before if after.get(p) != before[p] and p.name != ".helpcenter-site"]
            assert report.rendered_pages == 0 and report.written_files == 0
    assert rewritten_when_nothing_changed == []
    assert len(set(kinds)) >= 11, kinds
    assert any("link to a missing heading" in w for w in warned), warned  # the anchors were exercised
    assert 0 < redirected < STEPS, redirected  # and aliases, given and taken away

    # The search index, updated in place 60 times, ranks like the clean build's fresh index.
    config = load_config(site)
    clean = load_config(tmp_path / "clean")
    for query in ["passkey withdrawal", "network", "fees deposit", "ledger quartz"]:
        a = run_search(SearchIndex(config.cache_dir / "index"), query, categories=["faq", "announcements", "product-documents"], limit=None, excerpts=False)
        b = run_search(SearchIndex(clean.cache_dir / "index"), query, categories=["faq", "announcements", "product-documents"], limit=None, excerpts=False)
        assert [(r.id, r.score) for r in a.results] == [(r.id, r.score) for r in b.results]


def _saved_state(root: Path) -> object:
    """The state the last build of the site at ``root`` saved, read whole, as a build reads it."""
    from helpcenter.builder import state_stamp
    from helpcenter.cache import BuildCache

    cache = BuildCache(root / ".helpcenter")
    state = cache.load_state(state_stamp())
    assert state is not None and cache.load_state_rest(state)
    cache.close()
    return state


def _assert_handover_is_the_saved_state(session: object, site: Path) -> None:
    """What a session holds equals what a build reading the cache folder gets: the state, the
    postings it names and the kept listing items."""
    import numpy as np

    from helpcenter import fragments
    from helpcenter.search.postings import Postings

    handover = session.take()  # type: ignore[attr-defined]
    session.keep(handover)  # type: ignore[attr-defined]
    if handover is None:  # nothing to do, and nothing was handed to it: see the caller
        return
    saved: Any = _saved_state(site)
    for field in dataclasses.fields(saved):
        assert getattr(handover.state, field.name) == getattr(saved, field.name), field.name
    postings = Postings.load(site / ".helpcenter" / "postings.bin", saved.vocabulary, saved.postings_token)
    assert postings is not None and handover.postings.vocabulary == postings.vocabulary
    for name in ("term", "slot", "tf", "code", "totals"):
        assert np.array_equal(getattr(handover.postings, name), getattr(postings, name)), name
    assert handover.postings.doc_count == postings.doc_count
    assert np.array_equal(handover.postings.title_body_df(), postings.title_body_df())
    if handover.fragments is not None:
        stamp, items = handover.fragments
        on_disk = fragments.FragmentStore(site / ".helpcenter", stamp[1]).load()
        # Kept in memory: all made; on disk: those saved (see ItemFragments.worth_saving).
        assert all(items[key] == html for key, html in on_disk.items() if key in items)


def test_a_failed_build_hands_nothing_on(tmp_path: Path) -> None:
    """After a build that failed, the next reads the state from the cache folder: a failed build
    may have changed what it was handed (the postings are updated in place)."""
    from benchmarks.corpus import generate

    from helpcenter.errors import ContentError
    from helpcenter.state import Session

    site = tmp_path / "s"
    generate(site, 30, seed=4)
    session = Session()
    build_site(load_config(site), session=session)
    articles = sorted((site / "articles" / "faq").glob("*.md"))
    shutil.copy(articles[0], articles[0].with_name("added.md"))
    good = articles[1].read_text("utf-8")
    articles[1].write_text(good.replace("title:", "title: [", 1), "utf-8")  # bad YAML
    with pytest.raises(ContentError):
        build_site(load_config(site), session=session)
    assert session.take() is None
    articles[1].write_text(good + "\nMended.\n", "utf-8")
    build_site(load_config(site), session=session)
    assert session.take() is not None
    assert tree_bytes(site / "site") == clean_build(site, tmp_path / "clean")


def test_an_edit_rewrites_only_what_it_changes(tmp_path: Path) -> None:
    from benchmarks.corpus import generate

    site = tmp_path / "s"
    generate(site, 40, seed=8)
    build_site(load_config(site))
    again = build_site(load_config(site))
    assert (again.rendered_pages, again.written_files) == (0, 0)
    path = sorted((site / "articles" / "faq").glob("*.md"))[5]
    path.write_text(path.read_text("utf-8") + "\n\nOne more sentence about quartz ledgers.\n", "utf-8")
    edited = build_site(load_config(site))
    # the article, perhaps a few related lists; not the listings (nothing they show changed);
    # and the search shards of its words (on a 40-article site, most of the 64 shards)
    assert 1 <= edited.rendered_pages <= 8
    total = sum(1 for p in (site / "site").rglob("*") if p.is_file())
    assert edited.written_files < total / 2


def test_a_build_under_another_compressor_version_starts_clean(tmp_path: Path, monkeypatch) -> None:
    """The search export's files are kept from the last build only if this one would write the
    same bytes: another libdeflate may compress the same input otherwise, so the state saved
    under another version of it is not read, and every page and file is made again."""
    import deflate

    from benchmarks.corpus import generate

    site = tmp_path / "s"
    generate(site, 30, seed=8)
    first = build_site(load_config(site))
    assert build_site(load_config(site)).rendered_pages == 0
    monkeypatch.setattr(deflate, "__version__", deflate.__version__ + ".other")
    again = build_site(load_config(site))
    assert again.rendered_pages == first.rendered_pages == first.pages
    assert build_site(load_config(site)).rendered_pages == 0


def test_an_edit_encodes_the_search_shards_of_the_words_it_changed(tmp_path: Path, monkeypatch) -> None:
    """One word replaced by another (field lengths unchanged): the postings of every other word
    of the article come back identical, so only the two words' shards are encoded again."""
    from benchmarks.corpus import generate
    from helpcenter.search import export

    site = tmp_path / "s"
    generate(site, 40, seed=8)
    build_site(load_config(site))
    path = sorted((site / "articles" / "faq").glob("*.md"))[5]
    text = path.read_text("utf-8")
    last = list(re.finditer(r"\b[a-z]{6,}\b", text))[-1]  # in the last paragraph: not in the summary
    path.write_text(text[: last.start()] + "zyxquartz" + text[last.end() :], "utf-8")
    encoded: list[int] = []
    real = export.shard_files

    def shard_files(postings, shards, only=None):  # type: ignore[no-untyped-def]
        encoded.extend(range(shards) if only is None else only)
        return real(postings, shards, only)

    monkeypatch.setattr(export, "shard_files", shard_files)
    build_site(load_config(site))
    assert 1 <= len(set(encoded)) <= 2, sorted(set(encoded))
    monkeypatch.undo()
    assert tree_bytes(site / "site") == clean_build(site, tmp_path / "clean")


def test_listing_pages_keep_their_keys_while_they_show_the_same(tmp_path: Path, monkeypatch) -> None:
    """A listing page's key hashes the templates, its tabs, its place and its items' keys. An
    edit that changes none of them (an article's text) takes every listing page's key from the
    last build; one that changes an item (a title, the views) or the templates hashes them
    again and renders the pages that show it."""
    from benchmarks.corpus import generate
    from helpcenter import pages

    site = tmp_path / "s"
    generate(site, 40, seed=11)
    (site / "helpcenter.yml").write_text("page_size: 4\n", "utf-8")
    build_site(load_config(site))
    hashed: list[object] = []
    real, real_listing = pages.page_key, pages.listing_key
    monkeypatch.setattr(pages, "page_key", lambda *parts: hashed.append(parts[1]) or real(*parts))
    monkeypatch.setattr(pages, "listing_key", lambda *parts: hashed.append("listing") or real_listing(*parts))
    path = sorted((site / "articles" / "faq").glob("*.md"))[3]

    def edit(old: str, new: str) -> tuple[Any, list[object]]:
        hashed.clear()
        text = path.read_text("utf-8")
        path.write_text(re.sub(old, new, text, count=1, flags=re.M) if old else text + new, "utf-8")
        report, kinds = build_site(load_config(site)), list(hashed)
        assert tree_bytes(site / "site") == clean_build(site, tmp_path / "clean")
        return report, kinds

    report, kinds = edit("", "\n\nOne more sentence about ledgers.\n")
    assert "listing" not in kinds and "article" in kinds and report.rendered_pages == 1
    report, kinds = edit(r"^title: (.*)$", "title: A title of its own")
    assert kinds.count("listing") == report.listing_pages and report.rendered_pages > 2
    report, kinds = edit(r"^views: \d+$", "views: 987654")
    assert kinds.count("listing") == report.listing_pages
    report, kinds = edit("", "\n\nAnd one about quartz.\n")
    assert "listing" not in kinds and report.rendered_pages == 1
    (site / "templates").mkdir()
    (site / "templates" / "listing.html").write_text('{% extends "theme/listing.html" %}{% block title %}Listed{% endblock %}', "utf-8")
    report, kinds = edit("", "\n\nAnd one about templates.\n")
    assert kinds.count("listing") == report.listing_pages and report.rendered_pages > report.listing_pages


def test_the_saved_state_after_an_edit_equals_a_clean_builds(tmp_path: Path) -> None:
    """Article metas are saved in groups, and a group no article of which changed is written
    back as the bytes read, as is any other part of the state a build took over as it was read;
    after edits the saved state must still equal a clean build's."""
    from benchmarks.corpus import generate

    def saved(root: Path) -> dict[str, object]:
        state: Any = _saved_state(root)
        fields = {f.name: getattr(state, f.name) for f in dataclasses.fields(state)}
        # Not comparable: file stamps and settings name the folder; tokens are random; the
        # findings' time is the build's; the vocabulary is in the order terms came.
        for name in ("files", "other_files", "fingerprint", "index_contents", "postings_token"):
            del fields[name]
        fields["findings"] = dataclasses.replace(state.findings, settings="", at=None)
        fields["vocabulary"] = sorted(state.vocabulary)
        fields["schedule"] = repr(state.schedule)
        return fields

    site = tmp_path / "s"
    generate(site, 40, seed=8)
    build_site(load_config(site))
    for path in sorted((site / "articles").rglob("*.md"))[3:30:9]:
        text = re.sub(r"^views: \d+$", "views: 12345", path.read_text("utf-8"), count=1, flags=re.M)
        path.write_text(text + "\nOne more line.\n", "utf-8")
        build_site(load_config(site))
    # Publication dates changed, then written another way for the same instant (the schedule
    # keeps them as written).
    path = sorted((site / "articles").rglob("*.md"))[5]
    for published in ("2020-01-02", "2020-01-02T00:00:00+00:00", "2020-01-02T02:00:00+02:00"):
        path.write_text(re.sub(r"^published: .*$", f"published: {published}", path.read_text("utf-8"), count=1, flags=re.M), "utf-8")
        build_site(load_config(site))
    shutil.copy(path, path.with_name("a-copy.md"))  # the most related article of the one copied
    build_site(load_config(site))
    clean = tmp_path / "clean"
    shutil.copytree(site, clean, ignore=shutil.ignore_patterns("site", ".helpcenter", ".site.*"))
    build_site(load_config(clean))
    assert saved(site) == saved(clean)


def test_state_fields_of_plain_data_are_marshalled_the_others_pickled(tmp_path: Path) -> None:
    """A field of builtin containers, strings and numbers is written by marshal (twice as fast as
    pickle); one holding objects, or a set (whose elements marshal sorts), by pickle. Both read
    back equal, and a state from another Python version is not read at all."""
    from helpcenter.builder import state_stamp
    from helpcenter.cache import BuildCache
    from helpcenter.errors import Problem
    from helpcenter.pages import Orders
    from helpcenter.state import State

    state = State(
        files={"faq/a.md": (b"\x01" * 32, "d" * 32)},
        schedule=(("faq/a.md", False, 1_764_000_000_000_000),),
        item_keys={"faq/a/": (("A title", 3, None), "k1")},
        visible=frozenset({"faq/a.md"}),
        orders=Orders(["faq/a/"], ["faq/a/"]),
        warnings=[Problem("articles/faq/a.md", 3, "a warning")],
    )
    cache = BuildCache(tmp_path)
    cache.save_state(state_stamp(), state)
    reader = BuildCache(tmp_path)
    read = reader.load_state(state_stamp())
    assert read is not None
    written = {name: bytes(blob[:1]) for name, (blob, _) in reader.saved()[0].items()}
    assert {written[n] for n in ("files", "schedule", "item_keys", "counts")} == {b"m"}
    assert {written[n] for n in ("visible", "orders", "warnings", "findings", "vocabulary")} == {b"p"}
    for field in dataclasses.fields(State):
        if field.name not in ("metas", "problems"):
            assert getattr(read, field.name) == getattr(state, field.name), field.name
    assert type(read.orders) is Orders
    assert BuildCache(tmp_path).load_state({**state_stamp(), "python": (3, 0)}) is None


def test_an_edit_takes_the_index_digests_from_the_state(tmp_path: Path, monkeypatch) -> None:
    """The index holds what the last build left while it carries the contents token saved with
    that build's state: an edit then reads none of its digest columns (they took 0.07 s of an
    edit at 10,000 articles), and still ranks as a fresh index."""
    from benchmarks.corpus import generate

    site = tmp_path / "s"
    generate(site, 40, seed=8)
    build_site(load_config(site))
    path = sorted((site / "articles" / "faq").glob("*.md"))[5]
    path.write_text(path.read_text("utf-8") + "\n\nOne more sentence about zyxquartz ledgers.\n", "utf-8")

    def unread(ix: object) -> dict[str, str]:
        raise AssertionError("the index's digests were read")

    monkeypatch.setattr(SearchIndex, "_digests", staticmethod(unread))
    build_site(load_config(site))
    monkeypatch.undo()
    assert tree_bytes(site / "site") == clean_build(site, tmp_path / "clean")
    config, clean = load_config(site), load_config(tmp_path / "clean")
    for text in ("zyxquartz", "ledgers fees"):
        a = run_search(SearchIndex(config.cache_dir / "index"), text, categories=["faq", "announcements", "product-documents"], limit=None, excerpts=False)
        b = run_search(SearchIndex(clean.cache_dir / "index"), text, categories=["faq", "announcements", "product-documents"], limit=None, excerpts=False)
        assert [(r.id, r.score) for r in a.results] == [(r.id, r.score) for r in b.results]
        assert a.results


def test_edits_that_change_what_other_articles_are_checked_against(tmp_path: Path) -> None:
    """An edit build takes the last build's cross-article findings for the articles it did not
    change; each step below changes something those findings depend on (a heading another
    article links to, a file beside the articles) and must warn exactly as a clean build does."""
    site = write_site(
        tmp_path / "s",
        {
            "articles/faq/a.md": article("A", body="See [setup](b.md#setup) and [the form](form.pdf)."),
            "articles/faq/b.md": article("B", body="## Setup\n\nSteps."),
            "articles/faq/form.pdf": "%PDF-1.4\n",
        },
    )

    def warnings(root: Path) -> list[str]:
        return [str(w) for w in build_site(load_config(root)).warnings if w.path != ".helpcenter"]

    def check(expected: str | None) -> None:
        found = warnings(site)
        clean_build(site, tmp_path / "clean")
        assert found == warnings(tmp_path / "clean")
        assert (expected is None and not found) or (expected is not None and any(expected in w for w in found)), found

    b = site / "articles/faq/b.md"
    check(None)
    b.write_text(article("B", body="## Install\n\nSteps."), "utf-8")
    check("link to a missing heading: faq/b.md#setup")
    b.write_text(article("B", body="## Setup\n\nSteps, again."), "utf-8")
    check(None)
    (site / "articles/faq/form.pdf").unlink()
    check("link to a missing file: faq/form.pdf")
    b.write_text(article("B", body="## Setup\n\nSee [A](a.md#nowhere)."), "utf-8")
    check("link to a missing heading: faq/a.md#nowhere")


def test_an_edit_reuses_the_cross_article_findings(tmp_path: Path, monkeypatch) -> None:
    """A body edit, an addition or a deletion does not make the full pass over every article's
    slug and links again (a draft dated in the past, left out, does not count as coming out)."""
    from benchmarks.corpus import generate

    from helpcenter import assembly

    site = tmp_path / "s"
    generate(site, 40, seed=8)
    (site / "articles/faq/draft.md").write_text(article("A draft", published="2024-01-01", draft="true"), "utf-8")
    build_site(load_config(site))
    path = sorted((site / "articles" / "faq").glob("*.md"))[5]
    path.write_text(path.read_text("utf-8") + "\n\nOne more sentence.\n", "utf-8")

    def full_pass(*args: object) -> None:
        raise AssertionError("assembled from scratch")

    monkeypatch.setattr(assembly, "_anew", full_pass)
    build_site(load_config(site))
    monkeypatch.undo()
    assert tree_bytes(site / "site") == clean_build(site, tmp_path / "clean")
    # Nor does an addition, or a deletion (tests/test_assembly.py: the same findings).
    added = path.with_name("zz-added.md")
    added.write_text(re.sub(r"^title: .*$", "title: Added", path.read_text("utf-8"), count=1, flags=re.M), "utf-8")
    for step in ("added", "deleted"):
        monkeypatch.setattr(assembly, "_anew", full_pass)
        build_site(load_config(site))
        monkeypatch.undo()
        assert tree_bytes(site / "site") == clean_build(site, tmp_path / "clean"), step
        added.unlink(missing_ok=True)


def test_listing_orders_kept_and_patched_equal_orders_sorted_afresh() -> None:
    """The listings' orders are the last build's with the changed articles put back in place:
    after random changes of dates and views (ties included), additions and removals they equal
    a full sort."""
    import dataclasses
    import datetime as dt

    from helpcenter.model import ArticleMeta, Category, Entry, FrontMatter, Library
    from helpcenter.pages import orders

    rng = random.Random(3)
    faq = Category("faq", "FAQ")

    def entry(n: int) -> Entry:
        day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 40))
        front = FrontMatter(f"T{n}", "faq", day, day + dt.timedelta(days=rng.randint(0, 3)), views=rng.choice([0, 5, 5, 100]))
        meta = ArticleMeta(f"articles/faq/a{n}.md", str(n), front, 1, "", frozenset(), (), (), 1)
        return Entry(meta, f"a{n}", f"faq/a{n}/", faq)

    entries = {n: entry(n) for n in range(60)}
    def library() -> Library:
        return Library(tuple(entries.values()), (faq,))

    known = orders(library())
    added = 60
    for _ in range(60):
        moved = rng.sample(sorted(entries), rng.randint(0, 6))
        for n in moved:
            changed = entry(n)
            entries[n] = dataclasses.replace(entries[n], meta=changed.meta)
        for n in rng.sample(sorted(set(entries) - set(moved)), rng.randint(0, 2)):
            del entries[n]  # removed: not among the moved, which are listed
        for _ in range(rng.randint(0, 2)):
            entries[added] = entry(added)  # new: not among the moved either
            added += 1
        known = orders(library(), known, [entries[n].url for n in moved])
        assert known == orders(library())


def test_article_pages_follow_what_they_show(tmp_path: Path) -> None:
    """Article pages whose inputs are all unchanged keep their keys without making them again;
    each step changes one input of one page and nothing else of it (its body's markup; the
    title of an article in its related list; its related list, through another article's
    words, and back) and must render what a clean build renders."""
    from benchmarks.corpus import generate

    site = tmp_path / "s"
    generate(site, 40, seed=8)
    build_site(load_config(site))
    target = sorted((site / "articles" / "faq").glob("*.md"))[2]
    page = site / "site" / "faq" / target.stem / "index.html"

    def related() -> list[Path]:
        aside = page.read_text("utf-8").split('<aside class="related"', 1)[1].split("</aside>", 1)[0]
        return [site / "articles" / f"{url.split('/')[0]}" / f"{url.split('/')[1]}.md" for url in re.findall(r'href="\.\./\.\./([^"]+)/"', aside)]

    def check() -> None:
        report = build_site(load_config(site))
        assert tree_bytes(site / "site") == clean_build(site, tmp_path / "clean")
        assert report.rendered_pages < 20

    text = target.read_text("utf-8")
    last = list(re.finditer(r"\b[a-z]{6,}\b", text))[-1]  # markup only: the same words, another page
    target.write_text(text[: last.start()] + f"**{last.group()}**" + text[last.end() :], "utf-8")
    check()
    shown = related()[0]
    shown.write_text(re.sub(r"^title: (.*)$", lambda m: f'title: "{m.group(1).strip(chr(34))} (revised)"', shown.read_text("utf-8"), count=1, flags=re.M), "utf-8")
    before = related()
    check()
    other = next(p for p in sorted(target.parent.glob("*.md")) if p != target and p not in before)
    original = other.read_text("utf-8")
    words = "\n".join(line for line in target.read_text("utf-8").split("---", 2)[2].splitlines() if not line.startswith("#"))
    other.write_text(original + "\n\n" + words, "utf-8")  # its words, not its headings
    check()
    assert other in related()  # the list changed
    other.write_text(original, "utf-8")  # and changes back: to articles none of which changed
    check()
    assert related() == before


def test_an_article_moved_to_another_slot_by_a_new_one_is_exported_again(tmp_path: Path) -> None:
    """A new article that takes an unchanged article's search slot (hashed slots collide and
    probe forward) moves that article: its export and index entries follow, as in a clean build."""
    from helpcenter.search.slots import slug_hash, span_for

    span = span_for(3)
    home = slug_hash("zz-kept") % span
    taker = next(f"b{n}" for n in range(100_000) if slug_hash(f"b{n}") % span == home)
    site = write_site(
        tmp_path / "s",
        {"articles/faq/zz-kept.md": article("Kept", body="Quartz ledgers."), "articles/faq/other.md": article("Other", body="Withdrawals.")},
    )
    build_site(load_config(site))
    (site / f"articles/faq/{taker}.md").write_text(article("Taker", body="Passkeys."), "utf-8")
    build_site(load_config(site))
    assert tree_bytes(site / "site") == clean_build(site, tmp_path / "clean")


def test_slots_updated_for_a_few_changes_are_those_a_full_assignment_gives() -> None:
    """update_slots lays out again only the clusters that added and removed articles touch; on
    crowded small ranges (clusters merging, wrapping around, articles changing category) it
    gives what assign_slots gives, or None; at the site's load (1/8) it gives, every time."""
    from helpcenter.search.slots import assign_slots, update_slots

    rng = random.Random(5)
    given = compared = 0
    for _ in range(6000):
        span, categories = rng.choice([8, 16, 32, 64]), rng.randint(1, 3)
        load = rng.choice([0.125, 0.5, 0.9])
        old: dict[str, int] = {}
        for _ in range(int(span * load * categories)):
            category = rng.randrange(categories)
            if sum(1 for c in old.values() if c == category) < span - 1:
                old[f"s{rng.randrange(400)}"] = category
        new = dict(old)
        for _ in range(rng.randint(1, 4)):
            step = rng.random()
            if step < 0.4 and new:
                del new[rng.choice(sorted(new))]
            elif step < 0.6 and new:
                new[rng.choice(sorted(new))] = rng.randrange(categories)
            else:
                new[f"n{rng.randrange(400)}"] = rng.randrange(categories)
        if any(sum(1 for c in new.values() if c == category) >= span for category in range(categories)):
            continue
        updated = update_slots(assign_slots(old.items(), span), new, span)
        compared += 1
        if updated is not None:
            given += 1
            assert updated == assign_slots(new.items(), span), (span, old, new)
    assert given > compared // 2  # most compared (crowded ranges wrap, and fall back)
    old = {f"a{n}": n % 3 for n in range(1000)}
    span = 8192  # the site's load: 1,000 articles in 3 ranges of 8,192
    slots = assign_slots(old.items(), span)
    for n in range(40):
        new = dict(old)
        del new[f"a{n}"]
        new[f"b{n}"] = n % 3
        assert update_slots(slots, new, span) == assign_slots(new.items(), span)


class ShardWatch:
    """Watches how a build encodes its search shards: the functions it runs in threads, the
    threads running at each fork (``map_forked`` with enough items to fork), and each encoding,
    written to ``log`` by whichever process makes it: (process, after a fork, in the main thread,
    shards)."""

    def __init__(self, monkeypatch, log: Path) -> None:  # type: ignore[no-untyped-def]
        import threading

        from helpcenter import pipeline

        self.log = log
        self.threads: list[object] = []
        self.running_at_fork: list[int] = []
        real_thread, real_map, real_shards = pipeline.InThread, pipeline.map_forked, pipeline.export.shard_files
        monkeypatch.setattr(pipeline, "InThread", lambda function: self.threads.append(function) or real_thread(function))

        def map_forked(function, items, *, minimum=2, **options):  # type: ignore[no-untyped-def]
            if len(items) >= minimum:
                self.running_at_fork.append(threading.active_count())
            return real_map(function, items, minimum=minimum, **options)

        def shard_files(postings, shards, only=None):  # type: ignore[no-untyped-def]
            with log.open("a") as out:
                out.write(repr((os.getpid(), bool(self.running_at_fork), threading.current_thread() is threading.main_thread(), sorted(only or ()))) + "\n")
            return real_shards(postings, shards, only)

        monkeypatch.setattr(pipeline, "map_forked", map_forked)
        monkeypatch.setattr(pipeline.export, "shard_files", shard_files)

    def clear(self) -> None:
        self.threads.clear()
        self.running_at_fork.clear()
        self.log.write_text("", "utf-8")

    def in_thread(self) -> bool:
        """Whether shards were encoded in a thread."""
        from helpcenter import pipeline

        return any(getattr(getattr(f, "func", None), "__func__", None) is pipeline.Pipeline._encode_shards for f in self.threads)

    def encoded(self) -> list[tuple[int, bool, bool, list[int]]]:
        import ast

        return [ast.literal_eval(line) for line in self.log.read_text("utf-8").splitlines()]


def test_search_shards_of_an_addition_are_encoded_beside_the_pages(tmp_path: Path, monkeypatch) -> None:
    """An addition touching many shards has them encoded while pages render: with a forked
    worker, by either process, which shares them and the listing pages while this one makes
    the related lists (no thread runs when it forks); when pages render here only, in a thread
    beside them. Either way each reaches the site once, as a clean build writes it."""
    import threading

    from benchmarks.corpus import generate

    from helpcenter import parallel, pipeline

    site = tmp_path / "s"
    generate(site, 40, seed=8)
    (site / "helpcenter.yml").write_text("page_size: 1\n", "utf-8")  # an addition renders 170 pages
    build_site(load_config(site))
    monkeypatch.setattr(pipeline, "SHARDS_IN_THREAD", 1)
    watch = ShardWatch(monkeypatch, tmp_path / "encoded.txt")
    running_at_fork = watch.running_at_fork
    real_related = pipeline.Pipeline.related
    related_made: list[bool] = []  # after the fork?

    def related(self, library):  # type: ignore[no-untyped-def]
        related_made.append(bool(running_at_fork))
        return real_related(self, library)

    monkeypatch.setattr(pipeline.Pipeline, "related", related)
    source = sorted((site / "articles" / "faq").glob("*.md"))[3]
    for processes, parallel_pages in ((2, 100), (1, 10_000)):
        monkeypatch.setattr(parallel, "workers", lambda processes=processes: processes)
        monkeypatch.setattr(pipeline, "PARALLEL_PAGES", parallel_pages)
        added = source.with_name(f"added-{processes}.md")
        added.write_text(re.sub(r"^title: .*$", f"title: Added {processes}", source.read_text("utf-8"), count=1, flags=re.M), "utf-8")
        watch.clear()
        related_made.clear()
        before = threading.active_count()
        report = build_site(load_config(site))
        assert report.rendered_pages > 100
        in_thread = watch.in_thread()
        encoded = watch.encoded()
        shards = [s for *_, only in encoded for s in only]
        assert len(shards) == len(set(shards)) > 1, encoded  # each shard once
        if processes == 2:
            assert running_at_fork[0] == before and not in_thread
            assert {(after, main) for _, after, main, _ in encoded} == {(True, True)} and len(encoded) > 1
            assert related_made == [True]
            assert parallel._exiting == []  # the worker, waited for by the end of the build
        else:
            assert running_at_fork == [] and in_thread
            assert [(pid, after, main) for pid, after, main, _ in encoded] == [(os.getpid(), False, False)]
            assert related_made == [False]
        assert tree_bytes(site / "site") == clean_build(site, tmp_path / "clean"), processes


def test_an_edit_changing_an_articles_length_shares_its_shards_with_a_forked_worker(tmp_path: Path, monkeypatch) -> None:
    """A paragraph added changes the article's length code, so the postings of all its words:
    with two cores their shards are encoded after a fork, by either process (no thread), with
    the few pages, each once, as a clean build writes them; with one core, in a thread."""
    from benchmarks.corpus import generate

    from helpcenter import parallel, pipeline

    site = tmp_path / "s"
    generate(site, 40, seed=8)
    build_site(load_config(site))
    monkeypatch.setattr(pipeline, "SHARDS_IN_THREAD", 1)
    watch = ShardWatch(monkeypatch, tmp_path / "encoded.txt")
    forks = watch.running_at_fork
    path = sorted((site / "articles" / "faq").glob("*.md"))[5]
    original = path.read_text("utf-8")
    for processes in (2, 1):
        monkeypatch.setattr(parallel, "workers", lambda processes=processes: processes)
        paragraph = " ".join(f"word{processes}x{i}" for i in range(60))
        path.write_text(f"{original}\n\n{paragraph}\n", "utf-8")
        watch.clear()
        report = build_site(load_config(site))
        assert report.rendered_pages < pipeline.PARALLEL_PAGES  # an edit: a few pages
        in_thread = watch.in_thread()
        encoded = watch.encoded()
        shards = [s for *_, only in encoded for s in only]
        assert len(shards) == len(set(shards)) > 10, encoded  # many shards, each once
        if processes == 2:
            assert forks and not in_thread
            assert {(after, main) for _, after, main, _ in encoded} == {(True, True)}
        else:
            assert forks == [] and in_thread
            assert [(after, main) for _, after, main, _ in encoded] == [(False, False)]
        assert tree_bytes(site / "site") == clean_build(site, tmp_path / f"clean-{processes}"), processes


def test_pages_linking_to_an_added_deleted_or_moved_article_are_made_again(tmp_path: Path) -> None:
    """An addition or deletion moves no other article: the other article pages keep their keys
    (a clean build's output, rendering only a few pages), except those whose links resolve
    otherwise now: to the article added, deleted or moved, or to a file added beside them."""
    from benchmarks.corpus import generate

    site = tmp_path / "s"
    generate(site, 40, seed=8)
    faq = sorted((site / "articles" / "faq").glob("*.md"))
    linking, linked = faq[4], faq[9]
    linking.write_text(linking.read_text("utf-8") + f"\n\nSee [the new one](zz-new.md), [another]({linked.name}) and [the form](form.pdf).\n", "utf-8")
    build_site(load_config(site))
    articles = len(list((site / "articles").rglob("*.md")))

    def check() -> int:
        report = build_site(load_config(site))
        assert tree_bytes(site / "site") == clean_build(site, tmp_path / "clean")
        return report.rendered_pages

    (site / "articles" / "faq" / "zz-new.md").write_text(
        re.sub(r"^title: .*$", "title: A new article", faq[0].read_text("utf-8"), count=1, flags=re.M), "utf-8"
    )
    assert check() < articles  # listings, the new page, pages relating to it, the linking one
    (site / "articles" / "faq" / "zz-new.md").unlink()
    assert check() < articles
    linked.rename(linked.with_name("renamed.md"))  # the link breaks
    check()
    linked.with_name("renamed.md").rename(linked)  # and mends
    check()
    (site / "articles" / "faq" / "form.pdf").write_bytes(b"%PDF-1.4 a form")  # a file beside them
    check()


def test_a_build_handed_the_state_writes_back_what_it_kept_as_a_build_reading_it_does(tmp_path: Path, monkeypatch) -> None:
    """The state's parts a build leaves as they were are written back as the bytes they were
    saved as (see BuildCache.save_state): a build handed the state in memory knows those bytes
    too, and pickles again no more than a build that read them."""
    import pickle

    from benchmarks.corpus import generate

    from helpcenter import cache as cache_module
    from helpcenter.state import Session

    pickled: list[int] = []
    saving: list[bool] = []

    class Counting:
        HIGHEST_PROTOCOL = pickle.HIGHEST_PROTOCOL

        def __getattr__(self, name: str) -> object:
            return getattr(pickle, name)

        @staticmethod
        def dumps(value: object, protocol: int | None = None) -> bytes:
            if saving:  # the state's parts, not records or manifests
                pickled.append(1)
            return pickle.dumps(value, protocol=protocol)

    save_state = cache_module.BuildCache.save_state

    def counted(self, stamp, state):  # type: ignore[no-untyped-def]
        saving.append(True)
        try:
            return save_state(self, stamp, state)
        finally:
            saving.clear()

    counts: dict[str, list[int]] = {}
    for name, session in (("read", None), ("handed", Session())):
        site = tmp_path / name
        generate(site, 30, seed=6)
        build_site(load_config(site), session=session)
        path = sorted((site / "articles" / "faq").glob("*.md"))[2]
        counts[name] = []
        for i in range(3):
            path.write_text(path.read_text("utf-8") + f"\nEdit {i}.\n", "utf-8")
            monkeypatch.setattr(cache_module, "pickle", Counting())
            monkeypatch.setattr(cache_module.BuildCache, "save_state", counted)
            pickled.clear()
            build_site(load_config(site), session=session)
            monkeypatch.undo()
            counts[name].append(len(pickled))
    # Of the state's 21 parts and its article metas' 64 groups, those an edit changed.
    assert counts["handed"] == counts["read"] and all(0 < n < 21 + 64 for n in counts["read"]), counts
