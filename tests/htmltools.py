"""Small stdlib HTML helpers for tests: link extraction, a link checker, a golden normaliser."""

from __future__ import annotations

import html
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        for name in ("href", "src"):
            value = values.get(name)
            if value is not None and not (tag == "link" and values.get("rel") == "canonical"):
                self.links.append((tag, value))


def parse(text: str) -> _Collector:
    collector = _Collector()
    collector.feed(text)
    return collector


def broken_links(site: Path, base_path: str = "/") -> list[str]:
    """Every internal href/src of every page, resolved as a browser would with the site served
    under ``base_path``, must name a file in ``site`` (a folder means its index.html) and, with a
    #fragment, an element with that id."""
    origin = "https://site.test"
    ids: dict[str, set[str]] = {}
    problems: list[str] = []

    def ids_of(rel: str) -> set[str]:
        if rel not in ids:
            ids[rel] = parse((site / rel).read_text("utf-8")).ids
        return ids[rel]

    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        page = origin + base_path + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)
        for _, link in parse(path.read_text("utf-8")).links:
            if urlsplit(link).scheme and not link.startswith(origin):
                continue
            target = urlsplit(urljoin(page, link))
            if target.netloc != "site.test":
                continue
            target_path = unquote(target.path)
            if not target_path.startswith(base_path):
                problems.append(f"{rel}: {link} leaves the site ({target_path})")
                continue
            local = target_path[len(base_path) :]
            file = local + "index.html" if local.endswith("/") or not local else local
            if not (site / file).is_file():
                problems.append(f"{rel}: {link} → {target_path} is missing")
            elif target.fragment and file.endswith(".html") and target.fragment not in ids_of(file):
                problems.append(f"{rel}: {link} → no #{target.fragment} in {file}")
    return problems


class _Normaliser(HTMLParser):
    """Re-serialise HTML with sorted attributes and collapsed whitespace, one tag per line."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.depth = 0
        self.pre = 0

    def _emit(self, text: str) -> None:
        self.out.append("  " * self.depth + text)

    def handle_decl(self, decl: str) -> None:
        self._emit(f"<!{decl}>")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        rendered = "".join(f' {k}="{html.escape(v or "", quote=True)}"' if v is not None else f" {k}" for k, v in sorted(attrs))
        self._emit(f"<{tag}{rendered}>")
        if tag not in VOID:
            self.depth += 1
        if tag == "pre":
            self.pre += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        self.depth = max(0, self.depth - 1)
        if tag == "pre":
            self.pre -= 1
        self._emit(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        text = data if self.pre else " ".join(data.split())
        if text.strip():
            self._emit(html.escape(text, quote=False))


def normalise(text: str) -> str:
    n = _Normaliser()
    n.feed(text.replace("\r\n", "\n"))
    n.close()
    return "\n".join(n.out) + "\n"
