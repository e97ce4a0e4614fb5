"""What compiled templates call to output values (see templates._environment_class)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

try:
    from markupsafe import _escape_inner  # MarkupSafe 3: the escaping of a str, as a str
except ImportError:  # another MarkupSafe: its escape, as Jinja's own templates call it
    from markupsafe import escape as output_escape
else:

    def output_escape(value: Any) -> str:
        """markupsafe.escape's text, without making it a Markup: a template outputs the value
        into pieces joined as a plain str, and the Markup took two thirds of the call."""
        if type(value) is str:
            return _escape_inner(value)
        if hasattr(value, "__html__"):
            return value.__html__()
        return _escape_inner(str(value))


output_pieces = SimpleNamespace(extend="".join, append=str)
"""A run of text and values, as one piece: Jinja writes the run as ``buffer.extend((...))``
(or ``buffer.append(x)`` for one) where it collects output, so this stands for the buffer."""
