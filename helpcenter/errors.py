"""Errors and problems, as people read them: file, line, field, what was expected, what was found."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, located as precisely as we can."""

    path: str
    """POSIX path relative to the site root (``articles/faq/reset-2fa.md``), or ``""`` for the site itself."""
    line: int | None
    """1-based line in that file, when there is one."""
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = self.path or "site"
        if self.line is not None:
            where = f"{where}:{self.line}"
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        return f"{where}: {prefix}{self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def as_error(self) -> Problem:
        return Problem(self.path, self.line, self.message, Severity.ERROR)


class HelpcenterError(Exception):
    """Base class of every error the library raises on purpose; the CLI turns it into exit code 1."""


class ContentError(HelpcenterError):
    """The site's content or configuration has problems; all of them are listed."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=_problem_key)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[type, tuple[list[Problem]]]:
        # Raised in forked workers too: it crosses back pickled, with its problems.
        return (type(self), (self.problems,))


class UsageError(HelpcenterError):
    """The command was asked for something that cannot be done (exit code 2 on the CLI)."""


def _problem_key(p: Problem) -> tuple[str, int, str]:
    return (p.path, p.line or 0, p.message)


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """Problems in the order people fix them: by path, then line."""
    return sorted(problems, key=_problem_key)
