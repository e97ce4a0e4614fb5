"""Quality gates on built sites: the W3C validator, every link and anchor (also under a
sub-path), well-formed feeds and sitemaps, working redirects."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from gates_tools import vnu_errors
from htmltools import broken_links
from sitetools import SITES, copy_fixture, copy_sample

from helpcenter.builder import build_site
from helpcenter.config import load_config

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("gates") / "sample"
    copy_sample(root)
    build_site(load_config(root))
    return root / "site"


@pytest.fixture(scope="module")
def everything(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_fixture("everything", tmp_path_factory.mktemp("gates"))
    build_site(load_config(root))
    return root / "site"


def test_w3c_validator_finds_no_error_in_the_sample_site(sample: Path) -> None:
    assert vnu_errors(sample) == []


def test_w3c_validator_finds_no_error_in_a_site_using_every_template(everything: Path) -> None:
    assert (everything / "old/reset-2fa/index.html").is_file() and (everything / "faq/page/2/index.html").is_file()
    assert vnu_errors(everything) == []


def test_every_internal_link_and_anchor_resolves(sample: Path, everything: Path) -> None:
    assert broken_links(sample) == []
    assert broken_links(everything, base_path="/help/") == []


def test_feeds_and_sitemap_are_well_formed_with_absolute_urls(everything: Path) -> None:
    sitemap = ET.parse(everything / "sitemap.xml").getroot()
    locations = [e.text for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "https://example.com/help/faq/reset-2fa/" in locations and "https://example.com/help/" in locations
    lastmod = {u.find("{*}loc").text: u.find("{*}lastmod") for u in sitemap}
    assert lastmod["https://example.com/help/faq/reset-2fa/"].text == "2026-04-24T00:00:00Z"
    assert (everything / "robots.txt").read_text("utf-8").splitlines()[-1] == "Sitemap: https://example.com/help/sitemap.xml"
    feed = ET.parse(everything / "announcements/feed.xml").getroot()
    titles = [e.find(f"{ATOM}title").text for e in feed.iter(f"{ATOM}entry")]
    assert titles == ["Scheduled maintenance on 16 September 2026", "New 48-hour hold after security changes"]
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "https://example.com/help/announcements/feed.xml"
    everything_feed = ET.parse(everything / "feed.xml").getroot()
    assert len(list(everything_feed.iter(f"{ATOM}entry"))) == 6


def test_aliases_become_redirect_pages_and_a_redirects_file(everything: Path) -> None:
    page = (everything / "old/reset-2fa/index.html").read_text("utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../../faq/reset-2fa/">' in page
    assert '<link rel="canonical" href="https://example.com/help/faq/reset-2fa/">' in page
    assert '<a href="../../faq/reset-2fa/">How do I reset two-factor authentication?</a>' in page
    assert '<meta http-equiv="refresh" content="0; url=../faq/reset-2fa/">' in (everything / "kb/2fa.html").read_text("utf-8")
    assert (everything / "_redirects").read_text("utf-8").splitlines() == [
        "/help/kb/2fa.html /help/faq/reset-2fa/ 301",
        "/help/old/reset-2fa/ /help/faq/reset-2fa/ 301",
    ]


def test_article_pages_carry_structured_data_and_social_tags(everything: Path) -> None:
    import json
    import re

    page = (everything / "faq/reset-2fa/index.html").read_text("utf-8")
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page).group(1))
    article, breadcrumb = data
    assert article["@type"] == "Article" and article["headline"] == "How do I reset two-factor authentication?"
    assert (article["datePublished"], article["dateModified"]) == ("2025-03-25", "2026-04-24")
    assert [i["item"] for i in breadcrumb["itemListElement"]] == [
        "https://example.com/help/",
        "https://example.com/help/faq/",
        "https://example.com/help/faq/reset-2fa/",
    ]
    assert '<meta property="og:type" content="article">' in page
    assert '<link rel="alternate" hreflang="en-GB" href="https://example.com/help/faq/reset-2fa/">' in page
    assert '<meta name="description" content="If you lost your authenticator, you can reset two-factor authentication from the sign-in page.">' in page


def test_without_base_url_there_is_no_sitemap_or_feed(tmp_path: Path) -> None:
    root = copy_fixture("everything", tmp_path)
    config = (root / "helpcenter.yml").read_text("utf-8").replace("base_url: https://example.com/help/\n", "")
    (root / "helpcenter.yml").write_text(config, "utf-8")
    build_site(load_config(root))
    assert not (root / "site/sitemap.xml").exists() and not (root / "site/feed.xml").exists()
    assert (root / "site/robots.txt").read_text("utf-8") == "User-agent: *\nAllow: /\n"
    assert broken_links(root / "site") == []


def test_the_fixture_site_is_in_the_repository() -> None:
    assert (SITES / "everything" / "helpcenter.yml").is_file()


def test_the_validator_gate_can_fail(tmp_path: Path) -> None:
    (tmp_path / "bad.html").write_text('<!DOCTYPE html><html lang="en"><title>x</title><p><div id="a"></div><img src="a.png"><span id="a"></span>', "utf-8")
    errors = vnu_errors(tmp_path)
    assert any("alt" in e for e in errors) and any("Duplicate ID" in e for e in errors)
