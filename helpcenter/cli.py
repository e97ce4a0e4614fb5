"""The command line: one library call per subcommand; errors become exit codes.

Exit codes: 0 success, 1 content or configuration problems, 2 usage errors.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any, NoReturn

from . import __version__, detached
from .errors import ContentError, HelpcenterError, Problem, UsageError


def main(argv: list[str] | None = None, left: list[object] | None = None) -> int:
    """``left``: where a build puts what it leaves instead of freeing it (see builder.build_site)."""
    parser = _parser()
    args = parser.parse_args(argv)
    args.left = left
    if not getattr(args, "command", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.run(args))
    except ContentError as exc:
        _print_problems(exc.problems)
        errors = sum(p.is_error for p in exc.problems)
        print(f"Build failed: {errors} {'error' if errors == 1 else 'errors'}; nothing was written.", file=sys.stderr)
        return 1
    except UsageError as exc:
        print(f"helpcenter: {exc}", file=sys.stderr)
        return 2
    except HelpcenterError as exc:
        print(f"helpcenter: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Interrupted; the previous site is unchanged.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `helpcenter search ... | head`: the reader left; say nothing more.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def run(argv: list[str] | None = None) -> NoReturn:
    """The command's entry point: ``main``, then the process ends at once. A build leaves
    hundreds of megabytes of objects that the interpreter would otherwise free one by one on
    the way out (70 ms after an edit at 10,000 articles), and a build frees more when it
    returns (40 ms): it leaves them in ``left``. Everything is written and closed by then, and
    the output streams are flushed here. ``build`` runs in a forked child: the process the
    caller started ends with its status as soon as it has one (see detached)."""
    # numpy's BLAS starts a thread per core when imported, which spins waiting for matrix work
    # a build never gives it: 60 ms of the other core at each start (the core the output stat
    # probe and the forked workers use). The command owns its process; the library leaves
    # the setting to whoever imports it.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    left: list[object] = []
    if _command(argv) == "build" and detached.available():
        # Ended for the caller once the site is written, not once its memory is freed.
        detached.run_detached(lambda: main(argv, left))
    code = main(argv, left)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # the reader left (see main)
        pass
    os._exit(code)


def _command(argv: list[str] | None) -> str | None:
    """The subcommand named (the first word that is no option: the command has no global
    options taking a value)."""
    return next((word for word in (sys.argv[1:] if argv is None else argv) if not word.startswith("-")), None)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="helpcenter", description="Build and search a static help center.")
    parser.add_argument("--version", action="version", version=f"helpcenter {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = sub.add_parser("build", help="build the site into its output folder")
    build.add_argument("site_dir", nargs="?", default=".", type=Path, metavar="SITE_DIR", help="the site folder (default: .)")
    build.add_argument("-o", "--out", type=Path, metavar="DIR", help="output folder (default: SITE_DIR/site)")
    build.add_argument("--base-url", metavar="URL", help="where the site is published, e.g. https://example.com/help/")
    build.add_argument("--drafts", action="store_true", help="include articles marked draft: true")
    build.add_argument("--future", action="store_true", help="include articles published in the future")
    build.add_argument("--strict", action="store_true", help="treat warnings as errors")
    build.add_argument("--force", action="store_true", help="replace an output folder helpcenter did not write")
    build.add_argument("--report-json", type=Path, metavar="FILE", help=argparse.SUPPRESS)  # for benchmarks/run.py
    build.set_defaults(run=_build)

    check = sub.add_parser("check", help="validate config, articles, links and anchors without writing anything")
    check.add_argument("site_dir", nargs="?", default=".", type=Path, metavar="SITE_DIR", help="the site folder (default: .)")
    check.add_argument("--drafts", action="store_true", help="also check articles marked draft: true")
    check.add_argument("--future", action="store_true", help="also check articles published in the future")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.set_defaults(run=_check)

    serve = sub.add_parser("serve", help="build, serve and rebuild on changes, reloading open pages")
    serve.add_argument("site_dir", nargs="?", default=".", type=Path, metavar="SITE_DIR", help="the site folder (default: .)")
    serve.add_argument("-a", "--address", default="127.0.0.1:8000", metavar="HOST:PORT", help="where to listen (default 127.0.0.1:8000)")
    serve.add_argument("--drafts", action="store_true", help="include articles marked draft: true")
    serve.add_argument("--future", action="store_true", help="include articles published in the future")
    serve.set_defaults(run=_serve)

    new = sub.add_parser("new", help="write a new article with valid front matter and print its path")
    new.add_argument("title", metavar="TITLE")
    new.add_argument("--category", required=True, help="a category id, e.g. faq")
    new.add_argument("--site", dest="site_dir", default=".", type=Path, metavar="SITE_DIR", help="the site folder (default: .)")
    new.set_defaults(run=_new)

    search = sub.add_parser("search", help="search the built index, as the site's search page does")
    search.add_argument("query", metavar="QUERY")
    search.add_argument("--site", dest="site_dir", default=".", type=Path, metavar="SITE_DIR", help="the site folder (default: .)")
    search.add_argument("--tab", default="all", help="all (default) or a category id, e.g. faq")
    search.add_argument("--sort", default="relevance", choices=("relevance", "newest", "views"))
    search.add_argument("--limit", type=_positive, default=10, metavar="N", help="results to show (default 10)")
    search.add_argument("--json", action="store_true", help="print JSON (schema in README.md)")
    search.set_defaults(run=_search)
    return parser


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number ≥ 1, got {text!r}")
    return int(text)


def _build(args: argparse.Namespace) -> int:
    from .builder import build_site
    from .config import load_config
    from .content import BuildOptions

    config = load_config(args.site_dir, base_url=args.base_url, output_dir=args.out)
    options = BuildOptions(drafts=args.drafts, future=args.future, strict=args.strict)
    progress = _ProgressBar() if _interactive() else None
    try:
        report = build_site(config, options, force=args.force, progress=progress, left=args.left)
    finally:
        if progress:
            progress.clear()
    _print_problems(report.warnings)
    if args.report_json:
        values = {**asdict(report), "output_dir": str(report.output_dir), "warnings": [str(w) for w in report.warnings]}
        if detached.in_child():  # whoever times the command counts only the process it started
            values["detached_cpu_seconds"] = detached.cpu_seconds()
        args.report_json.write_text(json.dumps(values), "utf-8")
    listing = f"{report.listing_pages} listing {'page' if report.listing_pages == 1 else 'pages'}"
    articles = f"{report.articles} {'article' if report.articles == 1 else 'articles'}"
    print(f"Built {articles} and {listing} in {report.seconds:.1f} s → {_shown(report.output_dir)}/")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from .content import BuildOptions
    from .serve import serve_site

    host, _, port = args.address.rpartition(":")
    if not host or not port.isdigit():
        raise UsageError(f"--address: expected HOST:PORT like 127.0.0.1:8000, got {args.address!r}")
    serve_site(args.site_dir, BuildOptions(drafts=args.drafts, future=args.future), host.strip("[]"), int(port))
    return 0


def _new(args: argparse.Namespace) -> int:
    from .config import load_config
    from .scaffold import new_article

    path = new_article(load_config(args.site_dir), args.title, args.category)
    print(_shown(path))
    return 0


def _check(args: argparse.Namespace) -> int:
    from .checks import check_site
    from .config import load_config
    from .content import BuildOptions

    config = load_config(args.site_dir)
    report = check_site(config, BuildOptions(drafts=args.drafts, future=args.future, strict=args.strict))
    _print_problems(report.problems)
    warnings = len(report.problems) - report.errors
    print(f"Checked {report.articles} articles: {report.errors} errors, {warnings} warnings", file=sys.stderr if report.errors else sys.stdout)
    return 1 if report.errors else 0


def _search(args: argparse.Namespace) -> int:
    from .config import load_config
    from .search.engine import SearchIndex
    from .search.query import index_dir, run_search

    config = load_config(args.site_dir)
    categories = [c.id for c in config.categories]
    if args.tab != "all" and args.tab not in categories:
        raise UsageError(f"--tab: expected all or one of {', '.join(categories)}, got {args.tab!r}")
    folder = index_dir(config.cache_dir)
    if not (folder / "STAMP.json").is_file():
        raise HelpcenterError(f"no search index in {_shown(config.cache_dir)}: run 'helpcenter build' first")
    response = run_search(
        SearchIndex(folder),
        args.query,
        categories=categories,
        tab=None if args.tab == "all" else args.tab,
        sort=args.sort,
        limit=args.limit,
    )
    prefix = config.base_url or config.base_path
    if args.json:
        payload: dict[str, Any] = {
            "query": response.query,
            "terms": response.terms,
            "mode": response.mode,
            "notice": response.notice,
            "tab": args.tab,
            "sort": response.sort,
            "total": response.total,
            "counts": response.counts,
            "results": [dict(asdict(r), url=prefix + r.url) for r in response.results],
        }
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    _print_results(response, config, prefix)
    return 0


def _print_results(response: Any, config: Any, prefix: str) -> None:
    from .formatting import display_date, display_number
    from .front_matter import parse_date

    bold = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    labels = {"all": "All", **{c.id: c.label for c in config.categories}}
    if response.notice:
        print(response.notice)
    tabs = " · ".join(f"{labels[k]} {v}" for k, v in response.counts.items())
    noun = "result" if response.total == 1 else "results"
    print(f"{response.total} {noun} for “{response.query}”  ({tabs})")
    for r in response.results:
        published = display_date(parse_date(r.published)[0], config.locale)
        updated = display_date(parse_date(r.updated)[0], config.locale)
        print()
        print(_terminal(r.title, bold, strong=True))
        print("  " + _terminal(r.excerpt_html, bold))
        print(f"  Published on {published} · Updated on {updated} · {display_number(r.views, config.locale)} views")
        print(f"  {prefix}{r.url}")


def _terminal(html_text: str, bold: bool, strong: bool = False) -> str:
    import html
    import re

    on, off = ("\x1b[1m", "\x1b[0m") if bold else ("", "")
    if strong:
        return f"{on}{html_text}{off}"
    text = re.sub(r"<mark>(.*?)</mark>", lambda m: f"{on}{m.group(1)}{off}", html_text)
    return html.unescape(text)


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def _interactive() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")


class _ProgressBar:
    """A one-line progress bar on a terminal; nothing in CI logs."""

    def __init__(self) -> None:
        self._last = ""

    def __call__(self, stage: str, done: int, total: int) -> None:
        if total < 200 or (done % 50 and done != total):
            return
        width = 30
        filled = width * done // total
        line = f"\r{stage:<10} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
        if line != self._last:
            sys.stderr.write(line)
            sys.stderr.flush()
            self._last = line

    def clear(self) -> None:
        if self._last:
            sys.stderr.write("\r" + " " * len(self._last) + "\r")
            sys.stderr.flush()


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
