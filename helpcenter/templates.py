"""The Jinja environment: a site's own templates/ first, then the built-in theme."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from .config import SiteConfig
from .errors import Problem
from .formatting import display_number


def theme_dir() -> Path:
    """The built-in theme: inside the installed package, or the repository's templates/."""
    here = Path(__file__).resolve().parent
    packaged = here / "theme"
    return packaged if packaged.is_dir() else here.parent / "templates"


def make_environment(config: SiteConfig) -> Any:
    """Templates resolve per file: ``templates/article.html`` in the site replaces the theme's,
    and may extend it as ``{% extends "theme/article.html" %}``."""
    import jinja2  # here, not at the top: a build with nothing to do never loads Jinja

    theme = str(theme_dir())
    loaders: list[jinja2.BaseLoader] = []
    if config.templates_dir.is_dir():
        loaders.append(jinja2.FileSystemLoader(str(config.templates_dir)))
    loaders.append(jinja2.PrefixLoader({"theme": jinja2.FileSystemLoader(theme)}))
    loaders.append(jinja2.FileSystemLoader(theme))
    options: dict[str, Any] = {
        "autoescape": True,
        "undefined": jinja2.StrictUndefined,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "keep_trailing_newline": True,
    }
    # Templates compiled once and kept (Jinja checks each against its source): compiling the
    # ones an article page uses took 20 ms of every build. Kept per Jinja version, options and
    # code generator, which the compiled code depends on and Jinja's own key leaves out.
    key = repr((jinja2.__version__, options, OUTPUT_ESCAPE, GENERATOR))
    compiled = config.cache_dir / "templates" / hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()
    compiled.mkdir(parents=True, exist_ok=True)
    env = _environment_class()(
        loader=jinja2.ChoiceLoader(loaders),
        auto_reload=False,
        cache_size=-1,  # a plain dict: the default LRU cache costs a lock per include
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(compiled)),
        **options,
    )
    env.globals["site"] = site_values(config)
    locale = config.locale
    env.filters["number"] = lambda value: display_number(value, locale)  # 10,000 in en_GB, 10.000 in de_DE
    return env


OUTPUT_ESCAPE = "from helpcenter._escape import output_escape as escape, output_pieces"
"""Imported by every compiled template after Jinja's runtime names (see _environment_class)."""
GENERATOR = 2
"""Changes with what _environment_class's generator writes (compiled templates are kept by it)."""


@lru_cache(maxsize=1)
def _environment_class() -> type:
    """Jinja's Environment, with two changes to the code its templates compile to, which renders
    the same text (tests/test_templates.py): they import ``_escape.output_escape`` as their
    ``escape``, the function called on each value they output; and they yield a run of text
    and values as one piece. (A listing page at 10,000 articles, rendered alternately in one
    process: 187 µs with Jinja's code, 149 with the first change, 128 with both.)"""
    import jinja2
    from jinja2.compiler import CodeGenerator

    class Generator(CodeGenerator):
        def writeline(self, x: str, node: Any = None, extra: int = 0) -> None:
            super().writeline(x, node, extra)
            if x.startswith("from jinja2.runtime import "):
                super().writeline(OUTPUT_ESCAPE)

        def visit_Output(self, node: Any, frame: Any) -> None:
            if frame.buffer is not None or frame.require_output_check or len(node.nodes) < 2:
                super().visit_Output(node, frame)
                return
            # One piece for the whole run, where Jinja yields each: every piece passes up
            # through each template the page extends and includes.
            self.writeline("yield (")
            frame.buffer = "output_pieces"  # .extend((...)) joins them, .append(x) is x
            try:
                super().visit_Output(node, frame)
            finally:
                frame.buffer = None
            self.write(")")

    return type("Environment", (jinja2.Environment,), {"code_generator_class": Generator})


def template_problem(exc: BaseException, config: SiteConfig) -> Problem | None:
    """What went wrong in a template, located in the template (a site's own, or the theme's),
    as the person who wrote it reads it; None if the error did not come from a template."""
    import traceback

    import jinja2

    where: tuple[str, int | None] | None = None
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        where = (exc.filename, exc.lineno)
        message = exc.message or str(exc)
    else:
        # Jinja rewrites tracebacks so that template code shows as frames of the template file.
        for frame, line in traceback.walk_tb(exc.__traceback__):
            if frame.f_code.co_filename.endswith(".html"):
                where = (frame.f_code.co_filename, line)
        if isinstance(exc, jinja2.TemplateNotFound):
            message = f"no template named {exc.name!r}"
        else:
            message = str(exc) if isinstance(exc, jinja2.TemplateError) else f"{type(exc).__name__}: {exc}"
    if where is None:
        return None
    path = Path(where[0])
    for base, shown in ((config.templates_dir, "templates"), (theme_dir(), "theme")):
        if path.is_relative_to(base):
            return Problem(f"{shown}/{path.relative_to(base).as_posix()}", where[1], f"template error: {message}")
    return Problem(path.as_posix(), where[1], f"template error: {message}")


def site_values(config: SiteConfig) -> dict[str, Any]:
    return {
        "title": config.title,
        "description": config.description,
        "base_url": config.base_url,
        "base_path": config.base_path,
        "lang": config.lang,
        "locale": config.locale,
        "categories": config.categories,
    }


def templates_key(config: SiteConfig) -> str:
    """Changes when any template or any site setting a template sees changes: every page is
    then rendered again."""
    from . import __version__

    h = hashlib.blake2b(digest_size=16)
    h.update(repr((__version__, site_values(config))).encode("utf-8"))
    for base in (theme_dir(), config.templates_dir):
        if base.is_dir():
            for path in sorted(base.rglob("*.html")):
                h.update(path.relative_to(base).as_posix().encode("utf-8") + b"\0" + path.read_bytes())
        h.update(b"\1")
    return h.hexdigest()


def root_for(url: str, base_path: str) -> str:
    """The relative way from a page to the site root: ``faq/x/`` → ``../../``.

    Relative links let the same files work under any sub-path (and from disk). The 404 page is
    served at arbitrary depths by hosts, so it alone uses the absolute base path.
    """
    if url == "404.html":
        return base_path
    return "../" * url.count("/") or "./"


def asset_files(config: SiteConfig) -> dict[str, Path]:
    """assets/ files to copy: the theme's, each replaceable by the site's templates/assets/."""
    found: dict[str, Path] = {}
    for base in (theme_dir() / "assets", config.templates_dir / "assets"):
        if base.is_dir():
            for path in sorted(base.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    found[path.relative_to(base).as_posix()] = path
    return found
