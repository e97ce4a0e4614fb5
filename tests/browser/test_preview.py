"""The preview server in Chromium: pages reload after an edit, a broken article shows an
overlay until it is fixed, and the server's search results have the browser's markup."""

from __future__ import annotations

import dataclasses
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sitetools import article, write_site

from helpcenter.config import load_config
from helpcenter.content import BuildOptions
from helpcenter.serve import Preview, make_server, watch

pytestmark = pytest.mark.browser


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    root = write_site(
        tmp_path / "s",
        {
            "articles/faq/passkeys.md": article("Passkey setup", body="Add a passkey to your account."),
            "articles/faq/fees.md": article("Withdrawal fees", views="40", body="Network fees and a passkey note."),
            "articles/announcements/news.md": article("Passkeys arrive", category="announcements", body="Passkeys for everyone."),
        },
    )
    config = load_config(root)
    state = Preview(dataclasses.replace(config, output_dir=tmp_path / "preview" / "site"), BuildOptions())
    state.build()
    server = make_server(state, "127.0.0.1", 0)
    stop = threading.Event()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    threading.Thread(target=watch, args=(state, stop), daemon=True).start()
    time.sleep(0.5)  # let the watcher start
    yield f"http://127.0.0.1:{server.server_address[1]}/", root
    stop.set()
    server.shutdown()
    server.server_close()


def test_edit_reloads_break_shows_overlay_fix_removes_it(page, preview) -> None:  # type: ignore[no-untyped-def]
    url, root = preview
    page.goto(url + "faq/passkeys/")
    assert page.locator("h1").inner_text() == "Passkey setup"
    source = root / "articles/faq/passkeys.md"

    source.write_text(article("Passkeys, set up in a minute", body="Add a passkey to your account."), "utf-8")
    page.wait_for_function("() => document.querySelector('h1').textContent === 'Passkeys, set up in a minute'", timeout=20_000)

    source.write_text("---\ntitle: Broken\ncategory: faq\npublished: [2024\n---\nBody\n", "utf-8")
    overlay = page.locator("#helpcenter-problems")
    overlay.wait_for(state="visible", timeout=20_000)
    assert "articles/faq/passkeys.md:4: YAML syntax error" in overlay.inner_text()
    assert page.locator("h1").inner_text() == "Passkeys, set up in a minute"  # the last good page stays

    source.write_text(article("Passkeys, fixed", body="Add a passkey to your account."), "utf-8")
    page.wait_for_function("() => document.querySelector('h1').textContent === 'Passkeys, fixed'", timeout=20_000)
    assert page.locator("#helpcenter-problems").count() == 0
    assert page.console_errors == []


def normalise(markup: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", markup)).strip()


def test_server_rendered_results_have_the_same_markup_as_the_browsers(browser, preview) -> None:  # type: ignore[no-untyped-def]
    url, _ = preview
    without_js = browser.new_context(java_script_enabled=False)
    page = without_js.new_page()
    page.goto(url + "search/?q=passkey")
    server_markup = page.locator("#search-results").inner_html()
    server_titles = page.locator("#search-results .result-title a").all_inner_texts()
    assert len(server_titles) == 3 and page.locator("#search-app").is_visible()
    without_js.close()

    with_js = browser.new_context()
    page = with_js.new_page()
    page.goto(url + "search/?q=passkey")
    page.wait_for_function("() => document.getElementById('search-app').dataset.rendered === location.search")
    browser_markup = page.locator("#search-results").inner_html()
    with_js.close()
    assert normalise(server_markup) == normalise(browser_markup)
