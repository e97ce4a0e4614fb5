"""helpcenter: a static help-center site generator.

The public API is small on purpose; the CLI (`helpcenter.cli`) is a thin layer over it.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "build_site", "load_config"]


def __getattr__(name: str) -> object:
    # Imported lazily so `helpcenter --version` and `import helpcenter` stay cheap:
    # the build pulls in Markdown, Jinja, Babel and Whoosh.
    if name == "build_site":
        from .builder import build_site

        return build_site
    if name == "load_config":
        from .config import load_config

        return load_config
    raise AttributeError(name)
