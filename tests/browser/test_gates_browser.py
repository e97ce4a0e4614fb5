"""Accessibility (axe-core) and a clean console on the pages readers see, at phone and desktop
width, in light and dark mode, on the sample site served under a sub-path (/help/)."""

from __future__ import annotations

import pytest
from gates_tools import AXE, require

pytestmark = pytest.mark.browser

PAGES = {
    "home": "",
    "listing": "faq/",
    "paginated listing": "page/2/",
    "most viewed": "faq/popular/",
    "article": "faq/reset-2fa/",
    "article with code": "product-documents/api-reference-orders/",
    "search with results": "search/?q=withdrawal+fees",
    "search without results": "search/?q=xyzzyplugh",
    "404": "no/such/page/",
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
def test_no_serious_accessibility_violation_and_a_clean_console(browser, server, width: int, scheme: str) -> None:  # type: ignore[no-untyped-def]
    axe = require(AXE).read_text("utf-8")
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme, is_mobile=width < 500)
    page = context.new_page()
    problems: list[str] = []
    # "Failed to load resource" repeats a failed response, which the response listener reports with its URL.
    page.on("console", lambda m: m.type == "error" and not m.text.startswith("Failed to load resource") and problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed request: {r.url}"))
    page.on("response", lambda r: r.status >= 400 and "/no/such/page/" not in r.url and problems.append(f"HTTP {r.status}: {r.url}"))
    try:
        for name, path in PAGES.items():
            page.goto(server.url + path)
            if path.startswith("search/"):
                page.wait_for_function("() => document.getElementById('search-app').dataset.rendered !== undefined")
            page.add_script_tag(content=axe)
            result = page.evaluate(
                "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
                ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))"
            )
            problems += [f"{name} ({width}px, {scheme}): {v}" for v in result]
            overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
            if overflow:
                problems.append(f"{name} ({width}px): the page scrolls sideways")
    finally:
        context.close()
    assert problems == []


def test_the_axe_gate_can_fail(browser) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    page.set_content('<html lang="en"><body><img src="data:,"><p style="color:#ccc;background:#fff">faint</p></body></html>')
    page.add_script_tag(content=require(AXE).read_text("utf-8"))
    ids = page.evaluate("async () => (await axe.run()).violations.map(v => v.id)")
    page.close()
    assert "image-alt" in ids and "color-contrast" in ids
