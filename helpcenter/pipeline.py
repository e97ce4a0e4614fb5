"""The build's stages, in order, each redoing only what changed since the last build.

scan → records (parse + Markdown + search terms, per file, cached by content hash) →
assemble (site-wide rules) → search (index, postings, export) → related → pages → output.

Everything is read, validated and rendered before the output is touched; the output is
swapped in whole (writer.OutputTree). A clean build and an incremental one write the same
bytes (tests/test_incremental.py). builder.build_site decides whether anything needs doing.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from . import assembly, content, fragments, parallel, records, seo
from .cache import BuildCache, blob_value, cache_blob, content_digest
from .config import SiteConfig
from .content import BuildOptions
from .errors import ContentError, Problem, Severity
from .markup import MarkupOptions
from .model import ArticleMeta, Entry, Library
from .pages import Items, PageSpec, article_context, item_keys, orders, plan_listings, plan_other_pages, tabs_for
from .parallel import Background, InThread, chunks, map_forked, release_memory
from .probe import StatProbe
from .search import engine, export
from .search.docs import doc_digest, display_values, index_doc, sort_keys
from .search.postings import DocTerms, Postings
from .search.related import RelatedState, update_related
from .state import NO_STAMP, BuildReport, Handover, Progress, State, stamp_of
from .search.slots import assign_slots, span_for, update_slots
from .templates import asset_files, make_environment, root_for, template_problem, templates_key
from .writer import OutputTree

PARALLEL_RECORDS = 64
"""Fewer changed files than this are processed in-process (forking costs more)."""
PARALLEL_PAGES = 400
SHARDS_IN_THREAD = 64

T = TypeVar("T")
R = TypeVar("R")
_Rendered = tuple[list[tuple[str, str, bytes, bool]], dict[str, str]]
"""What a batch of pages rendered by a worker sends back: the files written (see
OutputTree.journal) and the listing items made (see fragments.ItemFragments)."""


def _run(job: Callable[[], R]) -> R:
    return job()


class _Timer:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._last = time.perf_counter()
        self.release = True
        """Give freed memory back at each stage end: on large builds, where the peak matters."""

    def lap(self, stage: str) -> None:
        if self.release:
            release_memory()  # a stage has just dropped its temporaries
        now = time.perf_counter()
        self.seconds[stage] = self.seconds.get(stage, 0.0) + now - self._last
        self._last = now


class _RelatedURLs(Mapping[str, list[str]]):
    """Article URL → its related articles' URLs, from the lists by slug as they are asked for:
    after an edit, pages ask for a few."""

    def __init__(self, lists: Mapping[str, Sequence[str]], library: Library):
        self._lists, self._library = lists, library

    def __getitem__(self, url: str) -> list[str]:
        by_slug = self._library.by_slug
        return [by_slug[r].url for r in self._lists[self._library.by_url[url].slug]]

    def __iter__(self) -> Iterator[str]:
        by_slug = self._library.by_slug
        return (by_slug[s].url for s in self._lists if s in by_slug)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class Pipeline:
    def __init__(
        self,
        config: SiteConfig,
        options: BuildOptions,
        cache: BuildCache,
        progress: Progress,
        started: float,
        previous: State,
        stamp: dict[str, Any],
        handover: Handover | None = None,
    ):
        """``handover``: from the last build of this process, whose state ``previous`` is."""
        self.config = config
        self.options = options
        self.categories = tuple(c.id for c in config.categories)
        self.category_index = {c: i for i, c in enumerate(self.categories)}
        """Category id → its number in the search export (slots, related lists)."""
        self.markup = MarkupOptions(config.raw_html, config.iframe_hosts)
        self.cache = cache
        self.progress = progress
        self.started = started
        self.timer = _Timer()
        self.stamp = stamp
        self.previous = previous
        self.state = State()
        self.postings_file = config.cache_dir / "postings.bin"
        self.moved: frozenset[str] | None = None
        """See _moved_places: set once the articles are assembled."""
        self.kept_entries: frozenset[str] = frozenset()
        """See _kept_entries: set once the articles are assembled."""
        (config.cache_dir / "postings.npz").unlink(missing_ok=True)  # where earlier builds kept it
        self.previous_postings: Postings | None = handover.postings if handover is not None else None
        # Read in a thread (the file is 67 MB at 10,000 articles) while the articles are read.
        reading = previous.docs and self.previous_postings is None
        self._postings_read = InThread(partial(Postings.load, self.postings_file, previous.vocabulary, previous.postings_token)) if reading else None
        self.kept_items: tuple[Any, Mapping[str, str]] | None = handover.fragments if handover is not None else None
        """The kept listing items and their stamp, once known (see pages)."""
        self._shards: list[int] | InThread[dict[int, bytes]] | None = None
        """The search shards still to encode, or being encoded in a thread, when a build touched
        many (see search and pages)."""
        self._saving: InThread[None] | None = None
        """The postings being written, once they are final."""
        self.loaded: dict[str, records.Record] = {}
        """Record heads (records without their body) read or computed during this build, by rel."""
        self.bodies: dict[str, records.Body] = {}
        """Record bodies computed during this build or read for the pages being rendered."""
        self.indexing = Background()
        """The index written in the background on a large build."""

    # ------------------------------------------------------------------------------------------
    def run(self, fingerprint: str, found: content.ArticleFiles, probe: StatProbe | None = None) -> BuildReport:
        """``found``: the article files as the builder found them; ``probe``: checking the
        output folders (see OutputTree.open)."""
        self.fingerprint = fingerprint
        library, warnings, other_files = self.read_articles(found)
        self.library = library  # with the pipeline: whoever keeps it keeps the articles (see builder.build_site's left)
        self.moved = self._moved_places()
        self.kept_entries = self._kept_entries(library)
        output = self.output = OutputTree(self.config.output_dir, self.cache)
        output.open(self.previous.output_digest, probe)
        wait_for_index = self.search(library, output)
        state = self.state
        listing_pages, pages, rendered = self.pages(library, other_files, output)
        self._write_shards(output)
        self.files(other_files, output)
        self.timer.lap("pages")
        wait_for_index()
        self.timer.lap("index")
        state.output_digest = output.commit()
        replacing = None
        if self._saving is not None:
            self._saving.result()
            # In a thread, while the state is saved: replacing the file frees the last build's
            # postings (67 MB at 10,000 articles), which took 8 ms here.
            replacing = InThread(partial(os.replace, self.postings_file.with_name("postings.bin.new"), self.postings_file))
        # A copy: the postings' own list grows with the next build's words (in serve, the
        # same postings), while the state's must stay the one saved.
        state.vocabulary = list(self.postings.vocabulary)
        warnings += [p for p in self.cache.problems if p not in warnings]
        state.fingerprint = fingerprint
        state.schedule = content.schedule(state.metas, (self.previous.schedule, self.previous.metas) if self.previous.metas else None)
        state.visible = content.visible_files(state.schedule, self.options)
        state.warnings = [w for w in warnings if w.path != ".helpcenter"]
        state.counts = (len(library.entries), listing_pages, pages)
        self.cache.save_state(self.stamp, state)
        self.cache.prune_records(state.records.values())
        if replacing is not None:
            replacing.result()  # before the next build in this process forks, or reads them
        self.timer.lap("write")
        return BuildReport(
            articles=len(library.entries),
            listing_pages=listing_pages,
            pages=pages,
            output_dir=self.config.output_dir,
            seconds=time.perf_counter() - self.started,
            warnings=warnings,
            stage_seconds=dict(self.timer.seconds),
            rendered_pages=rendered,
            written_files=output.written,
        )

    def handover(self) -> Handover:
        """What this build, finished, hands to the next one in this process (see state.Session)."""
        return Handover(self.state, stamp_of(str(self.cache.state_file)), self.cache.saved(), self.postings, self.kept_items)

    # -- articles ------------------------------------------------------------------------------
    def read_articles(self, found: content.ArticleFiles) -> tuple[Library, list[Problem], frozenset[str]]:
        config, state, previous = self.config, self.state, self.previous
        problems = list(found.problems)
        options_key = records.options_key(self.categories, self.markup)
        # An unchanged file keeps its entry and its record key, the very objects the last build
        # left, when that build made its keys with the same options (all of them, or none).
        old_files, old_records = previous.files, previous.records
        same_options = records.key_options(next(iter(old_records.values()), "")) == options_key
        data: dict[str, bytes] = {}
        for rel in found.rels:
            file_stamp = found.stamps[rel]
            known = old_files.get(rel)
            if file_stamp is not None and known and known[0] == file_stamp:
                old_key = old_records.get(rel) if same_options else None
                if old_key is not None:
                    state.files[rel], state.records[rel] = known, old_key
                    continue
                digest = known[1]
            else:
                raw, problem = content.read_article(config.articles_dir, rel, file_stamp is not None)
                if problem:
                    problems.append(problem)
                    continue
                assert raw is not None
                data[rel] = raw
                digest = content_digest(raw)
            state.files[rel] = (file_stamp or NO_STAMP, digest)
            state.records[rel] = records.record_key(f"articles/{rel}", digest, options_key)
        self.timer.lap("load")

        wanted = {rel: key for rel, key in state.records.items() if previous.records.get(rel) != key}
        stored = self.cache.get_records(wanted.values()) if wanted else {}
        missing = [rel for rel, key in wanted.items() if key not in stored]
        # A few changed articles: the freed memory is reused by the next stage instead.
        self.timer.release = len(missing) >= PARALLEL_PAGES or not previous.docs
        computed = self._compute_records(missing, data)
        for rel, key in wanted.items():
            self.loaded[rel] = computed.get(rel) or stored[key]
        for rel in state.records:
            if rel in wanted:
                record = self.loaded[rel]
                meta, file_problems = record.meta, record.problems
            else:
                meta, file_problems = previous.metas.get(rel), previous.problems.get(rel, ())
            if meta is not None:
                state.metas[rel] = meta
            if file_problems:
                state.problems[rel] = file_problems
            problems += file_problems
        self.timer.lap("markdown")

        last = (previous.findings, previous.metas) if previous.findings is not None else None
        library, problems, state.findings = _assemble(state.metas, problems, config, self.options, found.others, last)
        self.timer.lap("assemble")
        return library, [p for p in problems if p.severity is Severity.WARNING], found.others

    def _compute_records(self, rels: Sequence[str], data: dict[str, bytes]) -> dict[str, records.Record]:
        """Record heads of these files, stored in the records database with their bodies.

        Workers (when there are many files) send back each record pickled as the database
        stores it; the parent stores the rows as they are and unpickles only the heads: it
        neither unpickles the bodies nor pickles anything again (a second of CPU on a
        10,000-article build), and holds no bodies (they are read back when pages render)."""
        make = partial(_make_records, self.config.articles_dir, data=data, key_of=self.state.records.__getitem__, categories=self.categories, markup=self.markup)

        def compute(batch: list[str]) -> list[tuple[str, tuple[str, bytes, bytes]]]:
            return [(rel, _row(self.state.records[rel], rec)) for rel, rec in make(batch)]

        heads: dict[str, records.Record] = {}
        batches = chunks(rels, 32)
        if len(batches) >= PARALLEL_RECORDS // 32:
            self._quiet()  # map_forked forks
        for batch in map_forked(compute, batches, minimum=PARALLEL_RECORDS // 32):
            self.cache.put_record_blobs([row for _, row in batch])
            for rel, (_, head, _) in batch:
                heads[rel] = blob_value(head)
            self.progress("markdown", len(heads), len(rels))
        return heads

    def record(self, rel: str) -> records.Record:
        """The head of an article's record: read, or recomputed if evicted or damaged."""
        self._fetch([rel], self.loaded, self.cache.get_records)
        if rel not in self.loaded:
            self.loaded[rel] = self._recompute(rel)
        return self.loaded[rel]

    def records_for(self, rels: list[str]) -> dict[str, records.Record]:
        self._fetch(rels, self.loaded, self.cache.get_records)  # in one query, not one per file
        return {rel: self.record(rel) for rel in rels}

    def body(self, rel: str) -> records.Body:
        """An article's body (HTML, headings): read, or recomputed if evicted or damaged."""
        self._fetch([rel], self.bodies, self.cache.get_bodies)
        if rel not in self.bodies:
            self._recompute(rel)
        return self.bodies[rel]

    def load_bodies(self, rels: list[str]) -> None:
        self._fetch(rels, self.bodies, self.cache.get_bodies)  # in one query, not one per page

    def _fetch(self, rels: list[str], held: dict[str, Any], get: Callable[[Iterable[str]], dict[str, Any]]) -> None:
        """Read into ``held`` the parts it lacks of these articles' records (damaged ones stay missing)."""
        missing = [r for r in rels if r not in held]
        if missing:
            found = get(self.state.records[r] for r in missing)
            for rel in missing:
                value = found.get(self.state.records[rel])
                if value is not None:
                    held[rel] = value

    def _recompute(self, rel: str) -> records.Record:
        [(_, record)] = _make_records(self.config.articles_dir, [rel], {}, self.state.records.__getitem__, self.categories, self.markup)
        self.cache.put_record_blobs([_row(self.state.records[rel], record)])
        self.bodies[rel] = records.body(record)
        return records.head(record)

    # -- search --------------------------------------------------------------------------------
    def _quiet(self) -> None:
        """Before forking: this process's threads finished (a child would inherit their locks, held)."""
        self._read_postings()
        if self._saving is not None:
            self._saving.result()

    def _read_postings(self) -> None:
        """Take the postings read in the background (before anything forks, or uses them)."""
        if self._postings_read is None:
            return
        self.previous_postings, self._postings_read = self._postings_read.result(), None
        if self.previous_postings is None:
            self.cache.problems.append(
                Problem(".helpcenter", None, "the cached search postings were unreadable; rebuilding them", Severity.WARNING)
            )
            self.previous.docs = {}  # everything search-related is rebuilt

    def search(self, library: Library, output: OutputTree) -> Callable[[], None]:
        self._read_postings()
        config, state, previous = self.config, self.state, self.previous
        categories, index_of = self.categories, self.category_index
        entries = library.by_slug
        state.span = span_for(len(entries))
        if self.moved == frozenset() and previous.span == state.span and previous.slots:
            state.slots = previous.slots  # every article in the same place: slots follow places
        else:
            articles = {s: index_of[e.category.id] for s, e in entries.items()}
            kept = update_slots(previous.slots, articles, state.span) if previous.span == state.span and previous.slots else None
            state.slots = kept if kept is not None else assign_slots(articles.items(), state.span)
        digests = self._doc_digests(library)
        full = previous.span != state.span or not previous.docs or self.previous_postings is None
        changed = [s for s in sorted(entries) if full or previous.docs.get(s, ("",))[0] != digests[s]]
        changed_set = set(changed)
        removed = [s for s in sorted(previous.docs) if s not in entries or (not full and s in changed_set)]
        loaded = self.records_for([entries[s].meta.rel for s in changed])
        analyses = {s: loaded[entries[s].meta.rel].analysis for s in changed}
        for slug in entries:
            if slug in analyses:
                lengths = analyses[slug].lengths  # type: ignore[union-attr]
                state.docs[slug] = (digests[slug], tuple(lengths.get(name, 0) for name in engine.TEXT_FIELDS))
            else:
                old = previous.docs[slug]  # kept as the very object when its digest is the same
                state.docs[slug] = old if old[0] == digests[slug] else (digests[slug], old[1])
        self.timer.lap("load")

        waiter = self._index(entries, digests)
        self.timer.lap("index")

        # postings and export
        self.postings_changed = full or bool(changed) or bool(removed)
        if full:
            postings = Postings.build([_doc_terms(state.slots[s], analyses[s]) for s in changed])
            touched_terms: set[str] | None = None
        else:
            postings = self.previous_postings
            remove = [(previous.slots[s], dict(zip(engine.TEXT_FIELDS, previous.docs[s][1]))) for s in removed]
            add = [_doc_terms(state.slots[s], analyses[s]) for s in changed]
            edited = [state.slots[s] for s in changed if s in previous.docs and previous.slots.get(s) == state.slots[s]]
            touched = postings.apply(remove, add, same_article=edited)
            touched_terms = {postings.vocabulary[t] for t in touched.tolist()}
        self.postings = postings
        self.touched_terms = touched_terms
        state.postings_token = os.urandom(8).hex() if self.postings_changed else previous.postings_token
        if self.postings_changed:
            # Written beside the live postings while the export, related lists and pages are
            # made (they only read them); put in their place once the site is. Started as soon
            # as they are final: the pages' worker is forked once it is written. The terms'
            # CRCs brought up to date first, here, not in two threads at once (``apply`` keeps
            # their dfs up to date).
            postings.term_crcs()
            self._saving = InThread(partial(postings.save, self.postings_file.with_name("postings.bin.new"), state.postings_token))
        state.shards = export.shard_count(postings.live_terms())
        every_shard = full or state.shards != previous.shards
        shard_ids = None if every_shard else {export.shard_of(t, state.shards) for t in touched_terms or ()}
        if shard_ids is not None and len(shard_ids) >= SHARDS_IN_THREAD:
            # An addition touches the long lists of every common word it has: 0.3 s, encoded
            # while pages are rendered (see pages).
            self._shards = sorted(shard_ids)
        else:
            self._write_shards(output, self._encode_shards(shard_ids))
        if not every_shard:
            unchanged_shards = {f"search/t/{s:x}.bin": s for s in range(state.shards) if s not in (shard_ids or ())}
            self._keep(output, unchanged_shards, lambda s: self._encode_shards({s})[s])
        output.write("search/meta.json", export.meta_file(postings, state.span, categories, state.shards))

        def keys_in(blocks: set[int] | None) -> dict[int, tuple[int, int]]:
            """slot → sort keys of the articles in these blocks (None: all)."""
            bits = export.KEYS_BLOCK_BITS
            return {state.slots[s]: sort_keys(e) for s, e in entries.items() if blocks is None or state.slots[s] >> bits in blocks}

        old_slots = {previous.slots[s] for s in removed if s in previous.slots}
        blocks = None if full else {slot >> export.KEYS_BLOCK_BITS for slot in old_slots | {state.slots[s] for s in changed}}
        live_blocks = {slot >> export.KEYS_BLOCK_BITS for slot in state.slots.values()}
        wanted = None if blocks is None else blocks & live_blocks
        for block, data in export.keys_blocks(keys_in(wanted), wanted).items():
            output.write(f"search/k/{block:x}.bin", data)
        if blocks is not None:
            self._keep(output, {f"search/k/{b:x}.bin": b for b in live_blocks - blocks}, lambda b: export.keys_blocks(keys_in({b}), {b})[b])
        for slug in changed:
            record = loaded[entries[slug].meta.rel]
            output.write(f"search/d/{state.slots[slug]:x}.bin", export.doc_file(display_values(entries[slug], config.locale), record.text))
        unchanged_docs = {f"search/d/{state.slots[s]:x}.bin": s for s in entries if s not in changed_set}
        self._keep(output, unchanged_docs, lambda s: export.doc_file(display_values(entries[s], config.locale), self.record(entries[s].meta.rel).text))
        self.timer.lap("export")
        if len(changed) >= PARALLEL_PAGES:
            self.loaded.clear()  # text and terms are written out
        self.full_search = full
        return waiter

    def _encode_shards(self, shard_ids: Iterable[int] | None) -> dict[int, bytes]:
        """These search shards (None: all) encoded from this build's postings."""
        return export.shard_files(self.postings, self.state.shards, shard_ids)

    def _write_shards(self, output: OutputTree, files: Mapping[int, bytes] | None = None) -> None:
        """Write the search shards: these, or those left to encode or being encoded (see search)."""
        if files is None:
            if self._shards is None:
                return
            files = self._encode_shards(self._shards) if isinstance(self._shards, list) else self._shards.result()
            self._shards = None
        for shard, data in files.items():
            output.write(f"search/t/{shard:x}.bin", data)

    def _moved_places(self) -> frozenset[str] | None:
        """Article paths whose place changed since the last build (added, removed, another slug
        or category); None if the settings changed, and nothing can be taken over."""
        previous, old, new = self.previous, self.previous.findings, self.state.findings
        if old is None or new is None or previous.fingerprint != self.fingerprint or old.settings != new.settings:
            return None
        return _moved_places(old.places, new.places)

    def _kept_entries(self, library: Library) -> frozenset[str]:
        """URLs of the articles read from the very same record as in the last build, in the
        same place, with the same settings: whatever was made from them alone can be taken over
        (their search slot may still differ after an addition or a deletion)."""
        moved = self.moved
        if moved is None:
            return frozenset()
        old_metas = self.previous.metas
        return frozenset(e.url for e in library.entries if e.meta is old_metas.get(e.meta.rel) and e.meta.path not in moved)

    def _doc_digests(self, library: Library) -> dict[str, str]:
        """slug → doc_digest; the last build's for the kept entries in the same search slot."""
        state, locale, kept, old_docs, old_slots = self.state, self.config.locale, self.kept_entries, self.previous.docs, self.previous.slots
        digests = {}
        for entry in library.entries:
            slug = entry.slug
            if entry.url in kept and slug in old_docs and state.slots[slug] == old_slots.get(slug):
                digests[slug] = old_docs[slug][0]
            else:
                digests[slug] = doc_digest(entry, state.slots[slug], locale)
        return digests

    def _index(self, entries: Mapping[str, Entry], digests: Mapping[str, str]) -> Callable[[], None]:
        """Bring the Whoosh index to ``digests``; returns what waits for it to be done."""
        config, state, previous = self.config, self.state, self.previous
        index = engine.SearchIndex(config.cache_dir / "index")

        def docs_for(ids: list[str]) -> list[engine.IndexDoc]:
            recs = self.records_for([entries[i].meta.rel for i in ids])
            return [
                index_doc(entries[i], state.slots[i], recs[entries[i].meta.rel].analysis, recs[entries[i].meta.rel].text, display_values(entries[i], config.locale), digests[i])  # type: ignore[arg-type]
                for i in ids
            ]

        def plan_and_apply() -> None:
            write, remove, fresh, problems = index.plan(digests)
            self.cache.problems.extend(problems)
            docs = docs_for(write)
            if len(docs) > 500:
                # A bulk load: a forked process writes the index while this one exports and renders.
                self.indexing = Background(partial(index.apply, docs, remove, fresh=fresh))
            else:
                index.apply(docs, remove, fresh=fresh)

        believed = {s: d for s, (d, _) in previous.docs.items()}
        quick = index.plan_believed(digests, previous.index_contents, believed) if believed else None
        if quick is None or len(quick[0]) > 500 or not index.apply_believed(docs_for(quick[0]), quick[1]):
            plan_and_apply()

        def wait() -> None:
            self.indexing.wait()
            state.index_contents = index.contents()

        return wait

    def _keep(self, output: OutputTree, sources: Mapping[str, T], make: Callable[[T], bytes]) -> None:
        """Carry these files over from the live site (output path → what the file is made
        from); make again, with ``make``, any the site does not have intact."""
        for path in output.keep_all(sources):
            output.write(path, make(sources[path]))

    # -- related -------------------------------------------------------------------------------
    def related(self, library: Library) -> Mapping[str, list[str]]:
        state, index_of = self.state, self.category_index
        articles = {state.slots[e.slug]: (e.slug, index_of[e.category.id]) for e in library.entries}
        # The last build's lists as read (update_related makes new ones): a build that keeps them
        # keeps the very objects, and the state writes them back as the bytes read.
        previous = RelatedState(self.previous.related_keys, self.previous.related_lists)
        if not self.postings_changed and len(previous.keys) == len(articles):
            related = previous  # same articles, same terms (a template or settings edit): same lists
        else:
            incremental = not self.full_search
            related = update_related(
                self.postings,
                articles,
                previous=previous if incremental else None,
                changed_terms=self.touched_terms if incremental else None,
            )
        state.related_keys, state.related_lists = related.keys, related.lists
        self.timer.lap("related")
        return _RelatedURLs(related.lists, library)

    # -- pages ---------------------------------------------------------------------------------
    def pages(self, library: Library, other_files: frozenset[str], output: OutputTree) -> tuple[int, int, int]:
        """Plan and render every page; the related lists are made here, after the listing pages
        are planned (those do not depend on them). Returns the counts of listing pages, of all
        pages and of pages rendered."""
        config, state = self.config, self.state
        urls = {e.meta.path: e.url for e in library.entries}
        env_key = templates_key(config)

        def inputs(entry: Entry) -> object:
            return entry.meta.key, content.link_targets(entry.meta, urls, other_files)

        def context(entry: Entry) -> dict[str, Any]:
            html, headings = self.body(entry.meta.rel)
            values = article_context(entry, content.article_html(html, urls, other_files), headings)
            values["json_ld"] = seo.json_ld(entry, config)
            return values

        items = Items(library, config)
        known = self.previous.item_keys
        state.item_keys = item_keys(library, config, items, known, self.kept_entries)
        keys = {url: key for url, (_, key) in state.item_keys.items()}
        # An item made from the same values (dates, views, URL among them) keeps its place.
        moved = [url for url, made in state.item_keys.items() if known.get(url) is not made]
        state.orders = orders(library, self.previous.orders, moved)
        tabs = tabs_for(library)
        # The same articles in the same places and orders, every item's key as it was (an edit
        # of an article's text, say): every listing page shows what it showed, and keeps its
        # key (hashing the 2,000 keys again took 16 ms).
        same = self.moved == frozenset() and state.orders == self.previous.orders and all(u in known and keys[u] == known[u][1] for u in moved)
        listings = list(plan_listings(library, config, items, keys, tabs, env_key, state.orders, self.previous.page_keys if same else None))
        listing_todo = self._todo(listings, output)
        others: list[PageSpec] = []

        # The articles linking to an added or removed one: as the assembly found them (8 ms at
        # 10,000 articles), else found before anything forks (after, each of the 10,000 metas
        # looked at is a page copied for this process: 19-21 ms, against 8 before).
        linking: Collection[str] = frozenset()
        if self.moved:
            assert state.findings is not None  # what self.moved is made from (see _moved_places)
            relinked_for, linking = state.findings.relinked
            if relinked_for != self.moved:
                linking = assembly.linking_into((e.meta for e in library.entries), self.moved)

        def plan_others() -> None:
            related = self.related(library)
            unchanged = self._unchanged_article_keys(library, moved, linking)
            others.extend(plan_other_pages(library, config, tabs, related, inputs, context, items, keys, env_key, unchanged))

        env = make_environment(config)
        store = fragments.FragmentStore(config.cache_dir, env_key)
        kept = store.load(self.kept_items) if len(listing_todo) >= fragments.LOAD_MIN_PAGES else None
        item_html = fragments.ItemFragments(env, keys, kept)
        by_url = library.by_url

        def renderer(todo: list[PageSpec], forked: bool) -> Callable[[Sequence[int]], _Rendered]:
            def render(batch: Sequence[int]) -> _Rendered:
                """Renders and writes pages (in a forked worker, or here: ``forked``, the articles'
                bodies are read batch by batch); returns what was written and the listing items
                made, for this process to adopt."""
                # Indexes, not specs, cross to the forked workers: specs hold closures.
                specs = [todo[i] for i in batch]
                if forked:
                    self.load_bodies([by_url[s.url].meta.rel for s in specs if s.template == "article.html"])
                for spec in specs:
                    try:
                        html = env.get_template(spec.template).render(spec.context(), root=root_for(spec.url, config.base_path), page_url=spec.url)
                    except Exception as exc:
                        problem = template_problem(exc, config)
                        if problem is None:
                            raise
                        raise ContentError([problem]) from None
                    output.write(spec.path, html.encode("utf-8"))
                if forked:
                    self.bodies.clear()
                return output.journal(spec.path for spec in specs), item_html.take_made()

            return render

        def shard_group(shard_ids: Sequence[int]) -> _Rendered:
            """Encodes and writes these search shards (a work item beside pages)."""
            files = self._encode_shards(shard_ids)
            self._write_shards(output, files)
            return output.journal(f"search/t/{s:x}.bin" for s in files), {}

        def take_shards() -> list[int]:
            """The search shards left to encode (see search), taken to be work items."""
            shards = self._shards if isinstance(self._shards, list) else []
            self._shards = None
            return shards

        def work(
            shards: list[int], render: Callable[[Sequence[int]], _Rendered], batches: Iterable[Sequence[int]]
        ) -> list[Callable[[], _Rendered]]:
            """Shards, 8 at a time (the temporary arrays of 32 were 29 MB of new memory, faulted in page
            by page), then batches of pages: what a forked worker and this process share."""
            return [partial(shard_group, ids) for ids in chunks(shards, 8)] + [partial(render, batch) for batch in batches]

        def adopt(results: Iterable[_Rendered], total: int) -> None:
            done = 0
            for written, made in results:
                output.adopt(written)  # what this process wrote itself is recorded already
                item_html.add(made)
                done += len(written)
                self.progress("pages", done, total)

        if len(listing_todo) >= PARALLEL_PAGES and not self.indexing.running():
            # An addition or a deletion: every listing page, and the search shards of every
            # common word, to make again (1,020 pages and 230 shards at 10,000 articles). A
            # forked worker starts on them while this process makes the related lists and plans
            # the other pages; then it takes its share, 25 pages at a time: with 100, this
            # process waited up to 17 ms for the worker's last batch, with 25 up to 3.
            shards = take_shards()
            jobs = work(shards, renderer(listing_todo, False), chunks(range(len(listing_todo)), 25))
            others_todo: list[PageSpec] = []

            def plan_others_and_their_todo() -> None:
                # Which of the other pages to render is a pass over every article page (16 ms at
                # 10,000 articles): in this process's share of the work, not after it.
                plan_others()
                others_todo.extend(self._todo(others, output))

            self._before_fork()
            self._quiet()  # map_forked forks
            adopt(map_forked(_run, jobs, minimum=PARALLEL_PAGES // 100, here=True, first=plan_others_and_their_todo), len(listing_todo) + len(shards))
            rendered_before, todo = len(listing_todo), others_todo
        else:
            plan_others()
            rendered_before, todo = 0, listing_todo + self._todo(others, output)
        many = len(todo) >= PARALLEL_PAGES
        # Many pages are shared by a forked worker and this process, with the search shards left
        # to encode. So are a few pages with many shards: an edit that moved its article's
        # length code touches the shards of all its words (280 at 10,000 articles, 0.16 s or
        # more in one process). With one core, or the index being written on the other, the few
        # pages render here and the shards in a thread (numpy and libdeflate release the GIL).
        forking = many or (
            isinstance(self._shards, list) and not self.indexing.running() and parallel.workers() > 1 and parallel.fork_available()
        )
        if many:
            self._before_fork()
        else:
            self.load_bodies([by_url[s.url].meta.rel for s in todo if s.template == "article.html"])
            if isinstance(self._shards, list) and not forking:
                self._shards = InThread(partial(self._encode_shards, self._shards))
        shards = take_shards() if forking else []
        render = renderer(todo, many)
        batches = chunks(list(range(len(todo))), 100)

        def rendered() -> Iterator[_Rendered]:
            # While the index is being written on the other core, pages render here: two busy
            # processes for two cores, and no third copy of the build's memory. Then here and
            # in a forked worker.
            while batches and self.indexing.running():
                yield render(batches.pop(0))
            if not forking:
                yield from map(render, batches)
                return
            self._quiet()  # map_forked forks
            yield from map_forked(_run, work(shards, render, batches), minimum=2, here=True)

        adopt(rendered(), len(todo) + len(shards))
        if kept is not None:
            held = item_html.everything()
            if item_html.worth_saving():
                store.save(held, set(keys.values()))
                held = store.load()  # the file, mapped, rather than every item in memory
            self.kept_items = (store.stamp, held)
        for rel, path in asset_files(config).items():
            output.write(f"assets/{rel}", path.read_bytes())
        specs = listings + others
        state.page_keys = {spec.path: spec.key for spec in specs}
        listing_urls = [s.url for s in listings]
        findings = state.findings
        aliased = [library.by_slug[findings.places[path][0]] for path in findings.aliased]
        extra: dict[str, bytes] = {"robots.txt": seo.robots(config), **seo.redirects(aliased, config), **seo.feeds(library, config, state.orders.newest)}
        if config.base_url:
            extra["sitemap.xml"] = seo.sitemap(library, config, listing_urls)
        for rel, data in sorted(extra.items()):
            output.write(rel, data)
        return len(listings), len(specs), rendered_before + len(todo)

    def _todo(self, specs: list[PageSpec], output: OutputTree) -> list[PageSpec]:
        """The pages to render of these: those whose key changed, or whose file the live site
        does not have intact (the others are kept from it)."""
        known = self.previous.page_keys
        lost = set(output.keep_all(spec.path for spec in specs if known.get(spec.path) == spec.key))
        return [spec for spec in specs if known.get(spec.path) != spec.key or spec.path in lost]

    def _before_fork(self) -> None:
        """Forked workers read the bodies they render from the records database themselves
        (each with its own connection): this process drops its copies first, so that the
        workers do not each end up copying them."""
        self.loaded.clear()
        self.bodies.clear()
        self.cache.close()

    def _unchanged_article_keys(self, library: Library, made_again: Collection[str], linking: Collection[str]) -> dict[str, str]:
        """URL → page key of the articles whose pages depend on nothing that changed: the same
        templates and settings, the same place and what its links resolve to (the places of
        the articles it links to, the files beside them), the same listing item (made from the
        article's record key: its whole file), the same related list and the same items in it.
        An item made again is a new object, so this asks whether each is the very one the last
        build left (``made_again``: the URLs of those that are not); an article page's key takes
        ten times as long to make, and an addition or deletion leaves nearly all of them.
        ``linking``: the paths of the articles that link to a moved one (assembly.linking_into)."""
        state, previous = self.state, self.previous
        moved = self.moved
        if moved is None or previous.findings.files != state.findings.files:
            return {}
        by_url = library.by_url
        new_items = {by_url[u].slug for u in made_again}
        lists, old_lists, old_keys = state.related_lists, previous.related_lists, previous.page_keys
        found = {}
        for entry in library.entries:
            if moved and (entry.meta.path in moved or entry.meta.path in linking):
                continue
            slug = entry.slug
            related = lists.get(slug)
            if related is not None and slug not in new_items and related == old_lists.get(slug) and new_items.isdisjoint(related):
                url = entry.url
                key = old_keys.get(url + "index.html")
                if key is not None:
                    found[url] = key
        return found

    def files(self, other_files: frozenset[str], output: OutputTree) -> None:
        """Files beside the articles (images, PDFs): read again only when their stat changed."""
        base = str(self.config.articles_dir) + os.sep
        unchanged: dict[str, Path] = {}
        for rel in sorted(other_files):
            stamp = self.state.other_files[rel] = stamp_of(base + rel)
            path = self.config.articles_dir / rel
            if stamp is None or stamp != self.previous.other_files.get(rel):
                output.write(f"files/{rel}", path.read_bytes())
            else:
                unchanged[f"files/{rel}"] = path
        self._keep(output, unchanged, Path.read_bytes)


def _moved_places(old: Mapping[str, tuple[str, str]], new: Mapping[str, tuple[str, str]]) -> frozenset[str]:
    """Article paths whose place (slug, category) differs, or that are in one build only."""
    if old is new:
        return frozenset()
    return frozenset(p for p in old.keys() | new.keys() if old.get(p) != new.get(p))


def _row(key: str, record: records.Record) -> tuple[str, bytes, bytes]:
    """The records database's row for a record: its head and its body apart (see cache.py)."""
    return key, cache_blob(records.head(record)), cache_blob(records.body(record))


def _doc_terms(slot: int, analysis: Any) -> DocTerms:
    return DocTerms(slot, analysis.terms, analysis.tf, analysis.lengths)


def prepare(config: SiteConfig, options: BuildOptions) -> tuple[Library, list[Problem], frozenset[str]]:
    """Read, validate and render every article without touching the cache or the output
    (for ``helpcenter check``); raises ContentError if anything is wrong."""
    rels, others, problems = content.find_files(config.articles_dir)
    categories = tuple(c.id for c in config.categories)
    markup = MarkupOptions(config.raw_html, config.iframe_hosts)
    compute = partial(_make_records, config.articles_dir, data={}, key_of=str, categories=categories, markup=markup)
    metas = {}
    for batch in map_forked(compute, chunks(rels, 32), minimum=PARALLEL_RECORDS // 32):
        for rel, record in batch:
            problems += record.problems
            if record.meta is not None:
                metas[rel] = record.meta
    library, problems, _ = _assemble(metas, problems, config, options, others)
    return library, problems, others


def _make_records(
    articles_dir: Path,
    rels: Sequence[str],
    data: Mapping[str, bytes],
    key_of: Callable[[str], str],
    categories: tuple[str, ...],
    markup: MarkupOptions,
) -> list[tuple[str, records.Record]]:
    """(rel, record) for these article files; bytes come from ``data`` when already read. A
    file that cannot be read gives a record holding only that problem."""
    out = []
    for rel in rels:
        raw = data.get(rel)
        if raw is None:
            raw, problem = content.read_article(articles_dir, rel)
            if problem:
                out.append((rel, records.Record(None, (problem,))))
                continue
        out.append((rel, records.make_record(rel, raw or b"", key_of(rel), categories, markup)))
    return out


def _assemble(
    metas: Mapping[str, ArticleMeta],
    problems: list[Problem],
    config: SiteConfig,
    options: BuildOptions,
    other_files: frozenset[str],
    last: assembly.Last | None = None,
) -> tuple[Library, list[Problem], assembly.Findings]:
    """The library from every article's meta (by file), with view counts, and the findings;
    ``other_files``: the files beside the articles. Raises ContentError listing every problem
    (``problems`` so far included) if any is an error."""
    library, more, findings = assembly.assemble(metas, config, options, other_files, last)
    problems = problems + more
    views, view_problems = content.load_views(config.root)
    library, unknown = content.apply_views(library, views, options.strict)
    problems += view_problems + unknown
    if options.strict:
        problems = [p.as_error() for p in problems]
    if any(p.is_error for p in problems):
        raise ContentError(problems)
    return library, problems, findings


