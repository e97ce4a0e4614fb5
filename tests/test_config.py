"""helpcenter.yml: defaults, every setting, and every problem reported with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpcenter.config import DEFAULT_CATEGORIES, load_config
from helpcenter.errors import ContentError


def write(root: Path, text: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "helpcenter.yml").write_text(text, "utf-8")
    return root


def problems_of(root: Path) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_config(root)
    return [str(p) for p in info.value.problems]


def test_no_file_gives_working_defaults(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config.title == "Help Center"
    assert config.locale == "en_GB"
    assert config.page_size == 20
    assert config.most_viewed == 100
    assert config.categories == DEFAULT_CATEGORIES
    assert [c.label for c in config.categories] == ["FAQ", "Announcements", "Product documents"]
    assert config.output_dir == tmp_path.resolve() / "site"
    assert config.base_path == "/"


def test_every_setting_is_read(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        """\
title: Acme Help
description: Answers.
base_url: https://example.com/help
locale: en_US
page_size: 5
most_viewed: 30
output: public
categories:
  - {id: guides, label: Guides, order: 2}
  - {id: news, label: News, order: 1}
markdown:
  raw_html: escape
  iframe_hosts: [www.youtube-nocookie.com]
""",
    )
    config = load_config(root)
    assert config.title == "Acme Help"
    assert config.base_url == "https://example.com/help/"
    assert config.base_path == "/help/"
    assert config.locale == "en_US"
    assert config.page_size == 5
    assert config.most_viewed == 30
    assert config.output_dir == root.resolve() / "public"
    assert [c.id for c in config.categories] == ["news", "guides"]
    assert config.raw_html == "escape"
    assert config.iframe_hosts == ("www.youtube-nocookie.com",)


def test_every_problem_is_reported_with_its_line(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        """\
title: Acme
base_url: example.com/help
locale: xx_YY
page_size: many
colour: blue
most_viewed: 0
categories:
  - {id: faq, label: FAQ}
  - {id: faq, label: Again}
  - {id: Search Pages, label: X}
  - {id: search, label: Search}
markdown: {raw_html: maybe}
""",
    )
    assert problems_of(root) == [
        'helpcenter.yml:2: base_url: expected an absolute http(s) URL like https://example.com/help/, got "example.com/help"',
        'helpcenter.yml:3: locale: expected a locale Babel knows, like en_GB or en_US, got "xx_YY"',
        'helpcenter.yml:4: page_size: expected a whole number from 1 to 1000, got "many"',
        "helpcenter.yml:5: colour: unknown key; known keys: title, description, base_url, locale, categories, page_size, most_viewed, output, markdown",
        'helpcenter.yml:6: most_viewed: expected a whole number from 1 to 1000000, got "0"',
        'helpcenter.yml:9: categories: duplicate id "faq" (first on line 8)',
        'helpcenter.yml:10: categories: id must not contain spaces; use hyphens, got "Search Pages"',
        'helpcenter.yml:11: categories: id "search" is reserved for the site\'s own pages',
        'helpcenter.yml:12: markdown: raw_html: expected sanitize, escape or allow, got "maybe"',
    ]


def test_typo_in_a_key_suggests_the_right_one(tmp_path: Path) -> None:
    root = write(tmp_path, "tittle: Acme\n")
    assert problems_of(root) == ["helpcenter.yml:1: tittle: unknown key; did you mean 'title'?"]


def test_yaml_syntax_error_has_its_line(tmp_path: Path) -> None:
    root = write(tmp_path, "title: Acme\npage_size: [1\n")
    (problem,) = problems_of(root)
    assert problem.startswith("helpcenter.yml:2: YAML syntax error")  # where the list opens


def test_command_line_base_url_overrides_the_file(tmp_path: Path) -> None:
    root = write(tmp_path, "base_url: https://a.example/\n")
    assert load_config(root, base_url="https://b.example/docs").base_url == "https://b.example/docs/"
