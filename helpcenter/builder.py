"""build_site: the one entry point of a build.

It checks first whether anything the site depends on changed since the last build (article
files, other files under articles/, templates, assets, settings, what is published now, and the
output and index themselves); if nothing did, it returns at once, without loading Markdown,
Jinja, Whoosh or numpy. Otherwise pipeline runs the stages, redoing only what changed.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from . import __version__, content
from .cache import BuildCache
from .config import SiteConfig
from .content import BuildOptions
from .lock import site_lock
from .parallel import heap_kept, reap
from .probe import StatProbe, differing, folder_id
from .search import compression
from .state import BuildReport, Progress, Session, State, stamp_of
from .templates import asset_files, templates_key
from .writer import MARKER, check_output_dir, spare_of

STATE_VERSION = 18
"""Bumped when what the state holds, or the bytes a build writes for it, change (12: the search
export's gzip by ISA-L; 13: the schedule in microseconds, plain fields by marshal; 14: output
manifests and stats by marshal, stats packed; 15: file stamps packed; 16: the state file's
parts after a header, to be mapped; 17: the findings' relinked articles; 18: the search
export's gzip by libdeflate): a build after the upgrade is a clean one."""

__all__ = ["BuildReport", "build_site"]


def state_stamp() -> dict[str, object]:
    """What a saved state must have been written under to be read. The Python version too: the
    state is partly in marshal's format, which may change with it. And the compressor's: the
    files kept from the last build must be the bytes this one would write."""
    return {"state": STATE_VERSION, "helpcenter": __version__, "python": sys.version_info[:2], "gzip": compression.version()}


def build_site(
    config: SiteConfig,
    options: BuildOptions = BuildOptions(),
    *,
    force: bool = False,
    progress: Progress | None = None,
    session: Session | None = None,
    left: list[object] | None = None,
) -> BuildReport:
    """Build the site into ``config.output_dir``. Raises ContentError listing every problem
    (the previous output is then untouched) or UsageError for an unusable output folder.
    ``session``: builds made one after another by this process, which hand their state on in
    memory (see state.Session). ``left``: where to put what the build leaves (its state, the
    last one's, the articles) instead of freeing it, for a process that ends at once (the
    command line: freeing it object by object took 40 ms after an edit at 10,000 articles)."""
    started = time.perf_counter()
    check_output_dir(config.output_dir, config.root, force=force)
    # One 'now' for the whole build: what is published, and what the next build compares with.
    options = dataclasses.replace(options, now=content.build_time(options))
    config.cache_dir.mkdir(parents=True, exist_ok=True)
    with site_lock(config.cache_dir), _rare_collections():
        cache = BuildCache(config.cache_dir)
        # Started before the state is read: it scans the articles and checks the output folders meanwhile.
        probe = StatProbe(cache, [config.output_dir, spare_of(config.output_dir)], config.articles_dir)
        try:
            stamp = state_stamp()
            handover = session.take() if session is not None else None
            if handover is not None and handover.file != stamp_of(str(cache.state_file)):
                handover = None  # another process built the site since: its state is the one
            with _uncollected():
                if handover is not None:
                    cache.adopt(handover.saved)
                    previous = handover.state
                else:
                    previous = cache.load_state(stamp)
            fingerprint = site_fingerprint(config, options)
            found = probe.articles(config.articles_dir)
            if previous is not None and unchanged(config, options, previous, fingerprint, cache, found, probe):
                if session is not None:
                    session.keep(handover)
                articles, listing, pages = previous.counts
                return BuildReport(articles, listing, pages, config.output_dir, time.perf_counter() - started, list(previous.warnings))
            with _uncollected():
                if previous is not None and handover is None and not cache.load_state_rest(previous):
                    previous = None
            if left is not None and previous is not None:
                # A process that ends with this build (the command line), building on the last
                # one: no cycle collection. Its collections (about 40 in an edit or an addition,
                # 20-30 ms) found a few thousand objects in cycles, and 2,000 articles edited at
                # once peaked at the same memory without them; the process's end frees everything.
                gc.disable()
            from .pipeline import Pipeline  # the heavy part: Markdown, Jinja, Whoosh, numpy

            run = Pipeline(config, options, cache, progress or (lambda stage, done, total: None), started, previous or State(), stamp, handover)
            # An incremental build reuses freed memory; a first build gives it back (its peak).
            with heap_kept() if previous is not None else nullcontext():
                report = run.run(fingerprint, found, probe)
            if left is not None:
                left.append(run)
            if session is not None:
                session.keep(run.handover())
            return report
        finally:
            reap()  # the forked workers, which may still be exiting
            probe.close()
            cache.close()


@contextmanager
def _rare_collections() -> Iterator[None]:
    """Markdown and Jinja allocate millions of short-lived objects; with the default threshold
    the cycle collector runs every 700 of them, about 4% of a first build's CPU. A build is
    short and its garbage is nearly all freed by reference counting, so it collects rarely
    (forked workers inherit the setting); the default comes back for ``serve``'s idle time, and
    the collector itself if a command-line rebuild switched it off (see build_site)."""
    before, enabled = gc.get_threshold(), gc.isenabled()
    gc.set_threshold(20_000, 20, 20)
    try:
        yield
    finally:
        if enabled and not gc.isenabled():
            # A command-line rebuild turned the collector off (see build_site). Everything it
            # made joins what it froze in the oldest generation: the first collection after
            # the build would otherwise scan all of it (37-49 ms, before the build's report).
            gc.freeze()
        gc.unfreeze()  # see _uncollected, and parallel._freeze
        gc.set_threshold(*before)
        if enabled:
            gc.enable()


@contextmanager
def _uncollected() -> Iterator[None]:
    """Reading the last build's state makes a few hundred thousand objects (at 10,000 articles:
    the metas, their dates, tuples and sets), none of them garbage; each collection on the way
    scanned all those made so far, a third of the reading time. So none runs while reading, and
    what was read is frozen: the build's later collections skip it too."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def site_fingerprint(config: SiteConfig, options: BuildOptions) -> str:
    h = hashlib.blake2b(digest_size=16)
    h.update(repr((__version__, config, options.drafts, options.strict)).encode("utf-8"))
    h.update(templates_key(config).encode("ascii"))
    for rel, path in sorted(asset_files(config).items()):
        h.update(rel.encode("utf-8") + b"\0" + path.read_bytes())
    for rel in content.VIEWS_FILES:
        if (config.root / rel).is_file():
            h.update(rel.encode("utf-8") + b"\0" + (config.root / rel).read_bytes())
    return h.hexdigest()


def unchanged(
    config: SiteConfig, options: BuildOptions, state: State, fingerprint: str, cache: BuildCache, found: content.ArticleFiles, probe: StatProbe
) -> bool:
    """True if a build now would write exactly what the last one wrote, and it is all still there."""
    if state.fingerprint != fingerprint or not state.output_digest:
        return False
    if any(p.is_error for p in found.problems) or len(found.rels) != len(state.files):
        return False
    for rel in found.rels:
        known, file_stamp = state.files.get(rel), found.stamps[rel]
        if known is None or file_stamp is None or file_stamp != known[0]:
            return False
    base = str(config.articles_dir) + os.sep
    others = found.others
    if len(others) != len(state.other_files) or any(stamp_of(base + rel) != state.other_files.get(rel) for rel in others):
        return False
    if content.visible_files(state.schedule, options) != state.visible:
        return False
    if not (config.cache_dir / "index" / "STAMP.json").is_file():
        return False
    return output_intact(config.output_dir, state.output_digest, cache, probe)


def output_intact(folder: Path, digest: str, cache: BuildCache, probe: StatProbe) -> bool:
    """The output folder is the one we wrote, file for file (size, time and inode)."""
    try:
        marker = (folder / MARKER).read_text("ascii")
    except (OSError, UnicodeDecodeError):
        return False
    if not marker.rstrip().endswith(f"manifest {digest}"):
        return False
    manifest = cache.load_manifest(digest)
    stats = cache.load_stats(folder_id(folder))
    if manifest is None or set(stats) != set(manifest):
        return False
    found = probe.differing(folder)
    return not (differing(folder, stats) if found is None else found)
