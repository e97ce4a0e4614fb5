"""Slots: each article's number in the static search export.

A slot must depend only on the current set of articles (a clean build and an incremental one
must write the same bytes), and adding or removing one article must move as few others as
possible (so an edit rewrites few search shards). Dense numbering by sort order fails the
second rule: one insertion renumbers everything after it.

So slots are hashed: each category owns a range of ``span`` slots (a power of two, at least
8× the number of articles, so postings' gaps stay small), an article goes to
``hash(slug) mod span`` inside its category's range, and collisions probe forward (wrapping),
placing articles in (hash, slug) order. A change moves only the articles of one probe cluster,
and clusters are short at this load. The category is ``slot // span``, so the browser gets
per-tab counts from the postings alone. Ties in ranking break on the slot, on both sides.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping


def span_for(count: int) -> int:
    span = 64
    while span < 8 * count:
        span *= 2
    return span


def slug_hash(slug: str) -> int:
    return int.from_bytes(hashlib.blake2b(slug.encode("utf-8"), digest_size=8).digest(), "big")


def assign_slots(articles: Iterable[tuple[str, int]], span: int) -> dict[str, int]:
    """``articles``: (slug, category index). Returns slug → slot."""
    by_category: dict[int, list[tuple[int, str]]] = {}
    for slug, category in articles:
        by_category.setdefault(category, []).append((slug_hash(slug) % span, slug))
    slots: dict[str, int] = {}
    for category, items in by_category.items():
        taken: set[int] = set()
        for home, slug in sorted(items):
            position = home
            while position in taken:
                position = (position + 1) % span
            taken.add(position)
            slots[slug] = category * span + position
    return slots


def category_of(slot: int, span: int) -> int:
    return slot // span


def moved(old: Mapping[str, int], new: Mapping[str, int]) -> set[str]:
    """Slugs whose slot differs (or that appear or disappear)."""
    return {s for s in old.keys() | new.keys() if old.get(s) != new.get(s)}
