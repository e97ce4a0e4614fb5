"""Property-based tests (Hypothesis) of the article pipeline's input edge.

1. Any bytes as an article file give a Source or problems, never another exception; every
   problem points into the file, at the file, with a one-line message.
2. Any mapping dumped as front matter: the same, and accepted front matter has the documented types.
3. A valid FrontMatter written out as YAML parses back to the same value.
4. Slugs, output paths and aliases stay inside the output folder.

Every test is derandomized (a fixed seed, no example database), so CI is reproducible.

The bugs these properties found (a control character or a 4,301-digit number crashing the
parser, deep YAML nesting, U+2028 line counts, multi-line messages, escapes skipping NFC) are
fixed; their reproductions stay as ``@example``s and in ``test_known_bug``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections.abc import Iterator

import pytest
import yaml
from hypothesis import HealthCheck, assume, currently_in_test_context, example, given, note, settings
from hypothesis import strategies as st

from helpcenter import content, writer
from helpcenter._names import SLUG_RE, alias_problem, normalise_alias
from helpcenter.errors import Problem
from helpcenter.front_matter import KNOWN_KEYS, MAX_VIEWS, instant
from helpcenter.model import FrontMatter, Source

CATEGORIES = ("faq", "announcements", "product-documents")
REL = "faq/x.md"
SHOWN = "articles/faq/x.md"
BOM = b"\xef\xbb\xbf"


def fixed(max_examples: int):  # type: ignore[no-untyped-def]
    return settings(
        derandomize=True,
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# --- the invariant of properties 1 and 2 ---------------------------------------------------


def file_lines(data: bytes) -> int:
    """Lines as helpcenter counts them: CRLF, CR and LF each end a line."""
    return data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1


def check_parse(data: bytes, *, single_line: bool = True) -> tuple[Source | None, list[Problem]]:
    """parse_source gives a Source or problems (never raises); problems point into the file."""
    source, problems = content.parse_source(data, REL, CATEGORIES)
    if currently_in_test_context():
        note(f"problems: {[str(p) for p in problems]!r}")
    assert isinstance(problems, list)
    if source is None:
        assert problems, "rejected without a problem"
        assert any(p.is_error for p in problems), "rejected with warnings only"
    else:
        assert isinstance(source, Source)
        assert source.path == SHOWN
        assert not any(p.is_error for p in problems), "accepted despite an error"
        assert 1 <= source.body_line <= file_lines(data) + 1
        check_accepted_types(source.front)
    lines = file_lines(data)
    for p in problems:
        assert isinstance(p, Problem)
        assert p.path == SHOWN
        assert p.line is None or (type(p.line) is int and 1 <= p.line <= lines), (
            f"line {p.line} is outside the file's {lines} lines: {p}"
        )
        assert isinstance(p.message, str) and p.message.strip()
        if single_line:
            assert "\n" not in p.message and "\r" not in p.message, f"a multi-line message: {p.message!r}"
    return source, problems


# --- the known hazards, as whole files ------------------------------------------------------

REQUIRED = b"title: Reset 2FA\ncategory: faq\npublished: 2026-03-25\n"


def doc(*front: bytes, body: bytes = b"Body text.\n") -> bytes:
    return b"---\n" + b"".join(front) + b"---\n" + body


HAZARDS = {
    "title-no": doc(b"title: no\ncategory: faq\npublished: 2026-03-25\n"),
    "title-date": doc(b"title: 2024-01-01\ncategory: faq\npublished: 2026-03-25\n"),
    "on-yes": doc(REQUIRED, b"on: yes\n"),
    "bom": BOM + doc(REQUIRED),
    "crlf": doc(REQUIRED).replace(b"\n", b"\r\n"),
    "bom-crlf-cr": BOM + b"---\r\ntitle: T\rcategory: faq\r\npublished: 2026-03-25\r---\rBody\r",
    "empty-front-matter": doc(),
    "blank-front-matter": doc(b"\n   \n# only a comment\n"),
    "list-not-mapping": doc(b"- title\n- faq\n"),
    "scalar-not-mapping": doc(b"just words\n"),
    "python-tag": doc(REQUIRED, b'x: !!python/object/apply:os.system ["true"]\n'),
    "python-tag-title": doc(b'title: !!python/object/apply:os.system ["true"]\ncategory: faq\npublished: 2026-03-25\n'),
    "alias-bomb": doc(
        REQUIRED,
        b'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
        b"b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n",
    ),
    "merge-key": doc(b"base: &b {title: T}\n<<: *b\ncategory: faq\npublished: 2026-03-25\n"),
    "duplicate-keys": doc(REQUIRED, b"title: Again\ncategory: faq\n"),
    "nul": doc(REQUIRED, b"summary: a\x00b\n"),
    "invalid-utf8": doc(b"title: caf\xe9\ncategory: faq\npublished: 2026-03-25\n"),
    "truncated-utf8": doc(REQUIRED) + b"\xe2\x82",
    "encoded-surrogate": doc(REQUIRED, b"summary: \xed\xa0\x80\n"),
    "empty-file": b"",
    "bom-only": BOM,
    "whitespace-only": b" \n\t\n",
    "never-closed": b"---\n" + REQUIRED + b"Body\n",
    "no-fence": b"title: T\n",
    "dots-close": b"---\n" + REQUIRED + b"...\nBody\n",
    "two-documents": doc(b"title: T\n--- x\ncategory: faq\n"),
    "tab-indent": doc(REQUIRED, b"tags:\n\t- a\n"),
    "views-edges": doc(REQUIRED, b"views: 9007199254740992\n"),
    "naive-datetime": doc(b"title: T\ncategory: faq\npublished: 2026-03-25T09:30:00\n"),
    "updated-before": doc(REQUIRED, b"updated: 2026-03-24T23:59:59-00:30\n"),
    "block-scalar-title": doc(b"title: |\n  two\n  lines\ncategory: faq\npublished: 2026-03-25\n"),
    "quoted-key": doc(REQUIRED, b'"title ": x\n'),
    "complex-key": doc(REQUIRED, b"? [a, b]\n: c\n"),
    "flow-root": b"---\n{title: T, category: faq, published: 2026-03-25}\n---\n",
    "directive": doc(b"%YAML 1.1\n", REQUIRED),
    "unknown-tag": doc(REQUIRED, b"x: !local v\n"),
    "yaml-error-at-end": b"---\ntitle: [\n---\n",
    "only-fences": b"---\n---",
}


def with_examples(cases: dict[str, bytes]):  # type: ignore[no-untyped-def]
    def decorate(test):  # type: ignore[no-untyped-def]
        for data in reversed(list(cases.values())):
            test = example(data)(test)
        return test

    return decorate


# --- known bugs: minimal reproductions -------------------------------------------------------

BUG_CONTROL_CHAR = doc(REQUIRED, b"summary: a\x01b\n")
"""C0/C1 control characters (other than tab/LF/CR/NEL), DEL, U+FFFE/U+FFFF in front matter:
yaml.reader.ReaderError escapes parse_source (``_Loader(text)`` is built outside the try)."""

BUG_HUGE_VIEWS = doc(REQUIRED, b"views: " + b"1" * 4301 + b"\n")
"""More than 4300 digits: ``int(node.text)`` raises ValueError (Python's int/str digit limit)."""

BUG_DEEP_NESTING = doc(REQUIRED, b"tags: " + b"[" * 1000 + b"]" * 1000 + b"\n")
"""Deeply nested flow collections: RecursionError from PyYAML's composer (and ``_convert``)."""

BUG_UNICODE_LINE_BREAK = "---\na: 1\u2028\u2028\u2028b: [\n---\n".encode()
"""NEL/U+2028/U+2029 end lines for PyYAML but not for helpcenter: YAML error lines drift,
here line 5 of a 4-line file."""

BUG_MULTILINE_MESSAGE = doc(b"title: T\ncategory: |\n  a\n  b\npublished: 2026-03-25\n")
"""Values and keys are quoted verbatim into messages: 'category: expected one of ..., got
"a\\nb\\n"' breaks the one-problem-per-line report."""

BUG_ESCAPE_BYPASSES_NFC = doc(b'title: "cafe\\u0301"\ncategory: faq\npublished: 2026-03-25\n')
"""decode() makes the file NFC, but YAML escapes are expanded later, so the title is the
decomposed 'cafe\\u0301' (search stores and the browser queries NFC)."""

# Bugs these properties found (all fixed); each reproduction stays as a regression example.
KNOWN_BUGS = {
    "control-char": BUG_CONTROL_CHAR,
    "huge-views": BUG_HUGE_VIEWS,
    "deep-nesting": BUG_DEEP_NESTING,
    "unicode-line-break": BUG_UNICODE_LINE_BREAK,
    "multiline-message": BUG_MULTILINE_MESSAGE,
}


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(data, id=name)
        for name, data in KNOWN_BUGS.items()
    ],
)
def test_known_bug(data: bytes) -> None:
    check_parse(data)


def test_known_bug_escape_bypasses_nfc() -> None:
    source, _ = check_parse(BUG_ESCAPE_BYPASSES_NFC)
    assert source is not None
    assert unicodedata.is_normalized("NFC", source.front.title)


# --- strategies: plausible article files ----------------------------------------------------

# Characters YAML itself accepts and helpcenter counts lines with the same way.
SAFE_CHARS = st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\ufffe\uffff")
# Also control characters, NEL, U+2028/9, U+FFFE (the known bugs' triggers; no surrogates: files are UTF-8).
ANY_CHARS = st.characters(blacklist_categories=("Cs",))

KEY_WORDS = KNOWN_KEYS + (
    "updatd", "Title", "CATEGORY", "on", "yes", "no", "y", "null", "~", "<<", "? title", "- title",
    "'title'", '"category"', "title ", "&k title", "*k", "!!str title", "[a]", "{a: 1}", '"a\\nb"', "",
)
VALUE_WORDS = (
    "no", "yes", "on", "off", "Yes", "NO", "y", "n", "true", "false", "True", "~", "null", "",
    "2024-01-01", "2026-03-25", "2024-02-30", "2024-1-1", "2024-01-01T09:30:00+01:00",
    "2024-01-01 09:30", "2024-01-01T9:30Z", "2024-01-01t09:30:00.5+0100", "2026-03-25T25:00:00Z",
    "2024-01-01T09:30:00+24:00", "1:00", "12:30:00", "12", "-3", "+5", "0", "007", "1,234", "12.5",
    "0x1F", "0o17", "0b101", "1e3", "1_000", ".inf", "-.inf", ".nan", "9007199254740991",
    "9007199254740992", "faq", "FAQ", " faq", "announcements", "product-documents", "other",
    "[security, 2fa]", "[a, [b]]", "[ ]", "[a, , b]", "[null, ~, '']", "{a: 1}", "{ }", "[", "{",
    "]", "}", "[a, b", "{a: [1, 2}", "|", "|-", "|+", ">", ">-", "|2", "'quoted'", "'it''s'", "''",
    '"dq\\n"', '"\\u00e9"', '"\\x41"', '"\\U0001F600"', '"\\ud83d"', '"bad \\q"', '"tab\\tx"',
    "'unterminated", '"unterminated', "# comment", "x # comment", "x#y", "&a value", "&a [1, 2]",
    "&a", "*a", "*undefined", "!!str 5", "!!int x", "!!float 1", "!!binary aGk=", "!!set {a}",
    "!!omap [a: 1]", '!!python/object/apply:os.system ["true"]', "!!python/name:os.system",
    "!local x", "!<tag:yaml.org,2002:str> x", "! x", "%YAML 1.1", "- item", "? key", ":", ": x",
    "a: b: c", "a:b", "\t tab", "`tick`", "@at", "/old/page/", "/old/page.html", "//host/x",
    "http://x/", "/a/../b", "/a?b", "Reset 2FA", "café", "cafe\u0301", "日本語", "---", "...",
    "--- x", "reset-2fa", "Reset_2FA", "page", "popular", "=",
)
HAZARD_VALUES = (
    "a\x01b", "\x7f", "\x85", "a\u2028b", "\u2029", "\ufffe", "\x1b[31mred", "\x0b", "\x0c", "\x9f",
    "[" * 1200 + "]" * 1200, "{a: " * 1000 + "}" * 1000, "- " * 1000 + "x", "1" * 4301,
)


def text_of(chars: st.SearchStrategy[str], max_size: int) -> st.SearchStrategy[str]:
    return st.text(chars, max_size=max_size)


def yaml_value(hazards: bool) -> st.SearchStrategy[str]:
    chars = ANY_CHARS if hazards else SAFE_CHARS
    options = [st.sampled_from(VALUE_WORDS), text_of(chars, 12), st.integers(-(10**25), 10**25).map(str)]
    if hazards:
        options.append(st.sampled_from(HAZARD_VALUES))
    return st.one_of(*options)


def yaml_line(hazards: bool) -> st.SearchStrategy[str]:
    chars = ANY_CHARS if hazards else SAFE_CHARS
    key = st.sampled_from(KEY_WORDS) | text_of(chars, 8)
    value = yaml_value(hazards)
    indent = st.sampled_from(["", " ", "  ", "    ", "\t"])
    return st.one_of(
        st.builds(lambda k, v: f"{k}: {v}", key, value),
        st.builds(lambda k, v: f"{k}: {v}", st.sampled_from(KNOWN_KEYS), value),
        st.builds(lambda k: f"{k}:", key),
        st.builds(lambda i, v: f"{i}- {v}", indent, value),
        st.builds(lambda i, k, v: f"{i}{k}: {v}", indent, key, value),
        st.builds(lambda i, v: f"{i}{v}", indent, value),
        st.sampled_from(["", "   ", "# comment", "---", "...", "--- x", "- ", "?", ":"]),
    )


def body_line(hazards: bool) -> st.SearchStrategy[str]:
    chars = ANY_CHARS if hazards else SAFE_CHARS
    return st.one_of(
        st.sampled_from(
            [
                "", "# Heading", "## Before you start", "- item", "1. first", "```", "```python",
                "| a | b |", "|---|---|", "[Reset](../faq/reset-2fa.md#before-you-start)",
                '!!! warning "Title"', "<script>alert(1)</script>", "---", "...", "> quote",
                "title: not front matter",
            ]
        ),
        text_of(chars, 30),
    )


WORD_TEXT = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzABCXYZ0123456789 éß日"), min_size=1, max_size=20).filter(
    lambda t: t.strip() == t and t
)
VALID_LINES = {
    "title": st.sampled_from(["Reset 2FA", "How do I reset two-factor authentication?", "no", "2024-01-01", "'yes: really'", '"Fees \\u00e9"', "null title", "|\n  Two\n  lines", ">-\n  Folded\n  title"])
    | WORD_TEXT,
    "category": st.sampled_from(CATEGORIES + ("'faq'", '"announcements"')),
    "published": st.sampled_from(["2024-01-01", "2020-02-29", "2023-06-01T09:30:00+01:00", "2023-06-01 9:30Z", "2023-06-01t09:30:00.5-0130", "'2024-01-01'"]),
    "updated": st.sampled_from(["2026-03-25", "2026-03-25T09:30:00+14:00", "2026-03-25 23:59:59.999999-12"]),
    "views": st.integers(0, MAX_VIEWS).map(str) | st.sampled_from(["0", "007", "9007199254740991"]),
    "summary": WORD_TEXT | st.sampled_from(["|\n  One\n\n  Two", "'quoted'"]),
    "tags": st.sampled_from(["[security, 2fa]", "[]", "\n  - a\n  - 'b c'", "[no, yes, 1, 2024-01-01]"]),
    "slug": st.from_regex(SLUG_RE, fullmatch=True),
    "draft": st.sampled_from(["true", "false", "True", "FALSE"]),
    "aliases": st.sampled_from(["[/old/reset/, /help/2fa.html]", "[]", "\n  - /a/b", "[/x..y/, /.../]"]),
}


@st.composite
def article_files(draw: st.DrawFn, hazards: bool = False) -> bytes:
    """A fence, YAML-ish lines, a closing fence, Markdown-ish text; mixed line ends, a BOM, bad bytes.

    The YAML lines are mostly valid keys (so some files are accepted) mixed with junk lines.
    """
    entries: list[str] = []
    for key in KNOWN_KEYS:
        roll = draw(st.integers(0, 9))
        if roll < (7 if key in ("title", "category", "published") else 3):
            entries.append(f"{key}: {draw(VALID_LINES[key])}")
        elif roll < (9 if key in ("title", "category", "published") else 4):
            entries.append(f"{key}: {draw(yaml_value(hazards))}")
    entries += draw(st.lists(yaml_line(hazards), max_size=draw(st.sampled_from([0, 0, 2, 6, 12]))))
    lines = [draw(st.sampled_from(["---"] * 6 + ["--- ", "---\t", "--", "---x", "", "title: x", " ---"]))]
    for entry in draw(st.permutations(entries)):
        lines += entry.split("\n")
    closing = draw(st.sampled_from(["---"] * 6 + ["...", "--- ", "---x", None]))
    if closing is not None:
        lines.append(closing)
    lines += draw(st.lists(body_line(hazards), max_size=6))
    ends = draw(st.lists(st.sampled_from(["\n"] * 6 + ["\r\n", "\r"]), min_size=len(lines), max_size=len(lines)))
    if draw(st.booleans()):
        ends[-1] = ""
    data = "".join(line + end for line, end in zip(lines, ends)).encode("utf-8")
    if draw(st.integers(0, 5)) == 0:
        data = BOM + data
    if draw(st.integers(0, 7)) == 0:  # bytes that are not UTF-8 text, or a NUL
        bad = draw(st.sampled_from([b"\x00", b"\xff", b"\xc3", b"\xe2\x82", b"\xed\xa0\x80", b"\xc0\xaf", b"\xef\xbb\xbf"]))
        at = draw(st.integers(0, len(data)))
        data = data[:at] + bad + data[at:]
    return data


# --- property 1 ------------------------------------------------------------------------------


@fixed(300)
@given(st.binary())
@with_examples(HAZARDS)
def test_any_bytes_give_a_source_or_problems(data: bytes) -> None:
    check_parse(data)


# C0 controls but tab/LF/CR, DEL, C1 controls (incl. NEL), U+2028/9, U+FFFE/F: the known bugs' triggers.
KNOWN_BUG_BYTES = re.compile(rb"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xa8\xa9]|\xef\xbf[\xbe\xbf]")


@fixed(250)
@given(st.binary(max_size=60).map(lambda b: b"---\n" + b))
def test_any_bytes_after_a_fence_give_a_source_or_problems(data: bytes) -> None:
    # Random bytes rarely start with '---'; these reach the YAML reader. The known bugs' trigger
    # bytes are left out here (they are pinned in test_known_bug), as is the one-line rule.
    assume(not KNOWN_BUG_BYTES.search(data))
    check_parse(data, single_line=False)


@fixed(500)
@given(article_files(hazards=False))
@with_examples(HAZARDS)
def test_plausible_files_give_a_source_or_problems(data: bytes) -> None:
    """Property 1 on files without the known bugs' triggers (the one-line rule is checked below)."""
    check_parse(data, single_line=False)


@fixed(300)
@given(article_files(hazards=True))
@with_examples(KNOWN_BUGS)
def test_plausible_files_with_every_hazard(data: bytes) -> None:
    """The full property 1. Its random files hit the control-character and deep-nesting bugs
    (ReaderError, RecursionError); every known bug's reproduction is kept as an example."""
    check_parse(data)


# --- property 2 ------------------------------------------------------------------------------

WHOLE_MINUTE_OFFSETS = st.builds(dt.timezone, st.integers(-(24 * 60 - 1), 24 * 60 - 1).map(lambda m: dt.timedelta(minutes=m)))
OFFSETS = st.builds(
    dt.timezone,
    st.integers(-(24 * 60 - 1), 24 * 60 - 1).map(lambda m: dt.timedelta(minutes=m))
    | st.timedeltas(min_value=dt.timedelta(hours=-23, minutes=-59), max_value=dt.timedelta(hours=23, minutes=59)),
)
AWARE = st.datetimes(timezones=OFFSETS)
DATES = st.dates() | AWARE | st.datetimes()

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(-(10**40), 10**40),
    st.sampled_from([0, -1, MAX_VIEWS, MAX_VIEWS + 1, 2**64, -(2**63), 10**4000]),
    st.floats(),
    st.text(),
    st.text(SAFE_CHARS | st.sampled_from("\n\t '\"#&*!|>[]{}:,-?%@`")),
    st.sampled_from(VALUE_WORDS),
    DATES,
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6) | st.sampled_from(KNOWN_KEYS), inner, max_size=4),
    max_leaves=8,
)
ALIAS_PATHS = st.lists(st.sampled_from(["old", "help", "2fa.html", "a-b", "x.y", "..", ".", "", "a b", "?q", "#f"]), max_size=3).map(
    lambda parts: "/" + "/".join(parts)
)
KEY_VALUES = {
    "title": st.text(min_size=1) | st.sampled_from(["no", "2024-01-01", "  Reset \n 2FA  ", "null"]),
    "category": st.sampled_from(CATEGORIES + ("FAQ", "other", "")),
    "published": DATES,
    "updated": DATES,
    "views": st.integers(0, MAX_VIEWS) | st.integers(),
    "summary": st.text(),
    "tags": st.lists(st.text(max_size=8), max_size=4),
    "slug": st.from_regex(SLUG_RE, fullmatch=True) | st.text(max_size=10),
    "draft": st.booleans(),
    "aliases": st.lists(ALIAS_PATHS, max_size=3),
}


VALID_KEY_VALUES = {
    "title": st.text(min_size=1).filter(lambda t: t.split()) | st.sampled_from(["no", "2024-01-01", "  Reset \n 2FA  ", "null", "~"]),
    "category": st.sampled_from(CATEGORIES),
    "published": st.dates(max_value=dt.date(1999, 12, 31))
    | st.datetimes(max_value=dt.datetime(1999, 12, 31), timezones=WHOLE_MINUTE_OFFSETS),
    "updated": st.dates(min_value=dt.date(2000, 1, 3))
    | st.datetimes(min_value=dt.datetime(2000, 1, 3), timezones=WHOLE_MINUTE_OFFSETS),
    "views": st.integers(0, MAX_VIEWS),
    "summary": st.text(min_size=1).filter(lambda t: t.split()),
    "tags": st.lists(st.text(min_size=1).filter(lambda t: t.split()) | st.sampled_from(["no", "2fa", "1.5"]), max_size=4),
    "slug": st.from_regex(SLUG_RE, fullmatch=True),
    "draft": st.booleans(),
    "aliases": st.lists(ALIAS_PATHS.filter(lambda a: alias_problem(a) is None), max_size=3),
}


@st.composite
def front_matter_mappings(draw: st.DrawFn) -> dict[object, object]:
    """Mostly valid values for the known keys (so some are accepted), any value now and then, and extra keys."""
    mapping: dict[object, object] = {}
    for key in draw(st.permutations(KNOWN_KEYS)):
        required = key in ("title", "category", "published")
        roll = draw(st.integers(0, 9))
        if roll < (7 if required else 3):
            mapping[key] = draw(VALID_KEY_VALUES[key])
        elif roll < (8 if required else 4):
            mapping[key] = draw(KEY_VALUES[key])
        elif roll < (9 if required else 5):
            mapping[key] = draw(VALUES)
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 3]))):
        mapping[draw(st.text(max_size=10) | st.sampled_from(["on", "yes", "updatd", "Title", "<<"]))] = draw(VALUES)
    return mapping


def dumped(mapping: dict[object, object], allow_unicode: bool, flow: bool) -> bytes | None:
    try:
        text = yaml.safe_dump(mapping, allow_unicode=allow_unicode, default_flow_style=flow, sort_keys=False)
    except (yaml.representer.RepresenterError, ValueError):  # ValueError: int too large for str()
        return None
    return ("---\n" + text + "---\nSome *body* text.\n\n## A heading\n").encode("utf-8")


def check_accepted_types(front: FrontMatter) -> None:
    assert type(front.title) is str and front.title.strip() and "\n" not in front.title and "\r" not in front.title
    assert front.title == " ".join(front.title.split())
    assert front.category in CATEGORIES
    assert type(front.views) is int and 0 <= front.views <= 2**53 - 1
    assert type(front.tags) is tuple and all(type(t) is str and t.strip() for t in front.tags)
    for value in (front.published, front.updated):
        assert isinstance(value, dt.date)
        if isinstance(value, dt.datetime):
            assert value.utcoffset() is not None
    assert instant(front.updated) >= instant(front.published)
    assert front.summary is None or (type(front.summary) is str and front.summary.strip() and "\n" not in front.summary)
    assert front.slug is None or SLUG_RE.fullmatch(front.slug)
    assert type(front.draft) is bool
    assert type(front.aliases) is tuple and all(type(a) is str and not a.startswith("/") for a in front.aliases)


MAPPING_EXAMPLES = [
    {"title": "no", "category": "faq", "published": dt.date(2024, 1, 1)},
    {"title": False, "category": "faq", "published": dt.date(2024, 1, 1)},
    {"title": dt.date(2024, 1, 1), "category": "faq", "published": "2024-01-01"},
    {"on": "yes", "title": "T", "category": "faq", "published": dt.date(2024, 1, 1)},
    {"title": "T", "category": "faq", "published": dt.datetime(2024, 1, 1, 9, 30)},
    {"title": "T", "category": "faq", "published": dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=5)))},
    {"title": "T", "category": "faq", "published": dt.date(2024, 1, 2), "updated": dt.date(2024, 1, 1)},
    {"title": "T", "category": "faq", "published": dt.date(2024, 1, 1), "views": MAX_VIEWS + 1},
    {"title": "T", "category": "faq", "published": dt.date(2024, 1, 1), "views": -3, "tags": [1, None, []]},
    {"title": "T", "category": "faq", "published": dt.date(2024, 1, 1), "views": 12.5, "draft": "yes"},
    {"title": None, "category": ["faq"], "published": {"a": 1}},
    {"title": " \n ", "category": "faq", "published": dt.date(2024, 1, 1), "summary": ""},
]


def mapping_examples(test):  # type: ignore[no-untyped-def]
    for mapping in reversed(MAPPING_EXAMPLES):
        test = example(mapping, True, False)(test)
    return test


@fixed(400)
@given(front_matter_mappings(), st.booleans(), st.booleans())
@mapping_examples
def test_any_mapping_as_front_matter(mapping: dict[object, object], allow_unicode: bool, flow: bool) -> None:
    data = dumped(mapping, allow_unicode, flow)
    assume(data is not None)
    assert data is not None
    note(data.decode("utf-8"))
    if allow_unicode:
        # The unicode-line-break bug: PyYAML writes NEL/U+2028/U+2029 raw with allow_unicode.
        assume(not re.search("[\x85\u2028\u2029]", data.decode("utf-8")))
    check_parse(data, single_line=False)  # also checks the accepted front matter's types


@fixed(200)
@given(front_matter_mappings(), st.booleans(), st.booleans())
@example({"title": "T", "category": "a\nb", "published": dt.date(2024, 1, 1)}, False, False)
def test_problem_messages_are_single_lines(mapping: dict[object, object], allow_unicode: bool, flow: bool) -> None:
    data = dumped(mapping, allow_unicode, flow)
    assume(data is not None)
    assert data is not None
    check_parse(data)


# --- property 3 ------------------------------------------------------------------------------

PRINTABLE = st.characters(blacklist_categories=("Cs",)).filter(str.isprintable)
# NFC text only: decode() normalises the file, and the known escape-bypasses-NFC bug is pinned above.
WORDS = (
    st.text(PRINTABLE | st.sampled_from("  \t\n"), min_size=1, max_size=40)
    .filter(lambda s: s.split())
    .filter(lambda s: unicodedata.is_normalized("NFC", s))
)


def yaml_quoted(text: str, escape_non_ascii: bool) -> str:
    """A double-quoted YAML scalar, escaped like json.dumps (with \\U for astral characters).

    A character that NFC would compose with the letter of a preceding escape (``\\n`` + U+0301
    would become ``\\ń``) is escaped too: the file is NFC-normalised before YAML reads it.
    """
    short = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
    out = ['"']
    for ch in text:
        if ch in short:
            out.append(short[ch])
        elif (
            not ch.isprintable()
            or (escape_non_ascii and ord(ch) > 0x7E)
            or unicodedata.normalize("NFC", out[-1][-1] + ch) != out[-1][-1] + ch
        ):
            out.append(f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}")
        else:
            out.append(ch)
    return "".join(out) + '"'


def yaml_date(value: dt.date, zulu: bool) -> str:
    text = value.isoformat()
    if zulu and isinstance(value, dt.datetime) and text.endswith("+00:00"):
        text = text[: -len("+00:00")] + "Z"
    return text


def normalised(text: str) -> str:
    return " ".join(text.split())


VALID_DATES = st.dates() | st.datetimes(timezones=WHOLE_MINUTE_OFFSETS)
VALID_ALIASES = st.lists(st.from_regex(r"[A-Za-z0-9_.~-]{1,8}", fullmatch=True), min_size=1, max_size=3).map(
    lambda parts: "/" + "/".join(parts) + "/"
).filter(lambda a: alias_problem(a) is None)


@st.composite
def valid_front_matter(draw: st.DrawFn) -> tuple[FrontMatter, dict[str, str]]:
    """A FrontMatter as the parser should return it, and the YAML text of each of its keys."""
    escape = draw(st.booleans())
    zulu = draw(st.booleans())
    title = draw(WORDS)
    category = draw(st.sampled_from(CATEGORIES))
    first, second = draw(VALID_DATES), draw(VALID_DATES)
    published, updated = sorted((first, second), key=instant)
    text = {
        "title": yaml_quoted(title, escape),
        "category": yaml_quoted(category, escape) if draw(st.booleans()) else category,
        "published": yaml_date(published, zulu),
    }
    has_updated = draw(st.booleans())
    if has_updated:
        text["updated"] = yaml_date(updated, zulu)
    views = draw(st.none() | st.integers(0, MAX_VIEWS) | st.sampled_from([0, MAX_VIEWS]))
    if views is not None:
        text["views"] = str(views)
    summary = draw(st.none() | WORDS)
    if summary is not None:
        text["summary"] = yaml_quoted(summary, escape)
    tags = draw(st.none() | st.lists(WORDS, max_size=4))
    if tags is not None:
        text["tags"] = "[" + ", ".join(yaml_quoted(t, escape) for t in tags) + "]"
    slug = draw(st.none() | st.from_regex(SLUG_RE, fullmatch=True))
    if slug is not None:
        text["slug"] = slug
    draft = draw(st.none() | st.booleans())
    if draft is not None:
        text["draft"] = "true" if draft else "false"
    aliases = draw(st.none() | st.lists(VALID_ALIASES, max_size=3))
    if aliases is not None:
        text["aliases"] = "[" + ", ".join(yaml_quoted(a, escape) for a in aliases) + "]"
    front = FrontMatter(
        title=normalised(title),
        category=category,
        published=published,
        updated=updated if has_updated else published,
        views=views or 0,
        summary=normalised(summary) if summary is not None else None,
        tags=tuple(normalised(t) for t in tags or ()),
        slug=slug,
        draft=bool(draft),
        aliases=tuple(normalise_alias(a) for a in aliases or ()),
    )
    order = draw(st.permutations(list(text)))
    return front, {key: text[key] for key in order}


@fixed(400)
@given(valid_front_matter())
@example(
    (
        FrontMatter("no", "faq", dt.date(2024, 1, 1), dt.date(2024, 1, 1)),
        {"title": '"no"', "category": "faq", "published": "2024-01-01"},
    )
)
@example(
    (
        FrontMatter("café 2 × 3", "faq", dt.date(1, 1, 1), dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=-23, minutes=-59)))),
        {"title": '"  café\\t2 ×\\n3 "', "category": "faq", "published": "0001-01-01", "updated": "0001-01-01T00:00:00-23:59"},
    )
)
def test_valid_front_matter_round_trips(case: tuple[FrontMatter, dict[str, str]]) -> None:
    expected, keys = case
    yaml_text = "".join(f"{key}: {value}\n" for key, value in keys.items())
    note(yaml_text)
    source, problems = content.parse_source(f"---\n{yaml_text}---\nBody.\n".encode("utf-8"), REL, CATEGORIES)
    assert problems == []
    assert source is not None
    assert source.front == expected


# --- property 4 ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield os.path.realpath(tmp_path_factory.mktemp("site"))


def inside(folder: str, rel: str) -> bool:
    """Joined to ``folder``, ``rel`` resolves strictly inside it (no file is created)."""
    resolved = os.path.realpath(os.path.join(folder, rel))
    return resolved.startswith(folder + os.sep)


FILE_NAMES = st.text(st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)), max_size=30).map(lambda s: s + ".md")


@fixed(500)
@given(FILE_NAMES, st.sampled_from(["", "faq/", "sub/dir/", "../"]))
@example("Reset 2FA.md", "")
@example("Ça va? Été — ½ ﬁn.md", "faq/")
@example("..md", "")
@example("---.md", "")
@example(".md", "")
@example("İstanbul ǅ Ⅻ.md", "")
def test_default_slug_is_empty_or_a_slug(name: str, folder: str) -> None:
    slug = content.default_slug(folder + name)
    assert slug == "" or re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug), slug
    assert slug == "" or SLUG_RE.fullmatch(slug)


PATH_PARTS = st.sampled_from(["..", ".", "", "a", "b.html", "~", "\\", "..\\x", "...", "..a", "a..", "\x00", " ", "C:", "%2e%2e"])
PATHS = st.text() | st.lists(PATH_PARTS | st.text(max_size=4), max_size=6).map("/".join) | st.lists(PATH_PARTS, max_size=6).map(
    lambda parts: "/" + "/".join(parts)
)


@fixed(700)
@given(PATHS)
@example("")
@example(".")
@example("..")
@example("../x")
@example("a/../../x")
@example("a/./../b/../../x")
@example("/etc/passwd")
@example("//host/x")
@example("a\\..\\..\\x")
@example("a/\x00/b")
@example("~/x")
@example("a/..")
@example("faq/reset-2fa/index.html")
def test_safe_relpath_stays_inside(out_dir: str, rel: str) -> None:
    try:
        result = writer.safe_relpath(rel)
    except ValueError:
        return
    assert isinstance(result, str) and result
    assert not os.path.isabs(result)
    assert "\x00" not in result and "\\" not in result
    assert ".." not in result.split("/")
    assert inside(out_dir, result), f"{rel!r} → {result!r} leaves the folder"


SEGMENTS = st.sampled_from(["..", ".", "", "old", "page.html", "...", "..html", ".hidden", "a b", "?", "#", "\\", "%2e%2e", "~"])
ALIASES = (
    st.text()
    | st.lists(SEGMENTS | st.text(max_size=5), max_size=5).map(lambda parts: "/" + "/".join(parts))
    | st.lists(SEGMENTS, min_size=1, max_size=5).map(lambda parts: "/" + "/".join(parts) + "/")
)


@fixed(700)
@given(ALIASES)
@example("/old/reset-2fa/")
@example("/help/2fa.html")
@example("/..")
@example("/a/../../b/")
@example("/./")
@example("//evil.example/x")
@example("http://evil.example/")
@example("/a\\..\\b")
@example("/a/\x00/b")
@example("/..html")
@example("/.../")
@example("/a//b")
def test_accepted_aliases_stay_inside(out_dir: str, alias: str) -> None:
    if alias_problem(alias) is not None:
        return
    rel = normalise_alias(alias)
    assert rel and not rel.startswith("/") and not os.path.isabs(rel)
    parts = rel.rstrip("/").split("/")
    assert all(p not in ("", ".", "..") for p in parts), rel
    assert "\x00" not in rel and "\\" not in rel
    assert inside(out_dir, rel), f"{alias!r} → {rel!r} leaves the folder"
    assert inside(out_dir, rel + ("" if rel.endswith(".html") else "index.html"))
