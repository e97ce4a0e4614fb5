"""Rendering many listing pages: items are rendered once and kept between builds
(helpcenter.fragments), made only when read (pages.LazyItem), and pages are written by the
forked workers that render them. The output still equals a clean build's after edits,
additions, template changes and a damaged fragments file."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from markupsafe import escape
from sitetools import clean_build, tree_bytes

from helpcenter import fragments
from helpcenter.builder import build_site
from helpcenter.config import load_config
from helpcenter.templates import templates_key

ARTICLES = 30


def _site(tmp_path: Path) -> Path:
    from benchmarks.corpus import generate

    site = tmp_path / "s"
    generate(site, ARTICLES, seed=5)
    # One article a page: 2 orders x (All + 3 categories) x about 30 pages, over LOAD_MIN_PAGES.
    (site / "helpcenter.yml").write_text("page_size: 1\n", "utf-8")
    return site


def _store(site: Path) -> fragments.FragmentStore:
    config = load_config(site)
    return fragments.FragmentStore(config.cache_dir, templates_key(config))


def _add(site: Path, name: str, title: str) -> None:
    source = sorted((site / "articles" / "faq").glob("*.md"))[0]
    text = re.sub(r"^title: .*$", f"title: {title}", source.read_text("utf-8"), count=1, flags=re.M)
    (source.parent / name).write_text(text, "utf-8")


def test_a_build_keeps_each_item_once_per_root_and_category_badge(tmp_path: Path) -> None:
    site = _site(tmp_path)
    report = build_site(load_config(site))
    assert report.listing_pages >= fragments.LOAD_MIN_PAGES
    kept = _store(site).load()
    # Each article shows in four listings: All (with its category badge) and its category
    # (without), newest and most viewed first; the four are kept apart.
    assert len(kept) == 4 * ARTICLES
    assert sum(key.split("\0")[1].startswith("+") for key in kept) == 2 * ARTICLES
    assert all("<li" in html for html in kept.values())


def test_kept_items_are_used_and_follow_what_they_show(tmp_path: Path) -> None:
    site = _site(tmp_path)
    build_site(load_config(site))
    store = _store(site)
    kept = dict(store.load())
    # A kept item changed by hand shows in the next build that renders many listing pages:
    # proof that they are taken, not rendered again.
    planted = next(key for key in kept if key.endswith("+../../"))
    kept[planted] = kept[planted].replace("<li", "<li data-planted", 1)
    store.save(kept, {key.split("\0")[0] for key in kept})
    _add(site, "zz-first.md", "A first article added")
    build_site(load_config(site))
    assert any(b"data-planted" in data for data in tree_bytes(site / "site").values())

    # Another _item.html: every kept item is dropped with the templates they were made with.
    (site / "templates").mkdir()
    item = (Path(__file__).parents[1] / "templates" / "_item.html").read_text("utf-8")
    (site / "templates" / "_item.html").write_text(item.replace('class="result"', 'class="result custom"'), "utf-8")
    build_site(load_config(site))
    output = tree_bytes(site / "site")
    assert not any(b"data-planted" in data for data in output.values())
    assert output == clean_build(site, tmp_path / "clean")

    # An edit renders a few listing pages without reading the kept items (nor saving them);
    # the next addition reads them, made before the edit, and must show the edited title.
    edited = sorted((site / "articles" / "announcements").glob("*.md"))[0]
    text = edited.read_text("utf-8")
    old_title = str(escape(re.search(r"^title: (.*)$", text, flags=re.M).group(1).strip('"')))
    assert sum(f">{old_title}<" in html for html in _store(site).load().values()) == 4
    edited.write_text(re.sub(r"^title: .*$", "title: An edited title", text, count=1, flags=re.M), "utf-8")
    report = build_site(load_config(site))
    assert report.rendered_pages < fragments.LOAD_MIN_PAGES
    _add(site, "zz-second.md", "A second article added")
    build_site(load_config(site))
    assert tree_bytes(site / "site") == clean_build(site, tmp_path / "clean")
    # An addition makes too few items to write every kept one again: the file is as the
    # template change left it, and the next build making many items saves them with it
    # (new view counts for every article: the same templates, every item made again).
    kept = _store(site).load()
    assert len(kept) == 4 * (ARTICLES + 1) and sum(f">{old_title}<" in html for html in kept.values()) == 4
    slugs = [p.stem for p in (site / "articles").rglob("*.md")]
    (site / "data").mkdir()
    (site / "data" / "views.csv").write_text("slug,views\n" + "".join(f"{s},{1000 + i}\n" for i, s in enumerate(slugs)), "utf-8")
    build_site(load_config(site))
    assert tree_bytes(site / "site") == clean_build(site, tmp_path / "clean")
    # Only items that still exist are kept: the edited article's old ones were dropped.
    kept = _store(site).load()
    assert len(kept) == 4 * (ARTICLES + 2)
    assert sum("An edited title" in html for html in kept.values()) == 4
    assert not any(f">{old_title}<" in html for html in kept.values())


def test_a_damaged_fragments_file_is_ignored(tmp_path: Path) -> None:
    site = _site(tmp_path)
    build_site(load_config(site))
    path = site / ".helpcenter" / "fragments.pickle"
    for damage in (b"not a pickle", path.read_bytes()[: path.stat().st_size // 2]):
        path.write_bytes(damage)
        shutil.rmtree(site / "site")
        build_site(load_config(site))
        assert tree_bytes(site / "site") == clean_build(site, tmp_path / "clean")


def test_an_item_damaged_in_the_kept_file_is_made_again(tmp_path: Path) -> None:
    """The kept items are mapped from the file and decoded when a page shows them: bytes
    damaged in place (the file's length unchanged) are found then, and that item is made
    again like a missing one."""
    site = _site(tmp_path)
    build_site(load_config(site))
    kept = _store(site).load()
    assert isinstance(kept, fragments.KeptFragments) and len(kept) == 4 * ARTICLES
    key = next(key for key in kept if key.endswith("+../../"))
    raw = kept.raw(key)
    path = site / ".helpcenter" / "fragments.pickle"
    data = path.read_bytes()
    assert data.count(raw) == 1
    path.write_bytes(data.replace(raw, b"\xff" * len(raw)))
    damaged = _store(site).load()
    assert key in damaged and damaged.get(key) is None and len(damaged) == len(kept)
    _add(site, "zz-first.md", "A first article added")
    build_site(load_config(site))
    assert tree_bytes(site / "site") == clean_build(site, tmp_path / "clean")


def test_a_session_keeps_the_items_it_made_over_the_file_it_read(tmp_path: Path) -> None:
    """Builds one after another in one process (helpcenter serve) hand on the items they made
    over those read from the file, in one layer however many builds made some."""
    from helpcenter.state import Session

    site = _site(tmp_path)
    session = Session()
    build_site(load_config(site), session=session)
    for number in range(3):
        _add(site, f"zz-{number}.md", f"Article {number} added")
        build_site(load_config(site), session=session)
        handover = session.take()
        session.keep(handover)
        held = handover.fragments[1]
        assert isinstance(held, fragments.Layered) and isinstance(held.under, fragments.KeptFragments)
        # The new article's four items, and those moved to another root, made since the file was read.
        assert sum(key.startswith(f"{_item_key(site, number)}\0") for key in held.made) == 4
        assert dict(held) == {**dict(held.under), **held.made}
    assert tree_bytes(site / "site") == clean_build(site, tmp_path / "clean")


def _item_key(site: Path, number: int) -> str:
    from helpcenter.builder import state_stamp
    from helpcenter.cache import BuildCache

    state = BuildCache(site / ".helpcenter").load_state(state_stamp())
    assert state is not None
    return state.item_keys[f"faq/zz-{number}/"][1]


def test_items_whose_markup_is_kept_are_not_made_again(tmp_path: Path, monkeypatch) -> None:
    """Listing pages pass items to listing_item, which needs only their URL while their markup
    is kept: an addition renders every listing page but makes only the items it has to."""
    from helpcenter import pages

    site = _site(tmp_path)
    build_site(load_config(site))
    made: list[str] = []
    item_for = pages.item_for
    monkeypatch.setattr(pages, "item_for", lambda entry, config: made.append(entry.url) or item_for(entry, config))
    _add(site, "zz-first.md", "A first article added")
    report = build_site(load_config(site))
    assert report.rendered_pages > 4 * ARTICLES  # every listing page, with 30 items over them
    # The new article, the few items an addition moves between a first page (root ./) and a
    # second one (../../), which the kept markup differs by, and those the article pages
    # rendered again show as related: not all 31.
    assert "faq/zz-first/" in made and len(made) < ARTICLES // 2, made
    monkeypatch.undo()
    assert tree_bytes(site / "site") == clean_build(site, tmp_path / "clean")


def test_an_item_made_when_read_reads_as_the_item() -> None:
    from helpcenter.model import Category
    from helpcenter.pages import Item, LazyItem

    item = Item("T", "faq/t/", "S", Category("faq", "FAQ"), "2 Jan 2024", "2024-01-02", "3 Jan 2024", "2024-01-03", 1234, "1,234")
    calls = []
    lazy = LazyItem("faq/t/", lambda: calls.append(1) or item)
    assert lazy.url == "faq/t/" and calls == []
    assert [getattr(lazy, f) for f in Item._fields] == list(item) and calls == [1]


def test_pages_written_by_forked_workers_equal_pages_written_here(tmp_path: Path, monkeypatch) -> None:
    """Over PARALLEL_PAGES pages, forked workers render and write them into the spare and send
    back only what they wrote: the site equals one built in this process, after a first build
    and after an addition."""
    from benchmarks.corpus import generate

    from helpcenter import parallel, pipeline

    sites = []
    for name, processes in (("forked", 2), ("here", 1)):
        site = tmp_path / name
        generate(site, 100, seed=4)
        (site / "helpcenter.yml").write_text("page_size: 1\n", "utf-8")
        monkeypatch.setattr(parallel, "workers", lambda processes=processes: processes)
        reports = [build_site(load_config(site))]
        _add(site, "zz-first.md", "A first article added")
        reports.append(build_site(load_config(site)))
        assert reports[0].rendered_pages >= pipeline.PARALLEL_PAGES and reports[1].rendered_pages >= pipeline.PARALLEL_PAGES
        sites.append((site, [(r.rendered_pages, r.written_files) for r in reports]))
    (forked, forked_counts), (here, here_counts) = sites
    assert forked_counts == here_counts
    assert tree_bytes(forked / "site") == tree_bytes(here / "site")
    monkeypatch.undo()
    build = tree_bytes(forked / "site")
    assert build == clean_build(forked, tmp_path / "clean")
    report = build_site(load_config(forked))  # and the next build trusts what the workers wrote
    assert report.rendered_pages == 0 and report.written_files == 0


def test_a_build_that_did_not_read_the_kept_items_does_not_replace_them(tmp_path: Path, monkeypatch) -> None:
    """Saving writes the kept items with the new ones: a build that rendered too few listing
    pages to read them (however many items it made) leaves the file alone."""
    site = _site(tmp_path)
    build_site(load_config(site))
    before = _store(site).load()
    monkeypatch.setattr(fragments, "LOAD_MIN_PAGES", 10_000)
    monkeypatch.setattr(fragments, "SAVE_MIN", 1)
    (site / "data").mkdir()
    (site / "data" / "views.csv").write_text("slug,views\n" + "".join(f"{p.stem},{i}\n" for i, p in enumerate((site / "articles").rglob("*.md"))), "utf-8")
    report = build_site(load_config(site))
    assert report.rendered_pages > 4 * ARTICLES  # every item made again
    assert _store(site).load() == before


def test_a_listing_template_may_wrap_each_item_with_listing_item(tmp_path: Path) -> None:
    """``listing_items(items)`` joins what ``listing_item(item)`` gives one by one: a site's own
    listing.html may loop and wrap each item, and shows the same items."""
    site = _site(tmp_path)
    (site / "helpcenter.yml").write_text("page_size: 5\n", "utf-8")
    build_site(load_config(site))
    joined = (site / "site" / "faq" / "index.html").read_text("utf-8")
    theme = Path(__file__).resolve().parents[1] / "templates" / "listing.html"
    own = theme.read_text("utf-8").replace(
        "{{ listing_items(items) }}", '{% for item in items %}<div class="mine">{{ listing_item(item) }}</div>{% endfor %}'
    )
    assert own != theme.read_text("utf-8")
    (site / "templates").mkdir()
    (site / "templates" / "listing.html").write_text(own, "utf-8")
    build_site(load_config(site))
    wrapped = (site / "site" / "faq" / "index.html").read_text("utf-8")
    items = re.findall(r'<div class="mine">(.*?)</div>', wrapped, re.S)
    assert len(items) == 5 and "".join(items) in joined
    assert tree_bytes(site / "site") == clean_build(site, tmp_path / "clean")
