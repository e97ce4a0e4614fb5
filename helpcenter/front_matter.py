"""Split one article file into front matter and body, and validate the front matter.

Pure functions of the file's text: no disk access, no knowledge of other articles. Every
problem is returned (not raised) with its file line, so a build can report all of them.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Callable, Collection
from dataclasses import dataclass

from ._yaml import Entry, Map, Scalar, Seq, YamlError, describe_node, load_yaml, shown
from ._names import alias_problem, normalise_alias, slug_problem
from .errors import Problem, Severity
from .model import FrontMatter

KNOWN_KEYS = (
    "title",
    "category",
    "published",
    "updated",
    "views",
    "summary",
    "tags",
    "slug",
    "draft",
    "aliases",
)
REQUIRED_KEYS = ("title", "category", "published")

MAX_VIEWS = 2**53 - 1  # the largest integer the browser's search can sort exactly
_FENCE = re.compile(r"---[ \t]*")
_CLOSE = re.compile(r"(?:---|\.\.\.)[ \t]*")
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME_RE = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})[Tt ](?P<time>\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)"
    r"\s*(?P<tz>[Zz]|[+-]\d{2}(?::?\d{2})?)?"
)


@dataclass(frozen=True)
class Split:
    yaml_text: str
    yaml_line: int
    """File line of the first YAML line (the line after the opening fence)."""
    body: str
    body_line: int


def decode(data: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """Bytes to the text we build from: UTF-8 (a BOM is dropped), LF line ends, NFC.

    NFC matters for search: Whoosh compares code points, and the browser normalises queries
    to NFC, so ``café`` must be stored one way only.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        bad = data[exc.start : exc.start + 1].hex()
        return None, [
            Problem(
                path,
                line,
                f"not valid UTF-8: byte 0x{bad} at byte offset {exc.start}; save the file as UTF-8",
            )
        ]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        return None, [Problem(path, line, "the file contains a NUL character; is it a binary file?")]
    return unicodedata.normalize("NFC", text), []


def split(text: str, path: str) -> tuple[Split | None, list[Problem]]:
    """Find the front matter between ``---`` fences; line numbers are file lines."""
    if not text.strip():
        return None, [
            Problem(path, 1, "the file is empty; an article starts with front matter between '---' lines")
        ]
    lines = text.split("\n")
    if not _FENCE.fullmatch(lines[0]):
        return None, [
            Problem(
                path,
                1,
                "expected '---' on the first line to open the front matter "
                "(title, category, published), found "
                + _quote(lines[0][:40]),
            )
        ]
    for index in range(1, len(lines)):
        if _CLOSE.fullmatch(lines[index]):
            yaml_text = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            return Split(yaml_text, 2, body, index + 2), []
    return None, [Problem(path, 1, "the front matter opened by '---' on line 1 is never closed by a '---' line")]


def parse_front_matter(
    text: str,
    path: str,
    category_ids: Collection[str],
) -> tuple[Split | None, FrontMatter | None, list[Problem]]:
    """Split and validate one article. Returns the split, the front matter if valid, and problems.

    Unknown keys are warnings (the caller turns them into errors under ``--strict``).
    """
    parts, problems = split(text, path)
    if parts is None:
        return None, None, problems
    offset = parts.yaml_line - 1
    try:
        loaded = load_yaml(parts.yaml_text)
    except YamlError as exc:
        return parts, None, [Problem(path, exc.line + offset, exc.message)]
    problems += [Problem(path, d.line + offset, d.message(offset)) for d in loaded.duplicates]
    root = loaded.node
    if root is None:
        return parts, None, problems + [
            Problem(path, 1, "the front matter is empty; it needs at least title, category and published")
        ]
    if not isinstance(root, Map):
        return parts, None, problems + [
            Problem(
                path,
                root.line + offset,
                f"the front matter must be 'key: value' lines, got {describe_node(root)}",
            )
        ]
    front, field_problems = _validate(root, path, offset, category_ids)
    problems += field_problems
    if any(p.is_error for p in problems):
        return parts, None, problems
    return parts, front, problems


class _Fields:
    """Collects validated values and problems for one front matter mapping."""

    def __init__(self, path: str, offset: int):
        self.path = path
        self.offset = offset
        self.problems: list[Problem] = []

    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line + self.offset, message))

    def warn(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line + self.offset, message, Severity.WARNING))


def _validate(
    root: Map, path: str, offset: int, category_ids: Collection[str]
) -> tuple[FrontMatter | None, list[Problem]]:
    f = _Fields(path, offset)
    for entry in root.entries:
        if entry.key not in KNOWN_KEYS:
            hint = difflib.get_close_matches(entry.key, KNOWN_KEYS, n=1, cutoff=0.6)
            suggestion = f"; did you mean '{hint[0]}'?" if hint else f"; known keys: {', '.join(KNOWN_KEYS)}"
            f.warn(entry.key_line, f"{shown(entry.key)}: unknown key{suggestion}")
    for key in REQUIRED_KEYS:
        if root.get(key) is None:
            # The key is absent, so point at the opening fence.
            f.problems.append(Problem(path, 1, f"{key}: missing; every article needs {', '.join(REQUIRED_KEYS)}"))

    values: dict[str, object] = {}
    for key, check in _CHECKS.items():
        entry = root.get(key)
        if entry is not None:
            value = check(entry, f, category_ids)
            if value is not None:
                values[key] = value

    published = values.get("published")
    updated = values.get("updated", published)
    if isinstance(published, dt.date) and isinstance(updated, dt.date):
        entry = root.get("updated")
        if entry is not None and instant(updated) < instant(published):
            f.error(
                entry.key_line,
                f"updated: must not be before published ({_iso(published)}), got {_iso(updated)}",
            )
    if any(p.is_error for p in f.problems):
        return None, f.problems
    front = FrontMatter(
        title=str(values["title"]),
        category=str(values["category"]),
        published=published,  # type: ignore[arg-type]
        updated=updated,  # type: ignore[arg-type]
        views=int(values.get("views", 0)),  # type: ignore[call-overload]
        summary=values.get("summary"),  # type: ignore[arg-type]
        tags=values.get("tags", ()),  # type: ignore[arg-type]
        slug=values.get("slug"),  # type: ignore[arg-type]
        draft=bool(values.get("draft", False)),
        aliases=values.get("aliases", ()),  # type: ignore[arg-type]
        lines=tuple((e.key, e.key_line + offset) for e in root.entries),
    )
    return front, f.problems


# --- one checker per key: (entry, fields, category ids) -> value or None --------------------


def _text(entry: Entry, f: _Fields, what: str = "text") -> str | None:
    """A scalar as the text the editor wrote: `title: no` is the word "no", not False."""
    node = entry.value
    if not isinstance(node, Scalar) or (node.kind == "null" and not node.quoted):
        f.error(entry.key_line, f"{entry.key}: expected {what}, got {describe_node(node)}")
        return None
    return node.text


def _check_title(entry: Entry, f: _Fields, _: Collection[str]) -> str | None:
    text = _text(entry, f)
    if text is None:
        return None
    text = " ".join(text.split())
    if not text:
        f.error(entry.key_line, "title: must not be empty")
        return None
    return text


def _check_category(entry: Entry, f: _Fields, category_ids: Collection[str]) -> str | None:
    text = _text(entry, f, "a category id")
    if text is None:
        return None
    if text in category_ids:
        return text
    hint = ""
    folded = {c.lower(): c for c in category_ids}
    if text.strip().lower() in folded:
        hint = f"; did you mean '{folded[text.strip().lower()]}'? (ids are lower-case)"
    f.error(
        entry.key_line,
        f"category: expected one of {', '.join(category_ids)}, got \"{shown(text)}\"{hint}",
    )
    return None


def _check_date(entry: Entry, f: _Fields, _: Collection[str]) -> dt.date | None:
    node = entry.value
    expected = "a date like 2026-03-25 or a date-time with an offset like 2026-03-25T09:30:00+01:00"
    if not isinstance(node, Scalar):
        f.error(entry.key_line, f"{entry.key}: expected {expected}, got {describe_node(node)}")
        return None
    value, reason = parse_date(node.text.strip())
    if value is None:
        f.error(entry.key_line, f"{entry.key}: {reason or 'expected ' + expected}, got \"{shown(node.text)}\"")
    return value


def parse_date(text: str) -> tuple[dt.date | None, str | None]:
    """A date, or an aware datetime; returns (value, reason it is not one)."""
    if _DATE_RE.fullmatch(text):
        try:
            return dt.date.fromisoformat(text), None
        except ValueError:
            return None, "not a real calendar date"
    m = _DATETIME_RE.fullmatch(text)
    if not m:
        return None, None
    if m["tz"] is None:
        # A time without an offset means different instants on different build machines.
        return None, "a date-time needs an offset such as Z or +01:00 (or give just the date)"
    tz = m["tz"].upper()
    if tz != "Z" and len(tz) == 5:  # +0100
        tz = tz[:3] + ":" + tz[3:]
    elif tz != "Z" and len(tz) == 3:  # +01
        tz += ":00"
    time = m["time"] if m["time"].count(":") == 2 else m["time"] + ":00"
    if len(time.split(":")[0]) == 1:
        time = "0" + time
    try:
        return dt.datetime.fromisoformat(f"{m['date']}T{time}{'+00:00' if tz == 'Z' else tz}"), None
    except ValueError:
        return None, "not a real date and time"


def parse_views(text: str) -> int | None:
    """ASCII digits up to MAX_VIEWS, or None (never int() on thousands of digits)."""
    if re.fullmatch(r"[0-9]+", text) and len(text.lstrip("0")) <= 16 and int(text) <= MAX_VIEWS:
        return int(text)
    return None


def _check_views(entry: Entry, f: _Fields, _: Collection[str]) -> int | None:
    node = entry.value
    if isinstance(node, Scalar) and not node.quoted and re.fullmatch(r"[0-9]+", node.text):
        views = parse_views(node.text)
        if views is not None:
            return views
        f.error(entry.key_line, f"views: expected a whole number ≥ 0 and at most {MAX_VIEWS:,}, got {shown(node.text)}")
        return None
    f.error(entry.key_line, f"views: expected a whole number ≥ 0, got {describe_node(node)}")
    return None


def _check_summary(entry: Entry, f: _Fields, _: Collection[str]) -> str | None:
    text = _text(entry, f)
    if text is None:
        return None
    text = " ".join(text.split())
    if not text:
        f.error(entry.key_line, "summary: must not be empty (leave the key out to use the first paragraph)")
        return None
    return text


def _check_tags(entry: Entry, f: _Fields, _: Collection[str]) -> tuple[str, ...] | None:
    return _text_list(entry, f, "tags: expected a list like [security, 2fa]")


def _text_list(entry: Entry, f: _Fields, expected: str) -> tuple[str, ...] | None:
    node = entry.value
    if not isinstance(node, Seq):
        f.error(entry.key_line, f"{expected}, got {describe_node(node)}")
        return None
    items: list[str] = []
    for item in node.items:
        if not isinstance(item, Scalar) or (item.kind == "null" and not item.quoted) or not item.text.strip():
            f.error(item.line, f"{entry.key}: each item must be non-empty text, got {describe_node(item)}")
            continue
        items.append(" ".join(item.text.split()))
    return tuple(items)


def _check_slug(entry: Entry, f: _Fields, _: Collection[str]) -> str | None:
    text = _text(entry, f, "a slug")
    if text is None:
        return None
    problem = slug_problem(text)
    if problem:
        f.error(entry.key_line, f"slug: {problem}")
        return None
    return text


def _check_draft(entry: Entry, f: _Fields, _: Collection[str]) -> bool | None:
    node = entry.value
    if isinstance(node, Scalar) and not node.quoted and node.text.lower() in ("true", "false"):
        return node.text.lower() == "true"
    f.error(entry.key_line, f"draft: expected true or false, got {describe_node(node)}")
    return None


def _check_aliases(entry: Entry, f: _Fields, _: Collection[str]) -> tuple[str, ...] | None:
    items = _text_list(entry, f, "aliases: expected a list of old URL paths like [/old/reset-2fa/]")
    if items is None:
        return None
    good: list[str] = []
    node = entry.value
    assert isinstance(node, Seq)
    for item_node, alias in zip((n for n in node.items if isinstance(n, Scalar)), items):
        problem = alias_problem(alias)
        if problem:
            f.error(item_node.line, f"aliases: {problem}")
        else:
            good.append(normalise_alias(alias))
    return tuple(good)


_CHECKS: dict[str, Callable[[Entry, _Fields, Collection[str]], object]] = {
    "title": _check_title,
    "category": _check_category,
    "published": _check_date,
    "updated": _check_date,
    "views": _check_views,
    "summary": _check_summary,
    "tags": _check_tags,
    "slug": _check_slug,
    "draft": _check_draft,
    "aliases": _check_aliases,
}


def instant(value: dt.date) -> dt.datetime:
    """Dates compare as midnight UTC, so a date and a date-time can be ordered."""
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime(value.year, value.month, value.day, tzinfo=dt.timezone.utc)



def _iso(value: dt.date) -> str:
    return value.isoformat()


def _quote(text: str) -> str:
    return f'"{text}"' if text else "an empty line"

