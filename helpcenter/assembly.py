"""Cross-article rules: visibility, unique slugs, links between articles, aliases.

``assemble`` turns every article's meta into the Library, with the problems the rules find. What
it concluded (``Findings``) is kept for the next build: when the articles changed since kept
their file, slug, category, publication, headings and aliases, the articles added take slugs
nobody has, those removed were published, and nothing else changed (the same files beside
them, settings and options), each article keeps its place, only the links of those changed
or added, and of those linking to an article added or removed, are checked again, and every
other conclusion stands. The result is the one a full pass gives (tests/test_assembly.py
compares them after random additions and removals, tests/test_incremental.py after random
edits), in a tenth of the time.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

from ._names import slug_problem
from .config import SiteConfig
from .content import RESERVED_SLUGS, BuildOptions, build_time, default_slug, is_published
from .front_matter import instant
from .errors import Problem, Severity
from .model import ARTICLE_SCHEME, FILE_SCHEME, ArticleMeta, Entry, Library


@dataclass(frozen=True)
class Findings:
    """What one assembly concluded, by article path (``articles/faq/x.md``)."""

    settings: str
    """The settings and options it was made with."""
    files: frozenset[str]
    """The files beside the articles that links were checked against."""
    published: frozenset[str]
    at: datetime
    """The instant ``published`` holds for (the build's time)."""
    next_publication: datetime | None
    """The earliest instant at which an article left out for its date comes out (drafts that
    the options leave out never do): until then, and from ``at`` on, ``published`` holds for
    the same articles."""
    places: dict[str, tuple[str, str]]
    """(slug, category id) of every article in the site."""
    left_out: dict[str, Problem]
    """Published articles left out, and why (their slug)."""
    link_problems: dict[str, tuple[Problem, ...]]
    alias_problems: tuple[Problem, ...]
    aliased: frozenset[str]
    """The articles in the site that give aliases: the only ones whose aliases can clash."""
    relinked: tuple[frozenset[str], frozenset[str]] = field(default=(frozenset(), frozenset()), compare=False)
    """When brought up to date (see _again): the articles added or removed, and those linking
    to one of them (see linking_into), which the pages stage needs too; else two empty sets.
    What the rules concluded does not depend on it, and a full pass does not look."""


Last = tuple[Findings, Mapping[str, ArticleMeta]]
"""The last assembly's findings and the metas (by file) it was made from."""


def assemble(
    metas: Mapping[str, ArticleMeta],
    config: SiteConfig,
    options: BuildOptions,
    article_files: frozenset[str] = frozenset(),
    last: Last | None = None,
) -> tuple[Library, list[Problem], Findings]:
    """The Library of the published articles (``metas``: by file), the problems, and the findings."""
    settings = repr((config, options.drafts, options.future, options.strict))
    found = _again(metas, config, options, article_files, settings, last) if last is not None else None
    if found is None:
        found = _anew(metas, config, options, article_files, settings)
    entries, findings = found
    problems = [findings.left_out[p] for p in sorted(findings.left_out)]
    problems += [p for path in sorted(findings.link_problems) for p in findings.link_problems[path]]
    problems += findings.alias_problems
    entries.sort(key=lambda e: e.url)
    return Library(tuple(entries), config.categories), problems, findings


def _anew(
    metas: Mapping[str, ArticleMeta], config: SiteConfig, options: BuildOptions, article_files: frozenset[str], settings: str
) -> tuple[list[Entry], Findings]:
    now = build_time(options)
    by_slug: dict[str, str] = {}
    entries: list[Entry] = []
    published: list[str] = []
    coming: list[datetime] = []
    left_out: dict[str, Problem] = {}
    for meta in sorted(metas.values(), key=lambda m: m.path):
        if not is_published(meta.front, options, now):
            if options.drafts or not meta.front.draft:
                coming.append(instant(meta.front.published))
            continue
        published.append(meta.path)
        slug, problem = _slug(meta, by_slug)
        if problem:
            left_out[meta.path] = Problem(meta.path, meta.front.line_of("slug"), problem)
            continue
        by_slug[slug] = meta.path
        category = config.category(meta.front.category)
        entries.append(Entry(meta, slug, f"{category.id}/{slug}/", category))

    targets = {e.meta.path: e for e in entries}
    severity = Severity.ERROR if options.strict else Severity.WARNING
    link_problems = {}
    for entry in entries:
        found = _link_problems(entry.meta, targets, article_files, severity)
        if found:
            link_problems[entry.meta.path] = tuple(found)
    aliased = frozenset(e.meta.path for e in entries if e.meta.front.aliases)
    findings = Findings(
        settings=settings,
        files=article_files,
        published=frozenset(published),
        at=now,
        next_publication=min(coming, default=None),
        places={e.meta.path: (e.slug, e.category.id) for e in entries},
        left_out=left_out,
        link_problems=link_problems,
        alias_problems=tuple(_alias_problems(entries, config, aliased)),
        aliased=aliased,
    )
    return entries, findings


def _slug(meta: ArticleMeta, taken: Mapping[str, str]) -> tuple[str, str | None]:
    """The article's slug, and what is wrong with it (``taken``: slug → the article path using it)."""
    slug = meta.front.slug or default_slug(meta.rel)
    problem = slug_problem(slug) if slug else None
    if not slug:
        problem = "slug: the file name gives no usable slug; add 'slug: some-words' to the front matter"
    elif problem:
        problem = f"slug: {problem}"
    elif slug in RESERVED_SLUGS:
        problem = f'slug: "{slug}" is reserved for listing pages; choose another'
    elif slug in taken:
        problem = f'slug: "{slug}" is already used by {taken[slug]}; slugs must be unique'
    return slug, problem


ADDED_MAX = 100
"""Articles added and removed beyond which a full pass is made (it costs about as much)."""


def _again(
    metas: Mapping[str, ArticleMeta],
    config: SiteConfig,
    options: BuildOptions,
    article_files: frozenset[str],
    settings: str,
    last: Last,
) -> tuple[list[Entry], Findings] | None:
    """The last findings brought up to date, if only articles' bodies, titles, dates and such
    changed, and articles were added (that take a slug nobody has) or removed (published ones);
    None if anything else the rules look across articles at did."""
    before, old_metas = last
    if before.settings != settings or before.files != article_files:
        return None
    if before.left_out or before.alias_problems:  # errors, so never kept by a build; but should they be
        return None
    added = sorted((metas[rel] for rel in metas.keys() - old_metas.keys()), key=lambda m: m.path)
    removed = [old_metas[rel] for rel in old_metas.keys() - metas.keys()]
    if len(added) + len(removed) > ADDED_MAX or any(m.path not in before.places for m in removed):
        return None  # many, or an unpublished one: the next publication may be another's
    changed = [m for rel, m in metas.items() if rel in old_metas and m is not old_metas[rel]]
    for meta in changed:
        old = old_metas[meta.rel]
        if meta.path != old.path or _place_inputs(meta) != _place_inputs(old) or meta.heading_ids != old.heading_ids:
            return None
    now = build_time(options)
    if now < before.at or (before.next_publication is not None and before.next_publication <= now):
        return None  # a scheduled article came out, say (the changed ones kept their dates and drafts)
    places, published, coming = before.places, before.published, before.next_publication
    moved: set[str] = set()
    if added or removed:
        places, published = dict(places), set(published)
        for meta in removed:
            del places[meta.path]
            published.discard(meta.path)
            moved.add(meta.path)
        taken = {slug: path for path, (slug, _) in places.items()} if added else {}
        for meta in added:
            if not is_published(meta.front, options, now):
                if options.drafts or not meta.front.draft:
                    start = instant(meta.front.published)
                    coming = start if coming is None else min(coming, start)
                continue
            slug, problem = _slug(meta, taken)
            if problem:
                return None  # and the full pass says which; a clash may leave out an older article
            taken[slug] = meta.path
            places[meta.path] = (slug, config.category(meta.front.category).id)
            published.add(meta.path)
            moved.add(meta.path)
        published = frozenset(published)
    categories = {c.id: c for c in config.categories}
    entries = []  # in any order: assemble sorts them by URL
    for path, (slug, category) in places.items():
        entries.append(Entry(metas[path[len("articles/") :]], slug, f"{category}/{slug}/", categories[category]))
    link_problems = {path: found for path, found in before.link_problems.items() if path in places}
    # Checked again: the changed articles, and those linking to an article added or removed.
    again = [m for m in changed if m.path in places] + [m for m in added if m.path in places]
    linking: set[str] = set()
    if moved:
        linking = linking_into(metas.values(), moved)
        again += [metas[path[len("articles/") :]] for path in sorted(linking) if path in places and path not in moved]
    if again:
        targets = {e.meta.path: e for e in entries}
        severity = Severity.ERROR if options.strict else Severity.WARNING
        for meta in again:
            found = _link_problems(meta, targets, article_files, severity)
            if found:
                link_problems[meta.path] = tuple(found)
            else:
                link_problems.pop(meta.path, None)
    aliased = before.aliased
    if moved:
        aliased = frozenset({path for path in aliased if path in places} | {m.path for m in added if m.path in places and m.front.aliases})
    aliases = tuple(_alias_problems(entries, config, aliased)) if moved else before.alias_problems
    findings = replace(
        before,
        settings=settings,
        files=article_files,
        published=published,
        at=now,
        next_publication=coming,
        places=places,
        link_problems=link_problems,
        alias_problems=aliases,
        aliased=aliased,
        relinked=(frozenset(moved), frozenset(linking)),
    )
    return entries, findings


def linking_into(metas: Iterable[ArticleMeta], paths: Collection[str]) -> set[str]:
    """The paths of the articles that link to one of these article paths (``articles/faq/x.md``).

    One pass over every link of every article: 9.6 ms at 10,000 articles, where asking each
    article in turn took 14 ms (an addition asks twice)."""
    wanted = {ARTICLE_SCHEME + path[len("articles/") :] for path in paths if path.startswith("articles/")}
    return {meta.path for meta in metas for placeholder, _ in meta.links if placeholder.partition("#")[0] in wanted}


def _place_inputs(meta: ArticleMeta) -> tuple[object, ...]:
    front = meta.front
    return (front.slug, front.category, front.draft, front.published, front.aliases)


def _link_problems(
    meta: ArticleMeta, targets: Mapping[str, Entry], article_files: frozenset[str], severity: Severity
) -> list[Problem]:
    problems: list[Problem] = []
    for placeholder, line in meta.links:
        target, _, anchor = placeholder.partition("#")
        if target.startswith(ARTICLE_SCHEME):
            rel = target[len(ARTICLE_SCHEME) :]
            entry = targets.get(f"articles/{rel}")
            if rel.startswith("../") or entry is None:
                problems.append(Problem(meta.path, line, f"link to a missing article: {rel}", severity))
            elif anchor and anchor not in entry.meta.heading_ids:
                problems.append(Problem(meta.path, line, f"link to a missing heading: {rel}#{anchor}", severity))
        else:
            rel = target[len(FILE_SCHEME) :]
            if rel.startswith("../") or rel not in article_files:
                problems.append(Problem(meta.path, line, f"link to a missing file: {rel}", severity))
    for href, line in meta.local_links:
        if href.startswith("#"):
            if href[1:] not in meta.heading_ids:
                problems.append(Problem(meta.path, line, f"link to a missing heading on this page: {href}", severity))
        else:
            problems.append(
                Problem(
                    meta.path,
                    line,
                    f"link {href} starts with '/', which breaks when the site is served under a sub-path; link to the article's .md file instead",
                    severity,
                )
            )
    return problems




def _alias_problems(entries: list[Entry], config: SiteConfig, aliased: Collection[str]) -> list[Problem]:
    """``aliased``: the paths of the entries that give aliases, kept in the findings (looking at
    every article's aliases took 7 ms at 10,000 articles, when an article was added or removed)."""
    problems: list[Problem] = []
    if not aliased:
        return problems
    # By path: of two articles giving one alias, the first by path keeps it, whatever the order given.
    with_aliases = sorted((e for e in entries if e.meta.path in aliased), key=lambda e: e.meta.path)
    taken = {e.url: e.meta.path for e in entries}
    reserved = {"", "search/", "assets/", "404.html", "popular/", "files/"}
    reserved |= {f"{c.id}/" for c in config.categories}
    claimed: dict[str, str] = {}
    for entry in with_aliases:
        for alias in entry.front.aliases:
            line = entry.front.line_of("aliases")
            top = alias.split("/")[0] + "/"
            if alias in taken:
                problems.append(Problem(entry.meta.path, line, f"aliases: /{alias} is the URL of {taken[alias]}"))
            elif alias in reserved or top in ("search/", "assets/", "files/") or alias.startswith("page/"):
                problems.append(Problem(entry.meta.path, line, f"aliases: /{alias} is one of the site's own pages"))
            elif alias in claimed:
                problems.append(Problem(entry.meta.path, line, f"aliases: /{alias} is already an alias of {claimed[alias]}"))
            else:
                claimed[alias] = entry.meta.path
    return problems
