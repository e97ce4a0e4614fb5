"""build_site: the one place that runs every stage, in order.

config → content (load + validate) → markup → assemble → search (index, related, export) →
pages → output. Everything is read, validated and rendered before anything is written.
"""

from __future__ import annotations

import posixpath
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import content
from .config import SiteConfig
from .content import BuildOptions
from .errors import ContentError, Problem, Severity
from .lock import site_lock
from .markup import MarkupOptions, RenderError, render_markdown
from .model import Library, Rendered, Source
from .pages import plan_pages
from .search import engine
from .search.docs import analyse_article, search_docs
from .search.export import export_files
from .search.related import RelatedDoc, related_lists
from .templates import asset_files, make_environment, root_for
from .writer import Staging, check_output_dir

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class BuildReport:
    articles: int
    listing_pages: int
    pages: int
    output_dir: Path
    seconds: float
    warnings: list[Problem] = field(default_factory=list)
    stage_seconds: dict[str, float] = field(default_factory=dict)


def build_site(
    config: SiteConfig,
    options: BuildOptions = BuildOptions(),
    *,
    force: bool = False,
    progress: Progress | None = None,
) -> BuildReport:
    """Build the site into ``config.output_dir``. Raises ContentError listing every problem
    (the previous output is then untouched) or UsageError for an unusable output folder."""
    started = time.perf_counter()
    check_output_dir(config.output_dir, config.root, force=force)
    config.cache_dir.mkdir(parents=True, exist_ok=True)
    with site_lock(config.cache_dir):
        return _build(config, options, started, progress or (lambda stage, done, total: None))


def _build(config: SiteConfig, options: BuildOptions, started: float, progress: Progress) -> BuildReport:
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[stage] = timings.get(stage, 0.0) + now - clock
        clock = now

    library, problems, other_files = prepare(config, options, lap, progress)
    categories = [c.id for c in config.categories]
    analyses = {a.url: analyse_article(a) for a in library.articles}
    docs, span = search_docs(library.articles, analyses, categories, config.locale)
    index = engine.SearchIndex(config.cache_dir / "index")
    written, index_problems = index.sync([d.doc for d in docs])
    problems += index_problems
    lap("index")
    related = related_lists(related_docs([d.doc for d in docs], span))
    url_of = {a.slug: a.url for a in library.articles}
    related_urls = {url_of[k]: [url_of[r] for r in v] for k, v in related.items()}
    lap("related")
    search_files = export_files(docs, span, categories)
    lap("export")

    env = make_environment(config)
    staging = Staging(config.output_dir)
    staging.begin()
    try:
        listing_pages = pages = 0
        for spec in plan_pages(library, config, related_urls):
            template = env.get_template(spec.template)
            html = template.render(spec.context, root=root_for(spec.url, config.base_path), page_url=spec.url)
            staging.write(spec.path, html.encode("utf-8"))
            pages += 1
            listing_pages += spec.template == "listing.html"
        for rel, path in asset_files(config).items():
            staging.copy(f"assets/{rel}", path)
        for rel in sorted(other_files):
            staging.copy(f"files/{rel}", config.articles_dir / rel)
        for rel, data in sorted(search_files.items()):
            staging.write(f"search/{rel}", data)
        lap("pages")
        staging.commit()
    except BaseException:
        staging.abort()
        raise
    lap("write")
    return BuildReport(
        articles=len(library.articles),
        listing_pages=listing_pages,
        pages=pages,
        output_dir=config.output_dir,
        seconds=time.perf_counter() - started,
        warnings=[p for p in problems if p.severity is Severity.WARNING],
        stage_seconds=timings,
    )


def prepare(
    config: SiteConfig,
    options: BuildOptions,
    lap: Callable[[str], None] = lambda stage: None,
    progress: Progress | None = None,
) -> tuple[Library, list[Problem], frozenset[str]]:
    """Read, validate and render every article; raises ContentError if anything is wrong.

    Returns the library, the warnings, and the non-Markdown files under articles/.
    """
    sources, problems = load_sources(config)
    lap("load")
    rendered: dict[str, Rendered] = {}
    options_ = _markup_options(config)
    for number, source in enumerate(sources, start=1):
        try:
            rendered[source.path] = render_markdown(source.body, _source_dir(source), options_)
        except RenderError as exc:
            problems.append(Problem(source.path, source.body_line + exc.line - 1, exc.message))
        if progress:
            progress("markdown", number, len(sources))
    lap("markdown")
    sources = [s for s in sources if s.path in rendered]
    other_files = frozenset(content.iter_article_files_other(config.articles_dir))
    library, more = content.assemble(sources, rendered, config, options, other_files)
    problems += more
    if options.strict:
        problems = [p.as_error() for p in problems]
    if any(p.is_error for p in problems):
        raise ContentError(problems)
    lap("assemble")
    return library, problems, other_files


def related_docs(docs: list[engine.IndexDoc], span: int) -> list[RelatedDoc]:
    return [RelatedDoc(d.id, d.slot, d.slot // span, d.terms.get("title", {}), d.terms.get("body", {})) for d in docs]


def load_sources(config: SiteConfig) -> tuple[list[Source], list[Problem]]:
    """Read and validate every article file (front matter only; no Markdown yet)."""
    files, problems = content.find_article_files(config.articles_dir)
    categories = tuple(c.id for c in config.categories)
    sources: list[Source] = []
    for rel in files:
        data, problem = content.read_article(config.articles_dir, rel)
        if problem:
            problems.append(problem)
            continue
        assert data is not None
        source, more = content.parse_source(data, rel, categories)
        problems += more
        if source is not None:
            sources.append(source)
    return sources, problems


def _source_dir(source: Source) -> str:
    return posixpath.dirname(source.path[len("articles/") :])


def _markup_options(config: SiteConfig) -> MarkupOptions:
    return MarkupOptions(config.raw_html, config.iframe_hosts)
