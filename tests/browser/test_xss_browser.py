"""Cross-site scripting in Chromium: the payload help center (tests/xss_payloads.py), served.

Every payload, if it ran, would open a dialog (alert) and/or request its beacon URL
(http://127.0.0.1:9/xss-<n>). One browser context and page (shared by the tests of this module)
visits every article page, every listing page, the 404 page, the search page with every payload
as ?q= (and some typed into the boxes), and a search that lists every payload article (titles
and excerpts rendered by search.js). No dialog may open, no beacon may be requested, no page
error or script-injection console error may occur, and the live DOM (as Chromium parsed it:
this is where mutation XSS would show) may hold no script but the site's, no event handler
attribute and no script/data URL.
"""

from __future__ import annotations

import importlib.util
import re
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote_plus

import pytest
from sitetools import run_cli
from xss_payloads import FAQ_LABEL, PAYLOADS, SITE_DESCRIPTION, SITE_TITLE, is_beacon, write_payload_site

pytestmark = pytest.mark.browser


def _browser_conftest():  # type: ignore[no-untyped-def]
    """tests/browser/conftest.py by path ("import conftest" may find tests/conftest.py)."""
    spec = importlib.util.spec_from_file_location("_xss_browser_conftest", Path(__file__).with_name("conftest.py"))
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


StaticServer = _browser_conftest().StaticServer

# Runs in each page after load: what in the live DOM could run script or hijack the page.
AUDIT_JS = r"""
() => {
  const bad = [];
  const urlAttrs = new Set(['href', 'src', 'action', 'formaction', 'data', 'xlink:href', 'poster',
    'background', 'srcset', 'lowsrc', 'dynsrc', 'cite', 'longdesc', 'codebase', 'ping', 'manifest', 'icon']);
  const say = (el, why) => bad.push(`<${el.localName}${[...el.attributes].map(a => ` ${a.name}="${a.value}"`).join('')}>: ${why}`);
  const isSearch = location.pathname.endsWith('/search/');
  const page = location.href.split('#')[0];
  if (document.baseURI.split('#')[0] !== page) bad.push(`base URI changed to ${document.baseURI}`);
  // An article's structured data is JSON, never run; anything else must be the search page's own.
  const scripts = [...document.scripts].filter((s) => {
    if (s.type !== 'application/ld+json') return true;
    try { JSON.parse(s.text); } catch { say(s, 'structured data that is not JSON'); }
    if (/[<>]/.test(s.text)) say(s, 'structured data not escaped');
    return false;
  });
  for (const s of scripts) {
    const own = isSearch && ((s.type === 'module' && new URL(s.src).pathname.endsWith('/assets/search/search.js') && !s.text.trim())
      || (s.type === 'application/json' && s.id === 'search-config'));
    if (!own) say(s, 'script that is not the site\'s');
  }
  if (isSearch && scripts.length !== 2) bad.push(`${scripts.length} scripts on the search page`);
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      if (name.startsWith('on')) say(el, `event handler ${name}`);
      if (name === 'srcdoc') say(el, 'srcdoc');
      if (name === 'autofocus') say(el, 'autofocus');
      if (urlAttrs.has(name) || name.endsWith('href')) {
        let protocol = '';
        try { protocol = new URL(a.value, document.baseURI).protocol; } catch (e) { protocol = ''; }
        if (['javascript:', 'vbscript:', 'data:'].includes(protocol)) say(el, `${name} is a ${protocol} URL`);
      }
    }
    const tag = el.localName;
    if (['object', 'embed', 'base', 'applet', 'frame', 'frameset', 'math', 'style', 'template', 'portal'].includes(tag)) say(el, 'active element');
    if (tag === 'meta' && el.hasAttribute('http-equiv')) say(el, 'meta http-equiv');
    if (tag === 'link' && !['stylesheet', 'icon', 'canonical'].includes(el.rel)) say(el, 'link');
    if (tag === 'form' && !(el.classList.contains('header-search') || el.classList.contains('hero-search'))) say(el, 'form that is not the site\'s');
    if (tag === 'iframe') {
      const src = el.getAttribute('src');
      if (src !== null && new URL(src, document.baseURI).hostname !== 'www.youtube-nocookie.com') say(el, 'iframe from another host');
      // A src-less iframe is about:blank: inert, but must stay empty.
      if (src === null && el.contentDocument && el.contentDocument.body && el.contentDocument.body.innerHTML !== '') say(el, 'iframe with content');
    }
    if (el.namespaceURI === 'http://www.w3.org/2000/svg' && tag !== 'svg' && tag !== 'path') say(el, 'svg content that is not an icon');
  }
  const h1 = document.querySelector('h1');
  const status = document.getElementById('search-status');
  return { bad, h1: h1 ? h1.textContent : null, title: document.title, status: status ? status.textContent : null };
}
"""

CONSOLE_INJECTION = re.compile(r"Content.Security.Policy|Refused to (execute|load|run|evaluate|frame)|Uncaught|SyntaxError|ReferenceError|TypeError", re.I)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_payload_site(tmp_path_factory.mktemp("xss-browser") / "hostile")
    result = run_cli("build", str(root))
    assert result.returncode == 0, result.stderr
    return root / "site"


@pytest.fixture(scope="module")
def hostile_server(hostile_site: Path) -> Iterator[StaticServer]:
    s = StaticServer(hostile_site, "/")
    yield s
    s.close()


class Watch:
    """One browser context and page for every visit, recording everything that would betray an
    execution: dialogs, beacon requests, pop-ups, page errors, console errors."""

    def __init__(self, browser, server: StaticServer):  # type: ignore[no-untyped-def]
        self.server = server
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.label = ""
        self.reset()
        self.context.on("request", self._request)
        # Nothing leaves the machine: requests beyond the test server fail at once (still seen).
        self.context.route(lambda url: not url.startswith(server.url), lambda route: route.abort())
        self.page = self.context.new_page()
        self.page.on("dialog", self._dialog)
        self.page.on("console", lambda m: m.type == "error" and self.console.append(f"{self.label}: {m.text}"))
        self.page.on("pageerror", lambda e: self.page_errors.append(f"{self.label}: {e}"))
        self.context.on("page", lambda p: p is not self.page and self.popups.append(f"{self.label}: {p.url}"))

    def reset(self) -> None:
        self.dialogs: list[str] = []
        self.outside: list[str] = []
        self.console: list[str] = []
        self.page_errors: list[str] = []
        self.popups: list[str] = []
        self.problems: list[str] = []

    def _dialog(self, dialog) -> None:  # type: ignore[no-untyped-def]
        self.dialogs.append(f"{self.label}: {dialog.type} {dialog.message!r}")
        dialog.dismiss()

    def _request(self, request) -> None:  # type: ignore[no-untyped-def]
        url = request.url
        if is_beacon(url):
            self.problems.append(f"{self.label}: beacon requested {url}")
        elif not url.startswith(self.server.url) and not url.startswith(("data:", "about:", "blob:")):
            self.outside.append(url)

    def visit(self, path: str, label: str | None = None, *, search: bool = False, settle_ms: int = 20) -> dict:  # type: ignore[type-arg]
        self.label = label or path
        self.page.goto(self.server.url + path, wait_until="load")
        if search:
            self.search_settled()
        return self.audit(settle_ms)

    def audit(self, settle_ms: int = 20) -> dict:  # type: ignore[type-arg]
        if settle_ms:
            self.page.wait_for_timeout(settle_ms)  # handlers that fire after load (ontoggle, autofocus, animations)
        result = self.page.evaluate(AUDIT_JS)
        self.problems += [f"{self.label}: {b}" for b in result["bad"]]
        return result

    def search_settled(self, timeout_s: float = 30) -> None:
        """search.js marks the list aria-busy=false and data-rendered once a query is on screen."""
        deadline = time.monotonic() + timeout_s
        while not self.page.evaluate(
            "() => !!document.getElementById('search-app').dataset.rendered"
            " && document.getElementById('search-results').getAttribute('aria-busy') === 'false'"
        ):
            assert time.monotonic() < deadline, f"search did not settle on {self.page.url}"
            self.page.wait_for_timeout(10)

    def assert_nothing_ran(self) -> None:
        self.page.wait_for_timeout(100)  # anything late from the last page
        assert self.dialogs == [], "a payload ran: dialogs opened"
        assert self.problems == []
        assert self.popups == []
        assert self.page_errors == []
        assert [c for c in self.console if CONSOLE_INJECTION.search(c)] == []
        # The only request leaving the test server is the allow-listed embed (aborted by the route).
        assert set(self.outside) <= {"https://www.youtube-nocookie.com/embed/x"}


@pytest.fixture(scope="module")
def watch(browser, hostile_server: StaticServer) -> Iterator[Watch]:  # type: ignore[no-untyped-def]
    w = Watch(browser, hostile_server)
    yield w
    w.context.close()


@pytest.fixture
def w(watch: Watch) -> Watch:
    watch.reset()
    return watch


def _q(text: str) -> str:
    return quote_plus(text, safe="*")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def test_the_detectors_see_an_execution(w: Watch) -> None:
    """Without this, a broken listener would make every test below pass: run a "payload" by hand."""
    w.visit("", "harness")
    w.page.evaluate("() => { alert(0); fetch('http://127.0.0.1:9/xss-0').catch(() => {}); }")
    w.page.wait_for_timeout(100)
    assert w.dialogs == ["harness: alert '0'"]
    assert w.problems == ["harness: beacon requested http://127.0.0.1:9/xss-0"]
    w.page.set_content('<p>x</p><img src=x onerror="alert(1)"><a href="  java&#9;script:alert(1)">y</a>')
    assert len(w.audit(0)["bad"]) == 2
    w.reset()


def test_every_article_page_is_inert_and_titled_with_the_payload_as_text(w: Watch, hostile_site: Path) -> None:
    pages = {}
    for p in PAYLOADS:
        for suffix in ("a", "b"):
            (folder,) = hostile_site.glob(f"*/{p.slug}-{suffix}")
            pages[folder.relative_to(hostile_site).as_posix() + "/"] = p
    assert len(pages) == 2 * len(PAYLOADS)
    for url, p in pages.items():
        found = w.visit(url)
        if found["h1"] != p.line:
            w.problems.append(f"{url}: h1 shows {found['h1']!r}, not the payload as text")
        if found["title"] != _one_line(f"{p.line} · {SITE_TITLE}"):
            w.problems.append(f"{url}: document.title is {found['title']!r}")
    w.assert_nothing_ran()


def test_every_listing_page_and_the_404_page_are_inert(w: Watch, hostile_site: Path) -> None:
    listings = [u for c in ("", "faq/", "announcements/", "product-documents/") for u in (c, c + "popular/") if (hostile_site / u / "index.html").is_file()]
    assert len(listings) == 8
    for url in listings:
        w.visit(url, url or "All tab")
    assert "couldn't find" in (w.visit("no/such/page/", "404")["h1"] or "")
    w.visit("", "All tab")
    titles = w.page.locator(".result-title a").all_text_contents()
    summaries = w.page.locator(".result-summary").all_text_contents()
    assert {p.line for p in PAYLOADS} <= set(titles), "titles not shown as text on the All tab"
    assert {p.line for p in PAYLOADS} <= set(summaries), "summaries not shown as text on the All tab"
    w.assert_nothing_ran()


@pytest.mark.parametrize("start", [0, 1], ids=["first-half", "second-half"])
def test_search_page_with_every_payload_as_the_q_parameter(w: Watch, start: int) -> None:
    queries = [p.text for p in PAYLOADS] + [SITE_TITLE, SITE_DESCRIPTION, FAQ_LABEL]
    for q in queries[start::2]:
        found = w.visit("search/?q=" + _q(q), f"search/?q={q!r}", search=True, settle_ms=0)
        status = _one_line(found["status"] or "")
        if "unavailable" in status:
            w.problems.append(f"search/?q={q!r}: the search failed: {status!r}")
        elif _one_line(q) not in status and "No searchable words" not in status:
            w.problems.append(f"search/?q={q!r}: the status line does not show the query as text: {status!r}")
        if found["title"] != _one_line(f"{q} · Search · {SITE_TITLE}"):
            w.problems.append(f"search/?q={q!r}: document.title is {found['title']!r}")
    w.assert_nothing_ran()


def test_payloads_typed_into_the_search_boxes(w: Watch, hostile_site: Path) -> None:
    typed = [p for p in PAYLOADS if p.name in ("script", "img-onerror", "svg-onload", "mxss-math-style", "attribute-breakout", "template-injection", "md-link-javascript")]
    w.visit("search/", "search page", search=True)
    for i, p in enumerate(typed):
        w.label = f"typed {p}"
        w.page.evaluate("document.getElementById('search-app').dataset.rendered = ''")
        box = w.page.locator("#q")
        box.fill("")
        if i < 2:
            box.press_sequentially(p.line, delay=0)  # key by key: the search-as-you-type path
        else:
            box.fill(p.text)
        box.press("Enter")
        w.search_settled()
        found = w.audit(30)
        if p.line not in _one_line(found["status"] or "") and "No searchable words" not in (found["status"] or ""):
            w.problems.append(f"typed {p}: the status line does not show the query as text: {found['status']!r}")
    # The header box of an article page leads to the search page with the payload as ?q=.
    (article,) = hostile_site.glob(f"*/{PAYLOADS[0].slug}-a")
    w.visit(article.relative_to(hostile_site).as_posix() + "/", "an article page")
    w.label = "header search"
    w.page.locator("#header-q").fill(PAYLOADS[1].text)
    w.page.locator("#header-q").press("Enter")
    w.page.wait_for_url(re.compile(r"/search/\?q="))
    w.search_settled()
    found = w.audit(30)
    assert PAYLOADS[1].line in _one_line(found["status"] or "")
    w.assert_nothing_ran()


def test_search_results_for_every_payload_article_render_titles_and_excerpts_as_text(w: Watch, hostile_server: StaticServer) -> None:
    w.visit("search/?q=xsscanary", "search/?q=xsscanary", search=True)
    while not w.page.evaluate("document.getElementById('search-more').hidden"):
        before = w.page.locator("#search-results .result").count()
        w.page.locator("#search-more").click()
        deadline = time.monotonic() + 30
        while w.page.locator("#search-results .result").count() <= before:
            assert time.monotonic() < deadline
            w.page.wait_for_timeout(10)
        w.search_settled()
    w.audit(50)
    titles = w.page.locator("#search-results .result-title a").all_text_contents()
    assert {p.line for p in PAYLOADS} <= set(titles)
    assert len(titles) > len(PAYLOADS)
    excerpts = w.page.locator("#search-results .result-excerpt")
    assert excerpts.count() == len(titles)
    assert set(excerpts.locator("*").evaluate_all("els => els.map(e => e.localName)")) == {"mark"}
    assert all("xsscanary" in m.lower() for m in excerpts.locator("mark").all_text_contents())
    hrefs = w.page.locator("#search-results .result-title a").evaluate_all("as => as.map(a => a.href)")
    assert all(h.startswith(hostile_server.url) for h in hrefs)
    w.assert_nothing_ran()
