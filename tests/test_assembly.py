"""The cross-article rules brought up to date from the last build's findings (after edits,
additions and removals) conclude what a full pass over every article concludes."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from sitetools import article, write_site

from helpcenter import assembly
from helpcenter.config import load_config
from helpcenter.content import BuildOptions
from helpcenter.markup import MarkupOptions
from helpcenter.model import ARTICLE_SCHEME, ArticleMeta
from helpcenter.records import make_record

BASE = {
    f"faq/a{i}.md": article(f"Article {i}", body=f"## Setup\n\nSee [the next](a{i + 1}.md#setup), [a new one](new-{i % 4}.md#setup) and [the form](form.pdf).")
    for i in range(8)
}
BASE["faq/a5.md"] = article("Article 5", body="Some text.", slug="shared")
BASE["announcements/b0.md"] = article("Announcement", category="announcements", body="See [article 2](../faq/a2.md).", aliases="[/old-news]")

EXTRA = {
    "faq/new-0.md": article("New 0", body="## Setup\n\nLinks to [article 1](a1.md#setup)."),
    "faq/new-1.md": article("New 1", body="## Elsewhere\n\nNo setup heading here."),
    "faq/new-2.md": article("New 2", slug="shared"),  # the slug of a5, which sorts before it
    "faq/0-first.md": article("First", slug="shared"),  # the slug of a5, and sorts first
    "faq/new-3.md": article("A draft", draft="true"),
    "faq/new-4.md": article("Scheduled", published="2030-05-01"),
    "faq/new-5.md": article("Later still", published="2031-01-01", body="[a1](a1.md)"),
    "faq/page.md": article("Reserved"),
    "faq/new-6.md": article("Alias clash", aliases="[/faq/a1/]"),
    "faq/new-7.md": article("Old news too", aliases="[/old-news]"),
    "announcements/0-early.md": article("Old news first", category="announcements", aliases="[/old-news]"),  # sorts before b0
    "announcements/new-8.md": article("Another announcement", category="announcements", body="[b0](b0.md)"),
}


def _metas(tmp_path: Path) -> tuple[dict[str, ArticleMeta], object]:
    site = write_site(tmp_path / "s", {"articles/faq/form.pdf": "%PDF-1.4\n"})
    config = load_config(site)
    categories = tuple(c.id for c in config.categories)
    metas = {}
    for rel, text in {**BASE, **EXTRA}.items():
        record = make_record(rel, text.encode("utf-8"), rel, categories, MarkupOptions())
        assert record.meta is not None, record.problems
        metas[rel] = record.meta
    return metas, config


def test_findings_brought_up_to_date_equal_a_full_pass(tmp_path: Path) -> None:
    metas, config = _metas(tmp_path)
    files = frozenset({"faq/form.pdf"})
    rng = random.Random(7)
    taken = relinked = 0
    for trial in range(300):
        options = BuildOptions(drafts=rng.random() < 0.2, now=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
        before = {rel: metas[rel] for rel in BASE if rng.random() < 0.9}
        before |= {rel: metas[rel] for rel in EXTRA if rng.random() < 0.1}
        after = dict(before)
        for rel in rng.sample(sorted(before), rng.randint(0, 3)):
            del after[rel]
        for rel in rng.sample(sorted(set(metas) - set(before)), rng.randint(0, 3)):
            after[rel] = metas[rel]
        _, _, last = assembly.assemble(before, config, options, files)
        settings = repr((config, options.drafts, options.future, options.strict))
        taken += assembly._again(after, config, options, files, settings, (last, before)) is not None
        incremental = assembly.assemble(after, config, options, files, last=(last, before))
        full = assembly.assemble(after, config, options, files)
        assert incremental[0] == full[0], trial
        assert [str(p) for p in incremental[1]] == [str(p) for p in full[1]], trial
        assert incremental[2] == full[2], trial
        relinked_for, linking = incremental[2].relinked
        if relinked_for:  # brought up to date: what the pages stage takes instead of looking again
            old, new = last.places, full[2].places
            assert relinked_for == {p for p in old.keys() | new.keys() if old.get(p) != new.get(p)}, trial
            linked = {e.meta.path for e in full[0].entries for target, _ in e.meta.links if _target_path(target) in relinked_for}
            assert linked <= linking, trial
            relinked += 1
    assert taken > 75, taken  # a quarter of the trials or more brought the findings up to date
    assert relinked > 25, relinked


def _target_path(placeholder: str) -> str:
    """``articles/faq/x.md`` of a link's placeholder to an article (the article scheme, a fragment)."""
    return "articles/" + placeholder.partition("#")[0].removeprefix(ARTICLE_SCHEME)
