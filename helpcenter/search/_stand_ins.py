"""Stand-ins for three modules that importing Whoosh loads and a build never uses.

``whoosh.compat`` imports ``urlretrieve`` from ``urllib.request`` (which loads ``http.client``
and ``email``), and ``cached_property``, which ``whoosh.reading`` imports, imports ``asyncio``
for ``iscoroutinefunction``: 35 ms of the 0.2 s an incremental build spends importing.
``whoosh.query`` imports ``variations`` from ``whoosh.lang.morph_en``, whose word tables take
5–7 ms to load, for queries that ask for word variants (ours never do). While Whoosh is
imported, those names are stand-ins that load the real module when first used; they are taken
out of ``sys.modules`` at once, so any later import gets the real one.
"""

from __future__ import annotations

import importlib
import inspect
import sys
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def stand_ins() -> Iterator[None]:
    """Import Whoosh inside this block."""
    added = []
    for module in (_asyncio(), _stand_in("urllib.request", "urlretrieve"), _stand_in("whoosh.lang.morph_en", "variations")):
        if module.__name__ not in sys.modules:
            sys.modules[module.__name__] = module
            added.append(module)
    try:
        yield
    finally:
        for module in added:
            if sys.modules.get(module.__name__) is module:
                del sys.modules[module.__name__]


def _stand_in(name: str, *forwarded: str) -> types.ModuleType:
    """A module that hands any other name to the real one (imported then, out of the block).
    ``forwarded``: functions Whoosh imports by name, each calling the real one when called."""
    module = types.ModuleType(name, f"A stand-in for {name} (see {__name__}).")
    for function in forwarded:
        setattr(module, function, _forwarding(name, function))

    def __getattr__(attribute: str) -> Any:
        real = importlib.import_module(name)
        if real is module:  # asked for inside the block: nothing to hand it to yet
            raise AttributeError(attribute)
        return getattr(real, attribute)

    module.__getattr__ = __getattr__  # type: ignore[method-assign]
    return module


def _asyncio() -> types.ModuleType:
    module = _stand_in("asyncio")
    # asyncio's own test since Python 3.11 (its legacy decorator's marker is gone).
    module.iscoroutinefunction = inspect.iscoroutinefunction  # type: ignore[attr-defined]
    return module


def _forwarding(module: str, function: str) -> Callable[..., Any]:
    def forward(*args: Any, **kwargs: Any) -> Any:
        real: Callable[..., Any] = getattr(importlib.import_module(module), function)
        return real(*args, **kwargs)

    forward.__name__ = function
    return forward
