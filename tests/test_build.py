"""Building whole sites: site-wide rules, pages, sub-path deploys, failures that write nothing."""

from __future__ import annotations

import gc
import os
import re
from pathlib import Path

import pytest
from sitetools import article, copy_sample, tree_bytes, write_site
from htmltools import broken_links

from helpcenter import pipeline
from helpcenter.builder import build_site
from helpcenter.config import load_config
from helpcenter.content import BuildOptions
from helpcenter.errors import ContentError, UsageError


def build(root: Path, options: BuildOptions = BuildOptions(), **config: str):  # type: ignore[no-untyped-def]
    return build_site(load_config(root, **config), options)


def problems(root: Path, options: BuildOptions = BuildOptions()) -> list[str]:
    with pytest.raises(ContentError) as info:
        build(root, options)
    return [str(p) for p in info.value.problems]


def test_the_sample_site_builds_without_warnings(tmp_path: Path) -> None:
    root = tmp_path / "sample"
    copy_sample(root)
    report = build_site(load_config(root))
    assert report.warnings == []
    assert report.articles >= 45
    assert (root / "site/index.html").is_file()
    assert broken_links(root / "site") == []


def test_duplicate_slugs_name_both_files(make_site) -> None:  # type: ignore[no-untyped-def]
    root = make_site(
        {
            "articles/faq/a.md": article("One", slug="same"),
            "articles/announcements/b.md": article("Two", category="announcements", slug="same"),
        }
    )
    assert problems(root) == [
        'articles/faq/a.md:5: slug: "same" is already used by articles/announcements/b.md; slugs must be unique'
    ]


def test_file_names_become_slugs_and_reserved_ones_are_refused(make_site) -> None:  # type: ignore[no-untyped-def]
    root = make_site({"articles/faq/Reset 2FA Über.md": article("One"), "articles/faq/popular.md": article("Two")})
    assert problems(root) == [
        'articles/faq/popular.md:1: slug: "popular" is reserved for listing pages; choose another'
    ]
    (root / "articles/faq/popular.md").unlink()
    build(root)
    assert (root / "site/faq/reset-2fa-uber/index.html").is_file()


def test_links_between_articles_become_urls_and_missing_ones_are_reported(make_site) -> None:  # type: ignore[no-untyped-def]
    root = make_site(
        {
            "articles/faq/a.md": article("A", body="See [B](../announcements/b.md#steps).\n\nAnd [gone](missing.md)."),
            "articles/announcements/b.md": article("B", category="announcements", body="## Steps\n\nText."),
        }
    )
    report = build(root)
    assert [str(w) for w in report.warnings] == ["articles/faq/a.md:8: warning: link to a missing article: faq/missing.md"]
    page = (root / "site/faq/a/index.html").read_text("utf-8")
    assert '<a href="../../announcements/b/#steps">B</a>' in page
    assert "<a>gone</a>" in page
    assert problems(root, BuildOptions(strict=True)) == ["articles/faq/a.md:8: link to a missing article: faq/missing.md"]


def test_drafts_and_scheduled_articles_are_left_out_unless_asked(make_site) -> None:  # type: ignore[no-untyped-def]
    root = make_site(
        {
            "articles/faq/live.md": article("Live"),
            "articles/faq/draft.md": article("Draft", draft="true"),
            "articles/faq/later.md": article("Later", published="2999-01-01"),
        }
    )
    assert build(root).articles == 1
    assert build(root, BuildOptions(drafts=True)).articles == 2
    assert build(root, BuildOptions(drafts=True, future=True)).articles == 3


def test_a_failed_build_leaves_the_previous_site_byte_for_byte(make_site) -> None:  # type: ignore[no-untyped-def]
    root = make_site({"articles/faq/a.md": article("A"), "articles/faq/b.md": article("B")})
    build(root)
    before = tree_bytes(root / "site")
    (root / "articles/faq/b.md").write_text(article("B", views="lots"), "utf-8")
    (root / "articles/faq/c.md").write_text(article("C"), "utf-8")
    assert problems(root) == ['articles/faq/b.md:5: views: expected a whole number ≥ 0, got "lots"']
    assert tree_bytes(root / "site") == before
    assert not any(p.name.startswith(".site.helpcenter") and not p.name.endswith("-spare") for p in root.iterdir())


def test_output_folders_that_would_lose_work_are_refused(make_site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = make_site({"articles/faq/a.md": article("A")})
    for out in (root, root / "articles", tmp_path):
        with pytest.raises(UsageError):
            build_site(load_config(root, output_dir=out))
    precious = tmp_path / "mine"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me", "utf-8")
    with pytest.raises(UsageError, match="pass --force"):
        build_site(load_config(root, output_dir=precious))
    assert (precious / "notes.txt").read_text("utf-8") == "keep me"


def test_listing_pages_tabs_counts_and_pagination(make_site) -> None:  # type: ignore[no-untyped-def]
    files = {f"articles/faq/q{i}.md": article(f"Question {i}", published=f"2024-01-{i + 1:02d}", views=str(i * 10)) for i in range(5)}
    files["articles/announcements/n.md"] = article("News", category="announcements", published="2023-09-28", views="19266")
    files["helpcenter.yml"] = "page_size: 2\n"
    root = make_site(files)
    build(root)
    site = root / "site"
    faq = (site / "faq/index.html").read_text("utf-8")
    assert re.search(r'<a href="\.\./faq/" aria-current="page">FAQ <span class="count"><span class="visually-hidden">\(</span>5<', faq)
    assert ">All <span class=\"count\"><span class=\"visually-hidden\">(</span>6<" in faq
    # newest updated first, two per page, three pages with previous/next
    assert faq.index("Question 4") < faq.index("Question 3")
    assert "Question 2" not in faq
    assert (site / "faq/page/3/index.html").is_file() and not (site / "faq/page/4").exists()
    page2 = (site / "faq/page/2/index.html").read_text("utf-8")
    assert 'rel="prev"' in page2 and 'rel="next"' in page2 and "Question 2" in page2
    popular = (site / "faq/popular/index.html").read_text("utf-8")
    assert popular.index("Question 4") < popular.index("Question 3")
    home = (site / "index.html").read_text("utf-8")
    assert '<span class="badge">Announcements</span>' in (site / "popular/index.html").read_text("utf-8")
    assert 'class="badge"' not in faq
    assert "Published on <time datetime=\"2023-09-28\">28 Sept 2023</time>" in (site / "popular/index.html").read_text("utf-8")
    assert '19,266<span class="visually-hidden"> views</span>' in (site / "popular/index.html").read_text("utf-8")
    assert "How can we help?" in home


def test_most_viewed_listings_page_through_the_top_articles_only(make_site) -> None:  # type: ignore[no-untyped-def]
    files = {f"articles/faq/q{i}.md": article(f"Question {i}", published=f"2024-01-{i + 1:02d}", views=str(i * 10)) for i in range(5)}
    files["helpcenter.yml"] = "page_size: 2\nmost_viewed: 3\n"
    root = make_site(files)
    build(root)
    site = root / "site"
    first, second = ((site / f"faq/popular/{p}index.html").read_text("utf-8") for p in ("", "page/2/"))
    assert first.index("Question 4") < first.index("Question 3") and "Question 2" in second
    assert 'aria-current="page"><span class="visually-hidden">Page </span>2<' in second and 'rel="next"' not in second
    assert not (site / "faq/popular/page/3").exists()
    assert all(f"Question {i}<" not in first + second for i in (0, 1))
    assert '<p class="listing-count">5 articles · the 3 most viewed</p>' in first
    # the newest-first listing still shows every article, and says nothing of a top
    newest = "".join((site / f"faq/{p}index.html").read_text("utf-8") for p in ("", "page/2/", "page/3/"))
    assert all(f"Question {i}<" in newest for i in range(5)) and "most viewed</p>" not in newest
    (root / "helpcenter.yml").write_text("page_size: 2\nmost_viewed: 5\n", "utf-8")
    build(root)
    assert "Question 0<" in (site / "faq/popular/page/3/index.html").read_text("utf-8")
    assert '<p class="listing-count">5 articles</p>' in (site / "faq/popular/index.html").read_text("utf-8")


def test_article_page_has_breadcrumb_toc_reading_time_and_tags(make_site) -> None:  # type: ignore[no-untyped-def]
    body = "Intro.\n\n## One\n\nText.\n\n## Two\n\n### Two point one\n\n" + "word " * 450
    root = make_site({"articles/faq/a.md": article("Reset 2FA", body=body, tags="[security, 2fa]")})
    build(root)
    page = (root / "site/faq/a/index.html").read_text("utf-8")
    assert '<li><a href="../../faq/">FAQ</a></li>' in page
    assert '<li><span aria-current="page">Reset 2FA</span></li>' in page
    assert '<li class="toc-level-3"><a href="#two-point-one">Two point one</a></li>' in page
    assert "<span>3 min read</span>" in page
    assert '<a href="../../search/?q=2fa">2fa</a>' in page


def test_no_table_of_contents_under_three_headings(make_site) -> None:  # type: ignore[no-untyped-def]
    root = make_site({"articles/faq/a.md": article("A", body="## One\n\n## Two\n")})
    build(root)
    assert "On this page" not in (root / "site/faq/a/index.html").read_text("utf-8")


def test_every_link_works_under_a_sub_path(make_site) -> None:  # type: ignore[no-untyped-def]
    files = {f"articles/faq/q{i}.md": article(f"Q {i}", body=f"See [other](q{(i + 1) % 3}.md).") for i in range(3)}
    files["helpcenter.yml"] = "page_size: 1\nbase_url: https://example.com/help/\n"
    root = make_site(files)
    build(root)
    assert broken_links(root / "site", base_path="/help/") == []
    not_found = (root / "site/404.html").read_text("utf-8")
    assert 'href="/help/assets/site.css"' in not_found and 'href="/help/faq/"' in not_found
    home = (root / "site/index.html").read_text("utf-8")
    assert '<link rel="canonical" href="https://example.com/help/">' in home


def test_locale_changes_dates_and_numbers(make_site) -> None:  # type: ignore[no-untyped-def]
    root = make_site({"articles/faq/a.md": article("A", published="2023-09-28", views="1234"), "helpcenter.yml": "locale: en_US\n"})
    build(root)
    page = (root / "site/faq/a/index.html").read_text("utf-8")
    assert ">Sep 28, 2023</time>" in page and "1,234<span" in page
    assert '<html lang="en-US">' in page


def test_a_site_template_replaces_the_theme_per_file_and_can_extend_it(make_site) -> None:  # type: ignore[no-untyped-def]
    root = make_site(
        {
            "articles/faq/a.md": article("A"),
            "templates/article.html": '{% extends "theme/article.html" %}\n{% block title %}Custom · {{ super() }}{% endblock %}\n',
            "templates/_item.html": '<li class="custom-item">{{ item.title }}</li>\n',
            "templates/assets/extra.css": "body { color: red; }\n",
        }
    )
    build(root)
    site = root / "site"
    assert "<title>Custom · A · Help Center</title>" in (site / "faq/a/index.html").read_text("utf-8")
    assert '<li class="custom-item">A</li>' in (site / "index.html").read_text("utf-8")
    assert 'class="breadcrumb"' in (site / "faq/a/index.html").read_text("utf-8")
    assert (site / "assets/extra.css").is_file() and (site / "assets/site.css").is_file()


def test_two_builds_are_byte_identical(make_site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    files = {f"articles/faq/q{i}.md": article(f"Q {i}", body=f"Deposit fees {i}.") for i in range(4)}
    first = make_site(files, name="one")
    second = make_site(files, name="two")
    build(first)
    os.utime(second / "articles/faq/q1.md", (1, 1))
    build(second)
    assert tree_bytes(first / "site") == tree_bytes(second / "site")


def test_a_scheduled_article_appears_when_its_time_comes_without_any_edit(make_site, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    root = make_site(
        {
            "articles/faq/live.md": article("Live", published="2024-01-01"),
            "articles/faq/later.md": article("Later", published="2030-01-01"),
        }
    )
    before = int(dt.datetime(2029, 12, 31, tzinfo=dt.timezone.utc).timestamp())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(before))
    assert build(root).articles == 1
    assert build(root).articles == 1  # nothing changed: the quick path
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(before + 2 * 86400))
    report = build(root)
    assert report.articles == 2
    assert (root / "site/faq/later/index.html").is_file()
    # Back to the earlier time (an older commit rebuilt with its own SOURCE_DATE_EPOCH), with an edit.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(before))
    (root / "articles/faq/live.md").write_text(article("Live, edited", published="2024-01-01"), "utf-8")
    assert build(root).articles == 1
    assert not (root / "site/faq/later/index.html").exists()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(before + 3 * 86400))  # and forward again, with an edit
    (root / "articles/faq/live.md").write_text(article("Live, edited again", published="2024-01-01"), "utf-8")
    assert build(root).articles == 2


def test_the_state_read_in_two_parts_survives_damage_to_the_second(make_site) -> None:  # type: ignore[no-untyped-def]
    root = make_site({"articles/faq/a.md": article("A"), "articles/faq/b.md": article("B")})
    build(root)
    path = root / ".helpcenter/state.pickle"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 40])  # the metas at the end are cut short
    (root / "articles/faq/b.md").write_text(article("B, edited"), "utf-8")
    report = build(root)
    assert any("building from scratch" in w.message for w in report.warnings), report.warnings
    assert "B, edited" in (root / "site/faq/b/index.html").read_text("utf-8")
    assert build(root).warnings == []


def test_links_to_names_with_quotes_and_ampersands_keep_their_href(make_site) -> None:  # type: ignore[no-untyped-def]
    root = make_site(
        {
            "articles/faq/a.md": article("A", body="See [the guide](tom's-guide.md#step) and [the sheet](<Tom's & Jerry.pdf>)."),
            "articles/faq/tom's-guide.md": article("Guide", body="## Step\n\nText."),
            "articles/faq/Tom's & Jerry.pdf": "%PDF-1.4\n",
        }
    )
    report = build(root)
    assert report.warnings == []
    page = (root / "site/faq/a/index.html").read_text("utf-8")
    links = re.findall(r'<a href="([^"]*)">the (?:guide|sheet)</a>', page)
    assert len(links) == 2, page
    guide, sheet = links
    assert guide.startswith("../../faq/") and guide.endswith("/#step")
    assert sheet == "../../files/faq/Tom&#x27;s &amp; Jerry.pdf"
    assert (root / "site/files/faq/Tom's & Jerry.pdf").is_file()


def test_files_beside_articles_in_a_symlinked_folder_are_found(tmp_path: Path) -> None:
    """Articles and the files beside them are found in one walk of articles/, symlinked folders
    followed for both: an image next to an article in a linked folder is linked and copied."""
    shared = write_site(tmp_path / "shared", {"guide.md": article("Guide", body="![Chart](chart.png)"), "chart.png": "png bytes"})
    root = write_site(tmp_path / "s", {"articles/faq/a.md": article("A")})
    (root / "articles" / "guides").symlink_to(shared, target_is_directory=True)
    report = build_site(load_config(root))
    assert [str(w) for w in report.warnings] == []
    assert (root / "site" / "files" / "guides" / "chart.png").read_text() == "png bytes"
    assert 'src="../../files/guides/chart.png"' in (root / "site" / "faq" / "guide" / "index.html").read_text("utf-8")


def test_the_command_line_builds_on_a_last_state_without_the_cycle_collector(make_site, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A process that ends with its build (the command line passes ``left``) runs an incremental
    build without cyclic garbage collection, which found next to nothing to free, and no
    collection runs as the build ends either (it would scan all the build made); a first build,
    and the builds of a process that stays running, keep the collector; after the build it is on
    again."""
    seen: list[tuple[bool, bool]] = []
    run = pipeline.Pipeline.run
    monkeypatch.setattr(pipeline.Pipeline, "run", lambda self, *a: seen.append((bool(self.previous.files), gc.isenabled())) or run(self, *a))
    root = make_site({f"articles/faq/q{i}.md": article(f"Q {i}", body=f"Deposit fees {i}.") for i in range(3)})
    config = load_config(root)
    build_site(config, left=[])  # a first build
    (root / "articles/faq/q1.md").write_text(article("Q 1", body="Withdrawal fees, edited."), "utf-8")
    collections: list[int] = []

    def started(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    gc.callbacks.append(started)
    try:
        build_site(config, left=[])
    finally:
        gc.callbacks.remove(started)
    (root / "articles/faq/q2.md").write_text(article("Q 2", body="Card fees, edited."), "utf-8")
    build_site(config)  # no ``left``: serve's and the tests' builds
    state = root / ".helpcenter/state.pickle"
    state.write_bytes(state.read_bytes()[:-40])  # the metas cut short: a build from scratch
    (root / "articles/faq/q0.md").write_text(article("Q 0", body="Fees, edited."), "utf-8")
    build_site(config, left=[])
    assert seen == [(False, True), (True, False), (True, True), (False, True)]
    assert collections == []
    assert gc.isenabled()
