"""check_site: everything a build validates, without writing anything (for pre-commit and CI)."""

from __future__ import annotations

from dataclasses import dataclass

from .pipeline import prepare
from .config import SiteConfig
from .content import BuildOptions, find_article_files
from .errors import ContentError, Problem


@dataclass(frozen=True)
class CheckReport:
    articles: int
    """Article files found (drafts and scheduled ones included)."""
    problems: list[Problem]

    @property
    def errors(self) -> int:
        return sum(p.is_error for p in self.problems)


def check_site(config: SiteConfig, options: BuildOptions = BuildOptions()) -> CheckReport:
    """Validate the config, every article, and every link and anchor between them."""
    files, _ = find_article_files(config.articles_dir)
    try:
        _, warnings, _ = prepare(config, options)
    except ContentError as exc:
        return CheckReport(len(files), exc.problems)
    return CheckReport(len(files), warnings)
