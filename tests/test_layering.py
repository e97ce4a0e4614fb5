"""The pipeline's one-way dependencies, checked on the import statements (STYLE.md §3)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "helpcenter"

# module → the internal modules it may import. Lower layers never import upwards.
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "_names": set(),
    "_yaml": set(),
    "_sanitize": set(),
    "_markdown_speedups": set(),
    "_escape": set(),
    "model": set(),
    "formatting": set(),
    "lock": set(),
    "detached": {"_libc"},
    "cache": {"errors"},
    "state": {"errors", "model"},
    "_libc": set(),
    "parallel": {"_libc"},
    "records": {"__version__", "content", "errors", "markup", "model", "search.docs"},
    "config": {"_names", "_yaml", "errors", "model"},
    "front_matter": {"_names", "_yaml", "errors", "model"},
    "markup": {"model", "_sanitize", "_markdown_speedups"},
    "content": {"errors", "front_matter", "model", "state"},
    "assembly": {"_names", "config", "content", "errors", "front_matter", "model"},
    "search._stand_ins": set(),
    "search.engine": {"errors", "search._stand_ins"},
    "search.slots": set(),
    "search.compression": set(),
    "search.excerpt": set(),
    "search.postings": {"search.engine"},
    "search.export": {"search.compression", "search.engine", "search.postings"},
    "search.query": {"search.engine", "search.excerpt"},
    "search.related": {"search.engine", "search.postings"},
    "search.docs": {"formatting", "model", "search.engine"},
    "pages": {"config", "formatting", "front_matter", "model"},
    "templates": {"__version__", "config", "errors", "formatting"},
    "fragments": {"__version__", "cache", "pages"},
    "seo": {"config", "front_matter", "model", "pages"},
    "probe": {"cache", "content", "parallel"},
    "writer": {"_libc", "cache", "errors", "probe"},
}
TOP = {"builder", "pipeline", "checks", "serve", "scaffold", "cli", "__init__", "__main__"}  # may import anything below them


def internal_imports(path: Path) -> set[str]:
    module = path.relative_to(PACKAGE).with_suffix("").as_posix().replace("/", ".")
    package = module.rsplit(".", 1)[0] if "." in module else ""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.split(".") if package else []
            base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
            target = ".".join([*base, node.module] if node.module else base)
            names = [target] if node.module else [f"{target}.{a.name}".strip(".") for a in node.names]
            found.update(n for n in names if n)
    return found


def test_modules_import_only_downwards() -> None:
    violations = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = path.relative_to(PACKAGE).with_suffix("").as_posix().replace("/", ".")
        if module.split(".")[-1] in TOP or module.endswith("__init__"):
            continue
        assert module in ALLOWED, f"add {module} to the layering table"
        extra = {m for m in internal_imports(path) if m not in ALLOWED[module] and m != "search"} - {"", "__init__"}
        if extra:
            violations.append(f"{module} imports {sorted(extra)}")
    assert violations == []


def test_only_the_engine_imports_whoosh() -> None:
    importers = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else []
            if any(n == "whoosh" or n.startswith("whoosh.") for n in names):
                importers.append(path.relative_to(PACKAGE).as_posix())
    assert sorted(set(importers)) == ["search/engine.py"]


def test_whoosh_is_imported_without_three_modules_it_never_uses() -> None:
    """Importing Whoosh loads ``asyncio``, ``urllib.request`` and its English word variants for
    names a build never calls (40 ms of each build's imports): they are stand-ins while it is
    imported (search/_stand_ins.py). What Whoosh took from them still works, and later imports
    get the real modules."""
    code = """
import pathlib, sys, tempfile
import helpcenter.pipeline
print(sorted(m for m in ("asyncio", "urllib.request", "http.client", "email.parser", "whoosh.lang.morph_en") if m in sys.modules))
from whoosh.query.terms import variations  # what Whoosh took from the stand-in
import whoosh.lang.morph_en as real
print(real.variations.__module__, "render" in variations("rendering"), variations("rendering") == real.variations("rendering"))
import cached_property, whoosh.compat
class Lazy:
    @cached_property.cached_property
    def value(self):
        return 42
lazy = Lazy()
print(lazy.value, lazy.__dict__)
source = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
source.write_text("fetched")
target, _ = whoosh.compat.urlretrieve(source.as_uri(), str(source.with_name("b.txt")))
print(pathlib.Path(target).read_text())
import asyncio, urllib.request
print(asyncio.run.__module__, urllib.request.Request.__module__)
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines() == [
        "[]",
        "whoosh.lang.morph_en True True",
        "42 {'value': 42}",
        "fetched",
        "asyncio.runners urllib.request",
    ]
