"""``helpcenter new``: a new article with valid front matter, a unique slug and today's date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import frontmatter

from .config import SiteConfig
from .content import RESERVED_SLUGS, default_slug, find_article_files
from .errors import UsageError


def new_article(config: SiteConfig, title: str, category: str, *, today: dt.date | None = None) -> Path:
    """Write ``articles/<category>/<slug>.md`` and return its path. The slug comes from the title
    and is made unique across the site (``-2``, ``-3`` …)."""
    title = " ".join(title.split())
    if not title:
        raise UsageError("the title must not be empty")
    ids = [c.id for c in config.categories]
    if category not in ids:
        raise UsageError(f"--category: expected one of {', '.join(ids)}, got {category!r}")
    base = default_slug(title + ".md")[:60].rstrip("-") or "article"
    files, _ = find_article_files(config.articles_dir)
    taken = {default_slug(Path(f).name) for f in files}
    slug, number = base, 1
    while slug in taken or slug in RESERVED_SLUGS:
        number += 1
        slug = f"{base}-{number}"
    path = config.articles_dir / category / f"{slug}.md"
    post = frontmatter.Post(
        "Write the answer here. The first paragraph becomes the summary in listings.\n\n## Steps\n\n1. First step.\n",
        title=title,
        category=category,
        published=today or dt.date.today(),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    # python-frontmatter writes keys in insertion order with yaml.safe_dump; titles are quoted
    # when YAML needs it, so the file always reads back as written.
    path.write_text(frontmatter.dumps(post, sort_keys=False) + "\n", "utf-8")
    return path
