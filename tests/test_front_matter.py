"""Each front matter rule, accepted and rejected, with the message and the file line."""

from __future__ import annotations

import datetime as dt

import pytest

from helpcenter.front_matter import decode, parse_front_matter

CATEGORIES = ("faq", "announcements", "product-documents")
PATH = "articles/faq/reset-2fa.md"


def parse(text: str):  # type: ignore[no-untyped-def]
    _, front, problems = parse_front_matter(text, PATH, CATEGORIES)
    return front, [str(p) for p in problems]


def doc(*lines: str, body: str = "Body text.") -> str:
    return "\n".join(["---", *lines, "---", body, ""])


BASE = ("title: Reset 2FA", "category: faq", "published: 2026-03-25")


def test_minimal_article_is_accepted_with_defaults() -> None:
    front, problems = parse(doc(*BASE))
    assert problems == []
    assert front is not None
    assert front.title == "Reset 2FA"
    assert front.published == dt.date(2026, 3, 25)
    assert front.updated == front.published
    assert (front.views, front.tags, front.summary, front.slug, front.draft, front.aliases) == (0, (), None, None, False, ())


def test_front_matters_pickled_together_share_their_equal_layouts_tags_and_categories() -> None:
    """The build state pickles many front matters together: equal values are written once (and
    read back as one object), the front matters read back equal."""
    import pickle

    first, _ = parse(doc(*BASE, "tags: [security, 2fa]"))
    second, _ = parse(doc("title: Another", "category: faq", "published: 2026-04-01", "tags: [security, 2fa]"))
    assert first.lines == second.lines and first.lines is not second.lines
    a, b = pickle.loads(pickle.dumps((first, second), protocol=pickle.HIGHEST_PROTOCOL))
    assert (a, b) == (first, second) and a.lines == first.lines
    assert a.lines is b.lines and a.tags is b.tags and a.category is b.category


def test_every_optional_key_is_read() -> None:
    front, problems = parse(
        doc(
            *BASE,
            "updated: 2026-04-24T09:30:00+01:00",
            "views: 19266",
            "summary: How to reset it.",
            "tags: [security, 2fa]",
            "slug: reset-2fa-now",
            "draft: true",
            "aliases: [/old/reset, /help/2fa.html]",
        )
    )
    assert problems == []
    assert front is not None
    assert front.updated == dt.datetime(2026, 4, 24, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert front.views == 19266
    assert front.summary == "How to reset it."
    assert front.tags == ("security", "2fa")
    assert front.slug == "reset-2fa-now"
    assert front.draft is True
    assert front.aliases == ("old/reset/", "help/2fa.html")


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # line numbers count the opening fence as line 1
        (("category: faq", "published: 2026-03-25"), f"{PATH}:1: title: missing; every article needs title, category, published"),
        (("title: ''", "category: faq", "published: 2026-03-25"), f"{PATH}:2: title: must not be empty"),
        (("title: [a, b]", "category: faq", "published: 2026-03-25"), f'{PATH}:2: title: expected text, got a list'),
        (("title: x", "category: FAQ", "published: 2026-03-25"), f"{PATH}:3: category: expected one of faq, announcements, product-documents, got \"FAQ\"; did you mean 'faq'? (ids are lower-case)"),
        (("title: x", "category: news", "published: 2026-03-25"), f'{PATH}:3: category: expected one of faq, announcements, product-documents, got "news"'),
        (("title: x", "category: faq"), f"{PATH}:1: published: missing; every article needs title, category, published"),
        (("title: x", "category: faq", "published: 2026-02-30"), f'{PATH}:4: published: not a real calendar date, got "2026-02-30"'),
        (("title: x", "category: faq", "published: 25/03/2026"), f'{PATH}:4: published: expected a date like 2026-03-25 or a date-time with an offset like 2026-03-25T09:30:00+01:00, got "25/03/2026"'),
        (("title: x", "category: faq", "published: 2026-03-25 10:00"), f'{PATH}:4: published: a date-time needs an offset such as Z or +01:00 (or give just the date), got "2026-03-25 10:00"'),
        (("title: x", "category: faq", "published: 2026-03-25", "updated: 2026-03-24"), f"{PATH}:5: updated: must not be before published (2026-03-25), got 2026-03-24"),
        (("title: x", "category: faq", "published: 2026-03-25", "views: many"), f'{PATH}:5: views: expected a whole number ≥ 0, got "many"'),
        (("title: x", "category: faq", "published: 2026-03-25", "views: -3"), f'{PATH}:5: views: expected a whole number ≥ 0, got "-3"'),
        (("title: x", "category: faq", "published: 2026-03-25", "views: 12.5"), f'{PATH}:5: views: expected a whole number ≥ 0, got "12.5"'),
        (("title: x", "category: faq", "published: 2026-03-25", 'views: "1,234"'), f'{PATH}:5: views: expected a whole number ≥ 0, got "1,234"'),
        (("title: x", "category: faq", "published: 2026-03-25", "views: 99999999999999999999"), f"{PATH}:5: views: expected a whole number ≥ 0 and at most 9,007,199,254,740,991, got 99999999999999999999"),
        (("title: x", "category: faq", "published: 2026-03-25", "tags: security"), f'{PATH}:5: tags: expected a list like [security, 2fa], got "security"'),
        (("title: x", "category: faq", "published: 2026-03-25", "slug: a/b"), f"{PATH}:5: slug: must be one URL segment (no '/', '\\' or '..'), got \"a/b\""),
        (("title: x", "category: faq", "published: 2026-03-25", "slug: '..'"), f"{PATH}:5: slug: must be one URL segment (no '/', '\\' or '..'), got \"..\""),
        (("title: x", "category: faq", "published: 2026-03-25", "slug: reset 2fa"), f'{PATH}:5: slug: must not contain spaces; use hyphens, got "reset 2fa"'),
        (("title: x", "category: faq", "published: 2026-03-25", "slug: Reset-2FA"), f'{PATH}:5: slug: must be lower-case, got "Reset-2FA"; try "reset-2fa"'),
        (("title: x", "category: faq", "published: 2026-03-25", "slug: ''"), f"{PATH}:5: slug: must not be empty"),
        (("title: x", "category: faq", "published: 2026-03-25", "draft: maybe"), f'{PATH}:5: draft: expected true or false, got "maybe"'),
        (("title: x", "category: faq", "published: 2026-03-25", "aliases: [https://evil.example/x]"), f'{PATH}:5: aliases: must be a path inside the site such as /old/page/, not a full URL, got "https://evil.example/x"'),
        (("title: x", "category: faq", "published: 2026-03-25", "aliases: [/a/../../etc]"), f"{PATH}:5: aliases: must not contain '.' or '..' segments, got \"/a/../../etc\""),
        (("title: x", "category: faq", "published: 2026-03-25", "aliases: [old/page]"), f'{PATH}:5: aliases: must start with \'/\', got "old/page"'),
        (("title: x", "title: y", "category: faq", "published: 2026-03-25"), f"{PATH}:3: title: duplicate key (first given on line 2)"),
    ],
)
def test_rejected_values_name_the_key_line_and_the_problem(lines: tuple[str, ...], expected: str) -> None:
    front, problems = parse(doc(*lines))
    assert front is None
    assert expected in problems


def test_all_problems_are_reported_at_once() -> None:
    _, problems = parse(doc("title: ''", "category: news", "published: 2026-13-01", "views: many"))
    assert [p.split(": ")[0] for p in problems] == [f"{PATH}:2", f"{PATH}:3", f"{PATH}:4", f"{PATH}:5"]


def test_unknown_key_is_a_warning_with_the_nearest_known_key() -> None:
    front, problems = parse(doc(*BASE, "updatd: 2026-03-26"))
    assert front is not None
    assert problems == [f"{PATH}:5: warning: updatd: unknown key; did you mean 'updated'?"]


@pytest.mark.parametrize("value", ["no", "2024-01-01", "123", "null", "~", "yes", "on"])
def test_yaml_1_1_coercions_keep_the_text_the_editor_wrote(value: str) -> None:
    """`title: no` is the word "no", not False; `title: 2024-01-01` is that text, not a date."""
    if value in ("null", "~"):
        front, problems = parse(doc(f"title: {value}", "category: faq", "published: 2026-03-25"))
        assert front is None and problems == [f"{PATH}:2: title: expected text, got " + ('"null"' if value == "null" else "nothing")]
    else:
        front, problems = parse(doc(f"title: {value}", "category: faq", "published: 2026-03-25"))
        assert problems == [] and front is not None and front.title == value


def test_yaml_syntax_error_is_reported_on_the_file_line() -> None:
    _, problems = parse(doc("title: x", "category: faq", "published: [2026-03-25", "views: 3"))
    assert len(problems) == 1
    assert problems[0].startswith(f"{PATH}:4: YAML syntax error")  # the line the list opens on


def test_python_object_tags_are_refused_not_run() -> None:
    _, problems = parse(doc("title: !!python/object/apply:os.system ['touch /tmp/pwned']", "category: faq", "published: 2026-03-25"))
    assert problems == [f"{PATH}:2: the YAML tag !!python/object/apply:os.system is not allowed (plain values only)"]


def test_aliases_bomb_is_refused_at_the_first_alias() -> None:
    bomb = ["a: &a [x, x, x, x, x, x, x, x, x]"] + [f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]" for i in range(8)]
    _, problems = parse(doc(*BASE, *bomb))
    assert problems == [f"{PATH}:6: YAML syntax error: YAML aliases (*name) are not supported here"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", f"{PATH}:1: the file is empty; an article starts with front matter between '---' lines"),
        ("Just a body.\n", f"{PATH}:1: expected '---' on the first line to open the front matter (title, category, published), found \"Just a body.\""),
        ("---\ntitle: x\n", f"{PATH}:1: the front matter opened by '---' on line 1 is never closed by a '---' line"),
        ("---\n---\nBody\n", f"{PATH}:1: the front matter is empty; it needs at least title, category and published"),
        ("---\n- a\n- b\n---\nBody\n", f"{PATH}:2: the front matter must be 'key: value' lines, got a list"),
        ("---\njust words\n---\nBody\n", f"{PATH}:2: the front matter must be 'key: value' lines, got \"just words\""),
    ],
)
def test_fences_and_shapes(text: str, expected: str) -> None:
    front, problems = parse(text)
    assert front is None
    assert problems == [expected]


def test_bom_and_crlf_read_exactly_as_lf() -> None:
    lf = doc(*BASE, body="Line one.\nLine two.").encode("utf-8")
    crlf = b"\xef\xbb\xbf" + lf.replace(b"\n", b"\r\n")
    assert decode(crlf, PATH) == decode(lf, PATH)
    text, problems = decode(crlf, PATH)
    assert problems == [] and text is not None and "\r" not in text and not text.startswith("\ufeff")


def test_non_utf8_bytes_name_the_byte_offset_and_line() -> None:
    data = doc(*BASE).encode("utf-8") + b"caf\xe9\n"
    text, problems = decode(data, PATH)
    assert text is None
    offset = data.index(b"\xe9")
    assert [str(p) for p in problems] == [f"{PATH}:7: not valid UTF-8: byte 0xe9 at byte offset {offset}; save the file as UTF-8"]


def test_body_line_is_where_the_body_starts_in_the_file() -> None:
    parts, front, _ = parse_front_matter(doc(*BASE, body="\n\nFirst paragraph."), PATH, CATEGORIES)
    assert parts is not None and front is not None
    assert parts.body_line == 6
    assert parts.body.splitlines()[2] == "First paragraph."
