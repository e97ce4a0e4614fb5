"""Rules for the names that become folders and URLs: slugs and alias paths."""

from __future__ import annotations

import re

SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_ALIAS_CHARS = re.compile(r"(?:[A-Za-z0-9._~/-]|%[0-9A-Fa-f]{2})+")


def slug_problem(slug: str) -> str | None:
    """Why a slug is unusable, or None. Slugs become folder names, so be strict."""
    if SLUG_RE.fullmatch(slug):
        return None
    shown = f'"{_one_line(slug)}"'
    if not slug:
        return "must not be empty"
    if "/" in slug or "\\" in slug or ".." in slug:
        return f"must be one URL segment (no '/', '\\' or '..'), got {shown}"
    if any(c.isspace() for c in slug):
        return f"must not contain spaces; use hyphens, got {shown}"
    if slug != slug.lower():
        return f"must be lower-case, got {shown}; try \"{slug.lower()}\""
    return f"use lower-case letters, digits and single hyphens only, got {shown}"


def alias_problem(alias: str) -> str | None:
    """Why an alias cannot become a redirect page inside the site, or None."""
    shown = f'"{_one_line(alias)}"'
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", alias) or alias.startswith("//"):
        return f"must be a path inside the site such as /old/page/, not a full URL, got {shown}"
    if not alias.startswith("/"):
        return f"must start with '/', got {shown}"
    if not _ALIAS_CHARS.fullmatch(alias):
        return f"must be a plain path of letters, digits and - . _ ~ / (or %-escapes), got {shown}"
    segments = [s for s in alias.split("/") if s]
    if not segments:
        return f"must not be the home page, got {shown}"
    if any(s in (".", "..") for s in segments):
        return f"must not contain '.' or '..' segments, got {shown}"
    return None


def normalise_alias(alias: str) -> str:
    """``/old/page`` and ``/old/page/`` are one alias: a folder with an index.html."""
    segments = [s for s in alias.split("/") if s]
    if segments[-1].endswith(".html"):
        return "/".join(segments)
    return "/".join(segments) + "/"


def _one_line(text: str) -> str:
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)[:80]
