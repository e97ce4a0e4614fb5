"""Cross-site scripting, at the HTML level and through the command line.

A help center is built from articles whose title, summary, tags and body are known XSS payloads
(tests/xss_payloads.py), with the site title, description and a category label hostile too.
Every page is parsed with the stdlib HTML parser and audited: no script but the site's own, no
event handler attributes, no script-bearing URLs, no active elements (iframe, object, embed,
base, form, meta refresh, ...) but the site's own, and no payload markup verbatim. Titles must
still show the payload, as text. Aliases with payloads are refused by validation (those that
pass must not leak either), and ``helpcenter search PAYLOAD --json`` stays well-formed with an
escaped excerpt.

The browser side (execution, not just markup) is tests/browser/test_xss_browser.py.
"""

from __future__ import annotations

import base64
import html
import json
import os
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from sitetools import run_cli
from xss_payloads import (
    FAQ_LABEL,
    PAYLOADS,
    SITE_DESCRIPTION,
    SITE_TITLE,
    Payload,
    write_payload_site,
    yaml_text,
)

# --- a small DOM from html.parser ------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr", "keygen"}


@dataclass
class Node:
    tag: str
    attrs: list[tuple[str, str | None]]
    parent: Node | None = None
    children: list[Node | str] = field(default_factory=list)

    def get(self, name: str) -> str | None:
        for key, value in self.attrs:
            if key == name:
                return value if value is not None else ""
        return None

    @property
    def classes(self) -> list[str]:
        return (self.get("class") or "").split()

    def iter(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def ancestors(self) -> Iterator[Node]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def find_all(self, tag: str, **attrs: str) -> list[Node]:
        out = []
        for node in self.iter():
            if node.tag != tag:
                continue
            if all((c in node.classes) if k == "class_" else node.get(k) == c for k, c in attrs.items()):
                out.append(node)
        return out


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # attribute values and text entity-decoded
        self.root = Node("#document", [])
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, attrs, self.stack[-1])
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, attrs, self.stack[-1]))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)

    def handle_comment(self, data: str) -> None:
        self.stack[-1].children.append(Node("#comment", [("data", data)], self.stack[-1]))

    def handle_pi(self, data: str) -> None:
        self.stack[-1].children.append(Node("#pi", [("data", data)], self.stack[-1]))

    def unknown_decl(self, data: str) -> None:
        self.stack[-1].children.append(Node("#decl", [("data", data)], self.stack[-1]))


def parse(text: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


# --- the audit ---------------------------------------------------------------------------------

# What sanitized Markdown may contain: formatting, tables, code, images, links. Written out
# here on purpose rather than imported from helpcenter._sanitize: the audit is the reference
# the sanitizer is held to, so loosening its allow-list must make this test fail.
CONTENT_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd",
    "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s",
    "samp", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot",
    "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
}
# What the theme itself writes; each is checked against the site's own use below.
SITE_TAGS = {
    "html", "head", "meta", "title", "link", "body", "header", "main", "footer", "nav", "section",
    "article", "aside", "form", "label", "input", "button", "select", "option", "svg", "path",
    "script", "noscript", "iframe",
}
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "data", "xlink:href", "poster", "background", "srcset",
    "lowsrc", "dynsrc", "cite", "longdesc", "codebase", "classid", "archive", "ping", "manifest",
    "icon", "usemap", "profile", "content-url",
}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f-\x9f]+")
IFRAME_HOSTS = {"www.youtube-nocookie.com"}
IFRAME_ATTRIBUTES = {"src", "width", "height", "allowfullscreen", "loading", "referrerpolicy", "id", "class", "title", "lang", "dir"}


def bad_url(value: str) -> bool:
    """A URL a browser would run or render as a document (the parser already decoded entities;
    browsers drop tabs and newlines anywhere and spaces and controls at the ends)."""
    return _IGNORED_IN_URLS.sub("", value).lower().startswith(BAD_SCHEMES)


@dataclass(frozen=True)
class SiteFacts:
    article_urls: frozenset[str]
    """Site-relative article URLs, e.g. ``faq/x/`` (the only targets an alias redirect may have)."""


def page_url(rel: str) -> str:
    """The site-relative URL a file is served at (``faq/x/index.html`` → ``faq/x/``)."""
    return rel[: -len("index.html")] if rel.endswith("index.html") else rel


ORIGIN = "https://site.test/"


def resolves_to(rel: str, url: str | None, target: str) -> bool:
    """Whether ``url``, on the page written at ``rel``, leads to the site path ``target``
    (however the theme spells it: ``../../assets/site.css``, ``./``, ``/assets/site.css``)."""
    if url is None or urlsplit(url).scheme or urlsplit(url).netloc:
        return False
    return urljoin(ORIGIN + page_url(rel), url) == ORIGIN + target


def _redirect_ok(rel: str, content: str, facts: SiteFacts) -> bool:
    """A meta refresh is only acceptable as an alias redirect to one of the site's articles."""
    m = re.fullmatch(r"\s*\d+\s*[;,]\s*url\s*=\s*['\"]?([^'\"]*)['\"]?\s*", content, re.I)
    if not m:
        return False
    target = m.group(1)
    if bad_url(target) or urlsplit(target).scheme or urlsplit(target).netloc:
        return False
    resolved = urlsplit(urljoin(ORIGIN + page_url(rel), target)).path.lstrip("/")
    return resolved in facts.article_urls


def audit(rel: str, text: str, facts: SiteFacts) -> list[str]:
    """Everything in one page that could run script or hijack it; [] when the page is inert."""
    problems: list[str] = []
    doc = parse(text)
    is_search = rel == "search/index.html"

    def problem(node: Node, why: str) -> None:
        shown = " ".join(f'{k}="{v}"' if v is not None else k for k, v in node.attrs)
        problems.append(f"{rel}: <{node.tag}{' ' + shown if shown else ''}>: {why}")

    def in_site_form(node: Node) -> bool:
        return any(a.tag == "form" and site_form(a) for a in node.ancestors())

    def site_form(node: Node) -> bool:
        method = (node.get("method") or "").lower()
        if "header-search" in node.classes or ("hero-search" in node.classes and node.get("id") is None):
            return resolves_to(rel, node.get("action"), "search/") and method == "get"
        return is_search and node.get("id") == "search-form" and resolves_to(rel, node.get("action"), "search/") and method == "get"

    seen_scripts = []
    for node in doc.iter():
        if node.tag.startswith("#"):
            if node.tag == "#pi":
                problem(node, "processing instruction")
            continue
        # Attributes, on every element.
        for name, value in node.attrs:
            value = value or ""
            if name.startswith("on"):
                problem(node, f"event handler attribute {name}")
            if name in URL_ATTRIBUTES or name.endswith(("href", "src")):
                if bad_url(value):
                    problem(node, f"{name} is a script/data URL")
            if name == "srcdoc":
                problem(node, "srcdoc document")
            if name == "autofocus":
                problem(node, "autofocus")
            if name == "style" and re.search(r"url\s*\(|expression\s*\(|@import|behavior|binding", value, re.I):
                problem(node, "style that loads or runs something")
            if name == "http-equiv" and not (value.lower() == "refresh" and _redirect_ok(rel, node.get("content") or "", facts)):
                problem(node, f"http-equiv {value}")
            if name == "is":
                problem(node, "customized built-in element")
        tag = node.tag
        if tag not in CONTENT_TAGS and tag not in SITE_TAGS:
            problem(node, "element not allowed in a page")
            continue
        if tag == "script" and node.get("type") == "application/ld+json" and len(node.attrs) == 1:
            body = node.text()  # the article's structured data: JSON with no markup characters
            if "<" in body or ">" in body:
                problem(node, "structured data not escaped for </script>")
            try:
                json.loads(body)
            except ValueError:
                problem(node, "structured data is not JSON")
        elif tag == "script":
            seen_scripts.append(node)
            body = node.text()
            if not is_search:
                problem(node, "script outside the search page")
            elif node.get("type") == "module":
                if not resolves_to(rel, node.get("src"), "assets/search/search.js") or body.strip() or len(node.attrs) != 2:
                    problem(node, "not the site's search.js")
            elif node.get("type") == "application/json" and node.get("id") == "search-config":
                if "<" in body:
                    problem(node, "search config JSON not escaped for </script> and <!--")
                try:
                    config = json.loads(body)
                except ValueError:
                    problem(node, "search config is not JSON")
                else:
                    if set(config) != {"index", "root", "labels", "site", "lang"}:
                        problem(node, f"unexpected search config keys {sorted(config)}")
            else:
                problem(node, "script that is not the site's")
        elif tag == "form" and not site_form(node):
            problem(node, "form that is not the site's search form")
        elif tag == "input" and not (node.get("id") in ("header-q", "hero-q", "q") and node.get("type") == "search" and in_site_form(node)):
            problem(node, "input that is not the site's search box")
        elif tag == "button" and not (
            (node.get("type") == "submit" and in_site_form(node))
            or (is_search and node.get("id") == "search-more" and node.get("type") == "button")
        ):
            problem(node, "button that is not the site's")
        elif tag == "select" and not (is_search and node.get("id") == "sort"):
            problem(node, "select that is not the site's")
        elif tag == "option" and not any(a.tag == "select" and a.get("id") == "sort" for a in node.ancestors()):
            problem(node, "option outside the site's sort box")
        elif tag == "label" and not (in_site_form(node) or any(a.get("class") == "sort" for a in node.ancestors())):
            problem(node, "label outside the site's forms")
        elif tag == "noscript" and not (is_search and node.parent is not None and node.parent.tag == "main"):
            problem(node, "noscript that is not the search page's")
        elif tag == "meta":
            ok = set(node.attrs) <= {("charset", "utf-8")} or (
                node.get("name") in ("viewport", "description", "color-scheme", "robots") and {k for k, _ in node.attrs} == {"name", "content"}
            ) or (
                (node.get("property") or "").startswith("og:") and {k for k, _ in node.attrs} == {"property", "content"}
            ) or (node.get("http-equiv") or "").lower() == "refresh"
            if not ok:
                problem(node, "meta that is not the site's")
        elif tag == "link":
            rel_ = node.get("rel")
            href = node.get("href") or ""
            if not (
                (rel_ == "stylesheet" and resolves_to(rel, href, "assets/site.css"))
                or (rel_ == "icon" and resolves_to(rel, href, "assets/favicon.svg"))
                or (rel_ == "canonical" and urlsplit(href).scheme in ("http", "https"))
                or (rel_ == "alternate" and node.get("hreflang") and urlsplit(href).scheme in ("http", "https"))
                or (rel_ == "alternate" and node.get("type") == "application/atom+xml" and href.endswith("feed.xml"))
            ):
                problem(node, "link that is not the site's")
        elif tag == "svg":
            inner = [n.tag for n in node.iter()][1:]
            if node.get("aria-hidden") != "true" or any(t != "path" for t in inner):
                problem(node, "svg that is not one of the site's icons")
        elif tag == "path" and not any(a.tag == "svg" for a in node.ancestors()):
            problem(node, "path outside an svg")
        elif tag == "iframe":
            src = urlsplit(node.get("src") or "")
            if src.scheme != "https" or src.hostname not in IFRAME_HOSTS or src.username or {k for k, _ in node.attrs} - IFRAME_ATTRIBUTES:
                problem(node, "iframe that is not from an allowed host")
        elif tag in ("html", "head", "body", "title") and len(doc.find_all(tag)) != 1:
            problem(node, f"more than one <{tag}>")
    if is_search and [s.get("type") for s in seen_scripts] != ["application/json", "module"]:
        problems.append(f"{rel}: scripts are {[s.attrs for s in seen_scripts]}, expected the config and search.js")
    return problems


def verbatim(text: str, payloads: list[Payload]) -> list[str]:
    """Payloads with markup that appear as markup (unescaped) in a page's source."""
    return [f"payload {p} appears unescaped" for p in payloads if "<" in p.text and (p.text in text or p.line in text)]


# --- the payload site --------------------------------------------------------------------------


@dataclass(frozen=True)
class Built:
    root: Path
    site: Path
    pages: dict[str, str]
    facts: SiteFacts
    stderr: str


def build(root: Path, raw_html: str = "sanitize") -> Built:
    write_payload_site(root, raw_html)
    result = run_cli("build", str(root))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    site = root / "site"
    pages = {p.relative_to(site).as_posix(): p.read_text("utf-8") for p in sorted(site.rglob("*.html"))}
    slugs = {f"{p.slug}-{s}" for p in PAYLOADS for s in "ab"}
    articles = frozenset(page_url(r) for r in pages if r.count("/") == 2 and r.split("/")[1] in slugs)
    assert len(articles) == 2 * len(PAYLOADS)
    return Built(root, site, pages, SiteFacts(articles), result.stderr)


@pytest.fixture(scope="module")
def payload_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build(tmp_path_factory.mktemp("xss") / "hostile")


@pytest.fixture(scope="module")
def escaped_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The same articles with ``markdown.raw_html: escape`` (raw HTML shown as text)."""
    return build(tmp_path_factory.mktemp("xss") / "escaped", raw_html="escape")


def article_pages(built: Built, p: Payload) -> dict[str, str]:
    found = {rel: text for rel, text in built.pages.items() if re.fullmatch(rf"[a-z-]+/{re.escape(p.slug)}-[ab]/index\.html", rel)}
    assert len(found) == 2, sorted(found)
    return found


def test_the_payload_list_is_broad_and_each_payload_is_detectable() -> None:
    assert len(PAYLOADS) >= 30
    assert len({p.text for p in PAYLOADS}) == len(PAYLOADS)
    assert len({p.slug for p in PAYLOADS}) == len(PAYLOADS)
    for p in PAYLOADS:
        inside = p.text + " ".join(base64.b64decode(b).decode() for b in re.findall(r"base64,([A-Za-z0-9+/=]+)", p.text))
        if p.name != "template-injection":
            assert f"alert({p.n})" in inside or f"/xss-{p.n}" in inside or f"({p.n})" in inside, p
        assert f"alert({p.n + 1})" not in p.text and f"/xss-{p.n + 1}'" not in p.text, p
    names = " ".join(p.text.lower() for p in PAYLOADS)
    for needle in ("<script>", "onerror=", "<svg", "<iframe", "javascript:", "jAvAsCrIpT:".lower(), "java\tscript:", "&#106;avascript:",
                   "data:text/html", "\"><script>", "'-alert(", "</script><script>", "<math><mtext><table><mglyph><style>", "ontoggle",
                   "<body onload", "<object data", "<embed", "<form action=", "autofocus onfocus", "<base href", "http-equiv=\"refresh\"",
                   "{{7*7}}", "{%", "[click](javascript:", "![img](javascript:", "[click](<javascript:", "[ref-", "<javascript:"):
        assert needle.lower() in names, needle


IFRAME_PAYLOADS = [p for p in PAYLOADS if p.name in ("iframe-javascript", "iframe-srcdoc", "iframe-data", "iframe-host-confusion")]


def _article_problems(built: Built, p: Payload) -> list[str]:
    problems = []
    for rel, text in article_pages(built, p).items():
        problems += audit(rel, text, built.facts) + [f"{rel}: {v}" for v in verbatim(text, PAYLOADS)]
    return problems


@pytest.mark.parametrize("p", PAYLOADS, ids=str)
def test_article_pages_of_each_payload_are_inert(payload_site: Built, p: Payload) -> None:
    """raw_html: sanitize (the default), with iframe_hosts set."""
    assert _article_problems(payload_site, p) == []


@pytest.mark.parametrize("p", PAYLOADS, ids=str)
def test_article_pages_of_each_payload_are_inert_with_raw_html_escaped(escaped_site: Built, p: Payload) -> None:
    assert _article_problems(escaped_site, p) == []


@pytest.mark.parametrize("p", IFRAME_PAYLOADS, ids=str)
def test_iframes_not_from_an_allowed_host_are_removed(payload_site: Built, p: Payload) -> None:
    leftover = [rel for rel, text in article_pages(payload_site, p).items() for node in parse(text).iter() if node.tag == "iframe"]
    assert leftover == []


def test_every_other_page_is_inert(payload_site: Built, escaped_site: Built) -> None:
    """Listings (every tab, newest and popular), the search page, 404 and anything else written."""
    problems = []
    checked = 0
    for built in (payload_site, escaped_site):
        for rel, text in built.pages.items():
            if page_url(rel) in built.facts.article_urls:
                continue
            checked += 1
            problems += audit(rel, text, built.facts) + [f"{rel}: {v}" for v in verbatim(text, PAYLOADS)]
    assert checked >= 2 * 10
    assert problems == []


def test_the_audit_catches_what_it_must(payload_site: Built) -> None:
    """The checks above are only as good as the audit: feed it the payloads raw, in a page."""
    facts = payload_site.facts
    missed = []
    for p in PAYLOADS:
        if "<" not in p.text or p.name in ("template-literal", "js-string-breakout", "js-double-string-breakout"):
            continue
        page = f"<!DOCTYPE html><html><head><title>t</title></head><body><main>{p.text}</main></body></html>"
        if not audit("faq/x/index.html", page, facts):
            missed.append(str(p))
    # Payloads whose danger is a parser differential are flagged by an element the audit refuses
    # (math, style, noscript); the browser test checks the real parse.
    assert missed == []
    assert audit("faq/x/index.html", '<a href="  JaVa&#x0A;ScRiPt:alert(1)">x</a>', facts)
    assert audit("faq/x/index.html", '<meta http-equiv="refresh" content="0;url=https://evil.test/">', facts)
    assert not audit("old/x/index.html", '<html><head><title>t</title><meta http-equiv="refresh" content="0; url=../../faq/p01-script-a/"></head></html>', facts)


def test_the_audit_flags_a_site_built_with_raw_html_allowed(tmp_path: Path) -> None:
    """End to end: with ``markdown.raw_html: allow`` (trusted teams only) the payloads reach the
    pages, and the same audit must say so for nearly all of them."""
    built = build(tmp_path / "allowed", raw_html="allow")
    flagged = {p.name for p in PAYLOADS for rel, text in article_pages(built, p).items() if audit(rel, text, built.facts) + verbatim(text, [p])}
    assert {"script", "img-onerror", "svg-onload", "mxss-math-style", "details-ontoggle", "base-href", "meta-refresh", "md-link-javascript", "md-autolink", "md-attr-list-handler"} <= flagged
    assert len(flagged) >= 0.75 * len(PAYLOADS)


@pytest.mark.parametrize("p", PAYLOADS, ids=str)
def test_titles_summaries_and_tags_show_the_payload_as_text(payload_site: Built, p: Payload) -> None:
    pages = article_pages(payload_site, p)
    for rel, text in pages.items():
        doc = parse(text)
        (title,) = doc.find_all("title")
        assert title.text() == f"{p.line} · {SITE_TITLE}"
        (h1,) = doc.find_all("h1")
        assert h1.text() == p.line
        (crumb,) = doc.find_all("span", **{"aria-current": "page"})
        assert crumb.text() == p.line
        assert "49" not in h1.text() or "49" in p.line
        if rel.endswith("-a/index.html"):
            (description,) = doc.find_all("meta", name="description")
            assert description.get("content") == p.line
            tags = [a.text() for ul in doc.find_all("ul", class_="tags") for a in ul.find_all("a")]
            assert tags == [p.line, "xsscanary"]
    listing = parse(payload_site.pages["index.html"])
    shown = {}
    for li in listing.find_all("li", class_="result"):
        (a,) = li.find_all("a")
        summary = li.find_all("p", class_="result-summary")
        shown[a.get("href")] = (a.text(), summary[0].text() if summary else None)
    (a_href,) = [h for h in shown if h and h.endswith(f"/{p.slug}-a/")]
    (b_href,) = [h for h in shown if h and h.endswith(f"/{p.slug}-b/")]
    assert shown[a_href] == (p.line, p.line)
    assert shown[b_href][0] == p.line


def test_site_title_description_and_labels_are_text_everywhere(payload_site: Built) -> None:
    for rel, text in payload_site.pages.items():
        doc = parse(text)
        brand = [a for a in doc.find_all("a", class_="brand")]
        assert [b.text().strip() for b in brand] == [SITE_TITLE], rel
        assert doc.find_all("title")[0].text().endswith(SITE_TITLE), rel
    home = parse(payload_site.pages["index.html"])
    assert home.find_all("meta", name="description")[0].get("content") == SITE_DESCRIPTION
    tabs = [a.text() for nav in home.find_all("nav", class_="tabs") for a in nav.find_all("a")]
    assert any(t.startswith(FAQ_LABEL) for t in tabs)
    search = parse(payload_site.pages["search/index.html"])
    (config,) = search.find_all("script", id="search-config")
    data = json.loads(config.text())
    assert data["site"] == SITE_TITLE and data["labels"]["faq"] == FAQ_LABEL


def test_jinja_syntax_in_content_comes_out_literally(payload_site: Built) -> None:
    (p,) = [p for p in PAYLOADS if p.name == "template-injection"]
    for rel, text in article_pages(payload_site, p).items():
        doc = parse(text)
        assert doc.find_all("h1")[0].text() == p.line
        (body,) = doc.find_all("div", class_="article-body")
        content = " ".join(body.text().split())
        assert "{{7*7}}" in content and "{% if true %}JINJA-EVALUATED{% endif %}" in content and "{# c #}" in content, rel
        assert "49" not in content
    listing = payload_site.pages["index.html"]
    assert html.escape(p.line, quote=False) in listing or p.line in listing
    assert "{{7*7}}" in listing


# --- aliases (and other keys that become URLs) --------------------------------------------------


def _front(p: Payload, key: str, value: str) -> str:
    lines = ["---", "title: Alias test", "category: faq", "published: 2024-01-01", f"slug: s-{key}-{p.n}" if key != "slug" else "", f"{key}: {value}", "---", "Text.", ""]
    return "\n".join(line for line in lines if line)


def test_payloads_as_aliases_slugs_and_categories_are_refused_by_validation(tmp_path: Path) -> None:
    root = tmp_path / "refused"
    files = {}
    for p in PAYLOADS:
        files[f"articles/faq/alias-{p.n:02d}.md"] = _front(p, "aliases", f"[{yaml_text(p.text)}]")
        files[f"articles/faq/slug-{p.n:02d}.md"] = _front(p, "slug", yaml_text(p.text))
        files[f"articles/faq/category-{p.n:02d}.md"] = _front(p, "category", yaml_text(p.text)).replace("category: faq\n", "")
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, "utf-8")
    result = run_cli("build", str(root))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert not (root / "site").exists()
    lines = result.stderr.splitlines()
    missing = []
    for rel in files:
        key = {"alias": "aliases"}.get(rel.split("/")[-1].split("-")[0], rel.split("/")[-1].split("-")[0])
        if not any(line.startswith(f"{rel}:") and f": {key}: " in line for line in lines):
            missing.append(rel)
    assert missing == []


def test_aliases_that_pass_validation_never_appear_as_markup(tmp_path: Path) -> None:
    """'/' + payload is a path; those without spaces, '?', '#' or '\\' are valid aliases. They must
    build, and neither the alias pages (if any) nor any other page may carry them as markup."""
    candidates = {p: "/" + p.text for p in PAYLOADS}
    probe = tmp_path / "probe"
    for p, alias in candidates.items():
        path = probe / f"articles/faq/a{p.n:02d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_front(p, "aliases", f"[{yaml_text(alias)}]"), "utf-8")
    first = run_cli("build", str(probe))
    assert "Traceback" not in first.stderr
    refused = {int(m) for m in re.findall(r"^articles/faq/a(\d+)\.md:\d+: aliases: ", first.stderr, re.M)}
    accepted = [p for p in PAYLOADS if p.n not in refused]
    assert refused, "no payload alias was refused"
    for p in PAYLOADS:
        if p.n in refused:
            continue
        assert not re.search(r"[\s?#\\<>\"']", candidates[p].replace("\t", " ")), f"{p}: an alias with markup characters was accepted"
    if not accepted:
        return  # aliases allow only letters, digits, - . _ ~ / and %-escapes: every payload is refused

    root = tmp_path / "accepted"
    for p in accepted:
        path = root / f"articles/faq/a{p.n:02d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_front(p, "aliases", f"[{yaml_text(candidates[p])}]"), "utf-8")
    result = run_cli("build", str(root))
    assert result.returncode == 0, result.stderr
    site = root / "site"
    pages = {p.relative_to(site).as_posix(): p.read_text("utf-8") for p in site.rglob("*") if p.is_file() and p.suffix in ("", ".html", ".htm")}
    facts = SiteFacts(frozenset(f"faq/s-aliases-{p.n}/" for p in accepted))
    problems = []
    alias_payloads = [Payload(p.n, p.name, candidates[p]) for p in accepted]
    for rel, text in pages.items():
        problems += audit(rel, text, facts) + [f"{rel}: {v}" for v in verbatim(text, alias_payloads)]
    assert problems == []


# --- the command line: helpcenter search PAYLOAD --json ---------------------------------------------

_MARK = re.compile(r"</?mark>")


@pytest.fixture(scope="module")
def cli_answers(payload_site: Built) -> dict[str, tuple[int, str, str]]:
    """Every payload (and the config payloads) as a query, run in parallel: query → (code, out, err)."""
    queries = [p.text for p in PAYLOADS] + [SITE_TITLE, SITE_DESCRIPTION, FAQ_LABEL]

    def one(q: str) -> tuple[int, str, str]:
        r = run_cli("search", "--site", str(payload_site.root), "--json", "--limit", "300", "--", q)
        return r.returncode, r.stdout, r.stderr

    with ThreadPoolExecutor(max_workers=max(2, 2 * (os.cpu_count() or 1))) as pool:
        return dict(zip(queries, pool.map(one, queries)))


@pytest.mark.parametrize("p", PAYLOADS, ids=str)
def test_cli_search_json_with_a_payload_query_is_well_formed_and_escaped(payload_site: Built, cli_answers: dict[str, tuple[int, str, str]], p: Payload) -> None:
    code, out, err = cli_answers[p.text]
    assert code == 0, err
    assert "Traceback" not in err and err == ""
    data = json.loads(out)
    assert data["query"] == p.text
    titles = {}
    for hit in data["results"]:
        excerpt = hit["excerpt_html"]
        assert "<" not in _MARK.sub("", excerpt) and ">" not in _MARK.sub("", excerpt), excerpt
        assert not re.search(r"&(?!(?:amp|lt|gt|quot|#\d+|#x[0-9a-f]+);)", excerpt, re.I), excerpt
        assert excerpt.count("<mark>") == excerpt.count("</mark>")
        titles[hit["id"]] = hit["title"]
    # title is plain text (the schema's consumers escape it): the payload exactly as written,
    # neither evaluated (Jinja) nor mangled; a query for a payload finds its own articles.
    own = {k: v for k, v in titles.items() if k.startswith(p.slug + "-")}
    assert set(own.values()) <= {p.line}
    assert set(own) <= {f"{p.slug}-a", f"{p.slug}-b"}
    if data["mode"] != "none":
        assert own, "a payload query does not find the articles titled with it"


def test_cli_search_json_with_config_payload_queries(cli_answers: dict[str, tuple[int, str, str]]) -> None:
    for q in (SITE_TITLE, SITE_DESCRIPTION, FAQ_LABEL):
        code, out, err = cli_answers[q]
        assert code == 0 and err == "", err
        data = json.loads(out)
        for hit in data["results"]:
            assert "<" not in _MARK.sub("", hit["excerpt_html"])


def test_cli_search_canary_lists_every_payload_article_with_escaped_excerpts(payload_site: Built) -> None:
    result = run_cli("search", "xsscanary", "--site", str(payload_site.root), "--json", "--limit", "1000")
    assert result.returncode == 0 and result.stderr == ""
    data = json.loads(result.stdout)
    by_id = {h["id"]: h for h in data["results"]}
    assert data["total"] == len(by_id) >= len(PAYLOADS)
    # Every -a article has the canary before its payload. A -b article's body can be swallowed
    # whole by an unclosed <style> (the sanitizer drops its content): then only its title matches.
    assert {f"{p.slug}-a" for p in PAYLOADS} <= set(by_id)
    for hit_id, hit in by_id.items():
        (p,) = [p for p in PAYLOADS if hit_id.startswith(p.slug + "-")]
        assert hit["title"] == p.line
        assert "<" not in _MARK.sub("", hit["excerpt_html"]), hit
        assert "<mark>xsscanary</mark>" in hit["excerpt_html"]
    text = run_cli("search", "xsscanary", "--site", str(payload_site.root), "--limit", "1000")
    assert text.returncode == 0 and "Traceback" not in text.stderr
