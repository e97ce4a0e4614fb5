"""Editor commands: `helpcenter new`, and view counts from an analytics data file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sitetools import article, run_cli, write_site

from helpcenter.builder import build_site
from helpcenter.config import load_config
from helpcenter.front_matter import parse_front_matter


def test_new_writes_a_valid_article_with_a_unique_slug(tmp_path: Path) -> None:
    root = write_site(tmp_path / "s", {"articles/faq/how-do-i-reset-my-passkey.md": article("Old")})
    result = run_cli("new", "How do I reset my passkey?", "--category", "faq", "--site", str(root))
    assert result.returncode == 0, result.stderr
    path = Path(result.stdout.strip())
    assert path.name == "how-do-i-reset-my-passkey-2.md" and path.parent.name == "faq"
    text = path.read_text("utf-8")
    _, front, problems = parse_front_matter(text, "x", ("faq", "announcements", "product-documents"))
    assert problems == [] and front is not None
    assert front.title == "How do I reset my passkey?" and front.category == "faq"
    assert front.published == dt.date.today()
    assert build_site(load_config(root)).articles == 2


def test_new_refuses_an_unknown_category(tmp_path: Path) -> None:
    root = write_site(tmp_path / "s", {"articles/faq/a.md": article("A")})
    result = run_cli("new", "Title: with a colon", "--category", "news", "--site", str(root))
    assert result.returncode == 2 and "expected one of faq, announcements, product-documents" in result.stderr


def test_view_counts_from_a_csv_file_replace_the_front_matter(tmp_path: Path) -> None:
    root = write_site(
        tmp_path / "s",
        {
            "articles/faq/a.md": article("Alpha", views="5"),
            "articles/faq/b.md": article("Beta", views="500"),
            "data/views.csv": "slug,views\na,19266\nb,12\ngone,4\n",
        },
    )
    report = build_site(load_config(root))
    assert [str(w) for w in report.warnings] == ["data: warning: views for an unknown article: gone"]
    popular = (root / "site/faq/popular/index.html").read_text("utf-8")
    assert popular.index("Alpha") < popular.index("Beta")
    assert '19,266<span class="visually-hidden"> views</span>' in popular
    # changing only the data file rebuilds what it affects
    (root / "data/views.csv").write_text("slug,views\na,1\nb,2\n", "utf-8")
    report = build_site(load_config(root))
    assert report.warnings == []
    popular = (root / "site/faq/popular/index.html").read_text("utf-8")
    assert popular.index("Beta") < popular.index("Alpha")


def test_view_counts_from_json_and_their_problems(tmp_path: Path) -> None:
    root = write_site(tmp_path / "s", {"articles/faq/a.md": article("Alpha"), "data/views.json": '{"a": "many"}'})
    result = run_cli("build", str(root))
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == "data/views.json: a: views: expected a whole number ≥ 0, got 'many'"
    (root / "data/views.json").write_text('{"a": 77}', "utf-8")
    assert run_cli("build", str(root)).returncode == 0
    assert "77<span" in (root / "site/faq/a/index.html").read_text("utf-8")
    (root / "data/views.json").unlink()
    (root / "data/views.csv").write_text("slug,views\na,1,2\n", "utf-8")
    result = run_cli("build", str(root))
    assert result.returncode == 1 and result.stderr.startswith("data/views.csv:2: expected two columns, slug,views, got 3")


def test_view_counts_out_of_range_are_problems_not_crashes(tmp_path: Path) -> None:
    huge = "9" * 5000  # int() of this many digits raises in Python 3.11
    root = write_site(
        tmp_path / "s",
        {"articles/faq/a.md": article("Alpha"), "data/views.csv": f"slug,views\na,{huge}\na,9007199254740992\na,-4\n"},
    )
    result = run_cli("build", str(root))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == f"data/views.csv:2: a: views: expected a whole number ≥ 0, got '{huge}'"
    assert lines[1:3] == [
        "data/views.csv:3: a: views: expected a whole number ≥ 0, got '9007199254740992'",
        "data/views.csv:4: a: views: expected a whole number ≥ 0, got '-4'",
    ]
