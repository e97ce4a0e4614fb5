"""From articles to what the engine and the export index: analysis, slots, display values."""

from __future__ import annotations

import hashlib
import json

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..formatting import display_date, display_number, iso_date, timestamp
from ..model import Article
from . import engine
from .export import ExportDoc
from .slots import assign_slots, span_for


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


def analyse_article(article: Article) -> Analysis:
    return analyse_fields(article.title, article.summary, article.front.tags, article.text)


def display_values(article: Article, locale: str) -> dict[str, Any]:
    front = article.front
    return {
        "id": article.slug,
        "url": article.url,
        "title": article.title,
        "category": article.category.id,
        "published": iso_date(front.published),
        "updated": iso_date(front.updated),
        "published_display": display_date(front.published, locale),
        "updated_display": display_date(front.updated, locale),
        "views": front.views,
        "views_display": display_number(front.views, locale),
    }


def search_docs(
    articles: Sequence[Article],
    analyses: dict[str, Analysis],
    categories: Sequence[str],
    locale: str,
) -> tuple[list[ExportDoc], int]:
    """IndexDocs (with display values) in slot order, and the slot span. ``analyses`` by URL."""
    span = span_for(len(articles))
    index_of = {c: i for i, c in enumerate(categories)}
    slots = assign_slots(((a.slug, index_of[a.category.id]) for a in articles), span)
    docs: list[ExportDoc] = []
    for article in articles:
        analysis = analyses[article.url]
        display = display_values(article, locale)
        stored = {
            **display,
            "summary": article.summary,
            "text": article.text,
            "updated_ts": timestamp(article.front.updated),
            "published_ts": timestamp(article.front.published),
        }
        slot = slots[article.slug]
        digest = _digest((slot, analysis.terms, analysis.lengths, stored))
        doc = engine.IndexDoc(article.slug, slot, digest, analysis.terms, analysis.lengths, stored)
        docs.append(ExportDoc(doc, display))
    docs.sort(key=lambda e: e.doc.slot)
    return docs, span


def _digest(value: object) -> str:
    data = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.blake2b(data, digest_size=16).hexdigest()
