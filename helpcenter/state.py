"""What one build leaves for the next, and what it reports: plain data, no heavy imports."""

from __future__ import annotations

import os
import struct
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Problem
from .model import ArticleMeta


@dataclass(frozen=True)
class BuildReport:
    articles: int
    listing_pages: int
    pages: int
    output_dir: Path
    seconds: float
    warnings: list[Problem] = field(default_factory=list)
    stage_seconds: dict[str, float] = field(default_factory=dict)
    rendered_pages: int = 0
    written_files: int = 0


Stamp = bytes
"""A file's size, modification time, inode and change time, packed (see stamp)."""
Progress = Callable[[str, int, int], None]
"""Called as a stage advances: (stage, done, total)."""


def stamp_of(path: str) -> Stamp | None:
    """What tells a file changed without reading it; None if it cannot be stat'ed."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return stamp(info)


def stamp(info: os.stat_result) -> Stamp:
    # One bytes object, not a tuple of four numbers: the state's 10,000 file stamps read in
    # half the time (2.3 against 4.1 ms).
    return _STAMP.pack(info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns)


_STAMP = struct.Struct("<qqQq")
NO_STAMP = bytes(_STAMP.size)
"""The stamp of a file that could not be stat'ed."""


@dataclass
class State:
    """What a build leaves for the next one. Small: bodies stay in the records database and the
    postings in their own file."""

    files: dict[str, tuple[Stamp, str]] = field(default_factory=dict)
    """Article file (relative to articles/) → (stat stamp, content digest)."""
    other_files: dict[str, Stamp | None] = field(default_factory=dict)
    records: dict[str, str] = field(default_factory=dict)
    """Article file → record key."""
    metas: dict[str, ArticleMeta] = field(default_factory=dict)
    problems: dict[str, tuple[Problem, ...]] = field(default_factory=dict)
    findings: Any = None
    """What assembling the articles concluded: an assembly.Findings (typed loosely: this module
    stays below the pipeline's)."""
    span: int = 0
    slots: dict[str, int] = field(default_factory=dict)
    docs: dict[str, tuple[str, tuple[int, ...]]] = field(default_factory=dict)
    """slug → (doc digest, field lengths in search.engine.TEXT_FIELDS order): what the index
    and the export hold. (Tuples: 10,000 small dicts took 8 ms to read and 8 ms to write.)"""
    index_contents: str = ""
    """The index's contents token when it held ``docs`` (see engine.SearchIndex.contents)."""
    vocabulary: list[str] = field(default_factory=list)
    """The postings' term ids (the arrays are in postings.bin)."""
    postings_token: str = ""
    """Written into postings.bin too: the two belong together."""
    shards: int = 0
    related_keys: dict[str, tuple[str, ...]] = field(default_factory=dict)
    related_lists: dict[str, tuple[str, ...]] = field(default_factory=dict)
    item_keys: dict[str, tuple[tuple[Any, ...], str]] = field(default_factory=dict)
    """Article URL → (what its listing item was made from, the item's key): see pages.item_keys."""
    orders: Any = None
    """The listings' orders (a pages.Orders: typed loosely, this module stays below pages)."""
    page_keys: dict[str, str] = field(default_factory=dict)
    fingerprint: str = ""
    """Templates, assets, settings, options and version: anything else that shapes the output."""
    visible: frozenset[str] = frozenset()
    """The article files published by the last build (drafts and scheduled ones left out)."""
    schedule: tuple[tuple[str, bool, int], ...] = ()
    """(article file, draft, publication instant in POSIX microseconds) of every article: see
    content.schedule."""
    output_digest: str = ""
    warnings: list[Problem] = field(default_factory=list)
    counts: tuple[int, int, int] = (0, 0, 0)
    """Articles, listing pages and pages of the last build."""


@dataclass
class Handover:
    """What one build hands to the next in a process that stays running (``helpcenter serve``),
    so that the next build need not read it back: the state it saved, the postings that state
    names and the listing items it kept (see Session)."""

    state: State
    file: Stamp | None
    """``state.pickle`` as this build wrote it: a build in another process replaces it."""
    saved: Any
    """The cache's record of the bytes it wrote for each part of the state (see BuildCache.saved)."""
    postings: Any
    """The search postings (a search.postings.Postings), as saved with ``state``; None if not made."""
    fragments: tuple[Any, Mapping[str, str]] | None
    """The kept listing items with their stamp (see fragments.FragmentStore), if known."""


class Session:
    """Builds made one after another by one process. A build takes the last one's handover, so
    that only a build that succeeds hands anything on: after a failed one, the next reads the
    state from the cache folder again, as a build from the command line does."""

    def __init__(self) -> None:
        self._handover: Handover | None = None

    def take(self) -> Handover | None:
        handover, self._handover = self._handover, None
        return handover

    def keep(self, handover: Handover | None) -> None:
        self._handover = handover
