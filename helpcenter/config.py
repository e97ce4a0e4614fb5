"""Site configuration: an optional ``helpcenter.yml`` at the site root, validated like articles."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from ._names import slug_problem
from ._yaml import Entry, Map, Scalar, Seq, YamlError, describe_node, load_yaml, shown
from .errors import ContentError, Problem
from .model import Category

CONFIG_NAME = "helpcenter.yml"
RAW_HTML_MODES = ("sanitize", "escape", "allow")
# URL segments the site itself uses at the top level or inside a tab.
RESERVED_IDS = frozenset({"assets", "search", "page", "popular", "404"})
DEFAULT_CATEGORIES = (
    Category("faq", "FAQ"),
    Category("announcements", "Announcements"),
    Category("product-documents", "Product documents"),
)


@dataclass(frozen=True)
class SiteConfig:
    root: Path
    """The site folder: holds articles/, optional templates/ and helpcenter.yml."""
    title: str = "Help Center"
    """Shown in the header and in every page's <title>."""
    description: str = "Answers, announcements and product documents."
    """The home page's meta description."""
    base_url: str | None = None
    """Where the site is published, e.g. ``https://example.com/help/`` (ends with '/').
    Needed for canonical URLs; pages link relatively, so the site works under any sub-path."""
    locale: str = "en_GB"
    """Babel locale for dates and numbers: en_GB gives ``28 Sept 2023`` and ``19,266``."""
    categories: tuple[Category, ...] = DEFAULT_CATEGORIES
    """The tabs after "All", in order."""
    page_size: int = 20
    """Articles per listing page."""
    most_viewed: int = 100
    """Articles each tab's "Most viewed" listing pages through: its top ones, not every article
    in order of views (the newest-first listing shows them all)."""
    output_dir: Path = field(default=Path("site"))
    """Where the site is written (relative paths are relative to root)."""
    raw_html: str = "sanitize"
    """Raw HTML in Markdown: sanitize (allow-list), escape (show as text) or allow (trusted teams only)."""
    iframe_hosts: tuple[str, ...] = ()
    """Hosts whose <iframe> embeds survive sanitizing, e.g. www.youtube-nocookie.com."""

    @property
    def articles_dir(self) -> Path:
        return self.root / "articles"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def cache_dir(self) -> Path:
        return self.root / ".helpcenter"

    @property
    def base_path(self) -> str:
        """The URL path the site lives under: ``/help/`` for ``https://example.com/help/``."""
        return urlsplit(self.base_url).path if self.base_url else "/"

    @property
    def lang(self) -> str:
        return self.locale.replace("_", "-")

    def category(self, category_id: str) -> Category:
        for category in self.categories:
            if category.id == category_id:
                return category
        raise KeyError(category_id)


def load_config(root: Path, *, base_url: str | None = None, output_dir: Path | None = None) -> SiteConfig:
    """Read ``root/helpcenter.yml`` if present; raise ContentError listing every problem.

    ``base_url`` and ``output_dir`` override the file (the CLI's --base-url and --out).
    """
    root = root.resolve()
    path = root / CONFIG_NAME
    config = SiteConfig(root=root, output_dir=root / "site")
    problems: list[Problem] = []
    if path.is_file():
        try:
            text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
        except UnicodeDecodeError as exc:
            raise ContentError([Problem(CONFIG_NAME, None, f"not valid UTF-8 (byte offset {exc.start})")]) from None
        config, problems = parse_config(text, root)
    if base_url is not None:
        url, problem = normalise_base_url(base_url)
        if problem:
            problems.append(Problem("", None, f"--base-url: {problem}"))
        config = replace(config, base_url=url)
    if output_dir is not None:
        config = replace(config, output_dir=(Path.cwd() / output_dir).resolve())
    if problems:
        raise ContentError(problems)
    return config


def parse_config(text: str, root: Path) -> tuple[SiteConfig, list[Problem]]:
    """Validate the text of helpcenter.yml; unknown keys are errors (a typo must not pass silently)."""
    p = _Problems()
    config = SiteConfig(root=root, output_dir=root / "site")
    try:
        loaded = load_yaml(text)
    except YamlError as exc:
        return config, [Problem(CONFIG_NAME, exc.line, exc.message)]
    for dup in loaded.duplicates:
        p.add(dup.line, dup.message())
    node = loaded.node
    if node is None:
        return config, p.items
    if not isinstance(node, Map):
        p.add(node.line, f"expected 'key: value' lines, got {describe_node(node)}")
        return config, p.items
    values: dict[str, object] = {}
    for entry in node.entries:
        check = _KEYS.get(entry.key)
        if check is None:
            hint = difflib.get_close_matches(entry.key, list(_KEYS), n=1, cutoff=0.6)
            p.add(entry.key_line, f"{shown(entry.key)}: unknown key" + (f"; did you mean '{hint[0]}'?" if hint else f"; known keys: {', '.join(_KEYS)}"))
            continue
        check(entry, p, values, root)
    return replace(config, **values), p.items  # type: ignore[arg-type]


class _Problems:
    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, line: int | None, message: str) -> None:
        self.items.append(Problem(CONFIG_NAME, line, message))


def _scalar_text(entry: Entry, p: _Problems, what: str) -> str | None:
    node = entry.value
    if not isinstance(node, Scalar) or (node.kind == "null" and not node.quoted):
        p.add(entry.key_line, f"{entry.key}: expected {what}, got {describe_node(node)}")
        return None
    return node.text.strip()


def _title(entry: Entry, p: _Problems, values: dict[str, object], root: Path) -> None:
    text = _scalar_text(entry, p, "text")
    if text is not None and not text:
        p.add(entry.key_line, f"{entry.key}: must not be empty")
    elif text:
        values[entry.key] = " ".join(text.split())


def _base_url(entry: Entry, p: _Problems, values: dict[str, object], root: Path) -> None:
    text = _scalar_text(entry, p, "a URL like https://example.com/help/")
    if text is None:
        return
    url, problem = normalise_base_url(text)
    if problem:
        p.add(entry.key_line, f"base_url: {problem}")
    else:
        values["base_url"] = url


def normalise_base_url(text: str) -> tuple[str | None, str | None]:
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None, f'expected an absolute http(s) URL like https://example.com/help/, got "{shown(text)}"'
    if parts.query or parts.fragment:
        return None, f'must not have a query or fragment, got "{shown(text)}"'
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"{parts.scheme}://{parts.netloc}{path}", None


def _locale(entry: Entry, p: _Problems, values: dict[str, object], root: Path) -> None:
    from babel import Locale, UnknownLocaleError

    text = _scalar_text(entry, p, "a locale like en_GB")
    if text is None:
        return
    try:
        Locale.parse(text.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        p.add(entry.key_line, f'locale: expected a locale Babel knows, like en_GB or en_US, got "{shown(text)}"')
        return
    values["locale"] = text.replace("-", "_")


def _whole_number(largest: int) -> Callable[[Entry, _Problems, dict[str, object], Path], None]:
    def read(entry: Entry, p: _Problems, values: dict[str, object], root: Path) -> None:
        node, name = entry.value, entry.key
        if isinstance(node, Scalar) and not node.quoted and node.text.isdigit() and 1 <= int(node.text) <= largest:
            values[name] = int(node.text)
        else:
            p.add(entry.key_line, f"{name}: expected a whole number from 1 to {largest}, got {describe_node(node)}")

    return read


def _output(entry: Entry, p: _Problems, values: dict[str, object], root: Path) -> None:
    text = _scalar_text(entry, p, "a folder path like site")
    if text is None:
        return
    if not text:
        p.add(entry.key_line, "output: must not be empty")
        return
    values["output_dir"] = (root / text).resolve()


def _categories(entry: Entry, p: _Problems, values: dict[str, object], root: Path) -> None:
    node = entry.value
    if not isinstance(node, Seq) or not node.items:
        p.add(entry.key_line, f"categories: expected a list of {{id, label}} entries, got {describe_node(node)}")
        return
    found: list[tuple[int, int, Category]] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(node.items):
        if not isinstance(item, Map):
            p.add(item.line, f"categories: each entry needs id and label, got {describe_node(item)}")
            continue
        fields: dict[str, str] = {}
        order = index
        for sub in item.entries:
            if sub.key in ("id", "label"):
                text = _scalar_text(sub, p, "text")
                if text:
                    fields[sub.key] = text
                elif text is not None:
                    p.add(sub.key_line, f"categories: {sub.key} must not be empty")
            elif sub.key == "order":
                v = sub.value
                if isinstance(v, Scalar) and not v.quoted and v.text.lstrip("-").isdigit():
                    order = int(v.text)
                else:
                    p.add(sub.key_line, f"categories: order: expected a whole number, got {describe_node(v)}")
            else:
                p.add(sub.key_line, f"categories: {sub.key}: unknown key; an entry has id, label and order")
        cid = fields.get("id")
        if cid is None:
            p.add(item.line, "categories: an entry is missing its id")
            continue
        problem = slug_problem(cid)
        if problem:
            p.add(item.line, f"categories: id {problem}")
            continue
        if cid in RESERVED_IDS:
            p.add(item.line, f'categories: id "{cid}" is reserved for the site\'s own pages')
            continue
        if cid in seen:
            p.add(item.line, f'categories: duplicate id "{cid}" (first on line {seen[cid]})')
            continue
        seen[cid] = item.line
        found.append((order, index, Category(cid, fields.get("label", cid))))
    values["categories"] = tuple(c for _, _, c in sorted(found, key=lambda t: (t[0], t[1])))


def _markdown(entry: Entry, p: _Problems, values: dict[str, object], root: Path) -> None:
    node = entry.value
    if not isinstance(node, Map):
        p.add(entry.key_line, f"markdown: expected raw_html and iframe_hosts settings, got {describe_node(node)}")
        return
    for sub in node.entries:
        if sub.key == "raw_html":
            text = _scalar_text(sub, p, "sanitize, escape or allow")
            if text is not None and text not in RAW_HTML_MODES:
                p.add(sub.key_line, f'markdown: raw_html: expected sanitize, escape or allow, got "{shown(text)}"')
            elif text is not None:
                values["raw_html"] = text
        elif sub.key == "iframe_hosts":
            v = sub.value
            if isinstance(v, Seq) and all(isinstance(i, Scalar) and i.text.strip() for i in v.items):
                values["iframe_hosts"] = tuple(i.text.strip().lower() for i in v.items if isinstance(i, Scalar))
            else:
                p.add(sub.key_line, f"markdown: iframe_hosts: expected a list of host names, got {describe_node(v)}")
        else:
            p.add(sub.key_line, f"markdown: {sub.key}: unknown key; known: raw_html, iframe_hosts")


_KEYS = {
    "title": _title,
    "description": _title,
    "base_url": _base_url,
    "locale": _locale,
    "categories": _categories,
    "page_size": _whole_number(1000),
    "most_viewed": _whole_number(1_000_000),
    "output": _output,
    "markdown": _markdown,
}
