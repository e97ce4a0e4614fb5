"""One article file → one Record: validated front matter, rendered body, search terms.

``make_record`` is a pure function of the file's bytes, its path and the options, so its result
is cached by content hash and computed in worker processes when many files changed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
import posixpath
from dataclasses import dataclass

from . import __version__
from .content import WORDS_PER_MINUTE, parse_source
from .errors import Problem
from .markup import MarkupOptions, RenderError, cut_summary, render_markdown
from .model import ArticleMeta, Heading
from .search.docs import Analysis, analyse_fields

RECORD_VERSION = 1
"""Bump when what a record holds, or how it is computed, changes."""


@dataclass(frozen=True)
class Record:
    meta: ArticleMeta | None
    """None when the file has errors (they are in ``problems``)."""
    problems: tuple[Problem, ...]
    html: str = ""
    text: str = ""
    headings: tuple[Heading, ...] = ()
    analysis: Analysis | None = None


Body = tuple[str, tuple[Heading, ...]]
"""What an article page needs of its record: the body HTML and the headings."""


def head(record: Record) -> Record:
    """The record without its body: what everything but the article page needs."""
    return dataclasses.replace(record, html="", headings=())


def body(record: Record) -> Body:
    return record.html, record.headings


def options_key(categories: tuple[str, ...], markup: MarkupOptions) -> str:
    """Everything besides the file that a record depends on."""
    raw = repr((RECORD_VERSION, __version__, categories, markup)).encode("utf-8")
    return hashlib.blake2b(raw, digest_size=8).hexdigest()


def record_key(rel: str, digest: str, options: str) -> str:
    return f"{rel}\0{digest}\0{options}"


def key_options(key: str) -> str:
    """The options a record key was made with (see record_key)."""
    return key.rpartition("\0")[2]


def make_record(rel: str, data: bytes, key: str, categories: tuple[str, ...], markup: MarkupOptions) -> Record:
    """``rel``: the file's path relative to articles/ (``faq/reset-2fa.md``)."""
    source, problems = parse_source(data, rel, categories)
    if source is None:
        return Record(None, tuple(problems))
    try:
        rendered = render_markdown(source.body, posixpath.dirname(rel), markup)
    except RenderError as exc:
        problems.append(Problem(source.path, source.body_line + exc.line - 1, exc.message))
        return Record(None, tuple(problems))
    front = source.front
    summary = front.summary or cut_summary(rendered.first_paragraph or rendered.text)
    offset = source.body_line - 1
    meta = ArticleMeta(
        path=source.path,
        key=key,
        front=front,
        body_line=source.body_line,
        summary=summary,
        heading_ids=frozenset(rendered.ids),
        links=tuple((target, line + offset) for target, line in rendered.links),
        local_links=tuple((href, line + offset) for href, line in rendered.local_links),
        reading_minutes=max(1, math.ceil(rendered.word_count / WORDS_PER_MINUTE)),
    )
    analysis = analyse_fields(front.title, summary, front.tags, rendered.text)
    return Record(meta, tuple(problems), rendered.html, rendered.text, rendered.headings, analysis)
