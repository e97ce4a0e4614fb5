"""The search page in Chromium, on the sample site served under a sub-path (/help/)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def results(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.locator("#search-results .result-title a").all_inner_texts()


def wait_for_status(page, pattern: str) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_function(f"() => /{pattern}/.test(document.getElementById('search-status').textContent)")
    settled(page)


def settled(page) -> None:  # type: ignore[no-untyped-def]
    """The list on screen matches the URL (search.js sets data-rendered after each render)."""
    page.wait_for_function("() => document.getElementById('search-app').dataset.rendered === (location.search || location.pathname)")


def test_typing_a_query_shows_ranked_results_with_marks_and_tab_counts(page, server) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.url + "search/")
    page.locator("#q").press_sequentially("reset 2fa", delay=30)
    wait_for_status(page, "results? for")
    titles = results(page)
    assert titles[0] == "How do I reset two-factor authentication?"
    assert page.locator("#search-results mark").count() > 0
    assert page.locator("#search-results mark").first.inner_text().lower() in ("reset", "2fa", "resets", "resetting")
    counts = dict(zip(page.locator("#search-tabs a").evaluate_all("as => as.map(a => a.dataset.tab)"),
                      page.locator("#search-tabs .count").all_inner_texts()))
    assert int(counts["all"]) == len(titles) or int(counts["all"]) > 10
    assert int(counts["all"]) == sum(int(counts[k]) for k in ("faq", "announcements", "product-documents"))
    assert re.search(r"\?q=reset\+2fa$", page.url)
    meta = page.locator("#search-results .result .meta").first.inner_text()
    assert re.search(r"Published on \d{1,2} \w{3,4} \d{4}", meta) and "Updated on" in meta
    assert page.console_errors == [] and page.failed_requests == []


def test_tabs_sort_and_back_button(page, server) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.url + "search/?q=withdrawal")
    wait_for_status(page, "results? for")
    all_titles = results(page)
    faq_count = int(page.locator('#search-tabs a[data-tab="faq"] .count').inner_text())
    page.locator('#search-tabs a[data-tab="faq"]').click()
    wait_for_status(page, f"^{faq_count} results? for")
    assert "tab=faq" in page.url
    assert page.locator('#search-tabs a[data-tab="faq"]').get_attribute("aria-current") == "true"
    assert page.locator("#search-results .badge").count() == 0
    faq_titles = results(page)
    assert set(faq_titles) < set(all_titles) or len(all_titles) == 10

    page.select_option("#sort", "newest")
    page.wait_for_url(re.compile(r"sort=newest"))
    settled(page)
    updated = page.locator("#search-results .meta span:nth-child(2) time").evaluate_all("ts => ts.map(t => t.getAttribute('datetime'))")
    assert len(updated) > 1 and updated == sorted(updated, reverse=True)

    page.go_back()
    page.wait_for_function("() => document.getElementById('sort').value === 'relevance'")
    settled(page)
    assert "tab=faq" in page.url and "sort" not in page.url
    assert results(page) == faq_titles
    page.go_back()
    page.wait_for_function("() => !location.search.includes('tab=')")
    wait_for_status(page, "results? for")
    assert results(page) == all_titles


def test_no_results_and_no_real_words(page, server) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.url + "search/?q=xyzzyplugh")
    wait_for_status(page, "No results for")
    assert results(page) == []
    page.goto(server.url + "search/?q=the")
    wait_for_status(page, "No searchable words")


def test_or_fallback_notice(page, server) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.url + "search/?q=passkey+xyzzyplugh")
    wait_for_status(page, "results? for")
    assert page.locator("#search-notice").inner_text() == "No results for all of 'passkey xyzzyplugh'; showing results for any of them."


def test_a_hostile_query_executes_nothing(page, server) -> None:  # type: ignore[no-untyped-def]
    dialogs: list[str] = []
    requests: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(server.url + "search/")
    page.locator("#q").fill("<img src=x onerror=alert(1)>")
    page.locator("#q").press("Enter")
    page.wait_for_function("() => document.getElementById('search-status').textContent.length > 0")
    page.wait_for_timeout(300)
    assert dialogs == []
    assert not any(u.endswith("/x") for u in requests)
    assert page.locator("#search-results img").count() == 0
    assert "<img src=x onerror=alert(1)>" in page.locator("#search-status").inner_text()


def test_show_more_and_keyboard(page, server) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.url + "search/?q=account")
    wait_for_status(page, "results? for")
    assert page.locator("#search-results .result").count() == 10
    assert page.locator("#search-status").get_attribute("aria-live") == "polite"
    page.locator("#search-more").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('#search-results .result').length > 10")
    settled(page)
    assert page.evaluate("document.activeElement.closest('.result') !== null")


def test_header_search_box_leads_to_results(page, server) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.url + "faq/")
    page.locator("#header-q").fill("deposit")
    page.locator("#header-q").press("Enter")
    page.wait_for_url(re.compile(r"/help/search/\?q=deposit"))
    wait_for_status(page, "results? for")
    assert len(results(page)) > 0
