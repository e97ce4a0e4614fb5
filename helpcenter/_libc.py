"""C library functions the standard library does not offer (malloc_trim, mallopt, renameat2).

Looked up among the symbols already loaded into the process: ``ctypes.util.find_library`` runs
``ldconfig`` to find the library's file, and importing it took 8 ms of every build's start.
"""

from __future__ import annotations

import ctypes
from typing import Any


def function(name: str, *, use_errno: bool = False) -> Any | None:
    """The C library's ``name``, or None where there is none (another C library or system)."""
    try:
        return getattr(ctypes.CDLL(None, use_errno=use_errno), name)
    except (OSError, AttributeError, TypeError):
        return None
