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


UPDATE_MAX = 64
"""Articles added or removed (or moved to another category) that ``update_slots`` places one
by one; beyond, all are assigned again."""


def update_slots(old: Mapping[str, int], articles: Mapping[str, int], span: int) -> dict[str, int] | None:
    """What ``assign_slots(articles.items(), span)`` returns, made from ``old``, what it returned
    for the last articles with the same span: only the probe clusters that the articles added
    and removed touch are laid out again (at 10,000 articles, 14 ms for all against 4 ms). None
    if there are many, or a cluster wraps around its category's range (rare: assign all).

    The layout depends only on the set of articles, and within a cluster (a run of taken slots)
    they lie in (hash, slug) order, each at its home or just after the one before. So removing
    one moves only those after it in its cluster, and adding one only those after its place in
    the cluster its home falls in (or none, if its home is free)."""
    removed = [s for s, slot in old.items() if articles.get(s) != slot // span]
    added = [s for s, category in articles.items() if s not in old or old[s] // span != category]
    if len(removed) + len(added) > UPDATE_MAX:
        return None
    slots = dict(old)
    taken = {slot: slug for slug, slot in old.items()}

    def lay_out(items: list[str], after: int, base: int) -> bool:
        """Place ``items`` (a cluster's tail, in order) from the slot after ``after``; False if
        one would wrap or land on a taken slot (neither can happen to one change at a time)."""
        for slug in items:
            after = max(base + slug_hash(slug) % span, after + 1)
            if after >= base + span or after in taken:
                return False
            slots[slug] = after
            taken[after] = slug
        return True

    def cluster_tail(first: int, base: int) -> list[str] | None:
        """The articles in the taken slots from ``first`` up to the next free one, taken out of
        ``taken``; None if they reach the range's last slot (the cluster may wrap around)."""
        tail = []
        while first in taken:
            if first == base + span - 1:
                return None
            tail.append(taken.pop(first))
            first += 1
        return tail

    for slug in removed:
        slot = slots.pop(slug)
        del taken[slot]
        base = slot - slot % span
        if slot == base + span - 1:
            return None  # a cluster that wrapped around may move into it
        tail = cluster_tail(slot + 1, base)
        if tail is None or not lay_out(tail, slot - 1, base):
            return None
    for slug in added:
        base = articles[slug] * span
        home = slug_hash(slug) % span
        start = base + home
        while start > base and start - 1 in taken:
            start -= 1
        if start == base and base + span - 1 in taken:
            return None
        tail = cluster_tail(start, base)
        if tail is None:
            return None
        # The cluster's articles lie in (hash, slug) order: those before the new one stay.
        stay = 0
        while stay < len(tail) and (slug_hash(tail[stay]) % span, tail[stay]) < (home, slug):
            taken[slots[tail[stay]]] = tail[stay]
            stay += 1
        after = slots[tail[stay - 1]] if stay else start - 1
        if not lay_out([slug, *tail[stay:]], after, base):
            return None
    return slots


def category_of(slot: int, span: int) -> int:
    return slot // span


def moved(old: Mapping[str, int], new: Mapping[str, int]) -> set[str]:
    """Slugs whose slot differs (or that appear or disappear)."""
    return {s for s in old.keys() | new.keys() if old.get(s) != new.get(s)}
