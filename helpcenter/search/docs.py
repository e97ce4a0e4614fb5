"""From articles to what the engine and the export index: analysis, display values, digests."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..formatting import display_date, display_number, iso_date, timestamp
from ..model import Entry
from . import engine


@dataclass(frozen=True)
class Analysis:
    """An article's index terms per field: a pure function of its text, cached by hash."""

    terms: dict[str, dict[str, int]]
    lengths: dict[str, int]


def analyse_fields(title: str, summary: str, tags: Sequence[str], text: str) -> Analysis:
    values = {"title": title, "summary": summary, "tags": " ".join(tags), "body": text}
    terms: dict[str, dict[str, int]] = {}
    lengths: dict[str, int] = {}
    for name in engine.TEXT_FIELDS:
        counts, length = engine.count_terms(values[name])
        if counts:
            terms[name] = counts
        lengths[name] = length
    return Analysis(terms, lengths)


def display_values(entry: Entry, locale: str) -> dict[str, Any]:
    """What a search result shows, formatted as the listings format it."""
    front = entry.front
    return {
        "id": entry.slug,
        "url": entry.url,
        "title": entry.title,
        "category": entry.category.id,
        "published": iso_date(front.published),
        "updated": iso_date(front.updated),
        "published_display": display_date(front.published, locale),
        "updated_display": display_date(front.updated, locale),
        "views": front.views,
        "views_display": display_number(front.views, locale),
    }


def sort_keys(entry: Entry) -> tuple[int, int]:
    """(updated seconds, views): what 'newest' and 'most viewed' sort by."""
    return timestamp(entry.front.updated), entry.front.views


def index_doc(entry: Entry, slot: int, analysis: Analysis, text: str, locale: str) -> engine.IndexDoc:
    display = display_values(entry, locale)
    stored = {
        **display,
        "summary": entry.summary,
        "text": text,
        "updated_ts": timestamp(entry.front.updated),
        "published_ts": timestamp(entry.front.published),
    }
    return engine.IndexDoc(entry.slug, slot, doc_digest(entry, slot, locale), analysis.terms, analysis.lengths, stored)


def doc_digest(entry: Entry, slot: int, locale: str) -> str:
    """Changes whenever anything the index or the export holds for this article changes."""
    value = [entry.meta.key, slot, display_values(entry, locale), entry.summary]
    data = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.blake2b(data, digest_size=16).hexdigest()
